/**
 * SR evidence (PS3.3 C.17.2.3, Table C.17.6-2) in the engine and in the rule builder, on
 * hand-written rules and datasets: references from content items at any depth (nested
 * CONTAINERs), accompanying presentation states and real world value maps, SOP Class mismatches,
 * both dataset forms, and no finding where the dataset has no content tree. No ../shared needed;
 * the real files and the KOS fixture are in test/validate-datasets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { validateWith, type DefRules, type IodRules } from '../generator/runtime/validate-engine.ts';
import { evidenceRule, EVIDENCE_SEQUENCES, type EvidenceModule } from '../generator/iods/sr-evidence.ts';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const PS = '1.2.840.10008.5.1.4.1.1.11.1';
const RWV = '1.2.840.10008.5.1.4.1.1.67';
const uid = (n: number) => `1.2.826.0.1.3680043.10.99.${n}`;

const srDocument: DefRules = {
  id: 'sr-document-general',
  table: 'C.17-2',
  edition: 'test',
  rows: [
    { t: '0040A040', k: 'ValueType', r: '1', v: 'CS', m: '1' },
    { t: '0040A730', k: 'ContentSequence', r: '1C', v: 'SQ', m: '1', c: { test: { op: 'not-parsed' }, otherwise: 'may-be-present' } },
    { t: '0040A375', k: 'CurrentRequestedProcedureEvidenceSequence', r: '3', v: 'SQ', m: '1' },
    { t: '0040A385', k: 'PertinentOtherEvidenceSequence', r: '3', v: 'SQ', m: '1' },
  ],
};
const evidence = evidenceRule([{ id: 'sr-document-general', table: 'C.17-2', edition: 'test', usage: 'M', topTags: new Set(srDocument.rows.map((r) => ('t' in r ? r.t : ''))) }])!;
const rules: IodRules = { id: 'test-sr', name: 'Test SR', table: 'A-1', edition: 'test', sopClasses: [], modules: [{ def: () => srDocument, usage: 'M' }], functionalGroups: [], unchecked: [], uncheckedGroups: [], evidence };

type J = Record<string, { vr: string; Value?: unknown[] }>;
const ref = (sopClass: string, instance: string, extra: J = {}): J => ({ '00081150': { vr: 'UI', Value: [sopClass] }, '00081155': { vr: 'UI', Value: [instance] }, ...extra });
const item = (valueType: string, extra: J = {}): J => ({ '0040A010': { vr: 'CS', Value: ['CONTAINS'] }, '0040A040': { vr: 'CS', Value: [valueType] }, ...extra });
const image = (r: J) => item('IMAGE', { '00081199': { vr: 'SQ', Value: [r] } });
const container = (...children: J[]) => item('CONTAINER', { '0040A730': { vr: 'SQ', Value: children } });
/** Hierarchical SOP Instance Reference items (Table C.17-3): one study, one series. */
const listing = (...refs: J[]) => ({ vr: 'SQ', Value: [{ '0020000D': { vr: 'UI', Value: [uid(1)] }, '00081115': { vr: 'SQ', Value: [{ '0020000E': { vr: 'UI', Value: [uid(2)] }, '00081199': { vr: 'SQ', Value: refs } }] } }] });
const document = (children: J[], extra: Record<string, unknown> = {}) => ({ '0040A040': { vr: 'CS', Value: ['CONTAINER'] }, '0040A730': { vr: 'SQ', Value: children }, ...extra });
const evidenceFindings = (ds: unknown) => validateWith(rules, ds).findings.filter((f) => f.rule === 'sr-evidence');
const paths = (ds: unknown) => evidenceFindings(ds).map((f) => f.path);

describe('SR evidence: content tree references listed in the evidence sequences', () => {
  const tree = [image(ref(CT, uid(10))), container(item('TEXT', { '0040A730': { vr: 'SQ', Value: [container(image(ref(CT, uid(11))))] } }))];
  const deep = 'ContentSequence[1].ContentSequence[0].ContentSequence[0].ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID';

  it('reports each unlisted reference at any depth, naming instance, content item path and Value Type', () => {
    const found = evidenceFindings(document(tree));
    expect(found.map((f) => f.path)).toEqual(['ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID', deep]);
    expect(found[1]).toMatchObject({ severity: 'error', tag: '(0008,1155)', keyword: 'ReferencedSOPInstanceUID', module: 'sr-document-general', table: 'C.17-2' });
    expect(found[1]!.message).toBe(`SOP Instance ${uid(11)} referenced from IMAGE content item ContentSequence[1].ContentSequence[0].ContentSequence[0].ContentSequence[0] is not listed in CurrentRequestedProcedureEvidenceSequence or PertinentOtherEvidenceSequence`);
  });

  it('listed in either sequence → no finding; removing one listing brings its finding back', () => {
    expect(paths(document(tree, { '0040A375': listing(ref(CT, uid(10))), '0040A385': listing(ref(CT, uid(11))) }))).toEqual([]);
    expect(paths(document(tree, { '0040A375': listing(ref(CT, uid(10))) }))).toEqual([deep]);
  });

  it('a listed instance with another SOP Class is reported at the reference\'s SOP Class UID', () => {
    const found = evidenceFindings(document([image(ref(CT, uid(10)))], { '0040A375': listing(ref(PS, uid(10))) }));
    expect(found.map((f) => `${f.path} ${f.message}`)).toEqual([`ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPClassUID SOP Instance ${uid(10)} referenced from IMAGE content item ContentSequence[0] as SOP Class ${CT} is listed in CurrentRequestedProcedureEvidenceSequence as SOP Class ${PS}`]);
  });

  it('accompanying presentation state and real world value map of an IMAGE item (Table C.18.4-1) count; COMPOSITE and WAVEFORM items too', () => {
    const withPs = ref(CT, uid(10), { '00081199': { vr: 'SQ', Value: [ref(PS, uid(20))] }, '0008114B': { vr: 'SQ', Value: [ref(RWV, uid(21))] } });
    const items = [image(withPs), item('COMPOSITE', { '00081199': { vr: 'SQ', Value: [ref(CT, uid(30))] } }), item('WAVEFORM', { '00081199': { vr: 'SQ', Value: [ref(CT, uid(31))] } })];
    const found = evidenceFindings(document(items, { '0040A375': listing(ref(CT, uid(10))) }));
    expect(found.map((f) => f.path)).toEqual([
      'ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID',
      'ContentSequence[0].ReferencedSOPSequence[0].ReferencedRealWorldValueMappingInstanceSequence[0].ReferencedSOPInstanceUID',
      'ContentSequence[1].ReferencedSOPSequence[0].ReferencedSOPInstanceUID',
      'ContentSequence[2].ReferencedSOPSequence[0].ReferencedSOPInstanceUID',
    ]);
    expect(found[0]!.message).toMatch(/from IMAGE content item ContentSequence\[0\] \(its ReferencedSOPSequence\)/);
    expect(found[2]!.message).toMatch(/from COMPOSITE content item/);
    expect(paths(document(items, { '0040A375': listing(ref(CT, uid(10)), ref(PS, uid(20)), ref(RWV, uid(21)), ref(CT, uid(30)), ref(CT, uid(31))) }))).toEqual([]);
  });

  it('never guessed: no content tree, a Value Type without references, an absent or empty instance UID, or an IOD without the rule', () => {
    expect(paths({ '0040A040': { vr: 'CS', Value: ['CONTAINER'] } })).toEqual([]);
    expect(paths(document([item('TEXT', { '00081199': { vr: 'SQ', Value: [ref(CT, uid(10))] } })]))).toEqual([]);
    expect(paths(document([image({ '00081150': { vr: 'UI', Value: [CT] } }), image({ '00081150': { vr: 'UI', Value: [CT] }, '00081155': { vr: 'UI' } })]))).toEqual([]);
    const { evidence: _e, ...plain } = rules;
    expect(validateWith(plain, document(tree)).findings.filter((f) => f.rule === 'sr-evidence')).toEqual([]);
  });

  it('the naturalized form gives the same findings', () => {
    const natRef = (c: string, i: string) => ({ ReferencedSOPClassUID: c, ReferencedSOPInstanceUID: i });
    const natural = {
      ValueType: 'CONTAINER',
      ContentSequence: [
        { RelationshipType: 'CONTAINS', ValueType: 'IMAGE', ReferencedSOPSequence: [natRef(CT, uid(10))] },
        { RelationshipType: 'CONTAINS', ValueType: 'CONTAINER', ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'IMAGE', ReferencedSOPSequence: [natRef(CT, uid(11))] }] },
      ],
      CurrentRequestedProcedureEvidenceSequence: [{ StudyInstanceUID: uid(1), ReferencedSeriesSequence: [{ SeriesInstanceUID: uid(2), ReferencedSOPSequence: [natRef(CT, uid(10))] }] }],
    };
    expect(paths(natural)).toEqual(['ContentSequence[1].ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID']);
  });
});

describe('SR evidence rule from the module tables (generator/iods/sr-evidence.ts)', () => {
  const mod = (id: string, tags: string[], usage: EvidenceModule['usage'] = 'M'): EvidenceModule => ({ id, table: id === 'kos' ? 'C.17.6-2' : 'C.17-2', edition: 'test', usage, topTags: new Set(tags) });
  const content = mod('sr-document-content', ['0040A040', '0040A730']);
  it('takes the evidence sequences the IOD\'s module lists: both for SR Document General, Current Requested Procedure only for Key Object Document', () => {
    expect(evidenceRule([mod('sr', ['0040A375', '0040A385']), content])?.sequences.map((s) => s.k)).toEqual(EVIDENCE_SEQUENCES.map((s) => s.k));
    const kos = evidenceRule([mod('kos', ['0040A375']), content])!;
    expect(kos).toMatchObject({ module: 'kos', table: 'C.17.6-2', sequences: [{ t: '0040A375', k: 'CurrentRequestedProcedureEvidenceSequence' }] });
    expect(kos.valueTypes).toEqual(['COMPOSITE', 'IMAGE', 'WAVEFORM']);
  });
  it('none without a content tree module or where the sequences are only in a non-mandatory module', () => {
    expect(evidenceRule([mod('sr', ['0040A375', '0040A385'])])).toBeUndefined();
    expect(evidenceRule([mod('sr', ['0040A375'], 'U'), content])).toBeUndefined();
    expect(evidenceRule([mod('patient', ['00100010']), content])).toBeUndefined();
  });
});
