/**
 * Release diff on real pairs from ../shared. Every expectation below was found by hand in the
 * files (grep / side-by-side reading of the JSON, DocBook and HTML), not taken from the diff.
 */
import { describe, expect, it } from 'vitest';
import { buildIr } from '../generator/pipeline.ts';
import type { Ir } from '../generator/ir.ts';
import { diffIr, renderMarkdown, type Change, type DiffResult } from '../generator/diff/index.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const cache = new Map<string, Promise<Ir>>();
function irOf(...path: string[]): Promise<Ir> {
  const p = sharedPath(...path);
  let hit = cache.get(p);
  if (!hit) {
    hit = buildIr({ sources: [p] }).then((r) => r.ir);
    cache.set(p, hit);
  }
  return hit;
}

const keys = (r: DiffResult, kind: Change['kind'], category?: Change['category']) =>
  r.changes.filter((c) => c.kind === kind && (!category || c.category === category)).map((c) => c.key).sort();
const find = (r: DiffResult, kind: Change['kind'], key: string, field?: string, category?: Change['category']) => {
  const hits = r.changes.filter((c) => c.kind === kind && c.key === key && (field === undefined || c.field === field) && (!category || c.category === category));
  expect(hits, `${kind} ${key} ${field ?? ''}`).toHaveLength(1);
  return hits[0]!;
};

describeShared('innolitics 2024a → 2024b', () => {
  const diff = async () => diffIr(await irOf('standard/innolitics/2024a'), await irOf('standard/innolitics/2024b'));

  it('data elements: the nine elements new in 2024b, two retirements, nothing else', async () => {
    const r = await diff();
    expect(keys(r, 'added', 'elements')).toEqual([
      '0008001C', // Synthetic Data
      '00120022', // Issuer of Clinical Trial Protocol ID
      '00120023', // Other Clinical Trial Protocol IDs Sequence
      '00120032',
      '00120041',
      '00120043',
      '00120055',
      '00120073', // Issuer of Clinical Trial Series ID
      '0022000F', // Vertex Distance
    ]);
    const synthetic = find(r, 'added', '0008001C', undefined, 'elements');
    expect(synthetic.after).toEqual(expect.objectContaining({ keyword: 'SyntheticData', vr: 'CS', vm: '1', retired: false }));
    expect(synthetic.impact).toBe('minor');
    expect(keys(r, 'retired', 'elements')).toEqual(['00701807', '00701808']); // Weighting Lookup Table Descriptor / Data
    const elementKinds = new Set(r.changes.filter((c) => c.category === 'elements').map((c) => c.kind));
    expect([...elementKinds].sort()).toEqual(['added', 'retired']);
  });

  it('confidentiality profile: Patient ID becomes Z/D, seven clinical-trial issuers added', async () => {
    const r = await diff();
    const pid = find(r, 'action-changed', '00100020', 'basicProfile');
    expect([pid.before, pid.after]).toEqual(['Z', 'Z/D']);
    expect(keys(r, 'added', 'deidentification')).toEqual(['00120022', '00120023', '00120032', '00120041', '00120043', '00120055', '00120073']);
    expect(find(r, 'added', '00120022', undefined, 'deidentification').after).toEqual(expect.objectContaining({ actions: { basicProfile: 'X' } }));
  });

  it('IODs: Secondary Capture gains three modules, Segmentation functional groups become conditional', async () => {
    const r = await diff();
    const sc = r.changes.filter((c) => c.kind === 'iod-module-added').map((c) => `${c.key} ${JSON.stringify(c.after)}`);
    expect(sc).toEqual([
      'secondary-capture-image / frame-of-reference {"ie":"Frame of Reference","usage":"C"}',
      'secondary-capture-image / image-plane {"ie":"Image","usage":"U"}',
      'secondary-capture-image / synchronization {"ie":"Frame of Reference","usage":"U"}',
    ]);
    for (const fg of ['segmentation / frame-content', 'segmentation / segmentation']) {
      const u = find(r, 'iod-functional-group-usage-changed', fg);
      expect([u.before, u.after, u.impact]).toEqual(['M', 'C', 'major']);
    }
    // modules.json: the photoacoustic Multi-frame Functional Groups module got a new id (same name)
    const mod = find(r, 'module-renamed', 'module:photoacoustic-multi-frame-functional-groups → module:photoacoustic-image-multi-frame-functional-groups');
    expect([mod.field, mod.impact]).toEqual(['id', 'major']);
    expect(r.changes.filter((c) => c.kind === 'module-added' || c.kind === 'module-removed')).toEqual([]);
    // sops.json renames its IOD names ("CR Image" → "Computed Radiography Image"); the IOD is the same
    expect(r.changes.filter((c) => c.kind.startsWith('sop-class'))).toEqual([]);
    expect(r.semver).toBe('major');
  });
});

describeShared('PS3.15 Table E.1-1, DocBook 2013 → 2026c', () => {
  const diff = async () => diffIr(await irOf('standard/nema/2013/part15.xml'), await irOf('standard/nema/2026c/part15.xml'));

  it('per attribute and option column', async () => {
    const r = await diff();
    const sig = find(r, 'action-changed', '04000100', 'basicProfile'); // Digital Signature UID
    expect([sig.before, sig.after]).toEqual(['X', 'U']);
    const pid = find(r, 'action-changed', '00100020', 'basicProfile');
    expect([pid.before, pid.after]).toEqual(['Z', 'Z/D']);
    expect(keys(r, 'option-added')).toEqual(['retainInstitutionIdentity']);
    expect(keys(r, 'option-removed')).toEqual([]);
    // rows 2026c no longer has (grep: present in 2013/part15.xml, absent from 2026c/part15.xml)
    expect(keys(r, 'removed', 'deidentification')).toEqual(['0008010D', '00089123', '00203404']);
    expect(keys(r, 'retired', 'deidentification')).toContain('00101000'); // Other Patient IDs
    expect(keys(r, 'added', 'deidentification')).toContain('00100041'); // Gender Identity Sequence
    expect(keys(r, 'added', 'deidentification').length).toBe(410);
  });

  it('column header wording (`Basic Profile` → `Basic Prof.`) is not a change', async () => {
    const r = await diff();
    expect(r.changes.filter((c) => c.kind === 'property-changed')).toEqual([]);
    expect(r.formattingOnly['deidentification.optionHeader']).toBe(10);
  });
});

describeShared('PS3.15 Table E.1-1, NEMA HTML 2017d → 2020b', () => {
  it('action, retirement and no removal', async () => {
    const r = diffIr(await irOf('standard/html/part15-2017d.html'), await irOf('standard/html/part15-2020b.html'));
    const ssn = find(r, 'action-changed', '30080105', 'basicProfile'); // Source Serial Number
    expect([ssn.before, ssn.after]).toEqual(['X', 'X/Z']);
    const acs = find(r, 'action-changed', '00400555', 'basicProfile'); // Acquisition Context Sequence
    expect([acs.before, acs.after]).toEqual(['X', 'X/Z']);
    expect(keys(r, 'retired')).toEqual(['00101000', '00101090', '00380011', '00380061', '300600C2']);
    expect(keys(r, 'removed')).toEqual([]);
    expect(r.semver).toBe('minor');
  });
});

describeShared('PS3.15 Table E.1-1 across formats: innolitics 2024b JSON → NEMA 2026c DocBook', () => {
  it('names and option columns read from different formats match; only the standard\'s changes show', async () => {
    const r = diffIr(await irOf('standard/innolitics/2024b'), await irOf('standard/nema/2026c/part15.xml'), { only: ['deidentification'] });
    expect(keys(r, 'name-changed')).toEqual([]);
    expect(keys(r, 'option-added')).toEqual([]);
    expect(keys(r, 'option-removed')).toEqual([]);
    expect(keys(r, 'removed')).toEqual([]);
    // Ethnic Group: "stdCompIOD":"Y", not retired in 2024b; retired (Y, N) in 2026c
    expect(keys(r, 'retired')).toEqual(['00102160']);
    expect(find(r, 'std-comp-iod-changed', '00102160').after).toBe(false);
    const rs = find(r, 'action-changed', '00321033'); // Requesting Service: no option action in 2024b
    expect([rs.field, rs.before, rs.after]).toEqual(['cleanDescriptors', null, 'C']);
    expect(keys(r, 'action-changed')).toEqual(['00321033']);
  });
});

describeShared('PS3.5 2013 → 2026c', () => {
  it('VRs OL, OV, SV, UC, UR, UV added; new transfer syntaxes; Explicit VR Big Endian retired', async () => {
    const r = diffIr(await irOf('standard/nema/2013/part05.xml'), await irOf('standard/nema/2026c/part05.xml'));
    expect(keys(r, 'added', 'vrs')).toEqual(['OL', 'OV', 'SV', 'UC', 'UR', 'UV']);
    expect(keys(r, 'removed', 'vrs')).toEqual([]);
    const ob = find(r, 'name-changed', 'OB');
    expect([ob.before, ob.after, ob.impact]).toEqual(['Other Byte String', 'Other Byte', 'patch']);
    const added = keys(r, 'added', 'transfer-syntaxes');
    for (const uid of ['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203', '1.2.840.10008.1.2.8.1', '1.2.840.10008.1.2.4.110', '1.2.840.10008.1.2.1.98']) {
      expect(added, uid).toContain(uid);
    }
    expect(find(r, 'added', '1.2.840.10008.1.2.4.201', undefined, 'transfer-syntaxes').after).toEqual(expect.objectContaining({ keyword: 'HTJ2KLossless', encapsulated: true }));
    expect(keys(r, 'retired', 'transfer-syntaxes')).toEqual(['1.2.840.10008.1.2.2']);
    expect(keys(r, 'removed', 'transfer-syntaxes')).toEqual([]);
  });
});

describeShared('NEMA 2013 PS3.6 (DocBook) → innolitics 2024b (JSON)', () => {
  const diff = async () => diffIr(await irOf('standard/nema/2013/part06.xml'), await irOf('standard/innolitics/2024b'));

  it('formatting-only differences do not show up', async () => {
    const r = await diff();
    // Only two real name changes; `Time\u200BRange` vs `Time Range`, `Field Of View` vs `Field of View`,
    // `(0028,04x0)` vs `(0028,04X0)` and the like are formatting.
    expect(keys(r, 'name-changed', 'elements')).toEqual(['00181020', '006862F0']);
    expect(find(r, 'name-changed', '00181020').before).toBe('Software Version(s)');
    expect(r.changes.some((c) => c.key === '00081163')).toBe(false); // Time Range
    expect(r.formattingOnly['elements.name']).toBeGreaterThanOrEqual(3);
    const touched = new Set(r.changes.filter((c) => c.category === 'elements').map((c) => c.key));
    for (const masked of ['002804x0', '60xx3000', '50xx0005', '1000xxx0', '002031xx']) expect(touched.has(masked), masked).toBe(false);
    // DICOS/DICONDE markers exist only in PS3.6's notes column: reported as not compared
    expect(r.changes.some((c) => c.field === 'usage')).toBe(false);
    expect(r.notCompared.map((n) => n.what)).toContain('DICOS/DICONDE usage markers');
  });

  it('real changes between the editions do', async () => {
    const r = await diff();
    expect(keys(r, 'removed', 'elements')).toEqual([]);
    expect(keys(r, 'added', 'elements')).toContain('0008001C');
    const vr = r.changes.filter((c) => c.kind === 'vr-changed').map((c) => `${c.key} ${String(c.before)}→${String(c.after)}`);
    expect(vr).toEqual(['00081190 UT→UR', '00287FE0 UT→UR', '0040E010 UT→UR', '006862F0 FD→SQ', '0074100A ST→UR', '00760034 CS→SQ']);
    const kw = find(r, 'keyword-changed', '40101029');
    expect([kw.before, kw.after, kw.impact]).toEqual(['ThreatDetectionAlgorithmandVersion', 'ThreatDetectionAlgorithmAndVersion', 'major']);
    expect(keys(r, 'unretired', 'elements')).toContain('21000140'); // Destination AE: italic (retired) in 2013, "retired":"N" in 2024b
    expect(keys(r, 'retired', 'elements')).toContain('00101000'); // Other Patient IDs
    const vm = find(r, 'vm-changed', '00140023'); // CAD File Format
    expect([vm.before, vm.after, vm.impact]).toEqual(['1-n', '1', 'major']);
    // innolitics' sops.json is a partial UID list: 2013's other SOP classes are not "removed"
    expect(keys(r, 'removed', 'uids')).toEqual([]);
    expect(r.notCompared.some((n) => n.category === 'uids' && n.what === 'UIDs the partial list does not carry')).toBe(true);
    expect(r.semver).toBe('major');
    expect(renderMarkdown(r)).toMatch(/^# DICOM release diff\n\n\*\*Semver impact: MAJOR\*\*/);
  });
});

describe('real-pair tests', () => {
  it('use ../shared (skipped with a message when it is absent)', () => {
    expect(typeof sharedPath('standard')).toBe('string');
  });
});

describeShared('PS3.5-only transfer syntaxes in the UID registry', () => {
  it('a syntax defined only in the newer PS3.5 is also an added UID (reconcile step)', async () => {
    const r = diffIr(await irOf('standard/nema/2013/part05.xml'), await irOf('standard/nema/2026c/part05.xml'));
    expect(find(r, 'added', '1.2.840.10008.1.2.4.201', undefined, 'uids').category).toBe('uids');
  });
});
