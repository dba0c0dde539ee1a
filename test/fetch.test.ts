/**
 * `fetch` against a real HTTP server on 127.0.0.1 (started here, port 0) that serves real NEMA
 * files from ../shared at NEMA's URL layout, misbehaving on request: 404, 500, resets, truncated
 * bodies, stalls, wrong files, redirects, gzip, and a loopback CONNECT proxy. Everything written
 * goes to temp folders. Retries use 1 ms backoffs; no assertion depends on timing.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { sha256 } from '../sources/common/hash.ts';
import { fetchEdition, type FetchEvent, type FetchOptions } from '../generator/fetch/fetch-edition.ts';
import { verifyCache } from '../generator/fetch/verify.ts';
import { readLockfile, recordEntry, type LockEntry } from '../generator/fetch/lockfile.ts';
import { withFileLock } from '../generator/fetch/cache.ts';
import { backoffDelay } from '../generator/fetch/download.ts';
import { checkPart } from '../generator/fetch/part-header.ts';
import { parseFetchArgs, run } from '../generator/commands/fetch.ts';
import { DictgenError } from '../sources/common/errors.ts';
import type { CliIo } from '../generator/commands/index.ts';

const docbook = (edition: string, part: number): string => {
  const nn = String(part).padStart(2, '0');
  return `/medical/dicom/${edition}/source/docbook/part${nn}/part${nn}.xml`;
};
const html = (edition: string, part: number): string => `/medical/dicom/${edition}/output/html/part${String(part).padStart(2, '0')}.html`;

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, serve: (file: string, opts?: { gzip?: boolean; etag?: string }) => void) => void;

interface TestServer {
  url: string;
  /** Serve this shared file at this path (normal behaviour). */
  file(path: string, file: string): void;
  /** Override the behaviour of a path (`hit` counts requests to it, from 1). */
  on(path: string, h: Handler): void;
  hits(path: string): number;
  reset(): void;
  close(): Promise<void>;
}

function serveFile(req: IncomingMessage, res: ServerResponse, file: string, opts: { gzip?: boolean; etag?: string } = {}): void {
  const body = readFileSync(file);
  if (opts.etag && req.headers['if-none-match'] === opts.etag) {
    res.writeHead(304, { etag: opts.etag }).end();
    return;
  }
  const headers: Record<string, string | number> = { 'content-type': file.endsWith('.xml') ? 'application/xml' : 'text/html' };
  if (opts.etag) headers.etag = opts.etag;
  if (opts.gzip) {
    const z = gzipSync(body);
    res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': z.length }).end(z);
  } else {
    res.writeHead(200, { ...headers, 'content-length': body.length }).end(body);
  }
}

async function startServer(): Promise<TestServer> {
  const files = new Map<string, string>();
  const handlers = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const file = files.get(path);
    const serve = (f: string, opts?: { gzip?: boolean; etag?: string }): void => serveFile(req, res, f, opts);
    const h = handlers.get(path);
    if (h) return h(req, res, hit, serve);
    if (file) return serve(file);
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    file: (p, f) => void files.set(p, f),
    on: (p, h) => void handlers.set(p, h),
    hits: (p) => counts.get(p) ?? 0,
    reset() {
      files.clear();
      handlers.clear();
      counts.clear();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A CONNECT-only forward proxy on loopback that records the tunnels it opened. */
async function startProxy(): Promise<{ url: string; tunnels: string[]; close: () => Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream).add(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A throwaway self-signed certificate for 127.0.0.1 (it is its own CA). */
function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr.toString()}`);
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

// The CLI reads proxies from process.env; a proxy set on the machine running the tests must not
// intercept the loopback servers (the proxy tests pass their own env).
for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'DICOM_DICTGEN_CACHE']) vi.stubEnv(v, undefined);

function captureIo(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY: false, cwd, out, err };
}

async function rejection(p: Promise<unknown>): Promise<DictgenError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DictgenError);
    return e as DictgenError;
  }
  throw new Error('expected a rejection');
}

describeShared('fetch (real HTTP server on 127.0.0.1 serving ../shared)', () => {
  const part06 = sharedPath('standard/nema/2013/part06.xml');
  const part05 = sharedPath('standard/nema/2013/part05.xml');
  const part05c = sharedPath('standard/nema/2026c/part05.xml');
  const part15html = sharedPath('standard/html/part15-2017d.html');
  let srv: TestServer;
  let tmp: string;
  let cache: string;
  const opts = (o: Partial<FetchOptions> & { edition: string }): FetchOptions => ({
    cacheDir: cache,
    baseUrl: srv.url,
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 1,
    maxBackoffMs: 5,
    env: {},
    random: () => 0.5,
    ...o,
  });

  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv.close();
  });
  beforeEach(() => {
    srv.reset();
    tmp = mkdtempSync(join(tmpdir(), 'dictgen-fetch-'));
    cache = join(tmp, 'cache');
    srv.file(docbook('2013', 6), part06);
    srv.file(docbook('2013', 5), part05);
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('downloads parts into <cache>/<edition>/ and writes sources.lock.json with URL, edition, sha256, bytes, time', async () => {
    const when = new Date('2026-11-23T12:00:00.000Z');
    // A temp file left by a download that was killed (its pid is gone) is swept.
    mkdirSync(join(cache, '2013'), { recursive: true });
    writeFileSync(join(cache, '2013', '.part06.xml.2147483646-deadbeef.tmp'), 'partial');
    const res = await fetchEdition(opts({ edition: '2013', parts: [5, 6], now: () => when }));
    expect(res.edition).toBe('2013');
    expect(res.requested).toBe('2013');
    expect(res.dir).toBe(join(cache, '2013'));
    expect(res.parts.map((p) => [p.file, p.source])).toEqual([
      ['part05.xml', 'network'],
      ['part06.xml', 'network'],
    ]);
    const served = readFileSync(part06);
    expect(readFileSync(join(cache, '2013', 'part06.xml')).equals(served)).toBe(true);
    const lf = JSON.parse(readFileSync(join(cache, '2013', 'sources.lock.json'), 'utf8'));
    expect(lf.lockfileVersion).toBe(1);
    expect(lf.edition).toBe('2013');
    expect(lf.parts).toHaveLength(2);
    expect(lf.parts[1]).toEqual({
      file: 'part06.xml',
      part: 'PS3.6',
      partNumber: 6,
      format: 'docbook',
      edition: '2013',
      requested: '2013',
      url: `${srv.url}${docbook('2013', 6)}`,
      sha256: sha256(served),
      bytes: served.length,
      retrievedAt: '2026-11-23T12:00:00.000Z',
    });
    expect(lf.parts[0].sha256).toBe(sha256(readFileSync(part05)));
    // Nothing left behind but the parts and the lockfile.
    expect(readdirSync(join(cache, '2013')).sort()).toEqual(['part05.xml', 'part06.xml', 'sources.lock.json']);
  });

  it('reads the edition from the file, not from the URL: a mislabelled file is refused', async () => {
    srv.file(docbook('2025b', 6), part06);
    const e = await rejection(fetchEdition(opts({ edition: '2025b', parts: [6] })));
    expect(e.message).toContain('is edition 2013, not 2025b');
    expect(existsSync(join(cache, '2025b', 'part06.xml'))).toBe(false);
  });

  it('404: a one-line error naming the edition and the part, not retried', async () => {
    const e = await rejection(fetchEdition(opts({ edition: '2099z', parts: [6] })));
    expect(e.kind).toBe('network');
    expect(e.message).toContain('edition 2099z');
    expect(e.message).toContain('PS3.6');
    expect(e.message).toContain('HTTP 404');
    expect(e.message).not.toContain('\n');
    expect(srv.hits(docbook('2099z', 6))).toBe(1);
  });

  it('HTTP 500 then success: retried with backoff', async () => {
    srv.on(docbook('2013', 6), (_req, res, hit, serve) => (hit === 1 ? res.writeHead(500).end('boom') : serve(part06)));
    const events: FetchEvent[] = [];
    const res = await fetchEdition(opts({ edition: '2013', parts: [6], onEvent: (e) => events.push(e) }));
    expect(res.parts[0]!.sha256).toBe(sha256(readFileSync(part06)));
    expect(srv.hits(docbook('2013', 6))).toBe(2);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ type: 'retry', file: 'part06.xml', attempt: 2, attempts: 3, problem: 'HTTP 500' });
  });

  it('HTTP 503 on every attempt: gives up after the retries with a one-line error', async () => {
    srv.on(docbook('2013', 6), (_req, res) => res.writeHead(503).end());
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], retries: 2 })));
    expect(e.message).toContain('HTTP 503');
    expect(e.message).toContain('after 3 attempts');
    expect(srv.hits(docbook('2013', 6))).toBe(3);
  });

  it('connection reset (socket destroyed) then success', async () => {
    srv.on(docbook('2013', 6), (req, _res, hit, serve) => (hit === 1 ? req.socket.destroy() : serve(part06)));
    const res = await fetchEdition(opts({ edition: '2013', parts: [6] }));
    expect(res.parts[0]!.source).toBe('network');
    expect(readFileSync(join(cache, '2013', 'part06.xml')).equals(readFileSync(part06))).toBe(true);
    expect(srv.hits(docbook('2013', 6))).toBe(2);
  });

  it('truncated body (Content-Length larger than what arrives) never replaces a good cached file', async () => {
    await fetchEdition(opts({ edition: '2013', parts: [6] }));
    const lockBefore = readFileSync(join(cache, '2013', 'sources.lock.json'), 'utf8');
    const full = readFileSync(part06);
    srv.on(docbook('2013', 6), (_req, res) => {
      res.writeHead(200, { 'content-length': full.length });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.destroy());
    });
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], refresh: true, retries: 1 })));
    expect(e.message).toMatch(/truncated download: \d+ of 3717526 bytes/);
    expect(e.message).toContain('nothing in the cache was replaced');
    expect(readFileSync(join(cache, '2013', 'part06.xml')).equals(full)).toBe(true);
    expect(readFileSync(join(cache, '2013', 'sources.lock.json'), 'utf8')).toBe(lockBefore);
    expect(readdirSync(join(cache, '2013')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file that is not the NEMA part asked for (wrong part, or an HTML error page) never replaces the cached copy', async () => {
    await fetchEdition(opts({ edition: '2013', parts: [6] }));
    const good = readFileSync(join(cache, '2013', 'part06.xml'));
    srv.on(docbook('2013', 6), (_req, _res, _hit, serve) => serve(part05));
    const before = srv.hits(docbook('2013', 6));
    let e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], refresh: true })));
    expect(e.message).toContain('is PS3.5, not PS3.6');
    expect(srv.hits(docbook('2013', 6)) - before).toBe(1); // not retried
    srv.on(docbook('2013', 6), (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Proxy login</body></html>'));
    e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], refresh: true })));
    expect(e.message).toContain('is not NEMA DocBook');
    expect(readFileSync(join(cache, '2013', 'part06.xml')).equals(good)).toBe(true);
  });

  it('a body cut short without Content-Length (no closing </book>) is refused', async () => {
    const text = readFileSync(part06).subarray(0, 200_000);
    srv.on(docbook('2013', 6), (_req, res) => res.writeHead(200).end(text));
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6] })));
    expect(e.message).toContain('is incomplete');
    expect(existsSync(join(cache, '2013', 'part06.xml'))).toBe(false);
  });

  it('slow server: no response within the timeout → a one-line timeout error', async () => {
    srv.on(docbook('2013', 6), () => {
      /* never answers */
    });
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], timeoutMs: 100, retries: 1 })));
    expect(e.message).toContain('no response within 100 ms');
    expect(e.message).toContain('--timeout');
    expect(srv.hits(docbook('2013', 6))).toBe(2);
  });

  it('stalled body: idle timeout, nothing written to the cache', async () => {
    srv.on(docbook('2013', 6), (_req, res) => {
      res.writeHead(200, { 'content-length': 1_000_000 });
      res.write('<?xml version="1.0"?>');
    });
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], timeoutMs: 100, retries: 0 })));
    expect(e.message).toContain('no data for 100 ms');
    expect(existsSync(join(cache, '2013', 'part06.xml'))).toBe(false);
  });

  it('second run is served from the cache with the server unreachable', async () => {
    const first = await fetchEdition(opts({ edition: '2013', parts: [5, 6] }));
    const other = await startServer();
    const deadUrl = other.url;
    await other.close(); // nothing listens here any more
    const second = await fetchEdition(opts({ edition: '2013', parts: [5, 6], baseUrl: deadUrl, retries: 0 }));
    expect(second.parts.map((p) => p.source)).toEqual(['cache', 'cache']);
    expect(second.parts.map((p) => p.sha256)).toEqual(first.parts.map((p) => p.sha256));
    // And a tampered cached copy is fetched again rather than trusted.
    appendFileSync(join(cache, '2013', 'part06.xml'), 'x');
    const notes: string[] = [];
    const third = await fetchEdition(opts({ edition: '2013', parts: [6], onEvent: (e) => e.type === 'note' && notes.push(e.message) }));
    expect(third.parts[0]!.source).toBe('network');
    expect(notes.join()).toContain('does not match sources.lock.json');
  });

  it('--verify reports drift after a cached copy is tampered with or deleted', async () => {
    await fetchEdition(opts({ edition: '2013', parts: [5, 6] }));
    expect((await verifyCache({ cacheDir: cache })).drift).toBe(0);
    const p6 = join(cache, '2013', 'part06.xml');
    writeFileSync(p6, readFileSync(p6).toString('utf8').replace('Data Dictionary', 'Data Dictionarx'));
    unlinkSync(join(cache, '2013', 'part05.xml'));
    writeFileSync(join(cache, '2013', 'part07.xml'), '<book/>');
    const v = await verifyCache({ cacheDir: cache, edition: '2013' });
    expect(v.drift).toBe(3);
    expect(v.editions[0]!.items.map((i) => [i.file, i.status])).toEqual([
      ['part05.xml', 'missing'],
      ['part06.xml', 'modified'],
      ['part07.xml', 'untracked'],
    ]);
    const io = captureIo(tmp);
    expect(await run(['--verify', '--cache', cache], io)).toBe(1);
    expect(io.out.join('')).toMatch(/modified\s+2013\/part06\.xml/);
    expect(io.err.join('')).toContain('1 missing, 1 modified, 1 untracked of 3 files');
  });

  it('--offline uses only the cache and names exactly what is missing', async () => {
    await fetchEdition(opts({ edition: '2013', parts: [6] }));
    const ok = await fetchEdition(opts({ edition: '2013', parts: [6], offline: true, baseUrl: 'http://127.0.0.1:9' }));
    expect(ok.parts[0]!.source).toBe('cache');
    const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [5, 6, 16], offline: true })));
    expect(e.message).toContain('missing part05.xml (never fetched), part16.xml (never fetched)');
    expect(e.message).toContain('--parts 5,16');
    expect(e.message).not.toContain('part06');
    expect(srv.hits(docbook('2013', 5))).toBe(0);
    const io = captureIo(tmp);
    expect(await run(['--edition', '2013', '--parts', '5,6', '--offline', '--cache', cache], io)).toBe(1);
    expect(io.err.join('')).toContain('missing part05.xml');
  });

  it('`current` resolves to the edition in the files, stored under that edition, with `current` recorded', async () => {
    srv.file(docbook('current', 6), part06);
    srv.file(docbook('current', 5), part05);
    const res = await fetchEdition(opts({ edition: 'current', parts: [5, 6] }));
    expect(res.requested).toBe('current');
    expect(res.edition).toBe('2013');
    expect(res.dir).toBe(join(cache, '2013'));
    expect(existsSync(join(cache, 'current'))).toBe(false);
    const lf = await readLockfile(join(cache, '2013'));
    expect(lf!.parts.map((p) => [p.file, p.edition, p.requested, p.url])).toEqual([
      ['part05.xml', '2013', 'current', `${srv.url}${docbook('current', 5)}`],
      ['part06.xml', '2013', 'current', `${srv.url}${docbook('current', 6)}`],
    ]);
    expect(JSON.parse(readFileSync(join(cache, 'aliases.json'), 'utf8')).current.edition).toBe('2013');
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Offline, `current` means the edition it last resolved to.
    const off = await fetchEdition(opts({ edition: 'current', parts: [6], offline: true }));
    expect(off.edition).toBe('2013');
  });

  it('`current` revalidates with ETag: 304 keeps the cached copy', async () => {
    srv.on(docbook('current', 6), (_req, _res, _hit, serve) => serve(part06, { etag: '"v1"' }));
    await fetchEdition(opts({ edition: 'current', parts: [6] }));
    expect((await readLockfile(join(cache, '2013')))!.parts[0]!.etag).toBe('"v1"');
    const again = await fetchEdition(opts({ edition: 'current', parts: [6] }));
    expect(again.parts[0]!.source).toBe('not-modified');
    expect(again.edition).toBe('2013');
    expect(srv.hits(docbook('current', 6))).toBe(2);
  });

  it('`current` whose parts disagree on the edition is an error', async () => {
    srv.file(docbook('current', 6), part06);
    srv.file(docbook('current', 5), part05c);
    const e = await rejection(fetchEdition(opts({ edition: 'current', parts: [5, 6], concurrency: 1 })));
    expect(e.message).toMatch(/current resolved to (2013|2026c) for PS3\.\d but to (2013|2026c) for another part/);
  });

  it('NEMA HTML (output/html/partNN.html), gzip transfer encoding, and redirects', async () => {
    srv.on(html('2017d', 15), (_req, _res, _hit, serve) => serve(part15html, { gzip: true }));
    srv.on(docbook('2013', 6), (_req, res) => res.writeHead(302, { location: docbook('mirror', 6) }).end());
    srv.file(docbook('mirror', 6), part06);
    const h = await fetchEdition(opts({ edition: '2017d', parts: [15], format: 'html' }));
    expect(h.parts[0]).toMatchObject({ file: 'part15.html', format: 'html', edition: '2017d', part: 'PS3.15', sha256: sha256(readFileSync(part15html)) });
    const d = await fetchEdition(opts({ edition: '2013', parts: [6] }));
    expect(d.parts[0]!.sha256).toBe(sha256(readFileSync(part06)));
    expect(d.parts[0]!.url).toBe(`${srv.url}${docbook('2013', 6)}`);
  });

  it('HTTP_PROXY is honoured (through a loopback CONNECT proxy), NO_PROXY bypasses it', async () => {
    const proxy = await startProxy();
    try {
      const res = await fetchEdition(opts({ edition: '2013', parts: [6], env: { HTTP_PROXY: proxy.url } }));
      expect(res.parts[0]!.sha256).toBe(sha256(readFileSync(part06)));
      expect(proxy.tunnels).toEqual([new URL(srv.url).host]);
      await fetchEdition(opts({ edition: '2013', parts: [5], env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }));
      expect(proxy.tunnels).toHaveLength(1);
      const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [7], env: { HTTPS_PROXY: 'http://[bad' } })));
      expect(e.kind).toBe('usage');
      expect(e.message).toContain('HTTPS_PROXY');
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!haveOpenssl)('HTTPS_PROXY: HTTPS to the server through the CONNECT tunnel (self-signed CA trusted via `ca`)', async () => {
    const { key, cert } = selfSignedCert(tmp);
    const tls = createHttpsServer({ key, cert }, (req, res) => {
      if (req.url === docbook('2013', 6)) serveFile(req, res, part06);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => tls.listen(0, '127.0.0.1', ok));
    const proxy = await startProxy();
    try {
      const base = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
      const res = await fetchEdition(opts({ edition: '2013', parts: [6], baseUrl: base, ca: cert, env: { HTTPS_PROXY: proxy.url } }));
      expect(res.parts[0]!.sha256).toBe(sha256(readFileSync(part06)));
      expect(res.parts[0]!.url.startsWith('https://')).toBe(true);
      expect(proxy.tunnels).toEqual([new URL(base).host]);
      // Without the CA the certificate is refused, in one line, and not retried.
      const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], baseUrl: base, refresh: true, env: {} })));
      expect(e.message).toMatch(/certificate/i);
    } finally {
      await proxy.close();
      tls.closeAllConnections();
      await new Promise<void>((ok) => tls.close(() => ok()));
    }
  });

  it('a proxy refusing the tunnel (407) is a one-line error about the proxy settings', async () => {
    const proxy = createServer();
    proxy.on('connect', (_req: IncomingMessage, socket: Socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    try {
      const e = await rejection(fetchEdition(opts({ edition: '2013', parts: [6], env: { http_proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } })));
      expect(e.message).toContain('the proxy answered HTTP 407 to CONNECT');
      expect(e.message).toContain('HTTPS_PROXY');
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((ok) => proxy.close(() => ok()));
    }
  });

  it('CLI: downloads and prints one line per part; --help; exit 0', async () => {
    const io = captureIo(tmp);
    expect(await run(['--edition', '2013', '--parts', '6', '--cache', 'c', '--base-url', srv.url, '--retries', '0'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/part06\.xml {2}PS3\.6 {2}2013 .* downloaded/);
    expect(existsSync(join(tmp, 'c', '2013', 'sources.lock.json'))).toBe(true);
    const again = captureIo(tmp);
    expect(await run(['--edition', '2013', '--parts', '6', '--cache', 'c', '--base-url', srv.url, '--quiet'], again)).toBe(0);
    expect(again.out).toEqual([]);
    const help = captureIo(tmp);
    expect(await run(['--help'], help)).toBe(0);
    expect(help.out.join('')).toContain('--edition');
  });

  it('CLI: 404 exits 1 with one line naming edition and part', async () => {
    const io = captureIo(tmp);
    expect(await run(['--edition', '2099z', '--parts', '16', '--cache', cache, '--base-url', srv.url], io)).toBe(1);
    const err = io.err.join('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('PS3.16');
    expect(err).toContain('2099z');
  });
});

describeShared('fetch: part recognition', () => {
  it('recognises DocBook and HTML parts from their first and last bytes', () => {
    const x = readFileSync(sharedPath('standard/nema/2026c/part15.xml'));
    const c = checkPart('part15.xml', x.subarray(0, 65536), x.subarray(-1024), { format: 'docbook', partNumber: 15 });
    expect(c).toMatchObject({ ok: true, header: { edition: '2026c', partNumber: 15, format: 'docbook' } });
    const h = readFileSync(sharedPath('standard/html/part15-2020b.html'));
    const ch = checkPart('part15.html', h.subarray(0, 65536), h.subarray(-1024), { format: 'html', partNumber: 15, edition: '2020b' });
    expect(ch).toMatchObject({ ok: true, header: { edition: '2020b' } });
  });
});

it('fetch: usage errors exit 2 with one line naming the argument', async () => {
  const cases: [string[], string][] = [
    [[], '--edition is required'],
    [['--edition', 'latest'], '--edition "latest" is not an edition name'],
    [['--edition', '2013', '--parts', '3,x'], '--parts: "x" is not a part number'],
    [['--edition', '2013', '--format', 'pdf'], '--format "pdf"'],
    [['--edition', '2013', '--timeout', '-5'], "--timeout"],
    [['--edition', '2013', '--bogus'], "'--bogus'"],
    [['--edition', '2013', '--base-url', 'ftp://x'], '--base-url'],
    [['--edition', '2013', 'extra'], "'extra'"],
    [['--verify', '--refresh'], '--verify cannot be combined'],
  ];
  for (const [argv, text] of cases) {
    const io = captureIo(tmpdir());
    expect(await run(argv, io), argv.join(' ')).toBe(2);
    const err = io.err.join('');
    expect(err, argv.join(' ')).toContain(text);
    expect(err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
  }
  expect(parseFetchArgs(['--edition', 'current', '--parts', 'PS3.6,16']).parts).toEqual([6, 16]);
});

it('fetch: lockfile updates are serialised in-process and locked across processes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-lock-'));
  try {
    const entry = (n: number): LockEntry => ({
      file: `part${String(n).padStart(2, '0')}.xml`,
      part: `PS3.${n}`,
      partNumber: n,
      format: 'docbook',
      edition: '2025b',
      requested: '2025b',
      url: `https://example.invalid/${n}`,
      sha256: '0'.repeat(64),
      bytes: n,
      retrievedAt: '2026-01-01T00:00:00.000Z',
    });
    await Promise.all([3, 4, 5, 6, 7, 15, 16].map((n) => recordEntry(dir, '2025b', entry(n))));
    expect((await readLockfile(dir))!.parts.map((p) => p.partNumber)).toEqual([3, 4, 5, 6, 7, 15, 16]);
    // A lock held by a live process (this one) makes a second taker wait, then fail in one line.
    const lock = join(dir, '.x.lock');
    writeFileSync(lock, `${process.pid}\n`);
    await expect(withFileLock(lock, async () => 1, { waitMs: 50 })).rejects.toThrow(/held by process \d+ for too long/);
    // A lock left by a dead process is broken.
    writeFileSync(lock, '2147483646\n');
    expect(await withFileLock(lock, async () => 2, { waitMs: 50 })).toBe(2);
    expect(existsSync(lock)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('fetch: backoff doubles, is jittered, and is capped', () => {
  const policy = { retries: 5, backoffMs: 100, maxBackoffMs: 1000 };
  expect(backoffDelay(1, policy, () => 0)).toBe(50);
  expect(backoffDelay(1, policy, () => 1)).toBe(100);
  expect(backoffDelay(3, policy, () => 1)).toBe(400);
  expect(backoffDelay(10, policy, () => 1)).toBe(1000);
  expect(backoffDelay(1, policy, () => 0, 60_000)).toBe(1000); // Retry-After is capped too
});
