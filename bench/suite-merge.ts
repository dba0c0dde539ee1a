/**
 * Suite `merge` (issue 13): `mergeLayers` of two layers, timed in fresh processes (the layers are
 * built before the clock starts). Reported per entry of the merged IR. Layers: the embedded
 * default snapshot over every 2013 NEMA part (the largest second layer ../shared allows), and
 * innolitics 2024b over the same 2013 parts. As in the pipeline, the layers are handed over
 * (`handOver`: the merged IR reuses their nested data instead of copying it), and the heap is
 * settled with one full GC before the clock starts, so the garbage left by building the layers
 * (parsed XML, the snapshot's JSON text) is not billed to the merge.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finishSuite, median, nodeJson, repo, rounds, shared } from './kit.ts';
import type { Ir } from '../generator/ir.ts';
import type { BenchRow } from './types.ts';

const snapshot = join(repo, 'sources', 'embedded', 'default.ir.json');
const nema2013 = join(shared, 'standard', 'nema', '2013');
const inno = join(shared, 'standard', 'innolitics', '2024b');

function entries(ir: Ir): number {
  const c = ir.iods ? ir.iods.iods.length + ir.iods.modules.length + ir.iods.sopClasses.length : 0;
  const g = ir.contextGroups ? ir.contextGroups.groups.length + ir.contextGroups.codingSchemes.length + ir.contextGroups.dcmCodes.length : 0;
  const p = ir.privateDictionaries?.elements.length ?? 0;
  return ir.dataElements.length + ir.uids.length + ir.valueRepresentations.length + ir.transferSyntaxes.length + ir.deidentification.length + c + g + p;
}

/** CPU time of this process's main thread in ms (Linux: /proc schedstat), undefined elsewhere. */
function mainThreadMs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Minor page faults of this process so far (Linux: /proc/self/stat field 10), undefined elsewhere. */
function minorFaults(): number | undefined {
  try {
    return Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[7]);
  } catch {
    return undefined;
  }
}

async function child(pair: string): Promise<void> {
  const { buildIr, loadIrSnapshot } = await import('../generator/pipeline.ts');
  const { mergeLayers } = await import('../generator/merge.ts');
  const { emptyReport } = await import('../generator/ir.ts');
  const second = (await buildIr({ sources: [nema2013] })).ir;
  const first = pair === 'snapshot' ? loadIrSnapshot(snapshot) : (await buildIr({ sources: [inno] })).ir;
  (globalThis as { gc?: () => void }).gc?.();
  const f0 = minorFaults();
  const m0 = mainThreadMs();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const merged = mergeLayers([{ name: 'first', ir: first }, { name: 'second', ir: second }], emptyReport(), { handOver: true });
  const ms = performance.now() - t0;
  const cpuMs = process.cpuUsage(c0).user / 1000;
  const m1 = mainThreadMs();
  const f1 = minorFaults();
  const mainMs = m0 !== undefined && m1 !== undefined ? m1 - m0 : undefined;
  const faults = f0 !== undefined && f1 !== undefined ? f1 - f0 : undefined;
  console.log(JSON.stringify({ ms, cpuMs, mainMs, faults, entries: entries(merged), first: entries(first), second: entries(second) }));
}

async function main(): Promise<void> {
  if (!existsSync(nema2013)) {
    finishSuite('merge', [], {}, ['../shared missing: merge not measured']);
    return;
  }
  const n = rounds(5);
  const self = fileURLToPath(import.meta.url);
  const rows: BenchRow[] = [];
  const raw: Record<string, unknown> = { rounds: n };
  for (const [pair, label] of [
    ['snapshot', 'embedded default snapshot over NEMA 2013 parts'],
    ['innolitics', 'innolitics 2024b over NEMA 2013 parts'],
  ] as const) {
    const runs = Array.from({ length: n }, () => nodeJson<{ ms: number; cpuMs: number; mainMs?: number; faults?: number; entries: number; first: number; second: number }>(['--expose-gc', '--import', 'tsx', self, '--child', pair]));
    const usPerEntry = median(runs.map((r) => (r.ms * 1000) / r.entries));
    const cpuUs = median(runs.map((r) => (r.cpuMs * 1000) / r.entries));
    // Main thread alone (the rest of the CPU time is V8's compiler and GC threads) and minor page faults: where the wall time goes.
    const mainUs = median(runs.map((r) => (r.mainMs === undefined ? NaN : (r.mainMs * 1000) / r.entries)));
    const faults = median(runs.map((r) => r.faults ?? NaN));
    const more = Number.isFinite(mainUs) ? `; main thread ${mainUs.toFixed(1)} µs per entry, ${Math.round(faults)} minor page faults` : '';
    const r0 = runs[0]!;
    rows.push({ name: `merge a second layer: ${label} (${r0.first} + ${r0.second} entries → ${r0.entries}; ${Math.round(median(runs.map((r) => r.ms)))} ms), per merged entry`, value: usPerEntry, unit: 'µs', target: '< 5 µs', ok: usPerEntry < 5, note: `CPU time ${cpuUs.toFixed(1)} µs per entry (GC threads included)${more}; layers handed over, heap settled before the clock` });
    raw[pair] = runs;
  }
  finishSuite('merge', rows, raw);
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 1]!);
else await main();
