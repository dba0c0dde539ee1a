/**
 * A small hand-written IR for the site tests: one IOD with a module whose tree nests a sequence,
 * SOP class and transfer syntax UIDs, CID 244 including another group, a private creator, and
 * hostile names (markup, script, quotes) in every family that reaches a page.
 */
import { emptyIr, type Ir, type SourceRecord } from '../../generator/ir.ts';

export const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

const src = (id: string, part: string, edition: string): SourceRecord => ({ id, part, edition, format: 'docbook', file: `${id}.xml`, sha256: 'a'.repeat(64), bytes: 1 });

export function siteFixtureIr(): Ir {
  const ir = emptyIr();
  ir.sources = [src('nema-2013-part06', 'PS3.6', '2013'), src('nema-2016c-part03', 'PS3.3', '2016c'), src('nema-2025b-part16', 'PS3.16', '2025b'), { ...src('private-test', 'private dictionary', 'unversioned'), format: 'private-json' }];
  const p6 = (row: number) => ({ source: 'nema-2013-part06', table: 'Table 6-1', row });
  ir.dataElements = [
    { tag: '00080016', keyword: 'SOPClassUID', name: 'SOP Class UID', vr: ['UI'], vm: '1', retired: false, table: 'data', prov: p6(1) },
    { tag: '00081150', keyword: 'ReferencedSOPClassUID', name: 'Referenced SOP Class UID', vr: ['UI'], vm: '1', retired: false, table: 'data', prov: p6(2) },
    { tag: '00081155', keyword: 'ReferencedSOPInstanceUID', name: 'Referenced SOP Instance UID', vr: ['UI'], vm: '1', retired: false, table: 'data', prov: p6(3) },
    { tag: '00081120', keyword: 'ReferencedPatientSequence', name: 'Referenced Patient Sequence', vr: ['SQ'], vm: '1', retired: false, table: 'data', prov: p6(4) },
    { tag: '00100010', keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, table: 'data', prov: p6(5) },
    { tag: '00100040', keyword: 'PatientSex', name: `Patient's Sex ${HOSTILE}`, vr: ['CS'], vm: '1', retired: false, table: 'data', prov: p6(6) },
    { tag: '60xx3000', keyword: 'OverlayData', name: 'Overlay Data', vr: ['OB', 'OW'], vm: '1', retired: false, table: 'data', prov: p6(7) },
  ];
  ir.uids = [
    { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', keyword: 'ImplicitVRLittleEndian', type: 'Transfer Syntax', typeText: 'Transfer Syntax', retired: false, prov: { source: 'nema-2013-part06', table: 'Table A-1', row: 1 } },
    { uid: '1.2.840.10008.5.1.4.1.1.2', name: 'CT Image Storage', keyword: 'CTImageStorage', type: 'SOP Class', typeText: 'SOP Class', retired: false, prov: { source: 'nema-2013-part06', table: 'Table A-1', row: 2 } },
    { uid: '1.2.840.10008.5.1.4.1.1.2.1', name: 'Enhanced CT Image Storage', keyword: 'EnhancedCTImageStorage', type: 'SOP Class', typeText: 'SOP Class', retired: false, prov: { source: 'nema-2013-part06', table: 'Table A-1', row: 3 } },
    { uid: '1.2.840.10008.6.1.308', name: `Laterality ${HOSTILE}`, keyword: 'Laterality', type: 'Context Group Name', typeText: 'Context Group Name', retired: false, cid: 244, prov: { source: 'nema-2013-part06', table: 'Table A-3', row: 1 } },
  ];
  const p3 = (row: number) => ({ source: 'nema-2016c-part03', table: 'Table C.7-1', row });
  ir.iods = {
    iods: [
      {
        id: 'ct-image',
        name: 'CT Image',
        typeName: 'CTImage',
        table: 'A.3-1',
        section: 'A.3',
        modules: [
          { ie: 'Patient', module: 'patient', usage: 'M', prov: { source: 'nema-2016c-part03', table: 'Table A.3-1', row: 1 } },
          { ie: 'Image', module: 'sop-common', usage: 'M', prov: { source: 'nema-2016c-part03', table: 'Table A.3-1', row: 2 } },
        ],
        functionalGroups: [],
        incomplete: false,
        prov: { source: 'nema-2016c-part03', table: 'Table A.3-1' },
      },
    ],
    modules: [
      {
        id: 'patient',
        name: 'Patient',
        kind: 'module',
        table: 'C.7-1',
        section: 'C.7.1.1',
        rows: [
          { kind: 'attribute', depth: 0, tag: '00100010', keyword: '', name: "Patient's Name", type: '2', prov: p3(1) },
          { kind: 'attribute', depth: 0, tag: '00100040', keyword: '', name: `Patient's Sex ${HOSTILE}`, type: '2', enumeratedValues: ['M', 'F', `O${HOSTILE}`], prov: p3(2) },
          { kind: 'attribute', depth: 0, tag: '00081120', keyword: '', name: 'Referenced Patient Sequence', type: '3', prov: p3(3) },
          { kind: 'attribute', depth: 1, tag: '00081150', keyword: '', name: 'Referenced SOP Class UID', type: '1', prov: p3(4) },
          { kind: 'attribute', depth: 1, tag: '00081155', keyword: '', name: 'Referenced SOP Instance UID', type: '1', prov: p3(5) },
        ],
        prov: p3(0),
      },
      {
        id: 'sop-common',
        name: 'SOP Common',
        kind: 'module',
        table: 'C.12-1',
        rows: [{ kind: 'attribute', depth: 0, tag: '00080016', keyword: '', name: 'SOP Class UID', type: '1', prov: { source: 'nema-2016c-part03', table: 'Table C.12-1', row: 1 } }],
        prov: { source: 'nema-2016c-part03', table: 'Table C.12-1' },
      },
    ],
    sopClasses: [{ uid: '1.2.840.10008.5.1.4.1.1.2', sopClass: 'CT Image Storage', iod: 'ct-image', iodSection: 'A.3', prov: { source: 'nema-2016c-part03', table: 'Table B.5-1', row: 1 } }],
  };
  const p16 = (cid: number) => ({ source: 'nema-2025b-part16', table: `CID ${cid}` });
  ir.contextGroups = {
    groups: [
      {
        cid: 244,
        keyword: 'Laterality',
        name: 'Laterality',
        extensible: false,
        retired: false,
        uid: '1.2.840.10008.6.1.308',
        includes: [245],
        codes: [
          { codingSchemeDesignator: 'SCT', codeValue: '24028007', codeMeaning: 'Right', identifier: 'Right', prov: p16(244) },
          { codingSchemeDesignator: 'SCT', codeValue: '7771000', codeMeaning: `Left ${HOSTILE}`, identifier: 'Left', prov: p16(244) },
          { codingSchemeDesignator: 'SCT', codeValue: '51440002', codeMeaning: 'Bilateral', identifier: 'Bilateral', includedFrom: 245, includePath: [245], prov: p16(245) },
        ],
        prov: p16(244),
      },
      { cid: 245, keyword: 'LateralityExtra', name: 'Laterality extra', extensible: true, retired: false, includes: [], codes: [{ codingSchemeDesignator: 'SCT', codeValue: '51440002', codeMeaning: 'Bilateral', identifier: 'Bilateral', prov: p16(245) }], prov: p16(245) },
    ],
    codingSchemes: [],
    dcmCodes: [],
  };
  ir.privateDictionaries = {
    elements: [
      { creator: 'ACME 1.0', group: '0019', offset: '10', keyword: 'AcmeThing', name: 'Acme Thing', vr: ['LO'], vm: '1', retired: false, prov: { source: 'private-test', table: 'private', row: 1 } },
      { creator: HOSTILE, group: '0029', offset: '20', keyword: 'Bad', name: HOSTILE, vr: ['LO'], vm: '1', retired: false, prov: { source: 'private-test', table: 'private', row: 2 } },
    ],
  };
  ir.deidentificationOptions = [{ id: 'basicProfile', header: 'Basic Prof.' }];
  ir.deidentification = [{ tag: '00100010', name: "Patient's Name", retired: false, inStdCompIod: true, actions: { basicProfile: 'Z' }, prov: { source: 'nema-2013-part06', table: 'Table E.1-1', row: 1 } }];
  return ir;
}
