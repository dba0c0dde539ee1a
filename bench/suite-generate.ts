/**
 * Suite `generate` (issue 13): whole `dicom-dictgen generate` processes through the launcher (generator/dicom-dictgen.js, running the prebuilt .build/ as after `npm ci`), interleaved rounds, median.
 * - the embedded default (from the snapshot), with prettier's share read from the progress line
 *   `formatted in N ms`: with the format cache warm (a run after an earlier one; the cache is
 *   warmed before the rounds); as on a fresh clone, in the same rounds (each time a new copy of the
 *   committed generated/ with its format index, no format cache: what `npm ci && npm run generate`
 *   does); and once with neither
 *   cache nor index (every file through prettier);
 * - every source in ../shared the default is built from (`--config sources/embedded/default.config.json`),
 *   with the scrape cache warm (a run after an earlier one; warmed before the rounds) and once with
 *   it off (every layer scraped, on worker threads);
 * - PS3.6 + PS3.7 2013 → tags, dictionary and UIDs without formatting and with the scrape cache
 *   off, against pydicom's own generators (generate_dicom_dict.py + generate_uid_dict.py) on the
 *   same two files;
 * - a no-op rerun (inputs unchanged).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { finishSuite, interleave, median, repo, rounds, shared, timeProcess, vsBestPeer, type ProcessRun } from './kit.ts';
import type { BenchRow } from './types.ts';
// @ts-expect-error plain-JS module shared with the launcher
import { buildIsFresh } from '../generator/build-stamp.js';

const work = mkdtempSync(join(tmpdir(), 'dictgen-bench-generate-'));
// What a user runs (`npm run generate`, the bin): the launcher, which runs the prebuilt .build/ that
// `npm ci` writes (rebuilt here first if a source changed since, as `npm ci` would have).
const cli = [join(repo, 'generator', 'dicom-dictgen.js'), 'generate'];
if (!buildIsFresh(repo, join(repo, '.build'))) spawnSync(process.execPath, [join(repo, 'generator', 'build.js')], { stdio: 'inherit' });
const nema2013 = join(shared, 'standard', 'nema', '2013');
const pydicomDir = join(shared, 'peers', 'pydicom-generate');

/** A python3 that can import pydicom (Debian's python3-pydicom lives under /usr/bin/python3). */
function pythonWithPydicom(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import pydicom'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

function check(label: string, r: ProcessRun): ProcessRun {
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  return r;
}

const formattedMs = (r: ProcessRun) => Number(/formatted in (\d+) ms/.exec(r.stderr)?.[1] ?? NaN);

try {
  const n = rounds(5);
  const notes: string[] = [];
  const p67 = join(work, 'ps3.6+ps3.7');
  mkdirSync(p67);
  const haveShared = existsSync(join(nema2013, 'part06.xml'));
  if (haveShared) for (const f of ['part06.xml', 'part07.xml']) symlinkSync(join(nema2013, f), join(p67, f));
  const py = pythonWithPydicom();
  const havePydicom = py !== undefined && existsSync(join(pydicomDir, 'generate_dicom_dict.py'));
  if (!havePydicom) notes.push('pydicom row skipped: python3 with pydicom or ../shared/peers/pydicom-generate missing');
  if (!haveShared) notes.push('../shared missing: only the embedded default is generated');

  const node = (label: string, args: string[]) => () => check(label, timeProcess(process.execPath, [...cli, ...args]));
  const contestants: Record<string, () => ProcessRun> = {
    default: node('generate (embedded default)', ['--out', join(work, 'default'), '--force']),
  };
  if (haveShared) {
    contestants.allShared = node('generate --config', ['--config', join(repo, 'sources', 'embedded', 'default.config.json'), '--out', join(work, 'all'), '--force', '--quiet']);
    // Scrape cache off: the row compares reading the XML with pydicom's generators, which read it every time.
    contestants.tagsUids = () => check('generate PS3.6+PS3.7', timeProcess(process.execPath, [...cli, '--source', p67, '--families', 'tags,dictionary,uids', '--no-format', '--out', join(work, 'p67'), '--force', '--quiet'], { env: { ...process.env, DICTGEN_SCRAPE_CACHE: 'off' } }));
  }
  if (havePydicom) {
    contestants.pydicom = () => {
      const env = { ...process.env, OUT_DIR: join(work, 'pydicom') };
      mkdirSync(env.OUT_DIR, { recursive: true });
      const a = check('pydicom generate_dicom_dict.py', timeProcess(py!, [join(pydicomDir, 'generate_dicom_dict.py'), '--local', p67], { env }));
      const b = check('pydicom generate_uid_dict.py', timeProcess(py!, [join(pydicomDir, 'generate_uid_dict.py'), '--local', p67], { env }));
      return { ...b, ms: a.ms + b.ms, rssMiB: Math.max(a.rssMiB ?? 0, b.rssMiB ?? 0) };
    };
  }
  // Warm the format cache (a first run on this machine fills it), then the interleaved rounds.
  check('format cache warm-up', timeProcess(process.execPath, [...cli, '--out', join(work, 'warm'), '--force', '--quiet']));
  const allArgs = ['--config', join(repo, 'sources', 'embedded', 'default.config.json'), '--force', '--quiet'];
  if (haveShared) check('scrape cache warm-up', timeProcess(process.execPath, [...cli, ...allArgs, '--out', join(work, 'all-warm')]));
  // A fresh clone: the committed generated/ (format index included; no manifest, no dist/), no cache.
  // A new copy every round (made before the timed process), timed in the interleaved rounds like the
  // warm row: one run alone swung with the machine's load (2.24 s and 2.95 s in two runs on one code).
  // The copy is flushed to disk (`sync`) before the timer starts and every copy is removed only with
  // the work folder after the rounds, so no writeback of a copy or of a delete lands in a timed process.
  const haveIndex = existsSync(join(repo, 'generated', '.dictgen-format.json'));
  let clones = 0;
  contestants.freshClone = () => {
    const clone = join(work, `clone-${clones++}`);
    cpSync(join(repo, 'generated'), clone, { recursive: true, filter: (src) => !/[\\/](dist|node_modules|\.dictgen-manifest\.json)$/.test(src) });
    spawnSync('sync');
    return check('generate on a fresh clone', timeProcess(process.execPath, [...cli, '--out', clone, '--force'], { env: { ...process.env, DICTGEN_FORMAT_CACHE: 'off' } }));
  };
  const runs = interleave(n, contestants);
  const freshRuns = runs.freshClone!;
  const allCold = haveShared ? check('generate --config, scrape cache off', timeProcess(process.execPath, [...cli, ...allArgs, '--out', join(work, 'all-cold')], { env: { ...process.env, DICTGEN_SCRAPE_CACHE: 'off' } })) : undefined;
  const cacheOff = check('generate, format cache off', timeProcess(process.execPath, [...cli, '--out', join(work, 'cold'), '--force'], { env: { ...process.env, DICTGEN_FORMAT_CACHE: 'off' } }));
  const noop = Array.from({ length: n }, () => check('no-op generate', timeProcess(process.execPath, [...cli, '--out', join(work, 'default'), '--quiet'])));

  const s = (runsOf: ProcessRun[] | undefined) => median((runsOf ?? []).map((r) => r.ms)) / 1000;
  const rows: BenchRow[] = [];
  const def = s(runs.default);
  const fmtS = median(runs.default!.map(formattedMs)) / 1000;
  rows.push({ name: `generate the embedded default via the launcher, format cache warm (prettier ${fmtS.toFixed(2)} s of it; peak RSS ${Math.round(median(runs.default!.map((r) => r.rssMiB ?? NaN)))} MiB)`, value: def, unit: 's', target: '< 2.5 s', ok: def < 2.5 });
  const indexNote = haveIndex ? 'committed format index' : 'no committed format index: every file through prettier';
  const fresh = s(freshRuns);
  rows.push({ name: `generate the embedded default on a fresh clone, no format cache (a new copy each round; ${indexNote}; prettier ${(median(freshRuns.map(formattedMs)) / 1000).toFixed(2)} s of it)`, value: fresh, unit: 's', target: '< 2.5 s', ok: fresh < 2.5 });
  rows.push({ name: `generate the embedded default, neither format cache nor index (one run; prettier ${(formattedMs(cacheOff) / 1000).toFixed(2)} s of it)`, value: cacheOff.ms / 1000, unit: 's' });
  if (runs.allShared) {
    const all = s(runs.allShared);
    rows.push({ name: 'generate from every source in ../shared (default.config.json), scrape cache warm', value: all, unit: 's', target: '< 4 s', ok: all < 4 });
  }
  if (allCold) rows.push({ name: 'generate from every source in ../shared, scrape cache off (one run; layers scraped on worker threads)', value: allCold.ms / 1000, unit: 's' });
  if (runs.tagsUids) {
    const ours = s(runs.tagsUids);
    rows.push(
      runs.pydicom
        ? vsBestPeer('PS3.6 + PS3.7 2013 → tags and UIDs via the launcher, without formatting (scrape cache off)', 's', ours, { "pydicom's generators": s(runs.pydicom) }, '≤ pydicom')
        : { name: 'PS3.6 + PS3.7 2013 → tags and UIDs via the launcher, without formatting', value: ours, unit: 's', note: 'pydicom missing' },
    );
  }
  const noopMs = median(noop.map((r) => r.ms));
  rows.push({ name: 'no-op generate (inputs unchanged), whole process via the launcher', value: noopMs, unit: 'ms', target: '< 1000 ms', ok: noopMs < 1000 });
  const raw = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((r) => ({ ms: Math.round(r.ms), rssMiB: r.rssMiB, formattedMs: formattedMs(r) }))]));
  finishSuite('generate', rows, { rounds: n, ...raw, freshCloneFormatIndex: haveIndex, cacheOff: { ms: Math.round(cacheOff.ms), formattedMs: formattedMs(cacheOff) }, ...(allCold ? { allSharedScrapeCacheOff: { ms: Math.round(allCold.ms) } } : {}), noop: noop.map((r) => Math.round(r.ms)) }, notes);
} finally {
  rmSync(work, { recursive: true, force: true });
}
