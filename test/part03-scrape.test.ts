/**
 * PS3.3 scrapers on the real 2016c excerpt (../shared): table counts, row accounting, specific
 * modules, includes and depths, values found, the real defects it carries (a duplicated table,
 * rows that lost their `>`, a self-include), and include resolution with the Image Type overlap.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { buildIodIr } from '../bench/iods.ts';
import type { Ir, Report } from '../generator/ir.ts';
import { irWithoutProse, type AttributeRow, type IncludeRow, type ModuleDef } from '../generator/ir-iods.ts';
import { resolveIods, type IodResolutionReport, type ResolvedIod } from '../generator/iods/resolve.ts';

describeShared('PS3.3 2016c excerpt: IODs, modules and macros', () => {
  let ir: Ir;
  let report: Report;
  let resolved: { iods: ResolvedIod[]; report: IodResolutionReport };
  const def = (kind: 'module' | 'macro', id: string): ModuleDef => ir.iods!.modules.find((m) => m.kind === kind && m.id === id)!;
  const attrs = (d: ModuleDef) => d.rows!.filter((r): r is AttributeRow => r.kind === 'attribute');
  const includes = (d: ModuleDef) => d.rows!.filter((r): r is IncludeRow => r.kind === 'include');

  beforeAll(() => {
    ({ ir, report } = buildIodIr({ shared: sharedPath() }));
    resolved = resolveIods(ir);
  });

  it('reads 4 IODs, 2 functional group tables, 53 modules and 100 macros; every other table is reported', () => {
    expect(ir.iods!.iods.map((i) => [i.id, i.typeName, i.table, i.section, i.modules.length, i.functionalGroups.length, i.incomplete])).toEqual([
      ['ct-image', 'CTImage', 'A.3-1', 'A.3', 20, 0, false],
      ['rt-dose', 'RTDose', 'A.18.3-1', 'A.18', 24, 0, false],
      ['enhanced-ct-image', 'EnhancedCTImage', 'A.38-1', 'A.38.1', 27, 24, false],
      ['enhanced-x-ray-angiographic-image', 'EnhancedXRayAngiographicImage', 'A.47-1', 'A.47', 22, 27, false],
    ]);
    const mods = ir.iods!.modules;
    expect(mods.filter((m) => m.kind === 'module')).toHaveLength(53);
    expect(mods.filter((m) => m.kind === 'macro')).toHaveLength(100);
    expect(mods.every((m) => m.rows !== undefined)).toBe(true);
    // 182 distinct table ids: 159 read, 23 reported as not IOD/module/macro tables (value definitions, segment types).
    const part03 = report.accounts.filter((a) => a.source === 'nema-2016c-part03');
    expect(part03).toHaveLength(159);
    expect(report.diagnostics.filter((d) => d.code === 'table-not-scraped')).toHaveLength(23);
  });

  it('accounts for every body row of every table it reads', () => {
    const part03 = report.accounts.filter((a) => a.source === 'nema-2016c-part03');
    for (const a of part03) expect(a.parsed + a.rejected + a.skipped, a.table).toBe(a.bodyRows);
    expect(part03.reduce((n, a) => n + a.bodyRows, 0)).toBe(1593);
    expect(part03.reduce((n, a) => n + a.rejected, 0)).toBe(0);
    expect(report.diagnostics.filter((d) => d.source === 'nema-2016c-part03' && d.severity === 'error')).toEqual([]);
  });

  it('reports the real defects of the excerpt instead of hiding them', () => {
    const warn = report.diagnostics.filter((d) => d.source === 'nema-2016c-part03' && d.severity === 'warning');
    expect(warn.map((d) => [d.code, d.table, d.row])).toEqual([
      ['duplicate-table-id', 'Table C.8-40', undefined],
      ['workaround-applied', 'Table C.12-1', 18],
      ['workaround-applied', 'Table C.12-1', 23],
    ]);
    // After the workaround the Context Group Identification Sequence has its item.
    const sop = attrs(def('module', 'sop-common'));
    const cg = sop.findIndex((a) => a.tag === '00080123');
    expect(sop.slice(cg, cg + 5).map((a) => [a.name, a.depth])).toEqual([
      ['Context Group Identification Sequence', 0],
      ['Context Identifier', 1],
      ['Context UID', 1],
      ['Mapping Resource', 1],
      ['Context Group Version', 1],
    ]);
  });

  it('reads IOD module tables with IE spans, references and usage', () => {
    const ct = ir.iods!.iods.find((i) => i.id === 'ct-image')!;
    expect(ct.modules.slice(0, 3).map((m) => [m.ie, m.module, m.usage])).toEqual([
      ['Patient', 'patient', 'M'],
      ['Patient', 'clinical-trial-subject', 'U'],
      ['Study', 'general-study', 'M'],
    ]);
    expect(ct.modules.filter((m) => m.ie === 'Image')).toHaveLength(11);
    const cb = ct.modules.find((m) => m.module === 'contrast-bolus')!;
    expect(cb.usage).toBe('C');
    expect(cb.condition).toMatch(/^Required if /);
    const ect = ir.iods!.iods.find((i) => i.id === 'enhanced-ct-image')!;
    expect(ect.functionalGroups.slice(0, 2)).toMatchObject([
      { macro: 'pixel-measures', usage: 'M' },
      { macro: 'frame-content', usage: 'M', placement: 'per-frame' },
    ]);
    expect(ect.functionalGroups.find((g) => g.macro === 'ct-reconstruction')).toMatchObject({ usage: 'C' });
  });

  it('reads module rows: depth from ">", includes by table with CID notes, functional group includes', () => {
    const gi = def('module', 'general-image');
    expect([gi.table, gi.section, gi.rows!.length]).toEqual(['C.7-9', 'C.7.6.1', 40]);
    const ris = gi.rows!.findIndex((r) => r.kind === 'attribute' && r.tag === '00081140');
    expect(gi.rows!.slice(ris, ris + 4).map((r) => (r.kind === 'attribute' ? `${r.depth} ${r.tag}` : `${r.depth} include ${r.targetTable} ${r.target}`))).toEqual([
      '0 00081140',
      '1 include table_10-3 image-sop-instance-reference',
      '1 0040A170',
      '2 include table_8.8-1 code-sequence',
    ]);
    expect(includes(gi)[1]!.cids).toEqual([{ kind: 'defined', cid: 7201 }]);
    // Two CIDs on one include (waveforms / RT instances).
    expect(includes(gi).find((r) => r.prov.row === 26)!.cids).toEqual([
      { kind: 'defined', cid: 7004 },
      { kind: 'defined', cid: 7022 },
    ]);
    const all = ir.iods!.modules.flatMap((m) => includes(m));
    expect(all).toHaveLength(214);
    expect(all.filter((r) => r.cids?.some((c) => c.kind === 'baseline'))).toHaveLength(18);
    expect(includes(def('module', 'multi-frame-functional-groups')).map((r) => r.functionalGroups)).toEqual(['shared', 'per-frame']);
    expect(Math.max(...ir.iods!.modules.flatMap((m) => attrs(m).map((a) => a.depth)))).toBe(4);
  });

  it('finds Enumerated Values and Defined Terms in descriptions and in referenced sections', () => {
    const patient = attrs(def('module', 'patient'));
    expect(patient.find((a) => a.tag === '00100040')!.enumeratedValues).toEqual(['M', 'F', 'O']);
    const ct = attrs(def('module', 'ct-image'));
    expect(ct.find((a) => a.tag === '00181140')!.enumeratedValues).toEqual(['CW', 'CC']);
    expect(ct.find((a) => a.tag === '00281054')).toMatchObject({ definedTerms: ['OD', 'HU', 'US'], valuesFrom: 'C.11.1.1.2' });
    expect(attrs(def('module', 'general-series')).find((a) => a.tag === '00080060')!.valuesFrom).toBe('C.7.3.1.1.1');
    const all = ir.iods!.modules.flatMap((m) => attrs(m));
    expect(all).toHaveLength(1230);
    expect(all.filter((a) => a.enumeratedValues)).toHaveLength(95);
    expect(all.filter((a) => a.definedTerms)).toHaveLength(54);
    // A referenced section missing from the excerpt is reported, not guessed.
    expect(report.diagnostics.filter((d) => d.code === 'values-section-missing').map((d) => [d.table, d.row])).toEqual([
      ['Table 10-25', 5],
      ['Table C.7-9', 5],
      ['Table C.7.6.18-1', 10],
    ]);
  });

  it('resolves includes per IOD: cycles and unresolved references reported with table and row', () => {
    const r = resolved.report;
    expect(r.cycles.map((c) => [c.path, c.prov.table, c.prov.row])).toEqual([
      [['Table 10-18', 'Table 10-18'], 'Table 10-18', 8],
      [['Table C.17-6', 'Table C.17-6'], 'Table C.17-6', 5],
    ]);
    expect(r.unresolved.map((u) => [u.table, u.row, u.target])).toEqual([
      ['Table C.7.6.20-1', 1, 'table_10-15'],
      ['Table C.8.19.2-1', 38, 'table_10.41-1'],
      ['Table C.8.19.5-1', 1, 'table_C.8-71b'],
    ]);
    expect(r.incomplete).toEqual([]);
    expect(r.unknownTags).toEqual([]);
    expect(resolved.iods.map((i) => [i.iod.id, i.attributes.length])).toEqual([
      ['ct-image', 298],
      ['rt-dose', 251],
      ['enhanced-ct-image', 259],
      ['enhanced-x-ray-angiographic-image', 227],
    ]);
  });

  it('takes the strictest requirement where modules overlap: Image Type is Type 1 in CT Image', () => {
    const ct = resolved.iods.find((i) => i.iod.id === 'ct-image')!;
    expect(ct.attributes.find((a) => a.keyword === 'ImageType')).toMatchObject({ type: '1', origin: { def: 'ct-image', table: 'Table C.8-3', row: 1 } });
    const overlap = resolved.report.overlaps.find((o) => o.iod === 'ct-image' && o.keyword === 'ImageType')!;
    expect(overlap).toEqual({
      iod: 'ct-image',
      tag: '00080008',
      keyword: 'ImageType',
      winner: { def: 'ct-image', type: '1', usage: 'M' },
      others: [{ def: 'general-image', type: '3', usage: 'M' }],
    });
    expect(resolved.report.overlaps.filter((o) => o.iod === 'ct-image')).toHaveLength(8);
    // Sequences resolve through includes into item trees.
    const ris = ct.attributes.find((a) => a.keyword === 'ReferencedImageSequence')!;
    expect(ris.items!.map((a) => a.keyword)).toEqual(['ReferencedSOPClassUID', 'ReferencedSOPInstanceUID', 'ReferencedFrameNumber', 'ReferencedSegmentNumber', 'PurposeOfReferenceCodeSequence']);
  });

  it('keeps condition texts only until the snapshot: irWithoutProse strips them', () => {
    expect(JSON.stringify(ir.iods)).toMatch(/"condition":"Required if/);
    const text = JSON.stringify(irWithoutProse(ir).iods);
    expect(text).not.toMatch(/"condition"/);
    expect(text.length).toBeLessThan(JSON.stringify(ir.iods).length);
  });
});
