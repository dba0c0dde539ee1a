/**
 * generator/merge.ts: field-by-field merge of layers with provenance, conflict reports, formatting
 * tolerance, overrides, determinism — on hand-made IRs, the fixtures and the real innolitics mirror.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';
import { mergeLayers, summarizeConflicts } from '../generator/merge.ts';
import { emptyIr, emptyReport, type DataElement, type Ir, type SourceRecord } from '../generator/ir.ts';
import { scrapeInnoliticsFolder } from '../sources/innolitics/index.ts';
import { scrapeOverrides } from '../sources/overrides.ts';
import { loadConfig } from '../generator/config.ts';

function src(id: string, format: SourceRecord['format'] = 'docbook', sha = id): SourceRecord {
  return { id, part: 'PS3.6', edition: 'test', format, file: `${id}.xml`, sha256: sha, bytes: 1 };
}

function el(tag: string, source: string, row: number, over: Partial<DataElement> = {}): DataElement {
  return { tag, keyword: 'Rows', name: 'Rows', vr: ['US'], vm: '1', retired: false, table: 'data', prov: { source, table: 'Table 6-1', row }, ...over };
}

function irWith(source: SourceRecord, dataElements: DataElement[]): Ir {
  return { ...emptyIr(), sources: [source], dataElements };
}

describe('mergeLayers on hand-made layers', () => {
  it('first layer wins per field; a lower layer fills what the higher lacks, with fieldProv', () => {
    const report = emptyReport();
    const a = irWith(src('a'), [el('00280010', 'a', 1, { keyword: '', name: 'Rows' })]);
    const b = irWith(src('b'), [el('00280010', 'b', 7, { keyword: 'Rows', name: 'Rows', usage: 'DICOS' })]);
    const ir = mergeLayers([{ name: 'A', ir: a }, { name: 'B', ir: b }], report);
    expect(ir.dataElements).toEqual([
      {
        tag: '00280010',
        keyword: 'Rows',
        name: 'Rows',
        vr: ['US'],
        vm: '1',
        retired: false,
        table: 'data',
        usage: 'DICOS',
        prov: { source: 'a', table: 'Table 6-1', row: 1 },
        fieldProv: { keyword: { source: 'b', table: 'Table 6-1', row: 7 }, usage: { source: 'b', table: 'Table 6-1', row: 7 } },
      },
    ]);
    expect(report.conflicts).toEqual([]);
    expect(ir.sources.map((s) => [s.id, s.layer])).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(summarizeConflicts(report)).toBe('');
  });

  it('reports conflicts field by field: winner and every loser', () => {
    const report = emptyReport();
    const layers = [
      { name: 'A', ir: irWith(src('a'), [el('00280106', 'a', 1, { vr: ['US'], vm: '1' })]) },
      { name: 'B', ir: irWith(src('b'), [el('00280106', 'b', 2, { vr: ['US', 'SS'], vm: '1' })]) },
      { name: 'C', ir: irWith(src('c'), [el('00280106', 'c', 3, { vr: ['SS', 'US'], vm: '1-n', retired: true })]) },
    ];
    mergeLayers(layers, report);
    expect(report.conflicts).toEqual([
      { family: 'dataElements', key: '00280106', field: 'retired', winner: { layer: 'A', source: 'a', value: false }, losers: [{ layer: 'C', source: 'c', value: true }] },
      { family: 'dataElements', key: '00280106', field: 'vm', winner: { layer: 'A', source: 'a', value: '1' }, losers: [{ layer: 'C', source: 'c', value: '1-n' }] },
      {
        family: 'dataElements',
        key: '00280106',
        field: 'vr',
        winner: { layer: 'A', source: 'a', value: ['US'] },
        losers: [
          { layer: 'B', source: 'b', value: ['US', 'SS'] },
          { layer: 'C', source: 'c', value: ['SS', 'US'] },
        ],
      },
    ]);
    expect(summarizeConflicts(report).split('\n')).toEqual([
      '3 field conflicts between layers (first layer wins): dataElements 3',
      '  by layer: A over C 3, A over B 1',
      '  dataElements 00280106 retired: A false over C true',
      '  dataElements 00280106 vm: A "1" over C "1-n"',
      '  dataElements 00280106 vr: A ["US"] over B ["US","SS"], C ["SS","US"]',
    ]);
  });

  it('does not count formatting-only differences as conflicts', () => {
    const report = emptyReport();
    const a = irWith(src('a'), [
      el('7FE00010', 'a', 1, { keyword: 'PixelData', name: 'Pixel Data', vr: ['OB', 'OW'], vm: '1' }),
      el('00280106', 'a', 2, { name: 'Smallest Image Pixel Value', vr: ['US', 'SS'], vm: '1-n' }),
    ]);
    const b = irWith(src('b'), [
      el('7fe00010', 'b', 1, { keyword: 'PixelData', name: ' Pixel\u200B Data ', vr: ['OW', 'OB'], vm: ' 1 ' }),
      el('(0028,0106)', 'b', 2, { name: 'Smallest  Image Pixel\u00A0Value', vr: ['ss', 'us'], vm: '1-N' }),
    ]);
    const ir = mergeLayers([{ name: 'A', ir: a }, { name: 'B', ir: b }], report);
    expect(report.conflicts).toEqual([]);
    expect(ir.dataElements.map((e) => e.tag)).toEqual(['00280106', '7FE00010']);
    expect(ir.dataElements.every((e) => e.fieldProv === undefined)).toBe(true);
  });

  it('a See Note VR is a value, not a gap', () => {
    const report = emptyReport();
    const a = irWith(src('a'), [el('FFFEE000', 'a', 1, { keyword: 'Item', vr: [], vrSeeNote: true })]);
    const b = irWith(src('b'), [el('FFFEE000', 'b', 1, { keyword: 'Item', vr: ['NONE'.slice(0, 2)] })]);
    const ir = mergeLayers([{ name: 'A', ir: a }, { name: 'B', ir: b }], report);
    expect(ir.dataElements[0]).toMatchObject({ vr: [], vrSeeNote: true });
    expect(report.conflicts.map((c) => `${c.field} ${JSON.stringify(c.winner.value)} ${JSON.stringify(c.losers[0]!.value)}`)).toEqual(['vr [] ["NO"]']);
  });

  it('a written keyword beats a derived one from a higher layer', () => {
    const report = emptyReport();
    const uid = (u: string, keyword: string, source: string, derived: boolean) => ({
      uid: u,
      name: 'X',
      keyword,
      ...(derived ? { keywordDerived: true } : {}),
      type: 'SOP Class' as const,
      typeText: 'SOP Class',
      retired: false,
      prov: { source, table: 't', row: 1 },
    });
    const inno: Ir = { ...emptyIr(), sources: [src('inno', 'innolitics')], uids: [uid('1.2.3', 'MacularGridReport', 'inno', true), uid('1.2.4', 'Same', 'inno', true)] };
    const nema: Ir = { ...emptyIr(), sources: [src('nema')], uids: [uid('1.2.3', 'MacularGridReportStorage', 'nema', false), uid('1.2.4', 'Same', 'nema', false)] };
    const ir = mergeLayers([{ name: 'innolitics', ir: inno }, { name: 'nema', ir: nema }], report);
    expect(ir.uids[0]).toMatchObject({ keyword: 'MacularGridReportStorage', prov: { source: 'inno' }, fieldProv: { keyword: { source: 'nema' } } });
    expect(ir.uids[0]!.keywordDerived).toBeUndefined();
    expect(ir.uids[1]).toMatchObject({ keyword: 'Same', fieldProv: { keyword: { source: 'nema' } } });
    expect(report.conflicts).toEqual([
      { family: 'uids', key: '1.2.3', field: 'keyword', winner: { layer: 'nema', source: 'nema', value: 'MacularGridReportStorage' }, losers: [{ layer: 'innolitics', source: 'inno', value: 'MacularGridReport' }] },
    ]);
  });

  it('is deterministic and sorted by key whatever the input order', () => {
    const tags = ['7FE00010', '00100010', '60xx3000', '60003000', '00080016', '002804x0'];
    const make = (order: string[]) => [
      { name: 'A', ir: irWith(src('a'), order.map((t, i) => el(t, 'a', i + 1, { keyword: `K${t}` }))) },
      { name: 'B', ir: irWith(src('b'), [...order].reverse().map((t, i) => el(t, 'b', i + 1, { keyword: `K${t}`, vm: '1-n' }))) },
    ];
    const r1 = emptyReport();
    const r2 = emptyReport();
    const m1 = mergeLayers(make(tags), r1);
    const m2 = mergeLayers(make([...tags].sort()), r2);
    expect(m1.dataElements.map((e) => e.tag)).toEqual(['00080016', '00100010', '002804x0', '60003000', '60xx3000', '7FE00010']);
    expect(JSON.stringify(m1.dataElements.map(({ prov: _p, ...e }) => e))).toBe(JSON.stringify(m2.dataElements.map(({ prov: _p, ...e }) => e)));
    expect(r1.conflicts.map((c) => c.key)).toEqual(r2.conflicts.map((c) => c.key));
  });

  it('keeps duplicate keys of one layer apart and renames clashing sources', () => {
    const report = emptyReport();
    const a = irWith(src('s', 'docbook', 'sha-1'), [el('00280010', 's', 1), el('00280010', 's', 2, { name: 'Rows (again)' })]);
    const b = irWith(src('s', 'docbook', 'sha-2'), [el('00280010', 's', 9)]);
    const ir = mergeLayers([{ name: 'A', ir: a }, { name: 'B', ir: b }], report);
    expect(ir.dataElements.map((e) => [e.name, e.prov.row])).toEqual([
      ['Rows', 1],
      ['Rows (again)', 2],
    ]);
    expect(ir.sources.map((s) => s.id)).toEqual(['s', 's@B']);
    expect(report.diagnostics.map((d) => d.code).sort()).toEqual(['duplicate-key-in-layer', 'source-renamed']);
    // The renamed layer's entry is compared under its new source id.
    expect(a.sources[0]!.id).toBe('s');
  });

  it('leaves every input layer untouched (entries are copied one by one, not whole layers)', () => {
    const a = irWith(src('s', 'docbook', 'sha-1'), [el('00280010', 's', 1, { vm: '' }), el('00280011', 's', 2, { keyword: 'Columns', name: 'Columns' })]);
    const b = irWith(src('s', 'docbook', 'sha-2'), [el('00280010', 's', 9, { vm: '1-n', name: 'Rows B' }), el('00280030', 's', 3, { keyword: 'PixelSpacing', name: 'Pixel Spacing' })]);
    const before = JSON.stringify([a, b]);
    const ir = mergeLayers([{ name: 'A', ir: a }, { name: 'B', ir: b }], emptyReport());
    expect(JSON.stringify([a, b])).toBe(before);
    // The filled field comes from the renamed source of layer B; the output shares no object with the inputs.
    const rows = ir.dataElements.find((e) => e.tag === '00280010')!;
    expect([rows.vm, rows.fieldProv?.vm?.source]).toEqual(['1-n', 's@B']);
    rows.vr.push('SS');
    expect(a.dataElements[0]!.vr).toEqual(['US']);
    expect(ir.dataElements.find((e) => e.tag === '00280030')!.prov.source).toBe('s@B');
  });

  it('handOver: the same merged IR as copying, whatever the key order of the entries', () => {
    const layersOf = () => {
      const a = irWith(src('a'), [el('00280010', 'a', 1, { vm: '' }), el('00280011', 'a', 2, { keyword: 'Columns', name: 'Columns' })]);
      // Keys out of the usual order, and an unsorted fieldProv, as a hand-written layer may have them.
      const { prov, ...fields } = el('00280030', 'b', 4, { keyword: 'PixelSpacing', name: 'Pixel Spacing' });
      const odd: DataElement = { prov, ...fields };
      odd.fieldProv = { vm: { source: 'b', table: 'x', row: 1 }, name: { source: 'b', table: 'x', row: 2 } };
      const b = irWith(src('b'), [el('00280010', 'b', 9, { vm: '1-n', name: 'Rows B' }), odd]);
      return [
        { name: 'A', ir: a },
        { name: 'B', ir: b },
      ];
    };
    const copied = emptyReport();
    const handed = emptyReport();
    const one = JSON.stringify([mergeLayers(layersOf(), copied), copied]);
    const two = JSON.stringify([mergeLayers(layersOf(), handed, { handOver: true }), handed]);
    expect(two).toBe(one);
    expect(Object.keys(JSON.parse(one)[0].dataElements[2].fieldProv)).toEqual(['name', 'vm']);
  });

  it('recomputes IOD completeness from the merged modules', () => {
    const report = emptyReport();
    const prov = (source: string) => ({ source, table: 't', row: 1 });
    const inno: Ir = {
      ...emptyIr(),
      sources: [src('inno', 'innolitics')],
      iods: {
        iods: [{ id: 'ct-image', name: 'CT Image', typeName: 'CTImage', modules: [{ ie: 'Patient', module: 'patient', usage: 'M', prov: prov('inno') }], functionalGroups: [], incomplete: true, prov: prov('inno') }],
        modules: [{ id: 'patient', name: 'Patient', kind: 'module', table: 'C.7-1', prov: prov('inno') }],
        sopClasses: [],
      },
    };
    const ps33: Ir = {
      ...emptyIr(),
      sources: [src('ps33')],
      iods: {
        iods: [],
        modules: [{ id: 'patient', name: 'Patient', kind: 'module', rows: [{ kind: 'attribute', depth: 0, tag: '00100010', keyword: 'PatientName', name: "Patient's Name", type: '2', prov: prov('ps33') }], prov: prov('ps33') }],
        sopClasses: [],
      },
    };
    const ir = mergeLayers([{ name: 'innolitics', ir: inno }, { name: 'nema', ir: ps33 }], report);
    expect(ir.iods!.iods[0]!.incomplete).toBe(false);
    const patient = ir.iods!.modules[0]! as unknown as Record<string, unknown>;
    expect(patient.prov).toEqual(prov('inno'));
    expect(patient.fieldProv).toEqual({ rows: prov('ps33') });
    expect(report.conflicts).toEqual([]);
  });
});

describe('overrides layer (fixtures)', () => {
  const fixtures = join(repoRoot, 'test', 'fixtures');

  async function mergeFromConfig() {
    const cfg = await loadConfig(join(fixtures, 'config', 'dicom-dictgen.config.ts'));
    const report = emptyReport();
    const layers = cfg.layers.map((l) => {
      const ir = emptyIr();
      if (l.kind === 'overrides') scrapeOverrides(l.path, { ir, report, layer: l.name });
      else scrapeInnoliticsFolder(l.path, { ir, report, layer: l.name });
      return { name: l.name, ir };
    });
    return { ir: mergeLayers(layers, report), report };
  }

  it('an override changing a VR wins, and the report shows winner and loser', async () => {
    const { ir, report } = await mergeFromConfig();
    const smallest = ir.dataElements.find((e) => e.tag === '00280106')!;
    expect(smallest.vr).toEqual(['US']);
    expect(Object.keys(smallest)).toEqual(['tag', 'keyword', 'name', 'vr', 'vm', 'retired', 'table', 'prov', 'fieldProv']);
    expect(smallest.prov).toMatchObject({ source: 'overrides-local', table: 'overrides dataElements', row: 1, line: 4 });
    expect(smallest.fieldProv).toMatchObject({ keyword: { source: 'innolitics-2024b-attributes', row: 3 }, name: { row: 3 }, vm: { row: 3 }, retired: { row: 3 }, table: { row: 3 } });
    expect(report.conflicts.find((c) => c.key === '00280106')).toEqual({
      family: 'dataElements',
      key: '00280106',
      field: 'vr',
      winner: { layer: 'local', source: 'overrides-local', value: ['US'] },
      losers: [{ layer: 'innolitics-2024b', source: 'innolitics-2024b-attributes', value: ['US', 'SS'] }],
    });
  });

  it('resolves keyword keys, merges option actions one by one, ignores equal values', async () => {
    const { ir, report } = await mergeFromConfig();
    expect(report.conflicts.map((c) => `${c.family} ${c.key} ${c.field}: ${c.winner.layer} ${JSON.stringify(c.winner.value)} over ${c.losers.map((l) => `${l.layer} ${JSON.stringify(l.value)}`).join(', ')}`)).toEqual([
      'dataElements 00100010 name: local "Patient Name" over innolitics-2024b "Patient\'s Name"',
      'dataElements 00280106 vr: local ["US"] over innolitics-2024b ["US","SS"]',
      'deidentification 00100010 actions.basicProfile: local "X" over innolitics-2024b "Z"',
      'iods.iods ct-image typeName: local "CtImage" over innolitics-2024b "CTImage"',
    ]);
    expect(ir.dataElements.find((e) => e.tag === '00100010')).toMatchObject({ tag: '00100010', keyword: 'PatientName', name: 'Patient Name', vr: ['PN'] });
    expect(ir.deidentification.find((d) => d.tag === '00100010')!.actions).toEqual({ retainPatientCharacteristics: 'K', basicProfile: 'X' });
    const why = report.diagnostics.filter((d) => d.code === 'override').map((d) => d.message);
    expect(why).toContain('local.overrides.json dataElements (0028,0106): overrides vr — fixture: this site only writes unsigned pixel values');
    expect(summarizeConflicts(report)).toMatch(/^4 field conflicts between layers \(first layer wins\): dataElements 2, deidentification 1, iods\.iods 1\n {2}by layer: local over innolitics-2024b 4\n/);
  });

  it('drops an override no layer can complete, and an unknown keyword, with errors', () => {
    const report = emptyReport();
    const over = emptyIr();
    over.sources.push(src('o', 'overrides'));
    over.dataElements.push({ tag: '00990010', vr: ['US'], prov: { source: 'o', table: 'overrides dataElements', row: 1 } } as unknown as DataElement);
    over.dataElements.push({ tag: '', keyword: 'NoSuchKeyword', name: 'x', prov: { source: 'o', table: 'overrides dataElements', row: 2 } } as unknown as DataElement);
    const base = irWith(src('a'), [el('00280010', 'a', 1)]);
    const ir = mergeLayers([{ name: 'local', ir: over }, { name: 'A', ir: base }], report);
    expect(ir.dataElements.map((e) => e.tag)).toEqual(['00280010']);
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual(['override-unresolved', 'override-without-base']);
    expect(report.diagnostics.find((d) => d.code === 'override-without-base')!.message).toContain('dataElements 00990010 lacks name, vm, retired, table after the merge');
  });

  it('scrapes the fixture into partial entries with prov pointing at the patch', () => {
    const ir = emptyIr();
    const report = emptyReport();
    const res = scrapeOverrides(join(fixtures, 'config', 'local.overrides.json'), { ir, report, layer: 'local' });
    expect(res.counts).toEqual({ dataElements: 2, uids: 1, deidentification: 1, iods: 1 });
    expect(res.source).toMatchObject({ id: 'overrides-local', format: 'overrides', edition: 'fixture-1', part: 'local overrides', layer: 'local' });
    expect(ir.dataElements).toEqual([
      { tag: '00280106', vr: ['US'], prov: { source: 'overrides-local', table: 'overrides dataElements', row: 1, line: 4 } },
      { tag: '', keyword: 'PatientName', name: 'Patient Name', prov: { source: 'overrides-local', table: 'overrides dataElements', row: 2, line: 5 } },
    ]);
    expect(report.accounts.map((a) => `${a.table} ${a.parsed}`)).toEqual(['overrides dataElements 2', 'overrides uids 1', 'overrides deidentification 1', 'overrides iods 1']);
  });

  it.each([
    ['{ "dataElement": {} }', 'bad.overrides.json dataElement: is not a family overrides can patch'],
    ['{ "dataElements": { "(0028,0010)": { "vr": "US" } } }', 'bad.overrides.json dataElements["(0028,0010)"]: has no "why"'],
    ['{ "dataElements": { "(0028,0010)": { "vr": "U S", "why": "w" } } }', 'bad.overrides.json dataElements["(0028,0010)"].vr: is "U S", expected a VR'],
    ['{ "dataElements": { "(0028,0010)": { "colour": "red", "why": "w" } } }', 'bad.overrides.json dataElements["(0028,0010)"].colour: is not a field overrides can set'],
    ['{ "dataElements": { "28-10": { "vr": "US", "why": "w" } } }', 'bad.overrides.json dataElements["28-10"]: the key is not a tag'],
    ['{ "deidentification": { "(0010,0010)": { "actions": { "basic": "Z" }, "why": "w" } } }', 'actions: is {"basic":"Z"}, expected option ids among basicProfile'],
    ['{ "privateElements": { "(0028,\\"ACME\\",10)": { "vr": "US", "why": "w" } } }', 'the key is not a DCMTK-style private tag'],
    ['[1]', 'bad.overrides.json: the top level is not an object'],
  ])('rejects %s', (text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-overrides-'));
    writeFileSync(join(dir, 'bad.overrides.json'), text);
    let thrown: Error | undefined;
    try {
      scrapeOverrides(join(dir, 'bad.overrides.json'), { ir: emptyIr(), report: emptyReport() });
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).toContain(message);
    expect(thrown?.message).not.toContain('\n');
  });

  it('private elements: the override wins a VR over a private dictionary layer, other fields kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-overrides-'));
    writeFileSync(join(dir, 'p.overrides.json'), JSON.stringify({ privateElements: { '(0029,"SIEMENS CSA HEADER",08)': { vr: 'CS', why: 'w' } } }));
    const over = emptyIr();
    const report = emptyReport();
    scrapeOverrides(join(dir, 'p.overrides.json'), { ir: over, report, layer: 'local' });
    const dict: Ir = {
      ...emptyIr(),
      sources: [src('dcmtk', 'dcmtk')],
      privateDictionaries: {
        elements: [
          { creator: 'SIEMENS CSA HEADER', group: '0029', offset: '08', keyword: 'CSAImageHeaderType', name: 'CSA Image Header Type', vr: ['CS', 'OB'], vm: '1', retired: false, prov: { source: 'dcmtk', table: 'private.dic', line: 12 } },
          { creator: 'SIEMENS CSA HEADER', group: '0029', offset: '09', keyword: 'CSAImageHeaderVersion', name: 'CSA Image Header Version', vr: ['LO'], vm: '1', retired: false, prov: { source: 'dcmtk', table: 'private.dic', line: 13 } },
        ],
      },
    };
    const ir = mergeLayers([{ name: 'local', ir: over }, { name: 'dcmtk', ir: dict }], report);
    const els = ir.privateDictionaries!.elements;
    expect(els).toHaveLength(2);
    expect(els[0]).toMatchObject({ offset: '08', keyword: 'CSAImageHeaderType', vr: ['CS'], vm: '1', fieldProv: { vr: { source: 'overrides-p', row: 1 } } });
    expect(report.conflicts).toEqual([
      { family: 'private', key: 'SIEMENS CSA HEADER|0029|xx08', field: 'vr', winner: { layer: 'local', source: 'overrides-p', value: 'CS' }, losers: [{ layer: 'dcmtk', source: 'dcmtk', value: 'CS/OB' }] },
    ]);
  });

  it('accepts a private element patch keyed DCMTK-style', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-overrides-'));
    writeFileSync(join(dir, 'p.overrides.json'), JSON.stringify({ privateElements: { '(0029,"SIEMENS CSA HEADER",08)': { vr: 'CS', why: 'w' } } }));
    const ir = emptyIr();
    scrapeOverrides(join(dir, 'p.overrides.json'), { ir, report: emptyReport() });
    expect(ir.privateDictionaries!.elements[0]).toMatchObject({ creator: 'SIEMENS CSA HEADER', group: '0029', offset: '08', vr: ['CS'] });
  });
});

describeShared('mergeLayers on the real innolitics mirror', () => {
  function layer(edition: string) {
    const ir = emptyIr();
    scrapeInnoliticsFolder(sharedPath('standard', 'innolitics', edition), { ir, report: emptyReport(), layer: edition });
    return { name: `innolitics-${edition}`, ir };
  }

  it('2024b over 2024a: the union of entries and exactly the five real differences', () => {
    const report = emptyReport();
    const ir = mergeLayers([layer('2024b'), layer('2024a')], report);
    expect(ir.sources).toHaveLength(16);
    expect(ir.dataElements).toHaveLength(5123);
    expect(ir.uids).toHaveLength(175);
    expect(ir.iods!.iods).toHaveLength(171);
    // 733 per edition; 2024a names the Photoacoustic functional groups module differently.
    expect(ir.iods!.modules).toHaveLength(734);
    expect(ir.deidentification).toHaveLength(621);
    expect(report.conflicts.map((c) => `${c.family} ${c.key} ${c.field}`)).toEqual([
      'dataElements 00701807 retired',
      'dataElements 00701808 retired',
      'deidentification 00100020 actions.basicProfile',
      'iods.iods secondary-capture-image modules',
      'iods.iods segmentation functionalGroups',
    ]);
    expect(report.conflicts[0]).toMatchObject({ winner: { layer: 'innolitics-2024b', value: true }, losers: [{ layer: 'innolitics-2024a', source: 'innolitics-2024a-attributes', value: false }] });
    // Only 2024b defines Synthetic Data (0008,001C): it comes from 2024b with no fieldProv.
    expect(ir.dataElements.find((e) => e.tag === '0008001C')).toMatchObject({ keyword: 'SyntheticData', prov: { source: 'innolitics-2024b-attributes' } });
    expect(ir.dataElements.some((e) => e.fieldProv)).toBe(false);
    // Sorted by tag, then UID.
    const tags = ir.dataElements.map((e) => e.tag.replace(/x/g, '0'));
    expect([...tags].sort()).toEqual(tags);
  });

  it('2024a over 2024b: entries only 2024b has keep their own provenance', () => {
    const report = emptyReport();
    const ir = mergeLayers([layer('2024a'), layer('2024b')], report);
    expect(ir.dataElements).toHaveLength(5123);
    expect(ir.dataElements.find((e) => e.tag === '0008001C')!.prov.source).toBe('innolitics-2024b-attributes');
    expect(ir.dataElements.find((e) => e.tag === '00701807')).toMatchObject({ retired: false, prov: { source: 'innolitics-2024a-attributes' } });
    expect(report.conflicts).toHaveLength(5);
  });
});
