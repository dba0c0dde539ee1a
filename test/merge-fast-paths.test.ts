/**
 * generator/merge.ts: the shortcuts (sorted runs, entries stated the same or only filled in, a
 * private section already in merged order) against the exhaustive merge (`exhaustive`: the keyed
 * merge and the field-by-field merge for every entry), on the pairs the bench suite `merge` times
 * (the embedded default snapshot over every NEMA 2013 part, innolitics 2024b over the same parts):
 * the same merged IR, key order included, and the same report (conflicts, diagnostics, counts).
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';
import { cloneData, mergeLayers } from '../generator/merge.ts';
import { emptyReport, type Ir } from '../generator/ir.ts';
import { buildIr, loadIrSnapshot } from '../generator/pipeline.ts';

/** The merged IR and the whole report, as text (key order included). */
function mergeText(first: Ir, second: Ir, how: { handOver?: boolean; exhaustive?: boolean }): { text: string; conflicts: number; privateElements: number } {
  const report = emptyReport();
  const layers = [
    { name: 'first', ir: cloneData(first) },
    { name: 'second', ir: cloneData(second) },
  ];
  const ir = mergeLayers(layers, report, how);
  return { text: JSON.stringify({ ir, report }), conflicts: report.conflicts.length, privateElements: ir.privateDictionaries?.elements.length ?? 0 };
}

describeShared('mergeLayers shortcuts against the exhaustive merge, on real layers', () => {
  let nema2013: Ir;
  beforeAll(async () => {
    nema2013 = (await buildIr({ sources: [sharedPath('standard', 'nema', '2013')] })).ir;
  }, 60_000);

  it('embedded default snapshot over NEMA 2013: same IR and report, handing over or copying', () => {
    const snapshot = loadIrSnapshot(join(repoRoot, 'sources', 'embedded', 'default.ir.json'));
    const reference = mergeText(snapshot, nema2013, { exhaustive: true });
    // The pair exercises what the shortcuts settle: conflicts, and a private section only one layer has.
    expect(reference.conflicts).toBeGreaterThan(1000);
    expect(reference.privateElements).toBeGreaterThan(1000);
    expect(mergeText(snapshot, nema2013, { handOver: true }).text).toBe(reference.text);
    expect(mergeText(snapshot, nema2013, {}).text).toBe(reference.text);
    expect(mergeText(nema2013, snapshot, { handOver: true }).text).toBe(mergeText(nema2013, snapshot, { exhaustive: true }).text);
  }, 60_000);

  it('innolitics 2024b over NEMA 2013: same IR and report', async () => {
    const inno = (await buildIr({ sources: [sharedPath('standard', 'innolitics', '2024b')] })).ir;
    const reference = mergeText(inno, nema2013, { exhaustive: true });
    expect(reference.conflicts).toBeGreaterThan(100);
    expect(mergeText(inno, nema2013, { handOver: true }).text).toBe(reference.text);
  }, 60_000);
});
