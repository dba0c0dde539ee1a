/**
 * Release diff on hand-made IR objects: every change kind, its semver impact, the normalization
 * that must hide formatting-only differences, scoping of partial sides, and both renderers.
 */
import { describe, expect, it } from 'vitest';
import { emptyIr, type DataElement, type DeidentificationRow, type Ir, type SourceRecord, type TransferSyntax, type UidEntry, type ValueRepresentation } from '../generator/ir.ts';
import type { IodSection } from '../generator/ir-iods.ts';
import { codeMeaningIdentifier, type ContextGroupSection } from '../generator/ir-context-groups.ts';
import { diffIr, renderJson, renderMarkdown, type Change, type DiffResult } from '../generator/diff/index.ts';
import { nameKey, normTag, vmKey, vrKey } from '../generator/diff/normalize.ts';

const src = (id: string, part: string, edition: string): SourceRecord => ({
  id,
  part,
  edition,
  format: 'docbook',
  file: `${part.replace('PS3.', 'part').replace(/part(\d)$/, 'part0$1')}.xml`,
  sha256: `${id.length}`.padEnd(64, 'a'),
  bytes: 1,
});

function el(tag: string, keyword: string, name: string, vr: string[], vm: string, o: Partial<DataElement> = {}): DataElement {
  return { tag, keyword, name, vr, vm, retired: false, table: 'data', prov: { source: 's6', table: 'Table 6-1', row: 1 }, ...o };
}
function uid(u: string, keyword: string, name: string, type: UidEntry['type'], o: Partial<UidEntry> = {}): UidEntry {
  return { uid: u, keyword, name, type, typeText: type, retired: false, prov: { source: 's6', table: 'Table A-1', row: 1 }, ...o };
}
function ts(u: string, keyword: string, o: Partial<TransferSyntax> = {}): TransferSyntax {
  return {
    uid: u,
    keyword,
    name: keyword,
    explicitVr: true,
    byteOrder: 'little',
    encapsulated: false,
    deflated: false,
    compression: 'none',
    retired: false,
    prov: { source: 's5', table: 'Annex A', row: 1 },
    ...o,
  };
}
function vr(code: string, name: string, o: Partial<ValueRepresentation> = {}): ValueRepresentation {
  return { vr: code, name, kind: 'string', padding: 'space', explicitLengthField: 16, repertoire: 'default', singleValued: false, retired: false, prov: { source: 's5', table: 'Table 6.2-1', row: 1 }, ...o };
}
function ir(parts: Partial<Ir>): Ir {
  return { ...emptyIr(), sources: [src('s6', 'PS3.6', '2013'), src('s5', 'PS3.5', '2013')], ...parts };
}
const of = (r: DiffResult, kind: Change['kind'], category?: Change['category']) => r.changes.filter((c) => c.kind === kind && (!category || c.category === category));
const one = (r: DiffResult, kind: Change['kind'], key: string) => {
  const hits = r.changes.filter((c) => c.kind === kind && c.key === key);
  expect(hits, `${kind} ${key}`).toHaveLength(1);
  return hits[0]!;
};

// ---------------------------------------------------------------------------------------------

describe('normalization keys', () => {
  it('tags: mask letter case, punctuation and spacing are formatting', () => {
    expect(normTag('(0028,04X0)')).toBe('002804x0');
    expect(normTag('002804x0')).toBe('002804x0');
    expect(normTag(' (60XX,3000) ')).toBe('60xx3000');
    expect(normTag('(0010,0010)')).toBe('00100010');
  });
  it('names: case, dashes, quotes, invisible characters, ® and µ are formatting; words are not', () => {
    expect(nameKey('Patient\u2019s Name')).toBe(nameKey("Patient's Name"));
    expect(nameKey('Acquisition Field Of View Label')).toBe(nameKey('Acquisition Field of View Label'));
    expect(nameKey('Referenced\u200BImage Sequence')).toBe(nameKey('ReferencedImage Sequence'));
    expect(nameKey('X\u2013Ray  Tube')).toBe(nameKey('X-Ray Tube'));
    expect(nameKey('Exposure in \u00B5As')).toBe(nameKey('Exposure in \u03BCAs'));
    expect(nameKey('Side from BI-RADS\u00AE')).toBe(nameKey('Side from BI-RADS'));
    expect(nameKey('Pre - Medication')).toBe(nameKey('Pre-Medication'));
    expect(nameKey('Patient Name')).not.toBe(nameKey("Patient's Name"));
    expect(nameKey('X-Ray Tube Current')).not.toBe(nameKey('X-Ray Tube Current in mA'));
  });
  it('VR order and spelling; VM spacing and n case', () => {
    expect(vrKey(['US', 'SS'])).toBe(vrKey(['SS', 'US']));
    expect(vrKey(['US or SS or OW'])).toBe('OW or SS or US');
    expect(vrKey(['ob', 'OW'])).toBe(vrKey(['OB/OW']));
    expect(vrKey([], true)).toBe('(see note)');
    expect(vmKey('1 - n')).toBe('1-n');
    expect(vmKey('2-2N')).toBe('2-2n');
  });
});

describe('data elements', () => {
  const oldIr = ir({
    dataElements: [
      el('00100010', 'PatientName', "Patient's Name", ['PN'], '1'),
      el('00100020', 'PatientID', 'Patient ID', ['LO'], '1'),
      el('00080008', 'ImageType', 'Image Type', ['CS'], '2-n'),
      el('00081000', 'NetworkID', 'Network ID', ['AE'], '1'),
      el('00181234', 'OldKeyword', 'Some Attribute', ['DS'], '1'),
      el('00280000', 'Something', 'Some Thing', ['US'], '1'),
      el('00280010', 'Rows', 'Rows', ['US'], '1'),
      el('00282000', 'ICCProfile', 'ICC Profile', ['OB'], '1'),
      el('00189999', 'WasRetired', 'Was Retired', ['LO'], '1', { retired: true }),
      el('00181000', 'DeviceSerialNumber', 'Device Serial Number', ['LO'], '1'),
      el('60003000', 'OverlayData', 'Overlay Data', ['OB', 'OW'], '1'),
      el('002804x0', 'RowsForNthOrderCoefficients', 'Rows For Nth Order Coefficients', ['US'], '1', { retired: true }),
      el('00280106', 'SmallestImagePixelValue', 'Smallest Image Pixel Value', ['US', 'SS'], '1'),
      el('00181111', 'ZeroWidth\u200BKeyword', 'Acquisition Field Of View Label', ['LO'], '1-n'),
      el('00000100', 'CommandField', 'Command Field', ['US'], '1', { table: 'command' }),
    ],
  });
  const newIr = ir({
    dataElements: [
      el('(0010,0010)', 'PatientName', 'Patient\u2019s Name', ['PN'], '1'), // formatting only
      el('00100020', 'PatientID', 'Patient Identifier', ['LO'], '1'), // name changed
      el('00080008', 'ImageType', 'Image Type', ['CS'], '1-n'), // VM bounds: patch
      el('00081000', 'NetworkID', 'Network ID', ['AE'], '1', { retired: true }), // newly retired
      el('00181234', 'NewKeyword', 'Some Attribute', ['DS'], '1'), // keyword renamed
      el('00280010', 'Rows', 'Rows', ['UL'], '1'), // VR changed
      el('00282000', 'ICCProfile', 'ICC Profile', ['OB'], '1-n'), // VM 1 → 1-n: type change
      el('00189999', 'WasRetired', 'Was Retired', ['LO'], '1'), // un-retired
      el('00181000', 'DeviceSerialNumber', 'Device Serial Number', ['LO'], '1'),
      el('60xx3000', 'OverlayData', 'Overlay Data', ['OW', 'OB'], '1'), // mask changed, VR order formatting
      el('(0028,04X0)', 'RowsForNthOrderCoefficients', 'Rows for Nth Order Coefficients', ['US'], '1', { retired: true }), // formatting
      el('00280106', 'SmallestImagePixelValue', 'Smallest Image Pixel Value', ['SS', 'US'], '1'), // VR order formatting
      el('00181111', 'ZeroWidthKeyword', 'Acquisition Field of View Label', ['LO'], '1-N'), // formatting
      el('0008001C', 'SyntheticData', 'Synthetic Data', ['CS'], '1'), // added
    ],
  });
  const r = diffIr(oldIr, newIr);

  it('finds each kind of change with its impact', () => {
    expect(one(r, 'added', '0008001C').impact).toBe('minor');
    expect(one(r, 'removed', '00280000').impact).toBe('major');
    expect(one(r, 'retired', '00081000').impact).toBe('patch');
    expect(one(r, 'unretired', '00189999').impact).toBe('patch');
    const kw = one(r, 'keyword-changed', '00181234');
    expect([kw.before, kw.after, kw.impact]).toEqual(['OldKeyword', 'NewKeyword', 'major']);
    const nm = one(r, 'name-changed', '00100020');
    expect([nm.before, nm.after, nm.impact]).toEqual(['Patient ID', 'Patient Identifier', 'patch']);
    const v = one(r, 'vr-changed', '00280010');
    expect([v.before, v.after, v.impact]).toEqual(['US', 'UL', 'major']);
    expect(one(r, 'vm-changed', '00282000').impact).toBe('major');
    expect(one(r, 'vm-changed', '00080008').impact).toBe('patch');
    const m = one(r, 'mask-changed', '60003000 → 60xx3000');
    expect(m.label).toBe('OverlayData');
    expect(r.semver).toBe('major');
  });

  it('formatting-only differences are not changes but are counted', () => {
    const keys = new Set(r.changes.map((c) => c.key));
    for (const k of ['00100010', '002804x0', '00280106', '00181111']) expect(keys.has(k), k).toBe(false);
    expect(r.formattingOnly['elements.name']).toBeGreaterThanOrEqual(2);
    expect(r.formattingOnly['elements.vr']).toBe(1);
    expect(r.formattingOnly['elements.keyword']).toBe(1);
    expect(r.formattingOnly['elements.tag']).toBe(2);
    expect(r.formattingOnly['elements.vm']).toBe(1);
    // the mask-changed pair is not also a removal plus an addition
    expect(of(r, 'removed').map((c) => c.key)).toEqual(['00280000']);
    expect(of(r, 'added').map((c) => c.key)).toEqual(['0008001C']);
  });

  it('a family only one side read (PS3.7 commands) is not compared, never "removed"', () => {
    expect(r.changes.some((c) => c.key === '00000100')).toBe(false);
    expect(r.notCompared).toEqual([expect.objectContaining({ category: 'elements', what: 'PS3.7 command elements', oldCount: 1, newCount: 0 })]);
  });

  it('changes carry both sides\' provenance and are sorted by tag', () => {
    const kw = one(r, 'keyword-changed', '00181234');
    expect(kw.oldProv).toEqual({ source: 's6', table: 'Table 6-1', row: 1 });
    expect(kw.newProv).toBeDefined();
    const keys = r.changes.map((c) => c.key.slice(0, 8));
    expect([...keys].sort()).toEqual(keys);
  });

  it('an empty keyword being filled in is an addition, not a break', () => {
    const a = ir({ dataElements: [el('00180061', '', '', [], '', { retired: true, vrSeeNote: true })] });
    const b = ir({ dataElements: [el('00180061', 'Something', 'Something', ['DS'], '1', { retired: true })] });
    const d = diffIr(a, b);
    expect(one(d, 'keyword-changed', '00180061').impact).toBe('minor');
    expect(one(d, 'vr-changed', '00180061').before).toBe('(see note)');
  });

  it('identical inputs: no changes, semver none', () => {
    const d = diffIr(oldIr, structuredClone(oldIr));
    expect(d.changes).toEqual([]);
    expect(d.semver).toBe('none');
    expect(renderMarkdown(d)).toMatch(/Semver impact: none/);
  });
});

describe('UIDs, transfer syntaxes and VRs', () => {
  const a = ir({
    uids: [
      uid('1.2.840.10008.1.1', 'Verification', 'Verification SOP Class', 'SOP Class'),
      uid('1.2.840.10008.5.1.4.1.1.1', 'ComputedRadiographyImageStorage', 'Computed Radiography Image Storage', 'SOP Class'),
      uid('1.2.840.10008.1.2.2', 'ExplicitVRBigEndian', 'Explicit VR Big Endian', 'Transfer Syntax'),
      uid('1.2.840.10008.5.1.1.16.376', 'X', 'Printer Configuration Retrieval SOP Class', 'SOP Class', { keywordDerived: true }),
      uid('1.2.840.10008.15.0.3.1', 'dicomDeviceName', 'dicomDeviceName', 'LDAP OID'),
    ],
    transferSyntaxes: [ts('1.2.840.10008.1.2.1', 'ExplicitVRLittleEndian'), ts('1.2.840.10008.1.2.4.50', 'JPEGBaseline8Bit', { encapsulated: true, compression: 'lossy' })],
    valueRepresentations: [vr('AE', 'Application Entity'), vr('OB', 'Other Byte String', { kind: 'binary', padding: 'null', explicitLengthField: 32, repertoire: 'none' })],
  });
  const b = ir({
    uids: [
      uid('1.2.840.10008.1.1', 'Verification', 'Verification SOP Class', 'SOP Class'),
      uid('1.2.840.10008.5.1.4.1.1.1', 'ComputedRadiographyImageStorage', 'Computed Radiography Image Storage', 'SOP Class'),
      uid('1.2.840.10008.1.2.2', 'ExplicitVRBigEndian', 'Explicit VR Big Endian (Retired)', 'Transfer Syntax', { retired: true }),
      uid('1.2.840.10008.5.1.1.16.376', 'PrinterConfigurationRetrieval', 'Printer Configuration Retrieval SOP Class', 'Meta SOP Class'),
      uid('1.2.840.10008.15.0.3.1', 'dicomDeviceName', 'dicomDeviceName', 'LDAP OID'),
      uid('1.2.840.10008.1.2.4.201', 'HTJ2KLossless', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', 'Transfer Syntax'),
    ],
    transferSyntaxes: [ts('1.2.840.10008.1.2.1', 'ExplicitVRLittleEndian'), ts('1.2.840.10008.1.2.4.50', 'JPEGBaseline8Bit', { encapsulated: true, compression: 'either' })],
    valueRepresentations: [vr('AE', 'Application Entity'), vr('OB', 'Other Byte', { kind: 'binary', padding: 'null', explicitLengthField: 32, repertoire: 'none' }), vr('UV', 'Unsigned 64-bit Very Long', { kind: 'binary' })],
  });
  const r = diffIr(a, b);
  it('UIDs: added, retired (the "(Retired)" suffix is not a rename), keyword and type changes', () => {
    expect(one(r, 'added', '1.2.840.10008.1.2.4.201').impact).toBe('minor');
    expect(one(r, 'retired', '1.2.840.10008.1.2.2').impact).toBe('patch');
    expect(r.changes.some((c) => c.kind === 'name-changed' && c.key === '1.2.840.10008.1.2.2')).toBe(false);
    const kw = one(r, 'keyword-changed', '1.2.840.10008.5.1.1.16.376');
    expect(kw.impact).toBe('major');
    expect(kw.reason).toMatch(/derived/);
    expect(one(r, 'type-changed', '1.2.840.10008.5.1.1.16.376').after).toBe('Meta SOP Class');
  });
  it('transfer syntax properties and VRs', () => {
    const p = one(r, 'property-changed', '1.2.840.10008.1.2.4.50');
    expect([p.field, p.before, p.after, p.impact]).toEqual(['compression', 'lossy', 'either', 'major']);
    expect(one(r, 'added', 'UV').category).toBe('vrs');
    const n = one(r, 'name-changed', 'OB');
    expect([n.before, n.after, n.impact]).toEqual(['Other Byte String', 'Other Byte', 'patch']);
  });
  it('a partial UID list (SOP classes only, no PS3.6) is compared only on its types', () => {
    const partial: Ir = {
      ...emptyIr(),
      sources: [{ ...src('inno', 'innolitics sops.json', '2024b'), format: 'innolitics' }],
      uids: [uid('1.2.840.10008.5.1.4.1.1.1', 'ComputedRadiographyImageStorage', 'Computed Radiography Image Storage', 'SOP Class', { prov: { source: 'inno', table: 'sops.json' } })],
    };
    partial.uids.push(uid('1.2.840.10008.5.1.4.1.1.9.1.1', 'TwelveLeadECGWaveformStorage', '12-lead ECG Waveform Storage', 'SOP Class', { prov: { source: 'inno', table: 'sops.json' } }));
    const d = diffIr(a, partial, { only: ['uids'] });
    // full → partial: SOP classes the list lacks are not "removed"; what it adds is reported
    expect(d.changes.map((c) => `${c.kind} ${c.key}`)).toEqual(['added 1.2.840.10008.5.1.4.1.1.9.1.1']);
    expect(d.notCompared.map((n) => n.what).sort()).toEqual(['LDAP OID UIDs', 'Transfer Syntax UIDs', 'UIDs the partial list does not carry']);
    expect(d.notCompared.find((n) => n.what.startsWith('UIDs the'))!.oldCount).toBe(2);
    // partial → full: a listed UID missing from the full registry is a real removal
    const back = diffIr(partial, a, { only: ['uids'] });
    expect(back.changes.map((c) => `${c.kind} ${c.key}`)).toEqual(['removed 1.2.840.10008.5.1.4.1.1.9.1.1']);
  });
});

describe('IODs and modules', () => {
  const prov = { source: 's3', table: 'A.3-1', row: 1 };
  const section = (mods: IodSection['iods'][number]['modules'], rows: NonNullable<IodSection['modules'][number]['rows']>): IodSection => ({
    iods: [{ id: 'ct-image', name: 'CT Image', typeName: 'CTImage', table: 'A.3-1', modules: mods, functionalGroups: [], incomplete: false, prov }],
    modules: [{ id: 'ct-image', name: 'CT Image', kind: 'module', table: 'C.8-3', rows, prov }],
    sopClasses: [{ uid: '1.2.840.10008.5.1.4.1.1.2', sopClass: 'CT Image Storage', iod: 'ct-image', prov }],
  });
  const a = ir({
    iods: section(
      [
        { ie: 'Patient', module: 'patient', usage: 'M', prov },
        { ie: 'Image', module: 'contrast-bolus', usage: 'C', prov },
        { ie: 'Image', module: 'device', usage: 'U', prov },
      ],
      [
        { kind: 'attribute', depth: 0, tag: '00080008', keyword: 'ImageType', name: 'Image Type', type: '1', enumeratedValues: ['ORIGINAL', 'DERIVED'], prov },
        { kind: 'attribute', depth: 0, tag: '00180060', keyword: 'KVP', name: 'KVP', type: '2', prov },
        { kind: 'attribute', depth: 0, tag: '00189345', keyword: 'CTDIvol', name: 'CTDIvol', type: '3', definedTerms: ['A'], prov },
      ],
    ),
  });
  const b = ir({
    iods: section(
      [
        { ie: 'Patient', module: 'patient', usage: 'M', prov },
        { ie: 'Image', module: 'contrast-bolus', usage: 'M', prov },
        { ie: 'Image', module: 'synchronization', usage: 'U', prov },
        { ie: 'Frame of Reference', module: 'frame-of-reference', usage: 'M', prov },
      ],
      [
        { kind: 'attribute', depth: 0, tag: '00080008', keyword: 'ImageType', name: 'Image Type', type: '1', enumeratedValues: ['ORIGINAL', 'DERIVED', 'PRIMARY'], prov },
        { kind: 'attribute', depth: 0, tag: '00180060', keyword: 'KVP', name: 'KVP', type: '1C', prov },
        { kind: 'attribute', depth: 0, tag: '00189345', keyword: 'CTDIvol', name: 'CTDIvol', type: '3', prov },
        { kind: 'attribute', depth: 0, tag: '00189346', keyword: 'CTDIPhantomTypeCodeSequence', name: 'CTDI Phantom Type Code Sequence', type: '3', prov },
      ],
    ),
  });
  const r = diffIr(a, b, { only: ['iods'] });
  it('modules added/removed from an IOD, usage changes, attribute type changes, new enumerated values', () => {
    expect(one(r, 'iod-module-added', 'ct-image / frame-of-reference').impact).toBe('major');
    expect(one(r, 'iod-module-added', 'ct-image / synchronization').impact).toBe('minor');
    expect(one(r, 'iod-module-removed', 'ct-image / device').impact).toBe('major');
    const u = one(r, 'iod-module-usage-changed', 'ct-image / contrast-bolus');
    expect([u.before, u.after, u.impact]).toEqual(['C', 'M', 'major']);
    const t = one(r, 'module-attribute-type-changed', 'ct-image 00180060');
    expect([t.before, t.after, t.impact]).toEqual(['2', '1C', 'major']);
    const ev = one(r, 'enumerated-values-added', 'ct-image 00080008');
    expect([ev.after, ev.impact]).toEqual([['PRIMARY'], 'minor']);
    expect(one(r, 'defined-terms-removed', 'ct-image 00189345').before).toEqual(['A']);
    expect(one(r, 'module-attribute-added', 'ct-image 00189346').impact).toBe('minor');
  });
  it('a module whose id changed but not its name is one rename; ambiguous names stay removed + added', () => {
    const mod = (id: string, name: string) => ({ id, name, kind: 'module' as const, prov });
    const base = { iods: [], sopClasses: [] };
    const d = diffIr(ir({ iods: { ...base, modules: [mod('pa-mf-fg', 'Multi-frame Functional Groups'), mod('x1', 'Twin'), mod('x2', 'Twin')] } }), ir({ iods: { ...base, modules: [mod('pa-image-mf-fg', 'Multi-frame Functional Groups'), mod('y1', 'Twin')] } }));
    expect(d.changes.map((c) => `${c.kind} ${c.key}`)).toEqual(['module-renamed module:pa-mf-fg → module:pa-image-mf-fg', 'module-removed module:x1', 'module-removed module:x2', 'module-added module:y1']);
    expect(d.notCompared.map((n) => n.what)).toEqual([]);
  });

  it('PS3.4 without PS3.3: SOP class links compared by section, IODs not compared', () => {
    const sop = (uid: string, iod: string, iodSection?: string) => ({ uid, sopClass: uid, iod, ...(iodSection ? { iodSection } : {}), prov });
    const d = diffIr(
      ir({ iods: { iods: [], modules: [], sopClasses: [sop('1.2.3', '', 'A.3'), sop('1.2.4', '', 'A.4'), sop('1.2.5', '', 'A.5')] } }),
      ir({ iods: { ...a.iods!, sopClasses: [sop('1.2.3', 'ct-image', 'A.3'), sop('1.2.4', 'mr-image'), sop('1.2.5', '', 'A.6')] } }),
    );
    expect(d.changes.map((c) => `${c.kind} ${c.key} ${String(c.before)}→${String(c.after)}`)).toEqual(['sop-class-iod-changed 1.2.5 A.5→A.6']);
    expect(d.notCompared.map((n) => n.what)).toEqual(['IODs', 'modules and macros', 'SOP class → IOD links']);
  });

  it('IOD sections on one side only are not compared', () => {
    const d = diffIr(a, ir({}));
    expect(d.changes).toEqual([]);
    expect(d.notCompared).toEqual([expect.objectContaining({ category: 'iods' })]);
  });
});

describe('context groups, private dictionaries, de-identification', () => {
  const prov = { source: 's16', table: 'CID 244', row: 1 };
  const cg = (version: string, codes: [string, string, string][]): ContextGroupSection => ({
    groups: [
      {
        cid: 244,
        keyword: 'Laterality',
        name: 'Laterality',
        version,
        extensible: false,
        retired: false,
        includes: [],
        codes: codes.map(([d, v, m]) => ({ codingSchemeDesignator: d, codeValue: v, codeMeaning: m, identifier: codeMeaningIdentifier(m), prov })),
        prov,
      },
    ],
    codingSchemes: [],
    dcmCodes: [],
  });
  it('codes added/removed, meaning and version changes', () => {
    const r = diffIr(
      ir({ contextGroups: cg('20160314', [['SCT', '24028007', 'Right'], ['SCT', '7771000', 'Left'], ['SCT', '51440002', 'Right and left']]) }),
      ir({ contextGroups: cg('20240101', [['SCT', '24028007', 'Right'], ['SCT', '7771000', 'left'], ['SCT', '66459002', 'Unilateral'], ['SCT', '51440002', 'Bilateral']]) }),
      { only: ['context-groups'] },
    );
    expect(one(r, 'group-version-changed', 'CID 244').after).toBe('20240101');
    expect(one(r, 'code-added', 'CID 244 SCT:66459002').impact).toBe('minor');
    const m = one(r, 'code-meaning-changed', 'CID 244 SCT:51440002');
    expect([m.before, m.after]).toEqual(['Right and left', 'Bilateral']);
    expect(one(r, 'code-identifier-changed', 'CID 244 SCT:51440002').impact).toBe('major');
    // 'Left' → 'left' is case only: neither a meaning change nor a new identifier
    expect(r.changes.some((c) => c.key === 'CID 244 SCT:7771000')).toBe(false);
  });

  it('private dictionaries: creators only one side knows are one change; shared creators per element', () => {
    const p = (creator: string, group: string, offset: string, vrs: string[], name = 'X') => ({
      creator, group, offset, keyword: name.replace(/\W/g, ''), name, vr: vrs, vm: '1', retired: false, prov: { source: 'dic', table: 'private.dic', line: 1 },
    });
    const r = diffIr(
      ir({ privateDictionaries: { elements: [p('ELSCINT1', '01F7', '10', ['OB']), p('ELSCINT1', '01F7', 'CB', ['US'], 'A'), p('GEMS_0001', '0009', '10', ['LO'])] } }),
      ir({ privateDictionaries: { elements: [p('ELSCINT1 ', '01F7', '10', ['OB']), p('ELSCINT1', '01F7', 'CB', ['SS'], 'A'), p('SIEMENS CSA HEADER', '0029', '08', ['CS'])] } }),
      { only: ['private'] },
    );
    expect(one(r, 'creator-added', 'SIEMENS CSA HEADER').after).toBe(1);
    expect(one(r, 'creator-removed', 'GEMS_0001').impact).toBe('major');
    expect(one(r, 'vr-changed', 'ELSCINT1|01F7|xxCB').after).toBe('SS');
    expect(r.changes).toHaveLength(3);
    expect(renderMarkdown(r)).toContain('| `ELSCINT1\\|01F7\\|xxCB` | A | US | SS |');
  });

  it('de-identification: per attribute and option column; new option columns once', () => {
    const row = (tag: string, name: string, actions: Record<string, string>): DeidentificationRow => ({ tag, name, retired: false, inStdCompIod: true, actions, prov: { source: 's15', table: 'Table E.1-1', row: 1 } });
    const a = ir({
      deidentification: [row('00100020', 'Patient ID', { basicProfile: 'Z' }), row('00080050', 'Accession Number', { basicProfile: 'Z' }), row('00181000', 'Device Serial Number', { basicProfile: 'X/Z/D', retainDeviceIdentity: 'K' })],
      deidentificationOptions: [{ id: 'basicProfile', header: 'Basic Prof.' }, { id: 'retainDeviceIdentity', header: 'Rtn. Dev. Id. Opt.' }],
    });
    const b = ir({
      deidentification: [
        row('00100020', 'Patient ID', { basicProfile: 'Z/D' }),
        row('00080050', 'Accession Number', { basicProfile: 'Z' }),
        row('00181000', 'Device Serial Number', { basicProfile: 'X / Z / D', retainDeviceIdentity: 'K', cleanDescriptors: 'C' }),
        row('00120022', 'Issuer of Clinical Trial Protocol ID', { basicProfile: 'X' }),
      ],
      deidentificationOptions: [{ id: 'basicProfile', header: 'Basic Prof.' }, { id: 'retainDeviceIdentity', header: 'Rtn. Dev. Id. Opt.' }, { id: 'cleanDescriptors', header: 'Clean Desc. Opt.' }],
    });
    const r = diffIr(a, b, { only: ['deidentification'] });
    const c = one(r, 'action-changed', '00100020');
    expect([c.field, c.before, c.after, c.impact]).toEqual(['basicProfile', 'Z', 'Z/D', 'minor']);
    expect(one(r, 'added', '00120022').impact).toBe('minor');
    expect(one(r, 'option-added', 'cleanDescriptors').impact).toBe('minor');
    expect(of(r, 'action-changed')).toHaveLength(1); // `X / Z / D` is `X/Z/D`; the new column is not a per-row change
    expect(r.formattingOnly['deidentification.action']).toBe(1);
  });
});

describe('renderers', () => {
  const many = Array.from({ length: 30 }, (_, i) => el(`0099${(0x1000 + i).toString(16).toUpperCase()}`, `New${i}`, `New ${i}`, ['LO'], '1'));
  const a = ir({ dataElements: [el('00100010', 'PatientName', "Patient's Name", ['PN'], '1'), el('00280000', 'Gone', 'Gone | piped <b>', ['US'], '1')] });
  const b = ir({ dataElements: [el('00100010', 'PatientName', "Patient's Name", ['PN'], '1'), ...many.reverse()] });
  const r = diffIr(a, b, { oldLabel: 'old.ir.json', newLabel: 'new.ir.json', oldKind: 'snapshot', newKind: 'snapshot' });
  const md = renderMarkdown(r);
  it('Markdown: semver first, sources, counts, breaking changes, long sections collapsed, sorted by tag', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('# DICOM release diff');
    expect(lines[2]).toBe('**Semver impact: MAJOR** — 1 breaking · 30 additions · 0 metadata-only');
    expect(md).toMatch(/\n- PS3\.6 2013 \(docbook\) `part06\.xml` sha256 `2aaaaaaaaaaa`\n/);
    expect(md).toMatch(/\| Data elements \| Added \| 30 \| minor \|/);
    expect(md).toMatch(/## Breaking changes \(1\)/);
    expect(md).toMatch(/<details><summary>Added \(30\)<\/summary>/);
    expect(md).toMatch(/### Removed \(1\)/);
    expect(md).toContain('Gone \\| piped &lt;b&gt;');
    const added = lines.filter((l) => l.startsWith('| `(0099,'));
    expect(added).toHaveLength(30);
    expect(added[0]).toMatch(/^\| `\(0099,1000\)` \| New0 \| New 0 \| LO \| 1 \|/);
    expect([...added].sort()).toEqual(added);
  });
  it('JSON: every change with provenance, both sides with sources, deterministic', () => {
    const j = JSON.parse(renderJson(r)) as DiffResult;
    expect(j.diffFormat).toBe(1);
    expect(j.changes).toHaveLength(31);
    expect(j.old.sources.map((s) => s.id)).toEqual(['s5', 's6']);
    expect(j.old.sources[0]).toEqual(expect.objectContaining({ part: 'PS3.5', edition: '2013', sha256: expect.any(String) }));
    expect(j.changes.find((c) => c.kind === 'removed')!.oldProv).toEqual({ source: 's6', table: 'Table 6-1', row: 1 });
    expect(renderJson(diffIr(a, b, { oldLabel: 'old.ir.json', newLabel: 'new.ir.json', oldKind: 'snapshot', newKind: 'snapshot' }))).toBe(renderJson(r));
  });
  it('--only restricts the categories', () => {
    const d = diffIr(a, b, { only: ['uids'] });
    expect(d.categories).toEqual(['uids']);
    expect(d.changes).toEqual([]);
  });
});
