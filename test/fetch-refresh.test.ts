/**
 * `npm run refresh`: fetch from a loopback HTTP server serving ../shared, then rebuild a snapshot
 * and a package in temp folders (never the committed ones). Also: without the network, one line
 * and nothing written.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { refresh, refreshConfig } from '../generator/refresh.ts';
import type { CliIo } from '../generator/commands/index.ts';

// The CLI reads proxies from process.env; a proxy set on the machine running the tests must not
// intercept the loopback servers (the proxy tests pass their own env).
for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'DICOM_DICTGEN_CACHE']) vi.stubEnv(v, undefined);

function captureIo(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY: false, cwd, out, err };
}

it('refresh: the fetched edition is the top layer, the default layers stay below', () => {
  const cfg = refreshConfig({ edition: '2025b', dir: '/c/2025b', parts: [{ partNumber: 6 }, { partNumber: 16 }] as never }, [
    { name: 'nema-2013', kind: 'nema', path: '/s/2013', parts: [4, 6, 7] },
  ]);
  expect(cfg.layers).toEqual([
    { name: 'fetched-nema-2025b', kind: 'nema', path: '/c/2025b', parts: [6, 16] },
    { name: 'nema-2013', kind: 'nema', path: '/s/2013', parts: [4, 6, 7] },
  ]);
});

it('refresh: without the network, one line and nothing regenerated', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dictgen-refresh-'));
  try {
    // A port nobody listens on: connection refused, like a machine without the network.
    const probe: Server = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const dead = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((ok) => probe.close(() => ok()));
    const io = captureIo(tmp);
    const code = await refresh(['--base-url', dead, '--retries', '0', '--parts', '6', '--cache', 'c', '--snapshot', 's.ir.json', '--out', 'gen'], io);
    expect(code).toBe(1);
    const err = io.err.join('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('nothing was regenerated');
    expect(err).toContain('ECONNREFUSED');
    expect(existsSync(join(tmp, 's.ir.json'))).toBe(false);
    expect(existsSync(join(tmp, 'gen'))).toBe(false);
    const usage = captureIo(tmp);
    expect(await refresh(['--out'], usage)).toBe(2);
    expect(await refresh(['--verify'], usage)).toBe(2);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

describeShared('refresh end to end (loopback server, temp output)', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const body = readFileSync(sharedPath('standard/nema/2013/part06.xml'));
    server = createServer((req, res) => {
      if (req.url === '/medical/dicom/current/source/docbook/part06/part06.xml') res.writeHead(200, { 'content-length': body.length }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('fetches `current`, writes a facts-only snapshot and the package', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'dictgen-refresh-'));
    try {
      const io = captureIo(tmp);
      const code = await refresh(['--base-url', url, '--parts', '6', '--cache', 'c', '--snapshot', 's.ir.json', '--out', 'gen'], io);
      expect(io.err.join('')).not.toContain('dicom-dictgen refresh:');
      expect(code).toBe(0);
      expect(io.out.join('')).toContain('refreshed from edition 2013 (current)');
      expect(existsSync(join(tmp, 'c', '2013', 'sources.lock.json'))).toBe(true);
      const ir = JSON.parse(readFileSync(join(tmp, 's.ir.json'), 'utf8'));
      const sources: { file?: string; edition?: string }[] = ir.sources;
      expect(sources.some((s) => s.edition === '2013')).toBe(true);
      expect(existsSync(join(tmp, 'gen'))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
