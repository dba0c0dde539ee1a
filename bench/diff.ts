/**
 * Bench of `dicom-dictgen diff`: time to diff two full dictionaries (target < 1 s), building the
 * IRs outside the timed part. Pairs: innolitics 2024a → 2024b (5,120 → 5,129 elements, IODs,
 * E.1-1), and every 2013 NEMA part → the embedded default's layers (2026c PS3.5/PS3.15,
 * innolitics 2024b, PS3.3 excerpt): the largest diff the shared data allows. Also times the
 * snapshot route the CLI takes (read two IR JSON files, diff, render Markdown and JSON).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIr, loadIrSnapshot } from '../generator/pipeline.ts';
import { diffIr } from '../generator/diff/index.ts';
import { renderJson } from '../generator/diff/render-json.ts';
import { renderMarkdown } from '../generator/diff/render-markdown.ts';
import type { Ir } from '../generator/ir.ts';
import type { BenchRow } from './types.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.DICTGEN_SHARED ?? resolve(repo, '..', 'shared');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(runs: number, fn: () => void): number {
  fn(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const size = (ir: Ir) => ir.dataElements.length + ir.uids.length + ir.deidentification.length + (ir.iods?.iods.length ?? 0);

export async function bench(): Promise<BenchRow[]> {
  const innoA = join(shared, 'standard', 'innolitics', '2024a');
  const innoB = join(shared, 'standard', 'innolitics', '2024b');
  const nema2013 = join(shared, 'standard', 'nema', '2013');
  const config = join(repo, 'sources', 'embedded', 'default.config.json');
  if (!existsSync(innoA) || !existsSync(nema2013)) return [{ name: 'diff', value: NaN, unit: 'ms', note: '../shared missing' }];

  const rows: BenchRow[] = [];
  const a = (await buildIr({ sources: [innoA] })).ir;
  const b = (await buildIr({ sources: [innoB] })).ir;
  let changes = 0;
  const msInno = time(7, () => {
    changes = diffIr(a, b).changes.length;
  });
  rows.push({
    name: `diff: innolitics 2024a → 2024b, diffIr (${size(a)} → ${size(b)} entries, ${changes} changes)`,
    value: Math.round(msInno * 10) / 10,
    unit: 'ms',
    target: '< 1000 ms',
    ok: msInno < 1000,
  });

  const old = (await buildIr({ sources: [nema2013] })).ir;
  const neu = existsSync(config) ? (await buildIr({ config })).ir : b;
  let big = diffIr(old, neu);
  const msBig = time(5, () => {
    big = diffIr(old, neu);
  });
  rows.push({
    name: `diff: NEMA 2013 parts → embedded default layers, diffIr (${size(old)} → ${size(neu)} entries, ${big.changes.length} changes)`,
    value: Math.round(msBig * 10) / 10,
    unit: 'ms',
    target: '< 1000 ms',
    ok: msBig < 1000,
  });
  const msRender = time(5, () => {
    renderMarkdown(big);
    renderJson(big);
  });
  rows.push({ name: 'diff: render Markdown + JSON of that diff', value: Math.round(msRender * 10) / 10, unit: 'ms' });

  // The CLI's snapshot route end to end (minus process start): read both IR files, diff, render.
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-diff-bench-'));
  try {
    const fa = join(dir, 'old.ir.json');
    const fb = join(dir, 'new.ir.json');
    writeFileSync(fa, JSON.stringify(old));
    writeFileSync(fb, JSON.stringify(neu));
    const msSnap = time(5, () => {
      renderMarkdown(diffIr(loadIrSnapshot(fa), loadIrSnapshot(fb)));
    });
    rows.push({ name: 'diff: two IR snapshots → Markdown (load + diff + render)', value: Math.round(msSnap * 10) / 10, unit: 'ms', target: '< 1000 ms', ok: msSnap < 1000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && /[\\/]bench[\\/]diff\.ts$/.test(process.argv[1])) {
  for (const r of await bench()) console.log(`${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target}: ${r.ok ? 'ok' : 'MISSED'})` : ''}`);
}
