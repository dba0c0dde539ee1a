/**
 * The engine on the condition nodes added for issue 15's "90 % of conditions" point, with
 * hand-written rules: `depends-on` (a fact outside the dataset: never evaluated, reported with the
 * fact), `contains-code`, `module-absent`, and conditions naming an attribute of the same item
 * (evaluated in that item, not in an enclosing one). No ../shared needed.
 */
import { describe, expect, it } from 'vitest';
import { validateWith, type AttrRule, type DefRules, type IodRules } from '../generator/runtime/validate-engine.ts';

const codeItem: AttrRule[] = [
  { t: '00080100', k: 'CodeValue', r: '1C', v: 'SH', m: '1', c: { test: { op: 'absent', tag: '00080119', keyword: 'LongCodeValue' } } },
  { t: '00080102', k: 'CodingSchemeDesignator', r: '1C', v: 'SH', m: '1', c: { test: { op: 'present', tag: '00080100', keyword: 'CodeValue' } } },
  // Coding Scheme Version: required if the designator is present and alone does not identify the code (PS3.3 §8.2).
  {
    t: '00080103',
    k: 'CodingSchemeVersion',
    r: '1C',
    v: 'SH',
    m: '1',
    c: { test: { op: 'and', of: [{ op: 'present', tag: '00080102', keyword: 'CodingSchemeDesignator' }, { op: 'depends-on', fact: 'coding-scheme-designator-ambiguous' }] }, otherwise: 'may-be-present' },
  },
  { t: '00080104', k: 'CodeMeaning', r: '1', v: 'LO', m: '1' },
];

const general: DefRules = {
  id: 'general',
  table: 'T-1',
  edition: 'test',
  rows: [
    { t: '00080016', k: 'SOPClassUID', r: '1', v: 'UI', m: '1' },
    { t: '0062000B', k: 'ReferencedSegmentNumber', r: '3', v: 'US', m: '1-n' },
    { t: '00220015', k: 'AcquisitionDeviceTypeCodeSequence', r: '3', v: 'SQ', m: '1', i: codeItem },
    // 1C: required if the device type sequence holds the code (99T, 99TEST); shall not be present otherwise.
    {
      t: '00221040',
      k: 'OphthalmicAxialMeasurementsDeviceType',
      r: '1C',
      v: 'CS',
      m: '1',
      c: { test: { op: 'contains-code', tag: '00220015', keyword: 'AcquisitionDeviceTypeCodeSequence', codes: [{ value: '99T', scheme: '99TEST' }, { value: 'L1', scheme: 'LOCAL' }] }, otherwise: 'shall-not-be-present' },
    },
    // 2C: required if the overlay module is absent.
    { t: '00280301', k: 'BurnedInAnnotation', r: '2C', v: 'CS', m: '1', c: { test: { op: 'module-absent', module: 'overlay' } } },
    {
      t: '00081199',
      k: 'ReferencedSOPSequence',
      r: '3',
      v: 'SQ',
      m: '1-n',
      i: [
        { t: '00081155', k: 'ReferencedSOPInstanceUID', r: '1', v: 'UI', m: '1' },
        // Frame number: the referenced instance is multi-frame and not all frames are meant (outside facts), and no segment number in this item.
        {
          t: '00081160',
          k: 'ReferencedFrameNumber',
          r: '1C',
          v: 'IS',
          m: '1-n',
          c: { test: { op: 'and', of: [{ op: 'depends-on', fact: 'referenced-instance-is-multi-frame' }, { op: 'absent', tag: '0062000B', keyword: 'ReferencedSegmentNumber' }] } },
        },
        { t: '0062000B', k: 'ReferencedSegmentNumber', r: '3', v: 'US', m: '1-n' },
      ],
    },
  ],
};
const overlay: DefRules = { id: 'overlay', table: 'T-2', edition: 'test', rows: [{ t: '60003000', k: 'OverlayData', r: '1', v: 'OW', m: '1' }] };
const rules: IodRules = {
  id: 'test-conditions',
  name: 'Test',
  table: 'A-1',
  edition: 'test',
  sopClasses: ['1.2.3'],
  modules: [
    { def: () => general, usage: 'M' },
    { def: () => overlay, usage: 'U' },
  ],
  functionalGroups: [],
  unchecked: [],
  uncheckedGroups: [],
};
const code = (value: string, scheme?: string) => ({ '00080100': { vr: 'SH', Value: [value] }, ...(scheme ? { '00080102': { vr: 'SH', Value: [scheme] } } : {}), '00080104': { vr: 'LO', Value: ['m'] } });
const json = (extra: Record<string, unknown> = {}) => ({ '00080016': { vr: 'UI', Value: ['1.2.3'] }, '00280301': { vr: 'CS', Value: ['NO'] }, ...extra });
const all = (ds: unknown) => validateWith(rules, ds).findings;
const found = (ds: unknown) => all(ds).map((f) => `${f.severity} ${f.rule} ${f.path}`);

describe('condition nodes in the engine', () => {
  it('depends-on: never evaluated; an absent attribute is noted with the fact, whatever the otherwise clause', () => {
    const ds = json({ '00220015': { vr: 'SQ', Value: [code('A1', '99X')] } });
    const f = all(ds).filter((x) => x.keyword === 'CodingSchemeVersion');
    expect(f.map((x) => `${x.severity} ${x.rule} ${x.path}`)).toEqual(['info condition-not-evaluated AcquisitionDeviceTypeCodeSequence[0].CodingSchemeVersion']);
    expect(f[0]!.message).toMatch(/condition not evaluated: depends on coding-scheme-designator-ambiguous/);
    // The evaluable half decides when it is false: no designator, so no note for the version.
    const noScheme = json({ '00220015': { vr: 'SQ', Value: [code('A1')] } });
    expect(found(noScheme)).toEqual(['error missing AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator']);
  });

  it('contains-code: holds when an item has one of the codes (value and scheme), else does not', () => {
    const device = (...items: object[]) => ({ '00220015': { vr: 'SQ', Value: items } });
    const withScheme = (v: string, s: string) => ({ ...code(v, s), '00080103': { vr: 'SH', Value: ['1'] } });
    expect(found(json(device(withScheme('X', '99X'), withScheme('L1', 'LOCAL'))))).toEqual(['error missing OphthalmicAxialMeasurementsDeviceType']);
    expect(found(json({ ...device(withScheme('99T', '99TEST')), '00221040': { vr: 'CS', Value: ['ULTRASOUND'] } }))).toEqual([]);
    // Same value, other scheme: not the code.
    expect(found(json({ ...device(withScheme('99T', '99OTHER')), '00221040': { vr: 'CS', Value: ['ULTRASOUND'] } }))).toEqual(['error not-allowed OphthalmicAxialMeasurementsDeviceType']);
    expect(found(json())).toEqual([]);
  });

  it('module-absent: holds when no attribute of the module is present', () => {
    const { '00280301': _b, ...noFlag } = json();
    expect(found(noFlag)).toEqual(['error missing BurnedInAnnotation']);
    expect(found({ ...noFlag, '60003000': { vr: 'OW', InlineBinary: 'AAAA' } })).toEqual([]);
  });

  it('an attribute of the same item is looked up in that item, not in an enclosing one', () => {
    const ref = (extra: object = {}) => ({ '00081199': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: ['1.2.3.4'] }, ...extra }] } });
    // Referenced Segment Number at the top level must not make the item's "no segment number" false.
    const ds = json({ ...ref(), '0062000B': { vr: 'US', Value: [1] } });
    const f = all(ds).filter((x) => x.keyword === 'ReferencedFrameNumber');
    expect(f.map((x) => `${x.rule} ${x.path}`)).toEqual(['condition-not-evaluated ReferencedSOPSequence[0].ReferencedFrameNumber']);
    expect(f[0]!.message).toMatch(/depends on referenced-instance-is-multi-frame/);
    // With a segment number in the item the condition is false: nothing to note.
    expect(all(json(ref({ '0062000B': { vr: 'US', Value: [1] } }))).filter((x) => x.keyword === 'ReferencedFrameNumber')).toEqual([]);
  });
});
