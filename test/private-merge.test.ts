import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { emptyReport } from '../generator/ir.ts';
import type { PrivateElement } from '../generator/ir-private.ts';
import { mergePrivateDictionaries, scrapePrivateFile } from '../sources/private/index.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'private', name);

describe('mergePrivateDictionaries (fixtures: DCMTK acme.dic, fo-dicom acme-private-dictionary.xml)', () => {
  const dcmtk = scrapePrivateFile(fixture('acme.dic'));
  const fo = scrapePrivateFile(fixture('acme-private-dictionary.xml'));
  const report = emptyReport();
  const merged = mergePrivateDictionaries(
    [
      { layer: 'dcmtk', section: dcmtk.ir.privateDictionaries! },
      { layer: 'fo-dicom', section: fo.ir.privateDictionaries! },
    ],
    report,
  );
  const find = (creator: string, group: string, offset: string) => merged.elements.find((e) => e.creator === creator && e.group === group && e.offset === offset && e.block === undefined);

  it('shows a VR disagreement between DCMTK and fo-dicom field by field', () => {
    // (0019,xx11) of "ACME 1.1": DCMTK says US, fo-dicom says UL.
    expect(report.conflicts).toContainEqual({
      family: 'private',
      key: 'ACME 1.1|0019|xx11',
      field: 'vr',
      winner: { layer: 'fo-dicom', source: fo.source.id, value: 'UL' },
      losers: [{ layer: 'dcmtk', source: dcmtk.source.id, value: 'US' }],
    });
    expect(find('ACME 1.1', '0019', '11')).toMatchObject({ vr: ['UL'], fieldProv: { vr: { source: fo.source.id } } });
  });
  it('shows a VM disagreement', () => {
    expect(report.conflicts).toContainEqual(expect.objectContaining({ key: 'ACME 1.1|0019|xx12', field: 'vm', winner: expect.objectContaining({ value: '1' }), losers: [expect.objectContaining({ layer: 'dcmtk', value: '1-n' })] }));
    expect(report.counts['private.conflicts.vm']).toBe(1);
  });
  it('does not count a keyword vs spaced name as a conflict, and prefers the written name', () => {
    expect(report.conflicts.some((c) => c.field === 'name' || c.field === 'keyword')).toBe(false);
    expect(find('ACME 1.1', '0019', '10')).toMatchObject({ name: 'Slice Factor', keyword: 'SliceFactor', vr: ['DS'] });
    expect(find('ACME 1.1', '0019', '10')!.nameDerived).toBeUndefined();
  });
  it('merges the pinned-block entry of both sources under one key', () => {
    const fixed = merged.elements.filter((e) => e.block === '10' && e.offset === '20');
    expect(fixed).toHaveLength(1);
  });
  it('keeps case variants of a creator apart and reports them', () => {
    expect(find('acme 1.1', '0021', '10')).toBeDefined();
    expect(find('Acme 1.1', '0021', '10')).toBeDefined();
    const d = report.diagnostics.find((x) => x.code === 'private-creator-case-variant')!;
    expect(d.message).toContain('"ACME 1.1"');
    expect(d.message).toContain('"Acme 1.1"');
    expect(d.message).toContain('"acme 1.1"');
  });
  it('compares creators exactly except for trailing space padding', () => {
    const rep = emptyReport();
    const base = dcmtk.ir.privateDictionaries!.elements.find((e) => e.offset === '10' && e.group === '0019')!;
    const padded = { ...base, creator: 'ACME 1.1  ', vr: ['FD'], prov: { source: 'other', table: 't' } };
    const out = mergePrivateDictionaries([{ elements: [base] }, { elements: [padded] }], rep);
    expect(out.elements).toHaveLength(1);
    expect(rep.conflicts).toEqual([expect.objectContaining({ field: 'vr', winner: expect.objectContaining({ value: 'FD' }) })]);
  });
  it('lets a specific VR beat UN whatever the order, still reporting it', () => {
    const rep = emptyReport();
    const base = fo.ir.privateDictionaries!.elements.find((e) => e.offset === '14')!;
    const specific = { ...base, vr: ['OB'], prov: { source: 'vendor', table: 't' } };
    const out = mergePrivateDictionaries([{ layer: 'vendor', section: { elements: [specific] } }, { layer: 'fo', section: { elements: [base] } }], rep);
    expect(out.elements[0]!.vr).toEqual(['OB']);
    expect(rep.conflicts[0]).toMatchObject({ field: 'vr', winner: { value: 'OB' }, losers: [{ value: 'UN' }] });
  });
});

describeShared('DCMTK private.dic vs fo-dicom private-dictionary.xml (../shared)', () => {
  it('reports their VR and VM disagreements and creator case variants', () => {
    const a = scrapePrivateFile(sharedPath('peers', 'dcmtk-3.6.7', 'private.dic'));
    const b = scrapePrivateFile(sharedPath('peers', 'fo-dicom-2024-10', 'private-dictionary.xml'));
    const report = emptyReport();
    const merged = mergePrivateDictionaries([{ layer: 'dcmtk', section: a.ir.privateDictionaries! }, { layer: 'fo-dicom', section: b.ir.privateDictionaries! }], report);
    expect(report.counts['private.conflicts.vr']).toBe(165);
    expect(report.counts['private.conflicts.vm']).toBe(40);
    expect(report.counts['private.entries']).toBe(merged.elements.length);
    // A real one: (0019,xx10) of "SIEMENS CM VA0  CMS" (two spaces, kept exactly): DCMTK DS, fo-dicom IS.
    expect(report.conflicts).toContainEqual(
      expect.objectContaining({ key: 'SIEMENS CM VA0  CMS|0019|xx10', field: 'vr', winner: expect.objectContaining({ layer: 'fo-dicom', value: 'IS' }), losers: [expect.objectContaining({ layer: 'dcmtk', value: 'DS' })] }),
    );
    expect(report.conflicts).toContainEqual(expect.objectContaining({ key: 'CARDIO-D.R. 1.0|0019|xx10', field: 'vm', losers: [expect.objectContaining({ layer: 'dcmtk', value: '1' })] }));
    const variants = report.diagnostics.filter((d) => d.code === 'private-creator-case-variant').map((d) => d.message);
    expect(variants.some((m) => m.includes('"SPI RELEASE 1"') && m.includes('"SPI Release 1"'))).toBe(true);
    // ELSCINT1 from both sources merges into one creator; fo-dicom's DLP fills an offset DCMTK lacks.
    const els = merged.elements.filter((e) => e.creator === 'ELSCINT1');
    expect(els.find((e) => e.group === '00E1' && e.offset === '21')!.name).toBe('DLP');
    expect(els.find((e) => e.group === '00E1' && e.offset === '40')).toMatchObject({ name: 'Offset From CTMR Images', keyword: 'OffsetFromCTMRImages' });
  });
});

describe('mergePrivateDictionaries: one section whose keys all differ (snapshot order) is taken without the keyed merge', () => {
  const el = (creator: string, group: string, offset: string, more: Partial<PrivateElement> = {}): PrivateElement => ({ creator, group, offset, keyword: `K${group}${offset}`, name: `N ${group} ${offset}`, vr: ['LO'], vm: '1', retired: false, prov: { source: 'snap', table: 't' }, ...more });
  /** The section and report of the shortcut and of the keyed merge (`exhaustive`), copying and handing over. */
  const both = (elements: PrivateElement[]) =>
    [{}, { handOver: true }, { exhaustive: true }].map((how) => {
      const report = emptyReport();
      const section = mergePrivateDictionaries([{ layer: 'snap', section: { elements: structuredClone(elements) } }], report, how);
      return JSON.stringify({ section, report });
    });
  it('sorts a section in normalize order (creator, group, offset; a pinned block after) as the keyed merge does', () => {
    const elements = [el('ACME', '0019', '10'), el('ACME', '0019', '10', { block: '11' }), el('ACME', '0019', '11'), el('ACME', '0019', '12', { offsetLast: '14' }), el('Acme', '0021', '10'), el('ZETA', '0029', '10', { groupLast: '0031' })];
    const [copied, handed, keyed] = both(elements);
    expect(copied).toBe(keyed);
    expect(handed).toBe(keyed);
    const out = JSON.parse(keyed!) as { section: { elements: PrivateElement[] }; report: { diagnostics: { code: string }[] } };
    expect(out.section.elements.map((e) => `${e.group}${e.block ?? 'xx'}${e.offset}`).slice(0, 4)).toEqual(['0019xx10', '0019xx11', '0019xx12', '001911' + '10']);
    expect(out.report.diagnostics.map((d) => d.code)).toEqual(['private-creator-case-variant']);
  });
  it('gives the keyed merge its way for a repeated key, a creator to normalize, a key out of order or not in hex form', () => {
    for (const elements of [
      [el('ACME', '0019', '10'), el('ACME', '0019', '10', { vr: ['US'] })],
      [el('ACME ', '0019', '10'), el('ACME', '0019', '11')],
      [el('ACME', '0019', '11'), el('ACME', '0019', '10')],
      [el('ACME', '0019', 'x1'), el('ACME', '0019', 'x2')],
    ]) {
      const [copied, handed, keyed] = both(elements);
      expect(copied).toBe(keyed);
      expect(handed).toBe(keyed);
    }
    const rep = emptyReport();
    mergePrivateDictionaries([{ layer: 'snap', section: { elements: [el('ACME', '0019', '10'), el('ACME', '0019', '10', { vr: ['US'] })] } }], rep);
    expect(rep.conflicts).toEqual([expect.objectContaining({ key: 'ACME|0019|xx10', field: 'vr', winner: expect.objectContaining({ value: 'US' }) })]);
  });
});
