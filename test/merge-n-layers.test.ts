/**
 * generator/merge.ts with four hand-made layers: the merged IR and the conflict report are the same
 * whatever the entry order inside each layer (sorted layers take the one-pass merge of sorted runs,
 * shuffled ones the keyed merge), copying or handing over, run after run; and the conflicts are
 * exactly the ones the field-by-field merge reported before issue 13's speed work.
 */
import { describe, expect, it } from 'vitest';
import { mergeLayers, summarizeConflicts } from '../generator/merge.ts';
import { emptyIr, emptyReport, type DataElement, type DeidentificationRow, type Ir, type SourceRecord, type UidEntry } from '../generator/ir.ts';

function src(id: string): SourceRecord {
  return { id, part: 'PS3.6', edition: 'test', format: 'docbook', file: `${id}.xml`, sha256: id, bytes: 1 };
}

/** `keywordDerived` is not in the DataElement type, but the merge treats it for every family that groups it with the keyword. */
type Element = DataElement & { keywordDerived?: boolean };

function el(tag: string, source: string, row: number, over: Partial<Element> = {}): DataElement {
  return { tag, keyword: `K${tag}`, name: `N ${tag}`, vr: ['US'], vm: '1', retired: false, table: 'data', prov: { source, table: 'Table 6-1', row }, ...over };
}

function uid(u: string, source: string, row: number, over: Partial<UidEntry> = {}): UidEntry {
  return { uid: u, name: `U ${u}`, keyword: `U${u.replace(/\./g, '_')}`, type: 'SOP Class', typeText: 'SOP Class', retired: false, prov: { source, table: 'Table A-1', row }, ...over };
}

function deid(tag: string, source: string, row: number, actions: Record<string, string>, over: Partial<DeidentificationRow> = {}): DeidentificationRow {
  return { tag, name: `N ${tag}`, retired: false, actions, prov: { source, table: 'Table E.1-1', row }, ...over } as DeidentificationRow;
}

/** Each layer in key order; `shuffle` reverses and rotates its lists (the keyed merge then sorts). */
function layers(shuffle: boolean): { name: string; ir: Ir }[] {
  const order = <T>(xs: T[]): T[] => (shuffle && xs.length > 1 ? [...xs.slice(1), xs[0]!].reverse() : xs);
  const ir = (id: string, dataElements: DataElement[], uids: UidEntry[], deidentification: DeidentificationRow[]): Ir => ({
    ...emptyIr(),
    sources: [src(id)],
    dataElements: order(dataElements),
    uids: order(uids),
    deidentification: order(deidentification),
  });
  return [
    {
      name: 'A',
      ir: ir(
        'a',
        [el('00080016', 'a', 1), el('00100010', 'a', 2, { vm: '' }), el('00280010', 'a', 3, { name: 'Rows A' }), el('002804x0', 'a', 4), el('60003000', 'a', 5), el('60xx3000', 'a', 6, { keyword: 'OverlayData', keywordDerived: true })],
        [uid('1.2.9', 'a', 1), uid('1.2.10', 'a', 2, { name: 'Ten A' })],
        [deid('00100010', 'a', 1, { basicProfile: 'Z' }), deid('00100020', 'a', 2, { basicProfile: 'Z', retainUids: '' })],
      ),
    },
    {
      name: 'B',
      ir: ir(
        'b',
        [el('00080016', 'b', 1), el('00100010', 'b', 2, { vm: '1', usage: 'DICOS' }), el('00280010', 'b', 3, { name: 'Rows B', vr: ['US', 'SS'] }), el('60xx3000', 'b', 6, { keyword: 'OverlayDataB', keywordDerived: true })],
        [uid('1.2.9', 'b', 1), uid('1.2.10', 'b', 2, { name: 'Ten B' }), uid('1.2.3', 'b', 3)],
        [deid('00100010', 'b', 1, { basicProfile: 'X', retainUids: 'K' })],
      ),
    },
    {
      name: 'C',
      ir: ir(
        'c',
        [el('00100010', 'c', 2), el('00280010', 'c', 3, { name: 'Rows C', vm: '1-n' }), el('60xx3000', 'c', 6, { keyword: 'OverlayData' }), el('00280011', 'c', 8, { vm: '' }), el('7FE00010', 'c', 7, { vr: ['OB', 'OW'] })].sort((x, y) => (x.tag < y.tag ? -1 : 1)),
        [uid('1.2.10', 'c', 2, { name: 'Ten A' })],
        [deid('00100020', 'c', 2, { basicProfile: 'Z', retainUids: 'K' })],
      ),
    },
    {
      name: 'D',
      ir: ir('d', [el('00080016', 'd', 1), el('00280011', 'd', 8, { usage: 'DICONDE' }), el('7FE00010', 'd', 7, { vr: ['OW', 'OB'] })], [uid('1.2.9', 'd', 1, { name: 'Nine D' })], []),
    },
  ];
}

function merged(shuffle: boolean, handOver: boolean): string {
  const report = emptyReport();
  const ir = mergeLayers(layers(shuffle), report, { handOver });
  return JSON.stringify({ ir, report });
}

describe('mergeLayers over four layers', () => {
  it('is deterministic: the same IR and report whatever the entry order, copying or handing over, run after run', () => {
    const first = merged(false, false);
    for (const [shuffle, handOver] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      expect(merged(shuffle, handOver)).toBe(first);
    }
    const { ir } = JSON.parse(first) as { ir: Ir };
    expect(ir.dataElements.map((e) => e.tag)).toEqual(['00080016', '00100010', '00280010', '00280011', '002804x0', '60003000', '60xx3000', '7FE00010']);
    expect(ir.uids.map((u) => u.uid)).toEqual(['1.2.3', '1.2.9', '1.2.10']);
  });

  it('fills what the winner lacks from the highest lower layer that has it, with fieldProv', () => {
    const report = emptyReport();
    const ir = mergeLayers(layers(false), report);
    const patient = ir.dataElements.find((e) => e.tag === '00100010')!;
    expect(Object.keys(patient)).toEqual(['tag', 'keyword', 'name', 'vr', 'vm', 'retired', 'table', 'usage', 'prov', 'fieldProv']);
    expect([patient.vm, patient.usage, patient.fieldProv?.vm?.source, patient.fieldProv?.usage?.source]).toEqual(['1', 'DICOS', 'b', 'b']);
    // Only two layers have it, and the lower one only fills: in place (vm) and after the fields (usage).
    const columns = ir.dataElements.find((e) => e.tag === '00280011')!;
    expect(Object.keys(columns)).toEqual(['tag', 'keyword', 'name', 'vr', 'vm', 'retired', 'table', 'usage', 'prov', 'fieldProv']);
    expect([columns.vm, columns.usage, Object.keys(columns.fieldProv ?? {})]).toEqual(['1', 'DICONDE', ['usage', 'vm']]);
    // A written keyword of a lower layer beats the derived one of the winner.
    const overlay: Element = ir.dataElements.find((e) => e.tag === '60xx3000')!;
    expect([overlay.keyword, overlay.keywordDerived, overlay.fieldProv?.keyword?.source]).toEqual(['OverlayData', undefined, 'c']);
    const option = ir.deidentification.find((e) => e.tag === '00100020')!;
    expect([option.actions, option.fieldProv]).toEqual([{ basicProfile: 'Z', retainUids: 'K' }, { 'actions.retainUids': { source: 'c', table: 'Table E.1-1', row: 2 } }]);
  });

  it('reports the same conflicts as the field-by-field merge did before', () => {
    const report = emptyReport();
    mergeLayers(layers(true), report);
    const brief = report.conflicts.map((c) => [c.family, c.key, c.field, c.winner.layer, c.winner.value, c.losers.map((l) => [l.layer, l.value])]);
    expect(brief).toEqual([
      ['dataElements', '00280010', 'name', 'A', 'Rows A', [['B', 'Rows B'], ['C', 'Rows C']]],
      ['dataElements', '00280010', 'vm', 'A', '1', [['C', '1-n']]],
      ['dataElements', '00280010', 'vr', 'A', ['US'], [['B', ['US', 'SS']]]],
      ['dataElements', '60xx3000', 'keyword', 'C', 'OverlayData', [['A', 'OverlayData'], ['B', 'OverlayDataB']]],
      ['deidentification', '00100010', 'actions.basicProfile', 'A', 'Z', [['B', 'X']]],
      ['uids', '1.2.10', 'name', 'A', 'Ten A', [['B', 'Ten B']]],
      ['uids', '1.2.9', 'name', 'A', 'U 1.2.9', [['D', 'Nine D']]],
    ]);
    expect(summarizeConflicts(report, 0).split('\n')[0]).toBe('7 field conflicts between layers (first layer wins): dataElements 4, deidentification 1, uids 2');
  });
});
