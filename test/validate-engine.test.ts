/**
 * The validation engine on hand-written rules: both dataset forms, VR syntax, VM, conditions
 * (holds / does not hold / not evaluated / shall not be present otherwise), functional groups and
 * attributes outside the IOD. No ../shared needed.
 */
import { describe, expect, it } from 'vitest';
import { checkStringValue, checkUid, datasetForm, isConformant, validateWith, vmAllows, type DefRules, type IodRules } from '../generator/runtime/validate-engine.ts';

const frameGroup: DefRules = {
  id: 'pixel-measures',
  table: 'T-3',
  edition: 'test',
  rows: [{ t: '00289110', k: 'PixelMeasuresSequence', r: '1', v: 'SQ', m: '1', i: [{ t: '00280030', k: 'PixelSpacing', r: '1', v: 'DS', m: '2' }] }],
};
const general: DefRules = {
  id: 'general',
  table: 'T-1',
  edition: 'test',
  rows: [
    { t: '00080016', k: 'SOPClassUID', r: '1', v: 'UI', m: '1' },
    { t: '00080060', k: 'Modality', r: '1', v: 'CS', m: '1', e: ['CT', 'MR'] },
    { t: '00100010', k: 'PatientName', r: '2', v: 'PN', m: '1' },
    { t: '00080020', k: 'StudyDate', r: '2', v: 'DA', m: '1' },
    { t: '00080008', k: 'ImageType', r: '1', v: 'CS', m: '2-n', d: ['ORIGINAL', 'DERIVED', 'PRIMARY', 'SECONDARY'] },
    // 1C: required if Value 1 of Image Type is ORIGINAL; shall not be present otherwise.
    { t: '00180050', k: 'SliceThickness', r: '1C', v: 'DS', m: '1', c: { test: { op: 'equals', tag: '00080008', keyword: 'ImageType', valueNumber: 1, values: ['ORIGINAL'] }, otherwise: 'shall-not-be-present' } },
    { t: '00181030', k: 'ProtocolName', r: '2C', v: 'LO', m: '1', c: { test: { op: 'not-parsed' } } },
    { t: '00280008', k: 'NumberOfFrames', r: '3', v: 'IS', m: '1' },
    { t: '52009229', k: 'SharedFunctionalGroupsSequence', r: '3', v: 'SQ', m: '1', g: 'shared', i: [] },
    { t: '52009230', k: 'PerFrameFunctionalGroupsSequence', r: '3', v: 'SQ', m: '1', g: 'per-frame', i: [] },
  ],
};
const rules: IodRules<{ Modality: string }> = {
  id: 'test-image',
  name: 'Test Image',
  table: 'A-1',
  edition: 'test',
  sopClasses: ['1.2.3'],
  modules: [{ def: () => general, usage: 'M' }],
  functionalGroups: [{ def: () => frameGroup, usage: 'M' }],
  unchecked: [],
  uncheckedGroups: [],
};
const json = (extra: Record<string, unknown> = {}) => ({
  '00080016': { vr: 'UI', Value: ['1.2.3'] },
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00080020': { vr: 'DA', Value: ['20240131'] },
  '00080008': { vr: 'CS', Value: ['DERIVED', 'PRIMARY'] },
  '00181030': { vr: 'LO', Value: ['p'] },
  ...extra,
});
const found = (ds: unknown) => validateWith(rules, ds).findings.map((f) => `${f.severity} ${f.rule} ${f.path}`);

describe('validation engine', () => {
  it('accepts a conformant dataset in both forms, and the guard narrows', () => {
    expect(found(json())).toEqual([]);
    const natural = { SOPClassUID: '1.2.3', Modality: 'CT', PatientName: [{ Alphabetic: 'Doe^Jane' }], StudyDate: '20240131', ImageType: ['DERIVED', 'PRIMARY'], ProtocolName: 'p' };
    expect(datasetForm(natural)).toBe('natural');
    expect(datasetForm(json())).toBe('json');
    expect(found(natural)).toEqual([]);
    const x: unknown = natural;
    if (isConformant(rules, x)) expect(x.Modality).toBe('CT');
    else throw new Error('expected conformant');
  });

  it('Type 1/2 presence and emptiness, enumerated values and defined terms', () => {
    expect(found(json({ '00080060': { vr: 'CS' } }))).toEqual(['error empty Modality']);
    const { '00100010': _pn, ...noName } = json();
    expect(found(noName)).toEqual(['error missing PatientName']);
    expect(found(json({ '00100010': { vr: 'PN' } }))).toEqual([]);
    expect(found(json({ '00080060': { vr: 'CS', Value: ['XR'] } }))).toEqual(['error enumerated-value Modality[0]']);
    expect(found(json({ '00080008': { vr: 'CS', Value: ['DERIVED', 'PRIMARY', 'SECONDARY'] } }))).toEqual([]);
    expect(found(json({ '00080008': { vr: 'CS', Value: ['MIXED', 'PRIMARY'] } }))).toEqual(['warning defined-term ImageType[0]']);
  });

  it('conditions: holds → required, does not hold → shall not be present, not parsed → noted', () => {
    expect(found(json({ '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] } }))).toEqual(['error missing SliceThickness']);
    expect(found(json({ '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] }, '00180050': { vr: 'DS', Value: ['1.5'] } }))).toEqual([]);
    expect(found(json({ '00180050': { vr: 'DS', Value: ['1.5'] } }))).toEqual(['error not-allowed SliceThickness']);
    const { '00181030': _p, ...noProtocol } = json();
    expect(found(noProtocol)).toEqual(['info condition-not-evaluated ProtocolName']);
  });

  it('VR syntax, length and VM', () => {
    expect(found(json({ '00080020': { vr: 'DA', Value: ['2004-01-19'] } }))).toEqual(['error vr-syntax StudyDate[0]']);
    expect(found(json({ '00080008': { vr: 'CS', Value: ['DERIVED'] } }))).toEqual(['error vm ImageType']);
    expect(checkStringValue('DA', '20230229')).toBe('not a calendar date');
    expect(checkStringValue('TM', '12:30:00')).toMatch(/ACR-NEMA/);
    expect(checkStringValue('DT', '20240131123000.5+0100')).toBeUndefined();
    expect(checkStringValue('AS', '045Y')).toBeUndefined();
    expect(checkStringValue('AS', '45Y')).toBeDefined();
    expect(checkStringValue('DS', '1e3')).toBeUndefined();
    expect(checkStringValue('DS', '12345678901234567')).toMatch(/longer than 16/);
    expect(checkStringValue('IS', '2147483648')).toMatch(/outside/);
    expect(checkStringValue('CS', 'lower')).toBeDefined();
    expect(checkStringValue('PN', 'a^b^c^d^e^f')).toMatch(/five/);
    expect(checkStringValue('LO', 'a\\b')).toMatch(/backslash/);
    expect(checkUid('1.2.840.10008.1.2')).toBeUndefined();
    expect(checkUid('1.2.03')).toMatch(/leading zero/);
    expect(checkUid('0')).toMatch(/single/);
    expect(checkUid('3.4')).toMatch(/root/);
    expect(checkUid(`1.${'2'.repeat(70)}`)).toMatch(/64/);
    expect(vmAllows('2-2n', 4)).toBe(true);
    expect(vmAllows('2-2n', 3)).toBe(false);
    expect(vmAllows('1-3', 4)).toBe(false);
  });

  it('functional groups: macros per frame, shared or per-frame, item count against Number of Frames', () => {
    const pm = { '00289110': { vr: 'SQ', Value: [{ '00280030': { vr: 'DS', Value: [1, 1] } }] } };
    const shared = { '52009229': { vr: 'SQ', Value: [pm] } };
    expect(found(json({ '00280008': { vr: 'IS', Value: [2] }, ...shared, '52009230': { vr: 'SQ', Value: [{}, {}] } }))).toEqual([]);
    expect(found(json({ '00280008': { vr: 'IS', Value: [3] }, ...shared, '52009230': { vr: 'SQ', Value: [{}, {}] } }))).toEqual(['error functional-groups PerFrameFunctionalGroupsSequence']);
    expect(found(json({ '00280008': { vr: 'IS', Value: [1] }, '52009229': { vr: 'SQ', Value: [{}] }, '52009230': { vr: 'SQ', Value: [{}] } }))).toEqual([
      'error missing PerFrameFunctionalGroupsSequence[0].PixelMeasuresSequence',
    ]);
    const bad = { '52009229': { vr: 'SQ', Value: [{ '00289110': { vr: 'SQ', Value: [{ '00280030': { vr: 'DS', Value: [1, 1, 1] } }] } }] } };
    expect(found(json({ '00280008': { vr: 'IS', Value: [1] }, ...bad, '52009230': { vr: 'SQ', Value: [{}] } }))).toEqual(['error vm SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing']);
  });

  it('attributes outside the IOD are warnings; private and group-length elements are not reported', () => {
    expect(found(json({ '00181000': { vr: 'LO', Value: ['x'] }, '00091010': { vr: 'LO', Value: ['p'] } }))).toEqual(['warning not-in-iod (0018,1000)']);
  });
});
