/**
 * DICOMDIR readiness (opt-in `dicomdir`, PS3.3 F.5) in the engine, on hand-written rules built by
 * generator/iods/dicomdir-keys.ts. The real files against dciodvfy are in
 * test/validate-datasets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { validateWith, type IodRules } from '../generator/runtime/validate-engine.ts';
import { directoryRecords } from '../generator/iods/dicomdir-keys.ts';

const uid = (n: number) => `1.2.826.0.1.3680043.10.99.${n}`;

describe('DICOMDIR readiness (opt-in, PS3.3 F.5): Type 1 keys of the directory records', () => {
  const iod = (modules: { id: string; usage: 'M' | 'U' | 'C' }[]): IodRules => ({ id: 'test-image', name: 'Test', table: 'A-1', edition: 'test', sopClasses: [], modules: [], functionalGroups: [], unchecked: [], uncheckedGroups: [], ...(directoryRecords('test-image', modules) ? { dicomdir: directoryRecords('test-image', modules)! } : {}) });
  const image = iod([{ id: 'patient', usage: 'M' }, { id: 'image-pixel', usage: 'M' }]);
  const ok: Record<string, { vr: string; Value?: unknown[] }> = {
    '00100020': { vr: 'LO', Value: ['P1'] },
    '00080020': { vr: 'DA', Value: ['20261207'] },
    '00080030': { vr: 'TM', Value: ['101500'] },
    '00200010': { vr: 'SH', Value: ['S1'] },
    '00080060': { vr: 'CS', Value: ['CT'] },
    '0020000E': { vr: 'UI', Value: [uid(2)] },
    '00200011': { vr: 'IS', Value: [1] },
    '00200013': { vr: 'IS', Value: [1] },
  };
  const dicomdir = (rules: IodRules, ds: unknown) => validateWith(rules, ds, { dicomdir: true }).findings.filter((f) => f.rule === 'dicomdir').map((f) => `${f.severity} ${f.path || f.message} ${f.table}`);

  it('a dataset with every Type 1 key gives nothing; missing, empty or only-space keys are warnings naming record and table', () => {
    expect(dicomdir(image, ok)).toEqual([]);
    const { '00100020': _id, ...noPatientId } = ok;
    expect(dicomdir(image, { ...noPatientId, '00080020': { vr: 'DA' }, '00200013': { vr: 'IS', Value: [] }, '00200010': { vr: 'SH', Value: ['  '] } })).toEqual([
      'warning PatientID F.5-1',
      'warning StudyDate F.5-2',
      'warning StudyID F.5-2',
      'warning InstanceNumber F.5-4',
    ]);
    const f = validateWith(image, noPatientId, { dicomdir: true }).findings.find((x) => x.rule === 'dicomdir')!;
    expect(f).toMatchObject({ tag: '(0010,0020)', keyword: 'PatientID' });
    expect(f.message).toBe('missing: a Type 1 key of the PATIENT directory record; a DICOMDIR could not be built for this instance');
  });

  it('off by default; the record of the instance follows the IOD\'s modules; not checked (info) where no record type is known', () => {
    expect(validateWith(image, {}).findings.filter((f) => f.rule === 'dicomdir')).toEqual([]);
    const sr = iod([{ id: 'patient', usage: 'M' }, { id: 'sr-document-general', usage: 'M' }]);
    const { '00200013': _n, ...noNumber } = ok;
    expect(dicomdir(sr, { ...noNumber, '0040A491': { vr: 'CS', Value: ['COMPLETE'] }, '0040A493': { vr: 'CS', Value: ['UNVERIFIED'] }, '00080023': { vr: 'DA', Value: ['20261207'] }, '00080033': { vr: 'TM', Value: ['1015'] }, '0040A043': { vr: 'SQ', Value: [{}] } })).toEqual(['warning InstanceNumber F.5-11']);
    expect(dicomdir(iod([{ id: 'patient', usage: 'M' }, { id: 'image-pixel', usage: 'C' }]), ok)).toEqual([expect.stringMatching(/^info no directory record type known for test-image instances: only the PATIENT, STUDY and SERIES keys were checked F\.5$/)]);
    expect(dicomdir(iod([{ id: 'color-palette', usage: 'M' }]), ok)).toEqual([expect.stringMatching(/no DICOMDIR records in the rules \(no mandatory Patient module\)/)]);
  });
});
