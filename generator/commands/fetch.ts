/**
 * `dicom-dictgen fetch`: download NEMA parts of one edition into the cache, or check the cache
 * (`--verify`), or use it without the network (`--offline`). Exit 0 ok, 1 network/input error or
 * cache drift, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { DictgenError, usageError } from '../../sources/common/errors.ts';
import type { CliIo } from './index.ts';
import { fetchEdition, FETCH_DEFAULTS, type FetchEvent, type FetchedPart, type FetchOptions } from '../fetch/fetch-edition.ts';
import { verifyCache, type VerifyItem } from '../fetch/verify.ts';
import { DEFAULT_BASE_URL, DEFAULT_PARTS, type FetchFormat } from '../fetch/nema-urls.ts';
import { CACHE_ENV } from '../fetch/cache.ts';
import { createProgressBar, formatBytes } from '../fetch/progress.ts';

export const FETCH_USAGE = `usage: dicom-dictgen fetch --edition <current|2025b|…> [options]

Downloads NEMA parts into <cache>/<edition>/ and records them in sources.lock.json.

  --edition <name>     current, or a release such as 2013 or 2025b (required, except with --verify)
  --parts <list>       part numbers, comma-separated (default ${DEFAULT_PARTS.join(',')})
  --format <f>         docbook (default; source/docbook/partNN/partNN.xml) or html (output/html/partNN.html)
  --cache <dir>        cache folder (default $${CACHE_ENV} or .cache/dicom-dictgen)
  --base-url <url>     default ${DEFAULT_BASE_URL}
  --timeout <ms>       connect / response / idle timeout, each (default ${FETCH_DEFAULTS.timeoutMs})
  --deadline <ms>      overall limit for the whole fetch, retries included (default none)
  --retries <n>        further attempts on 5xx, resets and timeouts (default ${FETCH_DEFAULTS.retries})
  --refresh            download again even when the cached copy matches the lockfile
  --offline            use only the cache; fail naming every missing part
  --verify             re-hash the cache against sources.lock.json and report drift (no network)
  --quiet, -q          print errors only
HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.`;

interface Parsed {
  edition?: string;
  parts?: number[];
  format: FetchFormat;
  cache?: string;
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  deadlineMs?: number;
  refresh: boolean;
  offline: boolean;
  verify: boolean;
  quiet: boolean;
  help: boolean;
}

function parseIntArg(name: string, v: string | undefined, min: number, example: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw usageError(`${name} "${v}" is not a whole number ≥ ${min}`, `Use e.g. ${name} ${example}`);
  return Number(v);
}

export function parseFetchArgs(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        edition: { type: 'string' },
        parts: { type: 'string' },
        format: { type: 'string' },
        cache: { type: 'string' },
        'base-url': { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        deadline: { type: 'string' },
        refresh: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        verify: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\.\s.*$/, '').replace(/\.$/, '');
    throw usageError(`fetch: ${msg}`, 'See dicom-dictgen fetch --help');
  }
  const format = values.format ?? 'docbook';
  if (format !== 'docbook' && format !== 'html') throw usageError(`--format "${format}" is unknown`, 'Use --format docbook or --format html');
  let parts: number[] | undefined;
  if (values.parts !== undefined) {
    parts = values.parts.split(',').map((s) => {
      const t = s.trim().replace(/^(?:ps3\.|part)/i, '');
      if (!/^\d{1,2}$/.test(t) || Number(t) < 1) throw usageError(`--parts: "${s.trim()}" is not a part number`, 'Use e.g. --parts 3,6,16');
      return Number(t);
    });
  }
  const p: Parsed = {
    format,
    refresh: values.refresh,
    offline: values.offline,
    verify: values.verify,
    quiet: values.quiet,
    help: values.help,
  };
  if (values.edition !== undefined) p.edition = values.edition;
  if (parts) p.parts = parts;
  if (values.cache !== undefined) p.cache = values.cache;
  if (values['base-url'] !== undefined) p.baseUrl = values['base-url'];
  const timeoutMs = parseIntArg('--timeout', values.timeout, 1, String(FETCH_DEFAULTS.timeoutMs));
  if (timeoutMs !== undefined) p.timeoutMs = timeoutMs;
  const retries = parseIntArg('--retries', values.retries, 0, String(FETCH_DEFAULTS.retries));
  if (retries !== undefined) p.retries = retries;
  const deadlineMs = parseIntArg('--deadline', values.deadline, 1, '600000');
  if (deadlineMs !== undefined) p.deadlineMs = deadlineMs;
  if (!p.help) {
    if (p.edition === undefined && !p.verify) throw usageError('fetch: --edition is required', 'Use e.g. --edition current or --edition 2025b');
    if (p.verify && (p.refresh || p.offline)) throw usageError(`fetch: --verify cannot be combined with --${p.refresh ? 'refresh' : 'offline'}`, 'Run --verify on its own (it never uses the network)');
    if (p.offline && p.refresh) throw usageError('fetch: --offline cannot be combined with --refresh', 'Drop one of them');
  }
  return p;
}

/** The fetchEdition options the parsed arguments ask for (shared by `fetch` and `npm run refresh`). */
export function fetchOptionsFromArgs(a: Parsed, cwd: string, onEvent: FetchOptions['onEvent']): FetchOptions {
  return {
    edition: a.edition!,
    ...(a.parts ? { parts: a.parts } : {}),
    format: a.format,
    ...(a.cache !== undefined ? { cacheDir: a.cache } : {}),
    cwd,
    ...(a.baseUrl !== undefined ? { baseUrl: a.baseUrl } : {}),
    ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}),
    ...(a.retries !== undefined ? { retries: a.retries } : {}),
    ...(a.deadlineMs !== undefined ? { deadlineMs: a.deadlineMs } : {}),
    offline: a.offline,
    refresh: a.refresh,
    ...(onEvent ? { onEvent } : {}),
  };
}

function shortHash(h: string): string {
  return h.slice(0, 12);
}

function partLine(p: FetchedPart): string {
  const how = p.source === 'network' ? 'downloaded' : p.source === 'cache' ? 'cached' : 'not modified';
  return `${p.file}  ${p.part}  ${p.edition}  ${formatBytes(p.bytes)}  sha256:${shortHash(p.sha256)}  ${how}`;
}

function verifyLine(edition: string, i: VerifyItem): string {
  const name = `${edition}/${i.file}`;
  switch (i.status) {
    case 'ok':
      return `ok           ${name}`;
    case 'modified':
      return `modified     ${name}  sha256 ${shortHash(i.expected!.sha256)} → ${shortHash(i.actual!.sha256)}, ${i.expected!.bytes} → ${i.actual!.bytes} bytes`;
    case 'missing':
      return `missing      ${name}  (recorded in sources.lock.json, not on disk)`;
    case 'untracked':
      return `untracked    ${name}  (on disk, not in sources.lock.json)`;
    case 'not-fetched':
      return `not-fetched  ${name}`;
  }
}

async function runVerify(a: Parsed, io: CliIo): Promise<number> {
  const res = await verifyCache({
    ...(a.edition !== undefined ? { edition: a.edition } : {}),
    ...(a.parts ? { parts: a.parts } : {}),
    format: a.format,
    ...(a.cache !== undefined ? { cacheDir: a.cache } : {}),
    cwd: io.cwd,
  });
  let total = 0;
  for (const e of res.editions) {
    for (const i of e.items) {
      total++;
      if (i.status !== 'ok' || !a.quiet) io.stdout(verifyLine(e.edition, i) + '\n');
    }
  }
  if (res.drift > 0) {
    const counts = new Map<string, number>();
    for (const e of res.editions) for (const i of e.items) if (i.status !== 'ok') counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
    const what = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
    io.stderr(`dicom-dictgen: fetch --verify: cache drift in ${res.cacheDir}: ${what} of ${total} files. Run "dicom-dictgen fetch --edition <edition> --refresh" to restore, or inspect the files listed above\n`);
    return 1;
  }
  if (!a.quiet) io.stdout(`verified ${total} files in ${res.editions.length} edition(s) under ${res.cacheDir}: no drift\n`);
  return 0;
}

async function runFetch(a: Parsed, io: CliIo): Promise<number> {
  const bar = createProgressBar(io.stderr, io.isTTY && !a.quiet, `fetch ${a.edition}`);
  const onEvent = (e: FetchEvent): void => {
    switch (e.type) {
      case 'progress':
        bar.update(e.file, e.received, e.total);
        break;
      case 'retry':
        if (!a.quiet) bar.note(`${e.file}: ${e.problem}; retrying in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt} of ${e.attempts})`);
        break;
      case 'note':
        if (!a.quiet) bar.note(e.message);
        break;
      case 'part':
        bar.done(e.part.file);
        if (!a.quiet) {
          bar.stop();
          io.stdout(partLine(e.part) + '\n');
        }
        break;
      case 'failed':
        bar.done(e.file);
        break;
    }
  };
  try {
    const res = await fetchEdition(fetchOptionsFromArgs(a, io.cwd, onEvent));
    if (!a.quiet) {
      const asked = res.requested !== res.edition ? ` (${res.requested} = ${res.edition})` : '';
      io.stdout(`edition ${res.edition}${asked}: ${res.parts.length} part(s) in ${res.dir}, recorded in ${res.lockfile}\n`);
    }
    return 0;
  } finally {
    bar.stop();
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const a = parseFetchArgs(argv);
    if (a.help) {
      io.stdout(FETCH_USAGE + '\n');
      return 0;
    }
    return a.verify ? await runVerify(a, io) : await runFetch(a, io);
  } catch (e) {
    // Usage and network/input errors end here as one line; anything else is a bug for the CLI to report.
    if (!(e instanceof DictgenError)) throw e;
    io.stderr(`dicom-dictgen: ${e.message}\n`);
    return e.kind === 'usage' ? 2 : 1;
  }
}
