/** Module groups (generator/iods/module-groups.ts): sets of modules several IODs include alike, named once. */
import { describe, expect, it } from 'vitest';
import { groupModules, splitIntersection } from '../generator/iods/module-groups.ts';
import type { InterfaceModel } from '../generator/iods/compose.ts';

function iod(name: string, refs: string[]): InterfaceModel {
  return { name, typeParams: '', extends: refs.join(' & '), doc: [], props: [], intersection: true };
}

const COMMON = ['PatientModule', 'PartialClinicalTrialSubjectModule', 'GeneralStudyModule', 'PartialPatientStudyModule', 'PartialClinicalTrialStudyModule'];
const names = new Set([...COMMON, 'GeneralSeriesModule', 'CTImageModule', 'MRImageModule', 'RTDoseModule', 'ImagePixelModule', 'MultiFrameFunctionalGroupsModule']);

describe('module groups', () => {
  it('splits an intersection at its top-level `&` only', () => {
    expect(splitIntersection('A & B<C, D & E> & Partial<Without<F, "x" | "y">> & { a: 1 & 2 }')).toEqual(['A', 'B<C, D & E>', 'Partial<Without<F, "x" | "y">>', '{ a: 1 & 2 }']);
  });

  it('names the modules every IOD shares once, and leaves the rest and IOD-local references in place', () => {
    const models = [
      iod('CTImage', [...COMMON, 'GeneralSeriesModule', 'CTImageModule', 'ImagePixelModule']),
      iod('MRImage', [...COMMON, 'GeneralSeriesModule', 'MRImageModule', 'ImagePixelModule']),
      iod('RTDose', [...COMMON, 'RTDoseModule', 'MultiFrameFunctionalGroupsModule<RTDoseShared, RTDosePerFrame>']),
      iod('MRSpectroscopy', [...COMMON, 'GeneralSeriesModule', 'MRImageModule']),
      { name: 'Item', typeParams: '', extends: '', doc: [], props: [], union: ['A', 'B'] },
    ];
    const { models: out, groups } = groupModules(models, names);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.name).toBe('SharedModules');
    expect(splitIntersection(groups[0]!.extends).sort()).toEqual([...COMMON].sort());
    expect(out[0]!.extends).toBe('SharedModules & GeneralSeriesModule & CTImageModule & ImagePixelModule');
    expect(out[2]!.extends).toBe('SharedModules & RTDoseModule & MultiFrameFunctionalGroupsModule<RTDoseShared, RTDosePerFrame>');
    // Not an intersection: untouched.
    expect(out[4]).toBe(models[4]);
    // Every IOD keeps exactly its references, through the group.
    const expand = (m: InterfaceModel) => splitIntersection(m.extends).flatMap((r) => (r === 'SharedModules' ? splitIntersection(groups[0]!.extends) : [r])).sort();
    models.slice(0, 4).forEach((m, i) => expect(expand(out[i]!)).toEqual(splitIntersection(m.extends).sort()));
  });

  it('declares no group that saves too little, and is deterministic', () => {
    const small = [iod('A', ['PatientModule', 'GeneralStudyModule', 'CTImageModule']), iod('B', ['PatientModule', 'GeneralStudyModule', 'MRImageModule'])];
    expect(groupModules(small, names).groups).toEqual([]);
    const many = Array.from({ length: 6 }, (_, i) => iod(`I${i}`, [...COMMON, i % 2 ? 'CTImageModule' : 'MRImageModule', 'GeneralSeriesModule']));
    expect(groupModules(many, names)).toEqual(groupModules(many, names));
  });
});
