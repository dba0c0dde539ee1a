/**
 * Shared helpers for `bench/suite-*.ts`: fresh-process timing, medians over interleaved rounds,
 * the markdown table every suite prints and the raw JSON it writes to `bench/results/<name>.json`.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.ts';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const shared = process.env.DICTGEN_SHARED ?? resolve(repo, '..', 'shared');
export const resultsDir = join(repo, 'bench', 'results');

/** Rounds of every interleaved measurement: `BENCH_ROUNDS` (5–20), default 5. */
export function rounds(fallback = 5): number {
  const n = Number(process.env.BENCH_ROUNDS ?? fallback);
  return Math.min(20, Math.max(5, Number.isFinite(n) ? Math.round(n) : fallback));
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  node: string;
  loadavg: number[];
}

export function machine(): Machine {
  return { date: new Date().toISOString(), nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) };
}

export interface ProcessRun {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child in MiB (GNU time), when /usr/bin/time exists. */
  rssMiB?: number;
}

/** Run a whole process and time it wall-clock (the issue measures cold processes). */
export function timeProcess(cmd: string, args: string[], opts: SpawnSyncOptions = {}): ProcessRun {
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '\nMAXRSS %M', cmd, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20, ...opts })
    : spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  const ms = performance.now() - t0;
  let stderr = String(r.stderr ?? '');
  const rss = /\nMAXRSS (\d+)\s*$/.exec(stderr);
  if (rss) stderr = stderr.slice(0, rss.index);
  return { ms, status: r.status, stdout: String(r.stdout ?? ''), stderr, ...(rss ? { rssMiB: Number(rss[1]) / 1024 } : {}) };
}

/** Run `node <args>` and parse the last line of stdout as JSON; throws with stderr on failure. */
export function nodeJson<T>(args: string[], opts: SpawnSyncOptions = {}): T {
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}`);
  const last = String(r.stdout).trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Interleave: each round runs every contestant once, in a rotating order. */
export function interleave<K extends string, V>(n: number, contestants: Record<K, () => V>): Record<K, V[]> {
  const keys = Object.keys(contestants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as V[]])) as Record<K, V[]>;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(i + r) % keys.length]!;
      out[k].push(contestants[k]());
    }
  }
  return out;
}

export function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.trim();
}

export function table(rows: BenchRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| measurement | ours | best peer in the same run | ratio | goal | met |', '| --- | ---: | --- | ---: | --- | --- |'];
  for (const r of rows) {
    const peer = r.peer ? `${r.peer.name}: ${fmt(r.peer.value, r.unit)}` : '—';
    const ratio = r.peer && Number.isFinite(r.peer.ratio) ? `${r.peer.ratio.toFixed(2)}×` : '—';
    const met = r.ok === undefined ? '' : r.ok ? 'yes' : '**no**';
    const note = r.note ? ` (${r.note})` : '';
    lines.push(`| ${cell(r.name + note)} | ${fmt(r.value, r.unit)} | ${cell(peer)} | ${ratio} | ${cell(r.target ?? '')} | ${met} |`);
  }
  return lines.join('\n');
}

/** A row against the best (lowest) peer value; `ok` when ours ≤ best peer (× `slack`). */
export function vsBestPeer(name: string, unit: string, ours: number, peers: Record<string, number>, target = '≤ best peer'): BenchRow {
  const known = Object.entries(peers).filter(([, v]) => Number.isFinite(v));
  const best = known.sort((a, b) => a[1] - b[1])[0];
  const row: BenchRow = { name, value: ours, unit, target };
  if (best) {
    row.peer = { name: best[0], value: best[1], ratio: ours / best[1] };
    row.ok = ours <= best[1];
  }
  return row;
}

/** Print the suite's table and write `bench/results/<name>.json` (raw rows, machine, extra data). */
export function finishSuite(name: string, rows: BenchRow[], raw: Record<string, unknown> = {}, notes: string[] = []): void {
  mkdirSync(resultsDir, { recursive: true });
  const m = machine();
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ suite: name, machine: m, rows, notes, raw }, null, 1)}\n`);
  const text = [table(rows), ...notes.map((n) => `\n- ${n}`)].join('\n');
  process.stdout.write(`${text}\n`);
}
