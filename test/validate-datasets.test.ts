/**
 * The validator against the conformance corpus (../shared/dicom-files: nine real files with
 * dciodvfy's verdict) and mutation tests: one edit to a real file must produce exactly the
 * expected finding. Rules are built from the default layers (../shared), like the snapshot.
 * docs/validation-conformance.md explains every difference from dciodvfy.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import dcmjs from 'dcmjs';
import { beforeAll, expect, it } from 'vitest';
import { emitPackage } from '../generator/emit/run.ts';
import { run as runValidate } from '../generator/commands/validate.ts';
import type { Ir } from '../generator/ir.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { buildIr } from '../generator/pipeline.ts';
import { defaultConfig } from '../generator/defaults.ts';
import { buildValidationRules, linkIodRules, type AttrRuleData, type RowData, type ValidationRuleSet } from '../generator/iods/validation-rules.ts';
import { validateWith, type Finding, type IodRules } from '../generator/runtime/validate-engine.ts';

type Json = Record<string, { vr: string; Value?: unknown[] }>;
let set: ValidationRuleSet;
let ir: Ir;
const rulesCache = new Map<string, IodRules>();
const rules = (id: string) => {
  if (!rulesCache.has(id)) rulesCache.set(id, linkIodRules(set, id)!);
  return rulesCache.get(id)!;
};
const load = (name: string): Json => JSON.parse(readFileSync(sharedPath('dicom-files', 'json', `${name}.json`), 'utf8')) as Json;
const key = (f: Finding) => `${f.severity} ${f.rule} ${f.keyword || f.tag} ${f.path}`;
const errors = (iod: string, ds: unknown) => validateWith(rules(iod), ds).findings.filter((f) => f.severity !== 'info');

describeShared('validator on the conformance corpus', () => {
  beforeAll(async () => {
    ir = (await buildIr({ config: defaultConfig })).ir;
    set = buildValidationRules(ir);
  }, 120_000);

  // Per file: the errors we report (rule and keyword). Differences from dciodvfy are explained in docs/validation-conformance.md.
  const EXPECTED: [string, string, string[]][] = [
    ['CT_small', 'ct-image', []],
    ['MR_small', 'mr-image', []],
    ['SC_rgb_rle', 'secondary-capture-image', []],
    ['JPEG2000', 'secondary-capture-image', []],
    ['rtplan', 'rt-plan', []],
    ['rtdose_rle', 'rt-dose', ['missing OperatorsName', 'vr-syntax ReferencedSOPInstanceUID']],
    ['rtstruct', 'rt-structure-set', ['missing ContourImageSequence']],
    // dciodvfy's 4 UI errors and its 2 "not listed in CurrentRequestedProcedureEvidenceSequence or PertinentOtherEvidenceSequence" (PS3.3 C.17.2.3).
    ['reportsi', 'basic-text-sr', ['vr-syntax ReferencedSOPClassUID', 'vr-syntax ReferencedSOPInstanceUID', 'vr-syntax ReferencedSOPClassUID', 'vr-syntax ReferencedSOPInstanceUID', 'sr-evidence ReferencedSOPInstanceUID', 'sr-evidence ReferencedSOPInstanceUID']],
    ['liver_1frame', 'segmentation', ['missing NumberOfFrames', 'functional-groups PerFrameFunctionalGroupsSequence']],
  ];
  it.each(EXPECTED)('%s (%s): the expected errors', (file, iod, expected) => {
    const r = validateWith(rules(iod), load(file));
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.keyword}`)).toEqual(expected);
  });

  it.each(EXPECTED)('%s (%s), naturalized by dcmjs: the same errors', (file, iod, expected) => {
    const natural: unknown = dcmjs.data.DicomMetaDictionary.naturalizeDataset(load(file));
    const r = validateWith(rules(iod), natural);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.keyword}`)).toEqual(expected);
  });

  it('findings carry path with item indices, tag, module, table and edition', () => {
    const f = validateWith(rules('rt-dose'), load('rtdose_rle')).findings.find((x) => x.rule === 'vr-syntax')!;
    expect(f).toMatchObject({ severity: 'error', path: 'ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID[0]', tag: '(0008,1155)', keyword: 'ReferencedSOPInstanceUID', module: 'sop-instance-reference' });
    expect(f.table).toMatch(/^10-11$/);
    expect(f.edition).not.toBe('');
  });

  it('shared item row lists (items-<hash>) keep findings attributed to the including module', () => {
    expect([...set.defs.values()].some((d) => d.transparent && d.key.startsWith('items:'))).toBe(true);
    const ds = load('reportsi');
    ((ds['0040A043']!.Value![0] as Json)['00080100'] as { Value: unknown[] }).Value = ['A', 'B'];
    const f = validateWith(rules('basic-text-sr'), ds).findings.find((x) => x.rule === 'vm')!;
    expect(f.path).toBe('ConceptNameCodeSequence[0].CodeValue');
    expect(f.module).not.toMatch(/^[0-9a-f]{12}$/);
    expect(f.table).not.toBe('');
  });

  it('warns about attributes outside the IOD (rtstruct carries Patient Position)', () => {
    const w = validateWith(rules('rt-structure-set'), load('rtstruct')).findings.filter((f) => f.rule === 'not-in-iod');
    expect(w.map((f) => f.tag)).toEqual(['(0018,5100)']);
    expect(w[0]!.severity).toBe('warning');
  });

  it('JPEG2000: the NM attributes outside the Secondary Capture IOD are warnings, as dciodvfy reports them', () => {
    const tags = validateWith(rules('secondary-capture-image'), load('JPEG2000')).findings.filter((f) => f.rule === 'not-in-iod').map((f) => f.tag);
    const dciodvfy = readFileSync(sharedPath('dicom-files', 'dciodvfy', 'JPEG2000.txt'), 'utf8')
      .split('\n')
      .map((l) => /not present in standard DICOM IOD - \(0x([0-9a-f]{4}),0x([0-9a-f]{4})\)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `(${m[1]!.toUpperCase()},${m[2]!.toUpperCase()})`);
    // Edition differences (docs/validation-conformance.md): Frame of Reference is a module of the SC IOD in 2024b,
    // and the 2016c Patient module still lists Other Patient IDs.
    const editionOnly = ['(0010,1000)', '(0020,0052)', '(0020,1040)'];
    expect(tags).toEqual(dciodvfy.filter((t) => !editionOnly.includes(t)));
  });

  // Mutations: one edit → exactly one new finding (severity, rule, keyword).
  type Mutation = [string, (ds: Json) => void, string];
  const setValue = (tag: string, vr: string, Value?: unknown[]) => (ds: Json) => {
    ds[tag] = Value === undefined ? { vr } : { vr, Value };
  };
  const drop = (tag: string) => (ds: Json) => {
    delete ds[tag];
  };
  const common = (datasetDate: string): Mutation[] => [
    ['empty Type 1 (Modality)', setValue('00080060', 'CS'), 'error empty Modality'],
    ['missing Type 2 (Patient Name)', drop('00100010'), 'error missing PatientName'],
    ['bad enumerated value (Patient Sex X)', setValue('00100040', 'CS', ['X']), 'error enumerated-value PatientSex'],
    [`DA 2004-01-19 (${datasetDate})`, setValue(datasetDate, 'DA', ['2004-01-19']), `error vr-syntax ${datasetDate === '00080020' ? 'StudyDate' : 'StructureSetDate'}`],
  ];
  const MUTATIONS: [string, string, Mutation[]][] = [
    ['CT_small', 'ct-image', [...common('00080020'), ['three values where VM is 2 (Pixel Spacing)', setValue('00280030', 'DS', [0.5, 0.5, 0.5]), 'error vm PixelSpacing'], ['1C whose condition holds, absent (Pixel Data)', drop('7FE00010'), 'error missing PixelData']]],
    ['rtdose_rle', 'rt-dose', [...common('00080020'), ['three values where VM is 2 (Pixel Spacing)', setValue('00280030', 'DS', [2, 2, 2]), 'error vm PixelSpacing'], ['1C whose condition holds, absent (Bits Stored)', drop('00280101'), 'error missing BitsStored']]],
    [
      'rtstruct',
      'rt-structure-set',
      [
        ...common('30060008'),
        // RT Structure Set has no VM 2 attribute in its mandatory modules: a VM 3 one with four values.
        ['four values where VM is 3 (ROI Display Color)', (ds) => (((ds['30060039']!.Value![0] as Json)['3006002A'] as { Value: unknown[] }).Value = [1, 2, 3, 4]), 'error vm ROIDisplayColor'],
        ['1C whose condition holds, absent (Referenced ROI Number needs ROI Contour items)', (ds) => delete (ds['30060039']!.Value![0] as Json)['30060084'], 'error missing ReferencedROINumber'],
      ],
    ],
    [
      'reportsi',
      'basic-text-sr',
      [
        ...common('00080020'),
        ['two values where VM is 1 (Code Value of the document title)', (ds) => (((ds['0040A043']!.Value![0] as Json)['00080100'] as { Value: unknown[] }).Value = ['A', 'B']), 'error vm CodeValue'],
        ['1C whose condition holds, absent (Text Value of a TEXT item)', (ds) => {
          const items = ds['0040A730']!.Value as Json[];
          const text = items.find((i) => i['0040A040']?.Value?.[0] === 'TEXT')!;
          delete text['0040A160'];
        }, 'error missing TextValue'],
      ],
    ],
    [
      'liver_1frame',
      'segmentation',
      [
        ...common('00080020'),
        ['three values where VM is 2 (Pixel Spacing in the shared Pixel Measures group)', (ds) => {
          const shared = ds['52009229']!.Value![0] as Json;
          const pm = shared['00289110']!.Value![0] as Json;
          pm['00280030'] = { vr: 'DS', Value: [1, 1, 1] };
        }, 'error vm PixelSpacing'],
        ['1C whose condition holds, absent (Pixel Data)', drop('7FE00010'), 'error missing PixelData'],
      ],
    ],
  ];
  for (const [file, iod, mutations] of MUTATIONS) {
    it.each(mutations)(`${file}: %s`, (_what, mutate, expected) => {
      const before = new Set(errors(iod, load(file)).map(key));
      const ds = load(file);
      mutate(ds);
      const added = errors(iod, ds).filter((f) => !before.has(key(f)));
      expect(added.map((f) => `${f.severity} ${f.rule} ${f.keyword}`)).toEqual([expected]);
    });
  }

  it('the generated package: one IOD\'s validator bundles without the others, and runs', async () => {
    const files = emitPackage(ir, { selection: { families: new Set(['validate']), iods: new Set(['ct-image', 'rt-dose']) }, generatorVersion: '0.0.0' });
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-validate-'));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    expect(files.map((f) => f.path)).toContain('validate/rules/rt-dose.ts');
    writeFileSync(join(dir, 'entry.ts'), "export { isCTImage } from './validate/rules/ct-image.js';\n");
    const out = join(dir, 'bundle.mjs');
    const r = await esbuild.build({ entryPoints: [join(dir, 'entry.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'silent', metafile: true });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((p) => p.includes('rules/ct-image'))).toBe(true);
    expect(inputs.some((p) => p.includes('rules/rt-dose') || p.includes('module-rt-dose'))).toBe(false);
    const m = (await import(pathToFileURL(out).href)) as { isCTImage: (x: unknown) => boolean };
    expect(m.isCTImage(load('CT_small'))).toBe(true);
    const bad = load('CT_small');
    delete bad['00080060'];
    expect(m.isCTImage(bad)).toBe(false);
  });

  it('CLI: one line per finding, exit 1 on errors, --json', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: () => {}, isTTY: false, cwd: process.cwd() };
    const files = [sharedPath('dicom-files', 'json', 'rtdose_rle.json'), sharedPath('dicom-files', 'json', 'CT_small.json')];
    // The IR built above as a snapshot source (`*.ir.json`), so the CLI does not scrape the layers again.
    const snap = join(mkdtempSync(join(tmpdir(), 'dictgen-validate-ir-')), 'reference.ir.json');
    writeFileSync(snap, JSON.stringify(ir));
    expect(await runValidate(['--source', snap, ...files], io)).toBe(1);
    const lines = out.join('').trim().split('\n');
    expect(lines.filter((l) => l.includes('rtdose_rle.json: error: OperatorsName (0008,1070): missing:'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/CT_small\.json: ct-image: 0 error\(s\)/);
    out.length = 0;
    expect(await runValidate(['--source', snap, '--json', '--iod', 'ct-image', files[1]!], io)).toBe(0);
    expect(JSON.parse(out.join(''))[0].result.errors).toBe(0);
  }, 120_000);
});

describeShared('validator rules: rows written deeper than an include (PS3.3 Tables C.18.4-1, C.18.5-1)', () => {
  beforeAll(async () => {
    set ??= buildValidationRules((ir ??= (await buildIr({ config: defaultConfig })).ir));
  }, 120_000);
  const attrs = (rows: RowData[]) => rows.filter((x): x is AttrRuleData => !('inc' in x));
  it('sit in the item of the included macro\'s sequence, as the types have them, not at the top level', () => {
    for (const [macro, inside] of [
      ['macro:image-reference', ['ReferencedFrameNumber', 'ReferencedSegmentNumber']],
      ['macro:waveform-reference', ['ReferencedWaveformChannels']],
    ] as const) {
      const def = set.defs.get(macro)!;
      expect(def, macro).toBeDefined();
      const top = attrs(def.rows);
      for (const k of inside) expect(top.some((a) => a.k === k), `${macro}: ${k} at the top level`).toBe(false);
      const seq = top.find((a) => a.k === 'ReferencedSOPSequence' && a.i?.some((x) => !('inc' in x) && inside.includes(x.k as never)))!;
      expect(seq, `${macro}: a Referenced SOP Sequence holding ${inside.join(', ')}`).toBeDefined();
      expect(attrs(seq.i!).map((a) => a.k)).toEqual(expect.arrayContaining([...inside]));
      expect(seq.i!.some((x) => 'inc' in x && x.inc === 'macro:sop-instance-reference')).toBe(true);
    }
  });
});

describeShared('SR evidence on real rules (PS3.3 C.17.2.3, Table C.17.6-2): reportsi and a hand-written Key Object Selection', () => {
  beforeAll(async () => {
    set ??= buildValidationRules((ir ??= (await buildIr({ config: defaultConfig })).ir));
  }, 120_000);
  const UID = '1.2.826.0.1.3680043.10.99.';
  const CT = '1.2.840.10008.5.1.4.1.1.2';
  const evidence = (iod: string, ds: unknown) => validateWith(rules(iod), ds).findings.filter((f) => f.rule === 'sr-evidence');
  const refItem = (sopClass: string, instance: string): Json => ({ '00081150': { vr: 'UI', Value: [sopClass] }, '00081155': { vr: 'UI', Value: [instance] } });
  /** A Hierarchical SOP Instance Reference item (Table C.17-3) listing the given references. */
  const listing = (...refs: Json[]) => ({ vr: 'SQ', Value: [{ '0020000D': { vr: 'UI', Value: [`${UID}1`] }, '00081115': { vr: 'SQ', Value: [{ '0020000E': { vr: 'UI', Value: [`${UID}2`] }, '00081199': { vr: 'SQ', Value: refs } }] } }] });
  /** reportsi's two IMAGE references (ContentSequence[4] → TEXT → IMAGE, and ContentSequence[4] → IMAGE). */
  const imageRefs = (ds: Json) => {
    const section = (ds['0040A730']!.Value as Json[])[4]!;
    const [text, image] = section['0040A730']!.Value as Json[];
    const nested = (text!['0040A730']!.Value as Json[])[0]!;
    return [nested, image!].map((it) => (it['00081199']!.Value as Json[])[0]!);
  };
  const kos = () => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sr-evidence', 'key-object-selection.json'), 'utf8')) as Json;
  const kosComposite = () => refItem('1.2.840.10008.5.1.4.1.1.88.11', `${UID}12`);

  it('reportsi: the two unlisted IMAGE references, as dciodvfy reports them (content item path, instance, Value Type)', () => {
    const found = evidence('basic-text-sr', load('reportsi'));
    expect(found.map((f) => `${f.severity} ${f.path}`)).toEqual([
      'error ContentSequence[4].ContentSequence[0].ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID',
      'error ContentSequence[4].ContentSequence[1].ReferencedSOPSequence[0].ReferencedSOPInstanceUID',
    ]);
    expect(found[0]!.message).toBe('SOP Instance 0 referenced from IMAGE content item ContentSequence[4].ContentSequence[0].ContentSequence[0] is not listed in CurrentRequestedProcedureEvidenceSequence or PertinentOtherEvidenceSequence');
    expect(found[0]).toMatchObject({ module: 'sr-document-general', table: 'C.17-2', tag: '(0008,1155)' });
    const dciodvfy = readFileSync(sharedPath('dicom-files', 'dciodvfy', 'reportsi.txt'), 'utf8').split('\n').filter((l) => /not listed in CurrentRequestedProcedureEvidenceSequence/.test(l));
    expect(found).toHaveLength(dciodvfy.length);
  });

  it('reportsi mutations: listing the instance in either evidence sequence removes both findings; removing a listing brings exactly its finding back', () => {
    for (const seq of ['0040A375', '0040A385']) {
      const ds = load('reportsi');
      ds[seq] = listing(refItem('0', '0'));
      expect(evidence('basic-text-sr', ds), seq).toEqual([]);
    }
    const ds = load('reportsi');
    const [nested, image] = imageRefs(ds);
    Object.assign(nested!, refItem(CT, `${UID}10`));
    Object.assign(image!, refItem(CT, `${UID}11`));
    ds['0040A375'] = listing(refItem(CT, `${UID}10`), refItem(CT, `${UID}11`));
    const before = new Set(errors('basic-text-sr', ds).map(key));
    expect([...before].filter((k) => k.includes('sr-evidence'))).toEqual([]);
    ds['0040A375'] = listing(refItem(CT, `${UID}10`));
    const added = errors('basic-text-sr', ds).filter((f) => !before.has(key(f)));
    expect(added.map((f) => `${f.severity} ${f.rule} ${f.path}`)).toEqual(['error sr-evidence ContentSequence[4].ContentSequence[1].ReferencedSOPSequence[0].ReferencedSOPInstanceUID']);
  });

  it('Key Object Selection fixture: the one unlisted COMPOSITE reference is its only error, as dciodvfy says of the same file; the presentation state is listed', () => {
    const r = validateWith(rules('key-object-selection-document'), kos());
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.rule} ${f.path}`)).toEqual(['error sr-evidence ContentSequence[2].ReferencedSOPSequence[0].ReferencedSOPInstanceUID']);
    expect(r.findings.find((f) => f.rule === 'sr-evidence')).toMatchObject({ module: 'key-object-document', table: 'C.17.6-2' });
    expect(r.findings.find((f) => f.rule === 'sr-evidence')!.message).toMatch(/from COMPOSITE content item ContentSequence\[2\] is not listed in CurrentRequestedProcedureEvidenceSequence$/);
    const natural: unknown = dcmjs.data.DicomMetaDictionary.naturalizeDataset(kos());
    expect(evidence('key-object-selection-document', natural).map((f) => f.path)).toEqual(['ContentSequence[2].ReferencedSOPSequence[0].ReferencedSOPInstanceUID']);
  });

  it('Key Object Selection: listed in Current Requested Procedure Evidence → conformant; Pertinent Other Evidence is not a KOS attribute and does not count', () => {
    const listed = kos();
    (((listed['0040A375']!.Value![0] as Json)['00081115']!.Value![0] as Json)['00081199']!.Value as Json[]).push(kosComposite());
    expect(validateWith(rules('key-object-selection-document'), listed).errors).toBe(0);
    const other = kos();
    other['0040A385'] = listing(kosComposite());
    const found = validateWith(rules('key-object-selection-document'), other).findings.filter((f) => f.severity !== 'info');
    expect(found.map((f) => `${f.rule} ${f.path}`)).toEqual(['sr-evidence ContentSequence[2].ReferencedSOPSequence[0].ReferencedSOPInstanceUID', 'not-in-iod (0040,A385)']);
  });

  it('the generated package\'s guard and validate() and the CLI apply the rule (and --dicomdir / { dicomdir: true } on request)', async () => {
    const files = emitPackage(ir, { selection: { families: new Set(['validate']), iods: new Set(['key-object-selection-document', 'ct-image']) }, generatorVersion: '0.0.0' });
    const text = (p: string) => files.find((f) => f.path === p)!.content;
    expect(text('validate/rules/key-object-selection-document.ts')).toContain('CurrentRequestedProcedureEvidenceSequence');
    expect(text('validate/rules/ct-image.ts')).not.toContain('evidence');
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-validate-kos-'));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    writeFileSync(join(dir, 'entry.ts'), "export { isKeyObjectSelectionDocument } from './validate/rules/key-object-selection-document.js';\nexport { validate } from './validate/index.js';\n");
    const out = join(dir, 'bundle.mjs');
    await esbuild.build({ entryPoints: [join(dir, 'entry.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'silent' });
    const m = (await import(pathToFileURL(out).href)) as { isKeyObjectSelectionDocument: (x: unknown) => boolean; validate: (x: unknown, o?: { dicomdir?: boolean }) => Promise<{ findings: Finding[] }> };
    expect(m.isKeyObjectSelectionDocument(kos())).toBe(false);
    // validate() of the package: the SR evidence error always, the DICOMDIR keys on request.
    const noStudyId = kos();
    delete noStudyId['00200010'];
    expect((await m.validate(noStudyId)).findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.keyword}`)).toEqual(['missing StudyID', 'sr-evidence ReferencedSOPInstanceUID']);
    expect((await m.validate(noStudyId, { dicomdir: true })).findings.filter((f) => f.rule === 'dicomdir').map((f) => `${f.severity} ${f.keyword} ${f.table}`)).toEqual(['warning StudyID F.5-2']);
    const listed = kos();
    listed['0040A375'] = listing(refItem(CT, `${UID}10`), refItem('1.2.840.10008.5.1.4.1.1.11.1', `${UID}20`), refItem(CT, `${UID}11`), kosComposite());
    expect(m.isKeyObjectSelectionDocument(listed)).toBe(true);

    const lines: string[] = [];
    const io = { stdout: (s: string) => lines.push(s), stderr: () => {}, isTTY: false, cwd: process.cwd() };
    const snap = join(dir, 'reference.ir.json');
    writeFileSync(snap, JSON.stringify(ir));
    expect(await runValidate(['--source', snap, join(import.meta.dirname, 'fixtures', 'sr-evidence', 'key-object-selection.json')], io)).toBe(1);
    expect(lines.join('')).toContain('error: ContentSequence[2].ReferencedSOPSequence[0].ReferencedSOPInstanceUID (0008,1155): sr-evidence: SOP Instance 1.2.826.0.1.3680043.10.99.12 referenced from COMPOSITE content item ContentSequence[2] is not listed in CurrentRequestedProcedureEvidenceSequence [key-object-document, PS3.3 C.17.6-2');
    lines.length = 0;
    expect(await runValidate(['--source', snap, '--dicomdir', sharedPath('dicom-files', 'json', 'rtstruct.json')], io)).toBe(1);
    expect(lines.join('')).toContain('rtstruct.json: warning: StudyDate (0008,0020): dicomdir: empty: a Type 1 key of the STUDY directory record; a DICOMDIR could not be built for this instance [PS3.3 F.5-2]');
  }, 120_000);
});

describeShared('DICOMDIR readiness (--dicomdir, PS3.3 F.5) against dciodvfy on the nine real files', () => {
  beforeAll(async () => {
    set ??= buildValidationRules((ir ??= (await buildIr({ config: defaultConfig })).ir));
  }, 120_000);
  const FILES: [string, string][] = [
    ['CT_small', 'ct-image'],
    ['MR_small', 'mr-image'],
    ['SC_rgb_rle', 'secondary-capture-image'],
    ['JPEG2000', 'secondary-capture-image'],
    ['rtplan', 'rt-plan'],
    ['rtdose_rle', 'rt-dose'],
    ['rtstruct', 'rt-structure-set'],
    ['reportsi', 'basic-text-sr'],
    ['liver_1frame', 'segmentation'],
  ];
  // dciodvfy (2022) asks Instance Number only of image instances; Table F.5-7 (RT Plan Keys) has it as Type 1 too (docs/validation-conformance.md, D1).
  const OURS_ONLY: Record<string, string[]> = { rtplan: ['Instance Number'] };
  const nameOf = (keyword: string) => ir.dataElements.find((e) => e.keyword === keyword)!.name;

  it.each(FILES)('%s (%s): the keys dciodvfy says a DICOMDIR would miss', (file, iod) => {
    const ours = validateWith(rules(iod), load(file), { dicomdir: true }).findings.filter((f) => f.rule === 'dicomdir' && f.severity === 'warning');
    const dciodvfy = readFileSync(sharedPath('dicom-files', 'dciodvfy', `${file}.txt`), 'utf8')
      .split('\n')
      .map((l) => /needed to build DICOMDIR - (.+)$/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined);
    expect(ours.map((f) => nameOf(f.keyword))).toEqual([...dciodvfy, ...(OURS_ONLY[file] ?? [])]);
    expect(validateWith(rules(iod), load(file)).findings.filter((f) => f.rule === 'dicomdir')).toEqual([]);
  });

  it('every key of the records is a data element of the dictionary under that tag and keyword; instance records follow the IOD modules', () => {
    const records = set.iods.flatMap((i) => i.dicomdir ?? []);
    for (const r of records) for (const k of r.keys) expect(ir.dataElements.find((e) => e.tag === k.t)?.keyword, `${r.record} ${k.k}`).toBe(k.k);
    const withPatient = set.iods.filter((i) => i.dicomdir);
    expect(withPatient.length).toBeGreaterThan(150);
    // Record types not written in dicomdir-keys.ts (waveforms, presentation states, encapsulated documents…): four-level keys only, and a note.
    expect(set.iods.find((i) => i.id === 'general-ecg')!.dicomdir!.map((r) => r.record)).toEqual(['PATIENT', 'STUDY', 'SERIES']);
    expect(validateWith(rules('general-ecg'), {}, { dicomdir: true }).findings.filter((f) => f.rule === 'dicomdir' && f.severity === 'info')).toHaveLength(1);
    expect(set.iods.find((i) => i.id === 'rt-dose')!.dicomdir!.at(-1)!.record).toBe('RT DOSE');
    expect(set.iods.find((i) => i.id === 'key-object-selection-document')!.dicomdir!.at(-1)!.record).toBe('KEY OBJECT DOC');
    expect(set.iods.find((i) => i.id === 'rendition-selection-document')!.dicomdir!.map((r) => r.record)).toEqual(['PATIENT', 'STUDY', 'SERIES']);
  });
});

/** A python3 that imports pydicom (Debian's python3-pydicom), or undefined. */
function pydicomPython(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import pydicom'], { stdio: 'ignore' }).status === 0);
}
const hasDciodvfy = spawnSync('sh', ['-c', 'command -v dciodvfy'], { stdio: 'ignore' }).status === 0;
const python = pydicomPython();
const PART10 = `import json, sys
from pydicom.dataset import Dataset, FileMetaDataset
for path in sys.argv[1:]:
    ds = Dataset.from_json(json.load(open(path)))
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = '1.2.840.10008.1.2.1'
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path[:-5] + '.dcm', write_like_original=False)
`;

describeShared('SR evidence: our findings and dciodvfy\'s on variants written with pydicom', () => {
  beforeAll(async () => {
    set ??= buildValidationRules((ir ??= (await buildIr({ config: defaultConfig })).ir));
  }, 120_000);
  const UID = '1.2.826.0.1.3680043.10.99.';
  const kos = () => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sr-evidence', 'key-object-selection.json'), 'utf8')) as Json;
  const listed = (ds: Json) => ((ds['0040A375']!.Value![0] as Json)['00081115']!.Value![0] as Json)['00081199']!.Value as Json[];
  const listing = (sopClass: string): Json[string] => ({ vr: 'SQ', Value: [{ '0020000D': { vr: 'UI', Value: [`${UID}1`] }, '00081115': { vr: 'SQ', Value: [{ '0020000E': { vr: 'UI', Value: [`${UID}2`] }, '00081199': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: [sopClass] }, '00081155': { vr: 'UI', Value: ['0'] } }] } }] } }] });
  const CASES: [string, string, () => Json][] = [
    ['the KOS fixture (its COMPOSITE item unlisted)', 'key-object-selection-document', kos],
    ['the KOS fixture without the presentation state listed', 'key-object-selection-document', () => {
      const ds = kos();
      listed(ds).splice(1, 1);
      return ds;
    }],
    ['the KOS fixture with a real world value map, unlisted', 'key-object-selection-document', () => {
      const ds = kos();
      const ref = ((ds['0040A730']!.Value as Json[])[1]!['00081199']!.Value as Json[])[0]!;
      ref['0008114B'] = { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.67'] }, '00081155': { vr: 'UI', Value: [`${UID}21`] } }] };
      return ds;
    }],
    ['reportsi with its instance listed', 'basic-text-sr', () => ({ ...load('reportsi'), '0040A375': listing('0') })],
    ['reportsi with its instance listed under another SOP Class', 'basic-text-sr', () => ({ ...load('reportsi'), '0040A375': listing('1.2.840.10008.5.1.4.1.1.2') })],
  ];
  const run = hasDciodvfy && python ? it : it.skip;
  if (!hasDciodvfy || !python) it('skipped: needs dciodvfy (dicom3tools) and python3 with pydicom (python3-pydicom)', () => {});

  run('the same references are reported, by instance UID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-sr-evidence-'));
    const paths = CASES.map((c, n) => {
      const p = join(dir, `case-${n}.json`);
      writeFileSync(p, JSON.stringify(c[2]()));
      return p;
    });
    writeFileSync(join(dir, 'part10.py'), PART10);
    const conv = spawnSync(python!, [join(dir, 'part10.py'), ...paths], { encoding: 'utf8' });
    expect(conv.status, conv.stderr).toBe(0);
    CASES.forEach(([what, iod, make], n) => {
      const verdict = spawnSync('dciodvfy', [paths[n]!.replace(/\.json$/, '.dcm')], { encoding: 'utf8' });
      const theirs = `${verdict.stdout}${verdict.stderr}`
        .split('\n')
        .filter((l) => /(not listed in|SOP Class in) CurrentRequestedProcedureEvidenceSequence/.test(l))
        .map((l) => /ReferencedSOPInstanceUID (\S+)/.exec(l)![1]!);
      const ours = validateWith(rules(iod), make()).findings.filter((f) => f.rule === 'sr-evidence').map((f) => /SOP Instance (\S+)/.exec(f.message)![1]!);
      expect(ours, what).toEqual(theirs);
    });
  }, 60_000);
});
