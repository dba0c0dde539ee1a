/**
 * Suite `site` (issue 17): the reference site of the embedded default, built by the CLI in fresh
 * processes (wall and CPU time, peak RSS), its size (total, pages, largest page, search index),
 * and search time per query on the full index, with the browser's own search.js.
 * Targets: build < 10 s, a search answer < 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { finishSuite, median, repo } from './kit.ts';
import type { BenchRow } from './types.ts';

const ROUNDS = Math.max(1, Number(process.env.BENCH_SITE_ROUNDS ?? 3));
const QUERIES = ['PatientName', '(0008,0016)', '1.2.840.10008.5.1.4.1.1.2', 'CID 244', 'patient name', 'code value', 'x'];
const work = mkdtempSync(join(tmpdir(), 'dictgen-bench-site-'));

interface Build {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

function buildOnce(out: string): Build {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '\nTIMES %U %S %M', process.execPath, '--import', 'tsx', 'generator/cli.ts', 'site', '--out', out, '--force', '--quiet'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  const m = /\nTIMES ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`site build failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMiB: Number(m[3]) / 1024 };
}

function walk(dir: string, rel = '', out: { path: string; bytes: number }[] = []): { path: string; bytes: number }[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    const r = rel ? `${rel}/${n}` : n;
    if (statSync(p).isDirectory()) walk(p, r, out);
    else if (n !== '.dictgen-manifest.json') out.push({ path: r, bytes: statSync(p).size });
  }
  return out;
}

type Search = (index: unknown, q: string, limit?: number) => { url: string }[];

function searchTimes(site: string): { prepareMs: number; perQuery: Record<string, { firstUrl: string; medianMs: number; maxMs: number }> } {
  const ctx: { window: { DICTGEN_INDEX?: unknown }; dictgenSearch?: Search } = { window: {} };
  runInNewContext(readFileSync(join(site, 'assets', 'search-index.js'), 'utf8'), ctx);
  runInNewContext(readFileSync(join(site, 'assets', 'search.js'), 'utf8'), ctx);
  const index = ctx.window.DICTGEN_INDEX!;
  const search = ctx.dictgenSearch!;
  const t0 = performance.now();
  search(index, 'warm up the prepared index');
  const prepareMs = performance.now() - t0;
  const perQuery: Record<string, { firstUrl: string; medianMs: number; maxMs: number }> = {};
  for (const q of QUERIES) {
    const times: number[] = [];
    let firstUrl = '';
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      firstUrl = search(index, q, 20)[0]?.url ?? '';
      times.push(performance.now() - t);
    }
    perQuery[q] = { firstUrl, medianMs: median(times), maxMs: Math.max(...times) };
  }
  return { prepareMs, perQuery };
}

const loadBefore = loadavg()[0]!;
const builds: Build[] = [];
for (let i = 0; i < ROUNDS; i++) builds.push(buildOnce(join(work, `site${i}`)));
const site = join(work, 'site0');
const files = walk(site);
const pages = files.filter((f) => f.path.endsWith('.html'));
const largest = [...pages].sort((a, b) => b.bytes - a.bytes)[0]!;
const total = files.reduce((n, f) => n + f.bytes, 0);
const indexBytes = files.find((f) => f.path === 'assets/search-index.js')?.bytes ?? NaN;
const search = searchTimes(site);
const wall = median(builds.map((b) => b.wallMs));
const worstQuery = Math.max(...Object.values(search.perQuery).map((q) => q.maxMs));

const rows: BenchRow[] = [
  { name: `site build, embedded default, fresh process (median of ${ROUNDS}, wall)`, value: Math.round(wall), unit: 'ms', target: '< 10000 ms', ok: wall < 10000 },
  { name: 'site build: CPU time (user + sys)', value: Math.round(median(builds.map((b) => b.cpuMs))), unit: 'ms' },
  { name: 'site build: peak RSS', value: Math.round(median(builds.map((b) => b.rssMiB))), unit: 'MiB' },
  { name: 'site: pages', value: pages.length, unit: '' },
  { name: 'site: total size', value: Math.round((total / 2 ** 20) * 10) / 10, unit: 'MiB' },
  { name: `site: largest page (${largest.path})`, value: Math.round(largest.bytes / 1024), unit: 'KiB' },
  { name: 'site: search index (assets/search-index.js)', value: Math.round(indexBytes / 1024), unit: 'KiB' },
  { name: 'search: first query (prepares the index)', value: Math.round(search.prepareMs * 10) / 10, unit: 'ms', target: '< 50 ms', ok: search.prepareMs < 50 },
  ...Object.entries(search.perQuery).map(([q, r]) => ({ name: `search "${q}" → ${r.firstUrl || '(none)'} (median of 30)`, value: Math.round(r.medianMs * 100) / 100, unit: 'ms', target: '< 50 ms', ok: r.maxMs < 50 })),
];
const notes = [`slowest single search call: ${worstQuery.toFixed(2)} ms`, `1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after the builds on ${process.env.HOSTNAME ?? 'this machine'} (wall time grows with load on a shared 2-core machine; CPU time much less)`];
finishSuite('site', rows, { builds, largest, total, pages: pages.length, search }, notes);
rmSync(work, { recursive: true, force: true });
