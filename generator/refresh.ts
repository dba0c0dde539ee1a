/**
 * `npm run refresh -- --edition current`: fetch the NEMA parts of an edition (generator/fetch),
 * then rebuild the embedded snapshot and generated/ from them. The fetched parts are the top
 * layer; the default layers (sources/embedded/default.config.json) that exist on this machine stay
 * below them for anything the fetched parts lack. The snapshot goes through `buildSnapshot`
 * (facts only, prose stripped), never straight from `generate --ir`.
 *
 * Takes the options of `dicom-dictgen fetch` (edition defaults to `current`). Without the network
 * it fails with one line; `--offline` rebuilds from what is already in the cache.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DictgenError } from '../sources/common/errors.ts';
import type { CliIo } from './commands/index.ts';
import { parseFetchArgs, FETCH_USAGE, fetchOptionsFromArgs } from './commands/fetch.ts';
import { fetchEdition, type FetchResult } from './fetch/fetch-edition.ts';
import { createProgressBar } from './fetch/progress.ts';
import { DEFAULT_BASE_URL } from './fetch/nema-urls.ts';
import { defaultConfig, defaultOut, defaultSnapshot } from './defaults.ts';
import type { Layer } from './config.ts';

export const REFRESH_USAGE = `usage: npm run refresh -- [--edition current] [--snapshot <file>] [--out <dir>] [fetch options]

Fetches the parts, then rebuilds the snapshot (default sources/embedded/default.ir.json) and the
package (default generated/) from them.

${FETCH_USAGE.split('\n')
  .slice(4)
  .filter((l) => !/^\s+--verify\b/.test(l))
  .join('\n')
  .replace(/\(required, except with --verify\)/, '(default current)')}`;

/** The default layers whose sources exist here, with absolute paths. */
function defaultLayersPresent(): { kept: Layer[]; missing: string[] } {
  const raw = JSON.parse(readFileSync(defaultConfig, 'utf8')) as { layers: Layer[] };
  const kept: Layer[] = [];
  const missing: string[] = [];
  for (const l of raw.layers) {
    const abs = resolve(dirname(defaultConfig), l.path);
    if (existsSync(abs)) kept.push({ ...l, path: abs });
    else missing.push(l.name);
  }
  return { kept, missing };
}

/** A layered config: the fetched edition first, then the default layers present on this machine. */
export function refreshConfig(fetched: Pick<FetchResult, 'edition' | 'dir' | 'parts'>, below: Layer[]): { layers: Layer[] } {
  const top: Layer = { name: `fetched-nema-${fetched.edition}`, kind: 'nema', path: fetched.dir, parts: fetched.parts.map((p) => p.partNumber) };
  return { layers: [top, ...below] };
}

/** Take `--snapshot <file>` and `--out <dir>` (refresh's own options) out of argv; the rest are fetch options. */
function splitOwnOptions(argv: string[]): { snapshot?: string; out?: string; rest: string[] } {
  const own: { snapshot?: string; out?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(snapshot|out)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      rest.push(argv[i]!);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new DictgenError('usage', `--${m[1]} needs a value. Use e.g. --${m[1]} ${m[1] === 'out' ? 'generated' : 'sources/embedded/default.ir.json'}`);
    own[m[1] as 'snapshot' | 'out'] = value;
  }
  return { ...own, rest };
}

export async function refresh(argv: string[], io: CliIo): Promise<number> {
  let own: ReturnType<typeof splitOwnOptions>;
  try {
    own = splitOwnOptions(argv);
  } catch (e) {
    io.stderr(`dicom-dictgen refresh: ${(e as Error).message}\n`);
    return 2;
  }
  const snapshotPath = own.snapshot ? resolve(io.cwd, own.snapshot) : defaultSnapshot;
  const outDir = own.out ? resolve(io.cwd, own.out) : defaultOut;
  const args = own.rest.some((a) => a === '--edition' || a.startsWith('--edition=') || a === '--help' || a === '-h') ? own.rest : ['--edition', 'current', ...own.rest];
  let fetched: FetchResult;
  const bar = createProgressBar(io.stderr, io.isTTY, 'refresh');
  const log = (l: string): void => io.stderr(`${l}\n`);
  try {
    const a = parseFetchArgs(args);
    if (a.help) {
      io.stdout(REFRESH_USAGE + '\n');
      return 0;
    }
    if (a.verify) {
      io.stderr('dicom-dictgen refresh: --verify is a fetch option. Run `dicom-dictgen fetch --verify` instead\n');
      return 2;
    }
    fetched = await fetchEdition(
      fetchOptionsFromArgs(a, io.cwd, (e) => {
        if (e.type === 'progress') bar.update(e.file, e.received, e.total);
        else if (e.type === 'part' || e.type === 'failed') bar.done(e.type === 'part' ? e.part.file : e.file);
        else if (e.type === 'retry' && !a.quiet) bar.note(`${e.file}: ${e.problem}; retrying (attempt ${e.attempt} of ${e.attempts})`);
      }),
    );
  } catch (e) {
    bar.stop();
    if (!(e instanceof DictgenError)) throw e;
    const msg = e.message.replace(/^fetch: /, '').replace(/\.?$/, '.');
    if (e.kind === 'usage') {
      io.stderr(`dicom-dictgen refresh: ${msg}\n`);
      return 2;
    }
    const base = args.includes('--base-url') ? 'the --base-url server' : DEFAULT_BASE_URL;
    const hint = e.kind === 'network' ? ` Refresh needs ${base} (or HTTPS_PROXY); \`npm run generate\` still works offline from the committed snapshot` : '';
    io.stderr(`dicom-dictgen refresh: nothing was regenerated: ${msg}${hint}\n`);
    return 1;
  }
  bar.stop();
  const asked = fetched.requested !== fetched.edition ? ` (${fetched.requested})` : '';
  log(`fetched edition ${fetched.edition}${asked}: ${fetched.parts.map((p) => `${p.file} ${p.source}`).join(', ')}`);

  const { kept, missing } = defaultLayersPresent();
  if (missing.length) log(`default layers not on this machine, left out: ${missing.join(', ')}`);
  const tmp = mkdtempSync(join(tmpdir(), 'dictgen-refresh-'));
  try {
    const config = join(tmp, 'dicom-dictgen.config.json');
    writeFileSync(config, JSON.stringify(refreshConfig(fetched, kept), null, 2) + '\n');
    // Loaded lazily: the pipeline pulls in cheerio and prettier.
    const { buildSnapshot } = await import('./snapshot.ts');
    const { generate } = await import('./pipeline.ts');
    const built = await buildSnapshot({ config, out: snapshotPath, onProgress: log });
    if (built.blocking) {
      for (const d of built.report.diagnostics.filter((x) => x.severity === 'error').slice(0, 20)) log(`error: ${[d.file, d.table, d.row].filter(Boolean).join(' ')}: ${d.message}`);
      io.stderr(`dicom-dictgen refresh: edition ${fetched.edition} has blocking source defects (above); the snapshot and generated/ were left as they were\n`);
      return 1;
    }
    log(`wrote ${snapshotPath}`);
    const gen = await generate({ snapshot: snapshotPath, out: outDir, force: true, onProgress: log });
    if (gen.blocking) {
      io.stderr('dicom-dictgen refresh: the new snapshot does not validate; generated/ was left as it was\n');
      return 1;
    }
    io.stdout(`refreshed from edition ${fetched.edition}${asked}: ${snapshotPath} and ${outDir}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof DictgenError)) throw e;
    io.stderr(`dicom-dictgen refresh: ${e.message}\n`);
    return e.kind === 'usage' ? 2 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('refresh.ts')) {
  const io: CliIo = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
  process.exitCode = await refresh(process.argv.slice(2), io);
}
