/**
 * Hardening of `fetch` (docs/hardening.md, group 4 and the full-disk case of group 9), against
 * loopback servers started here: a server closing right after the body, a 1 byte/s drip, junk
 * between a valid head and tail, an implausible size, a full disk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent } from 'undici';
import { fetchEdition } from '../generator/fetch/fetch-edition.ts';
import { downloadToTemp, DownloadError } from '../generator/fetch/download.ts';

const part07 = readFileSync(join(import.meta.dirname, 'fixtures', 'nema', 'part07-mini.xml'));
/** The fixture padded to `size` bytes with a comment before `</book>` (still a whole part). */
function padded(size: number): Buffer {
  const text = part07.toString('utf8');
  const at = text.lastIndexOf('</book>');
  const pad = Math.max(0, size - part07.length - 7);
  return Buffer.from(`${text.slice(0, at)}<!--${'p'.repeat(pad)}-->${text.slice(at)}`);
}

type Reply = (sock: Socket, hit: number) => void;
let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

/** A raw HTTP server: full control over when the connection closes. */
async function rawServer(reply: Reply): Promise<string> {
  let hit = 0;
  const s = createServer((sock) => {
    sock.on('error', () => undefined);
    sock.once('data', () => reply(sock, ++hit));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

const head = (len: number) => `HTTP/1.1 200 OK\r\ncontent-type: application/xml\r\ncontent-length: ${len}\r\nconnection: close\r\n\r\n`;
const serveAndClose = (body: Buffer): Reply => (sock) => {
  sock.write(head(body.length));
  sock.write(body);
  sock.end();
};
const tmp = () => mkdtempSync(join(tmpdir(), 'dictgen-harden-fetch-'));
const leftovers = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((n) => n.includes('.tmp') || n.includes('.part')) : []);
const opts = (cacheDir: string, baseUrl: string) => ({ edition: '2099a', parts: [7], cacheDir, baseUrl, retries: 2, backoffMs: 1, maxBackoffMs: 1, env: {}, random: () => 0 });

describe('group 4: fetch survives real servers', () => {
  it('a server closing the connection right after the body: no uncaught undici assertion, no temp file', async () => {
    const body = padded(3_000_000);
    const url = await rawServer(serveAndClose(body));
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 6; i++) {
        const cache = tmp();
        const r = await fetchEdition({ ...opts(cache, url), refresh: true });
        expect(r.parts[0]!.bytes).toBe(body.length);
        expect(leftovers(cache)).toEqual([]);
      }
      const dispatcher = new Agent();
      for (let i = 0; i < 12; i++) {
        const d = tmp();
        await downloadToTemp({ url: `${url}/x`, tmpPath: join(d, 'part07.xml.tmp'), dispatcher, timeoutMs: 5000, retries: 0, backoffMs: 1, maxBackoffMs: 1 });
      }
      await dispatcher.destroy();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught.map(String)).toEqual([]);
  }, 60_000);

  it('--deadline stops a 1 byte per 20 ms drip that never trips the idle timeout; no temp file', async () => {
    const body = padded(10_000);
    const url = await rawServer((sock) => {
      sock.write(head(body.length));
      let i = 0;
      const t = setInterval(() => {
        if (sock.destroyed || i >= body.length) return clearInterval(t);
        sock.write(body.subarray(i, ++i));
      }, 20);
      sock.on('close', () => clearInterval(t));
    });
    const cache = tmp();
    await expect(fetchEdition({ ...opts(cache, url), timeoutMs: 5000, deadlineMs: 400 })).rejects.toThrow(/did not finish within the --deadline of 400 ms/);
    expect(leftovers(cache)).toEqual([]);
  });

  it('junk between a valid head and tail never replaces the good cached file or its lockfile entry', async () => {
    const good = padded(20_000);
    const junk = Buffer.concat([good.subarray(0, 2000), Buffer.from('<'.repeat(good.length - 3000)), good.subarray(good.length - 1000)]);
    let serve = good;
    const url = await rawServer((sock) => serveAndClose(serve)(sock, 0));
    const cache = tmp();
    await fetchEdition(opts(cache, url));
    const lock = readFileSync(join(cache, '2099a', 'sources.lock.json'), 'utf8');
    serve = junk;
    await expect(fetchEdition({ ...opts(cache, url), refresh: true })).rejects.toThrow(/does not read as a whole part.*the cached copy and its lockfile entry were kept/);
    expect(readFileSync(join(cache, '2099a', 'part07.xml')).equals(good)).toBe(true);
    expect(readFileSync(join(cache, '2099a', 'sources.lock.json'), 'utf8')).toBe(lock);
    expect(leftovers(cache)).toEqual([]);
  });

  it('a whole part of an implausible size (a tenth of the cached copy) is refused', async () => {
    let serve = padded(200_000);
    const url = await rawServer((sock) => serveAndClose(serve)(sock, 0));
    const cache = tmp();
    await fetchEdition(opts(cache, url));
    serve = part07;
    await expect(fetchEdition({ ...opts(cache, url), refresh: true })).rejects.toThrow(/is \d+ bytes where the cached copy is 200000: not a plausible size for PS3\.7/);
    expect(readFileSync(join(cache, '2099a', 'part07.xml')).length).toBe(200_000);
  });
});

describe('group 9: a full disk during fetch', () => {
  it('is reported as a full disk, not as a truncated download, and not retried', async () => {
    const url = await rawServer(serveAndClose(padded(100_000)));
    const full = () =>
      new Writable({
        write(_c, _e, cb) {
          cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        },
      });
    const dispatcher = new Agent();
    const d = tmp();
    const e = await downloadToTemp({ url: `${url}/x`, tmpPath: join(d, 'x.tmp'), dispatcher, timeoutMs: 5000, retries: 3, backoffMs: 1, maxBackoffMs: 1, openOutput: full }).catch((x: unknown) => x);
    await dispatcher.destroy();
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as DownloadError).failure).toMatchObject({ code: 'ENOSPC', retryable: false });
    expect((e as DownloadError).message).toMatch(/no space left on the device/);
    expect((e as DownloadError).attempts).toBe(1);
  });
});
