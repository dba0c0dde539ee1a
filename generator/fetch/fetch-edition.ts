/**
 * `fetchEdition`: bring the requested parts of one NEMA edition into the cache and record them in
 * the edition's `sources.lock.json`. Named editions are immutable, so a cached file whose hash
 * matches the lockfile is used without touching the network; `current` is re-resolved each time
 * (conditionally, with the ETag / Last-Modified of the last download) and stored under the real
 * edition read from the file. No process.exit here: failures are one-line DictgenErrors.
 */
import { rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { DictgenError, inputError, usageError } from '../../sources/common/errors.ts';
import { defaultCacheDir, editionDir, ensureDir, hashFile, readAliases, sweepStaleTemps, tempPathFor, writeAlias } from './cache.ts';
import { DownloadError, downloadToTemp } from './download.ts';
import { isNetworkUnavailable, networkError } from './errors.ts';
import { lockfilePath, readLockfile, recordEntry, type LockEntry, type Lockfile } from './lockfile.ts';
import { DEFAULT_BASE_URL, DEFAULT_PARTS, isEditionName, isPartNumber, partFileName, partLabel, partUrl, type FetchFormat } from './nema-urls.ts';
import { checkPart, type PartHeader } from './part-header.ts';

export interface FetchOptions {
  /** `current` or a release (`2013`, `2025b`). */
  edition: string;
  /** Part numbers; default 3, 4, 5, 6, 7, 15, 16. */
  parts?: readonly number[];
  /** Default `docbook`. */
  format?: FetchFormat;
  /** Default $DICOM_DICTGEN_CACHE or `<cwd>/.cache/dicom-dictgen`. */
  cacheDir?: string;
  cwd?: string;
  /** Default https://dicom.nema.org */
  baseUrl?: string;
  /** Use only the cache; fail naming every missing part. */
  offline?: boolean;
  /** Download again even when the cached copy matches the lockfile. */
  refresh?: boolean;
  /** Connect, response-headers and idle-body timeout, each (ms). Default 30000. */
  timeoutMs?: number;
  /** Overall limit for the whole fetch (ms), retries included: a 1 byte/s drip never trips `timeoutMs`. Default none. */
  deadlineMs?: number;
  /** Further attempts after the first. Default 4. */
  retries?: number;
  /** First retry delay (ms), doubled per attempt, with jitter. Default 500. */
  backoffMs?: number;
  /** Cap of one retry delay (ms). Default 10000. */
  maxBackoffMs?: number;
  /** Parallel downloads. Default 3. */
  concurrency?: number;
  /** An extra trusted CA (PEM) on top of Node's roots, for a private mirror or an intercepting
   * proxy (NODE_EXTRA_CA_CERTS works too). */
  ca?: string | Buffer;
  /** Proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, lower-case too) and DICOM_DICTGEN_CACHE. Default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: (e: FetchEvent) => void;
  /** Jitter source, for tests. */
  random?: () => number;
  /** Clock for `retrievedAt`, for tests. */
  now?: () => Date;
}

export type FetchSource = 'network' | 'cache' | 'not-modified';

export interface FetchedPart extends LockEntry {
  /** Absolute path of the cached file. */
  path: string;
  source: FetchSource;
}

export interface FetchResult {
  /** What was asked for (`current` or the edition). */
  requested: string;
  /** The real edition (from the files' subtitles). */
  edition: string;
  cacheDir: string;
  /** `<cache>/<edition>`: hand this to `generate --source`. */
  dir: string;
  lockfile: string;
  format: FetchFormat;
  parts: FetchedPart[];
}

export type FetchEvent =
  | { type: 'progress'; file: string; received: number; total: number | undefined }
  | { type: 'retry'; file: string; url: string; attempt: number; attempts: number; delayMs: number; problem: string }
  | { type: 'note'; file: string; message: string }
  | { type: 'part'; part: FetchedPart }
  | { type: 'failed'; file: string; message: string };

export const FETCH_DEFAULTS = {
  timeoutMs: 30_000,
  retries: 4,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  concurrency: 3,
} as const;

interface Resolved {
  edition: string;
  isCurrent: boolean;
  parts: number[];
  format: FetchFormat;
  cacheDir: string;
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  concurrency: number;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  emit: (e: FetchEvent) => void;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) throw usageError(`${name} must be an integer ≥ ${min}, got ${v}`, `Pass e.g. ${name} ${dflt}`);
  return v;
}

export function resolveFetchOptions(o: FetchOptions): Resolved {
  if (!isEditionName(o.edition)) {
    throw usageError(`--edition "${o.edition}" is not an edition name`, 'Use current or a release such as 2013 or 2025b');
  }
  const parts = [...new Set(o.parts ?? DEFAULT_PARTS)];
  if (parts.length === 0) throw usageError('--parts is empty', 'Use e.g. --parts 3,6,16');
  for (const p of parts) if (!isPartNumber(p)) throw usageError(`--parts: ${p} is not a DICOM part number`, 'Use e.g. --parts 3,4,5,6,7,15,16');
  const format = o.format ?? 'docbook';
  if (format !== 'docbook' && format !== 'html') throw usageError(`--format "${String(format)}" is unknown`, 'Use --format docbook or --format html');
  const baseUrl = o.baseUrl ?? DEFAULT_BASE_URL;
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw usageError(`--base-url "${baseUrl}" is not a URL`, `Use e.g. --base-url ${DEFAULT_BASE_URL}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`--base-url "${baseUrl}" is not http(s)`, `Use e.g. --base-url ${DEFAULT_BASE_URL}`);
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  return {
    edition: o.edition,
    isCurrent: o.edition === 'current',
    parts,
    format,
    cacheDir: o.cacheDir ? resolve(cwd, o.cacheDir) : defaultCacheDir(cwd, env),
    baseUrl,
    timeoutMs: positiveInt('--timeout', o.timeoutMs, FETCH_DEFAULTS.timeoutMs, 1),
    retries: positiveInt('--retries', o.retries, FETCH_DEFAULTS.retries, 0),
    backoffMs: positiveInt('backoffMs', o.backoffMs, FETCH_DEFAULTS.backoffMs, 0),
    maxBackoffMs: positiveInt('maxBackoffMs', o.maxBackoffMs, FETCH_DEFAULTS.maxBackoffMs, 0),
    concurrency: positiveInt('concurrency', o.concurrency, FETCH_DEFAULTS.concurrency, 1),
    env,
    now: o.now ?? (() => new Date()),
    emit: o.onEvent ?? (() => undefined),
  };
}

/** Proxy settings from the environment, checked, in the form undici wants. */
function proxySettings(env: NodeJS.ProcessEnv): { httpProxy: string; httpsProxy: string; noProxy: string } {
  const pick = (lower: string, upper: string): { name: string; value: string } => {
    const l = env[lower];
    if (l !== undefined && l !== '') return { name: lower, value: l };
    return { name: upper, value: env[upper] ?? '' };
  };
  const norm = ({ name, value }: { name: string; value: string }): string => {
    if (!value) return '';
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    let u: URL;
    try {
      u = new URL(withScheme);
    } catch {
      throw usageError(`${name}="${value}" is not a proxy URL`, `Set ${name} to http://host:port (or unset it)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`${name}="${value}" uses ${u.protocol.slice(0, -1)}, not http(s)`, `Set ${name} to http://host:port`);
    return withScheme;
  };
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  return { httpProxy: norm(pick('http_proxy', 'HTTP_PROXY')), httpsProxy: norm(pick('https_proxy', 'HTTPS_PROXY')), noProxy };
}

export function createDispatcher(env: NodeJS.ProcessEnv, timeoutMs: number, ca?: string | Buffer): Dispatcher {
  // `ca` replaces Node's roots in tls.connect, so add it to them rather than pass it alone.
  const trust = ca ? { ca: [...rootCertificates, ca.toString()] } : {};
  return new EnvHttpProxyAgent({
    ...proxySettings(env),
    // Direct connections.
    connect: { timeout: timeoutMs, ...trust },
    // Through a proxy: the connection to the proxy, and TLS to NEMA inside the CONNECT tunnel.
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs, ...trust },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** Run `fn` over `items`, at most `limit` at a time; every item runs, the first failure is rethrown. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
  return results;
}

function fetchedPart(dir: string, entry: LockEntry, source: FetchSource): FetchedPart {
  return { ...entry, path: join(dir, entry.file), source };
}

/** Does the cached file still match its lockfile entry? */
async function cachedMatches(dir: string, entry: LockEntry): Promise<'ok' | 'missing' | 'modified'> {
  const h = await hashFile(join(dir, entry.file));
  if (!h) return 'missing';
  return h.sha256 === entry.sha256 && h.bytes === entry.bytes ? 'ok' : 'modified';
}

function where(r: Resolved, part: number, file: string): string {
  return `fetch ${partLabel(part)} (${file}) of edition ${r.edition}`;
}

function phraseDownloadError(r: Resolved, part: number, file: string, e: DownloadError): DictgenError {
  const f = e.failure;
  const w = where(r, part, file);
  const after = e.attempts > 1 ? ` after ${e.attempts} attempts` : '';
  if (f.status === 404 || f.status === 410) {
    return networkError(w, `not found at ${e.url} (HTTP ${f.status})`, `Check the edition name (a release such as 2025b, or current) and that ${partLabel(part)} exists in it`);
  }
  if (f.code === 'NOT_A_PART') {
    return inputError(w, `the file at ${e.url} ${f.problem}; nothing in the cache was replaced`, 'Check --base-url and --format (a proxy or portal may have answered instead of NEMA)');
  }
  if (f.code === 'ENOSPC' || f.code === 'EDQUOT') {
    return inputError(w, `${f.problem}; nothing in the cache was replaced`, 'Free some disk space, or pass --cache <folder> on another disk');
  }
  if (f.code === 'TRUNCATED') {
    return networkError(w, `${f.problem} at ${e.url}${after}; nothing in the cache was replaced`, 'Retry later, or raise --retries');
  }
  if (f.code === 'PROXY') {
    return networkError(w, `${f.problem} for ${e.url}${after}`, 'Check HTTPS_PROXY / HTTP_PROXY (credentials go in the URL: http://user:pass@host:port) and NO_PROXY');
  }
  if (isNetworkUnavailable(f)) {
    return networkError(w, `${f.problem} at ${e.url}${after}`, 'The network (or the proxy) is unavailable: check it, set HTTPS_PROXY, or use --offline to work from the cache');
  }
  if (f.code === 'UND_ERR_HEADERS_TIMEOUT' || f.code === 'UND_ERR_BODY_TIMEOUT') {
    return networkError(w, `${f.problem} at ${e.url}${after}`, 'Raise --timeout, or check the network and proxy');
  }
  if (f.status !== undefined && f.status >= 500) {
    return networkError(w, `the server answered ${f.problem} at ${e.url}${after}`, 'The server is failing; retry later');
  }
  return networkError(w, `${f.problem} at ${e.url}${after}`, 'Check the network, the proxy settings and --base-url');
}

interface RunState {
  /** `current` → the first real edition seen; every other part must agree. */
  resolvedEdition?: string;
  previous?: { edition: string; lockfile: Lockfile | undefined };
}

async function fetchPart(r: Resolved, dispatcher: Dispatcher, state: RunState, part: number, refresh: boolean, signal: AbortSignal | undefined, random: (() => number) | undefined): Promise<FetchedPart> {
  const file = partFileName(part, r.format);
  const url = partUrl(r.baseUrl, r.edition, part, r.format);

  // Named editions never change: a cached copy matching the lockfile is final.
  let conditional: { entry: LockEntry; dir: string } | undefined;
  let previous: LockEntry | undefined;
  if (!r.isCurrent) {
    const dir = editionDir(r.cacheDir, r.edition);
    const entry = (await readLockfile(dir))?.parts.find((p) => p.file === file);
    previous = entry;
    if (entry && !refresh) {
      const state2 = await cachedMatches(dir, entry);
      if (state2 === 'ok') return fetchedPart(dir, entry, 'cache');
      r.emit({ type: 'note', file, message: `${file} in ${dir} ${state2 === 'missing' ? 'is missing' : 'does not match sources.lock.json'}; downloading it again` });
    }
  } else if (!refresh && state.previous?.lockfile) {
    const dir = editionDir(r.cacheDir, state.previous.edition);
    const entry = state.previous.lockfile.parts.find((p) => p.file === file && p.url === url);
    previous = entry;
    if (entry && (entry.etag || entry.lastModified) && (await cachedMatches(dir, entry)) === 'ok') conditional = { entry, dir };
  }

  const tmpDir = r.isCurrent ? r.cacheDir : editionDir(r.cacheDir, r.edition);
  await ensureDir(tmpDir);
  const tmpPath = tempPathFor(tmpDir, file);
  let header: PartHeader | undefined;
  let outcome;
  try {
    outcome = await downloadToTemp({
      url,
      tmpPath,
      dispatcher,
      timeoutMs: r.timeoutMs,
      retries: r.retries,
      backoffMs: r.backoffMs,
      maxBackoffMs: r.maxBackoffMs,
      ...(conditional ? { conditional: { ...(conditional.entry.etag ? { etag: conditional.entry.etag } : {}), ...(conditional.entry.lastModified ? { lastModified: conditional.entry.lastModified } : {}) } } : {}),
      validate: (head, tail) => {
        const c = checkPart(file, head, tail, { format: r.format, partNumber: part, ...(r.isCurrent ? {} : { edition: r.edition }) });
        if (!c.ok) return c.problem;
        header = c.header;
        return undefined;
      },
      onProgress: (received, total) => r.emit({ type: 'progress', file, received, total }),
      onRetry: (i) => r.emit({ type: 'retry', file, url, ...i }),
      ...(signal ? { signal } : {}),
      ...(random ? { random } : {}),
    });
  } catch (e) {
    if (e instanceof DownloadError) {
      const err = phraseDownloadError(r, part, file, e);
      r.emit({ type: 'failed', file, message: err.message });
      throw err;
    }
    r.emit({ type: 'failed', file, message: e instanceof Error ? e.message : String(e) });
    throw e;
  }

  if (outcome.status === 'not-modified') {
    const c = conditional!;
    if (state.resolvedEdition === undefined) state.resolvedEdition = c.entry.edition;
    else if (state.resolvedEdition !== c.entry.edition) throw mixedEditions(r, state.resolvedEdition, c.entry.edition, part);
    return fetchedPart(c.dir, c.entry, 'not-modified');
  }

  const h = header!;
  if (r.isCurrent) {
    if (state.resolvedEdition === undefined) state.resolvedEdition = h.edition;
    else if (state.resolvedEdition !== h.edition) {
      await unlink(tmpPath).catch(() => undefined);
      throw mixedEditions(r, state.resolvedEdition, h.edition, part);
    }
  }
  const unusable = await checkWholePart(tmpPath, file, outcome.bytes, previous);
  if (unusable) {
    await unlink(tmpPath).catch(() => undefined);
    const err = inputError(where(r, part, file), `the download from ${url} ${unusable}; the cached copy and its lockfile entry were kept`, 'Retry later; if it persists, check --base-url (a proxy or portal may have altered the file)');
    r.emit({ type: 'failed', file, message: err.message });
    throw err;
  }
  const dir = editionDir(r.cacheDir, h.edition);
  await ensureDir(dir);
  try {
    await rename(tmpPath, join(dir, file));
  } catch (e) {
    await unlink(tmpPath).catch(() => undefined);
    throw inputError(join(dir, file), `cannot move the download into the cache (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'Check the cache folder permissions, or pass --cache <folder>');
  }
  const entry: LockEntry = {
    file,
    part: partLabel(part),
    partNumber: part,
    format: r.format,
    edition: h.edition,
    requested: r.edition,
    url,
    sha256: outcome.sha256,
    bytes: outcome.bytes,
    retrievedAt: r.now().toISOString(),
    ...(outcome.etag ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
  };
  await recordEntry(dir, h.edition, entry);
  return fetchedPart(dir, entry, 'network');
}

/**
 * Accept a download only when it is a whole, plausible part: it loads as a NEMA document (complete
 * markup, sane nesting, its subtitle), every table the part's scrapers consume is there and reads,
 * no known table of its edition is short, and its size is not far from the copy it would replace.
 * Returns the problem, phrased to follow "the download from <url> ".
 */
async function checkWholePart(path: string, file: string, bytes: number, previous: LockEntry | undefined): Promise<string | undefined> {
  if (previous && (bytes < previous.bytes / 2 || bytes > previous.bytes * 4)) {
    return `is ${bytes} bytes where the cached copy is ${previous.bytes}: not a plausible size for ${previous.part}`;
  }
  const { loadNemaDocument } = await import('../../sources/nema/document.ts');
  const { partScrapers } = await import('../../sources/nema/index.ts');
  const { checkKnownRowCounts } = await import('../../sources/nema/known-row-counts.ts');
  const { emptyIr, emptyReport } = await import('../ir.ts');
  try {
    const doc = loadNemaDocument(path);
    const ir = emptyIr();
    const report = emptyReport();
    const source = { id: 'download', part: doc.part, edition: doc.edition, format: doc.format, file, sha256: doc.sha256, bytes: doc.bytes };
    ir.sources.push(source);
    for (const s of partScrapers.filter((x) => x.part === doc.partNumber)) s.scrape(doc, { ir, report, source });
    checkKnownRowCounts(ir, report);
    const short = report.diagnostics.find((d) => d.code === 'short-table');
    return short ? `does not read as a whole part: ${short.message}` : undefined;
  } catch (e) {
    return `does not read as a whole part (${(e instanceof Error ? e.message : String(e)).replace(/^[^:]*: /, '')})`;
  }
}

function mixedEditions(r: Resolved, a: string, b: string, part: number): DictgenError {
  return networkError(`fetch ${partLabel(part)} of edition ${r.edition}`, `current resolved to ${b} for ${partLabel(part)} but to ${a} for another part (NEMA may be mid-publication)`, 'Retry later, or name the edition with --edition');
}

/** The offline path: everything must already be in the cache and match the lockfile. */
async function fetchOffline(r: Resolved): Promise<FetchResult> {
  let edition = r.edition;
  if (r.isCurrent) {
    const alias = (await readAliases(r.cacheDir)).current;
    if (!alias) {
      throw inputError(`offline: ${r.cacheDir}`, '"current" has never been resolved in this cache', 'Run fetch --edition current once with the network, or name the edition (e.g. --edition 2025b)');
    }
    edition = alias.edition;
  }
  const dir = editionDir(r.cacheDir, edition);
  const lf = await readLockfile(dir);
  const found: FetchedPart[] = [];
  const missing: { part: number; file: string; why: string }[] = [];
  for (const part of r.parts) {
    const file = partFileName(part, r.format);
    const entry = lf?.parts.find((p) => p.file === file);
    if (!entry) {
      missing.push({ part, file, why: 'never fetched' });
      continue;
    }
    const s = await cachedMatches(dir, entry);
    if (s === 'ok') found.push(fetchedPart(dir, entry, 'cache'));
    else missing.push({ part, file, why: s === 'missing' ? 'file deleted' : 'does not match sources.lock.json' });
  }
  if (missing.length) {
    const label = r.isCurrent ? `current (= ${edition})` : edition;
    throw inputError(
      `offline: edition ${label} in ${dir}`,
      `missing ${missing.map((m) => `${m.file} (${m.why})`).join(', ')}`,
      `Run "dicom-dictgen fetch --edition ${edition} --parts ${missing.map((m) => m.part).join(',')}${r.format === 'html' ? ' --format html' : ''}" where the network is available`,
    );
  }
  return { requested: r.edition, edition, cacheDir: r.cacheDir, dir, lockfile: lockfilePath(dir), format: r.format, parts: found };
}

export async function fetchEdition(options: FetchOptions): Promise<FetchResult> {
  const r = resolveFetchOptions(options);
  if (options.offline) {
    const res = await fetchOffline(r);
    for (const p of res.parts) r.emit({ type: 'part', part: p });
    return res;
  }
  await ensureDir(r.cacheDir);
  // Downloads killed mid-way (Ctrl-C, power cut) leave temp files; their process is gone.
  await sweepStaleTemps(r.cacheDir);
  if (!r.isCurrent) await sweepStaleTemps(editionDir(r.cacheDir, r.edition));
  const state: RunState = {};
  if (r.isCurrent) {
    const alias = (await readAliases(r.cacheDir)).current;
    if (alias) state.previous = { edition: alias.edition, lockfile: await readLockfile(editionDir(r.cacheDir, alias.edition)).catch(() => undefined) };
  }
  const dispatcher = createDispatcher(r.env, r.timeoutMs, options.ca);
  const deadline = options.deadlineMs !== undefined ? positiveInt('--deadline', options.deadlineMs, 0, 1) : undefined;
  const overall = deadline !== undefined ? AbortSignal.timeout(deadline) : undefined;
  const signal = overall && options.signal ? AbortSignal.any([overall, options.signal]) : (overall ?? options.signal);
  let parts: FetchedPart[];
  try {
    parts = await pool(r.parts, r.concurrency, async (part) => {
      const p = await fetchPart(r, dispatcher, state, part, options.refresh ?? false, signal, options.random);
      r.emit({ type: 'part', part: p });
      return p;
    });
  } catch (e) {
    if (overall?.aborted) {
      throw networkError(`fetch edition ${r.edition}`, `did not finish within the --deadline of ${deadline} ms (the unfinished downloads were discarded; the cache keeps what it had)`, 'Raise --deadline, or check the network speed');
    }
    throw e;
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
  const edition = r.isCurrent ? state.resolvedEdition! : r.edition;
  if (r.isCurrent) await writeAlias(r.cacheDir, 'current', { edition, resolvedAt: r.now().toISOString() });
  const dir = editionDir(r.cacheDir, edition);
  return { requested: r.edition, edition, cacheDir: r.cacheDir, dir, lockfile: lockfilePath(dir), format: r.format, parts };
}
