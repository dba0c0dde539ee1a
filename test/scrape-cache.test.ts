import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIr, generate } from '../generator/pipeline.ts';
import { irToJson } from '../generator/normalize.ts';
import { layerKey } from '../generator/scrape-cache.ts';
import { repoRoot } from './helpers/shared.ts';

const fx = (...p: string[]) => join(repoRoot, 'test', 'fixtures', ...p);
const saved = { cache: process.env.DICTGEN_SCRAPE_CACHE, workers: process.env.DICTGEN_SCRAPE_WORKERS };
afterEach(() => {
  for (const [k, v] of [['DICTGEN_SCRAPE_CACHE', saved.cache], ['DICTGEN_SCRAPE_WORKERS', saved.workers]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function nemaLayer(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-')), 'nema');
  mkdirSync(dir);
  copyFileSync(fx('nema', 'part06-mini.xml'), join(dir, 'part06.xml'));
  copyFileSync(fx('nema', 'part07-mini.xml'), join(dir, 'part07.xml'));
  return dir;
}

async function run(cache: string, sources: string[]): Promise<{ ir: string; report: string; cached: number }> {
  process.env.DICTGEN_SCRAPE_CACHE = cache;
  const progress: string[] = [];
  const { ir, report } = await buildIr({ sources, onProgress: (l) => progress.push(l) });
  return { ir: irToJson(ir), report: JSON.stringify(report), cached: progress.filter((l) => l.endsWith('(scrape cache)')).length };
}

describe('scrape cache (issue 13): served only for byte-identical inputs and code', () => {
  it('a second scrape of unchanged layers comes from the cache and equals a scrape without it', async () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    const cache = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-dir-'));
    const sources = [nemaLayer(), fx('private', 'acme.dic')];
    const off = await run('off', sources);
    const cold = await run(cache, sources);
    const warm = await run(cache, sources);
    expect(readdirSync(cache).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    expect([cold.cached, warm.cached]).toEqual([0, 3]); // part06, part07, acme.dic
    expect(cold.ir).toBe(off.ir);
    expect(warm.ir).toBe(off.ir);
    expect(warm.report).toBe(off.report);
  });

  it('an edited input is scraped again even with the same size and modification time', async () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    const cache = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-dir-'));
    const layer = nemaLayer();
    const part06 = join(layer, 'part06.xml');
    const before = await run(cache, [layer]);
    const { mtime, atime } = statSync(part06);
    const text = readFileSync(part06, 'utf8');
    expect(text).toContain('Specific Character Set');
    writeFileSync(part06, text.replace('Specific Character Set', 'Specific Character Sex'));
    utimesSync(part06, atime, mtime);
    const after = await run(cache, [layer]);
    expect(after.cached).toBe(0);
    expect(before.ir).toContain('Specific Character Set');
    expect(after.ir).toContain('Specific Character Sex');
    expect(after.ir).not.toContain('Specific Character Set');
  });

  it('generate sees an input edited between two runs of one process', async () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    process.env.DICTGEN_SCRAPE_CACHE = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-dir-'));
    const layer = nemaLayer();
    const part06 = join(layer, 'part06.xml');
    const work = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-gen-'));
    const gen = async (n: number) => {
      const ir = join(work, `ir${n}.json`);
      await generate({ sources: [layer, fx('private', 'acme.dic')], out: join(work, 'out'), ir, force: true, noFormat: true, selection: { families: new Set(['tags']) } });
      return readFileSync(ir, 'utf8');
    };
    expect(await gen(1)).toContain('Specific Character Set');
    const { mtime, atime } = statSync(part06);
    writeFileSync(part06, readFileSync(part06, 'utf8').replace('Specific Character Set', 'Specific Character Sex'));
    utimesSync(part06, atime, mtime);
    const second = await gen(2);
    expect(second).toContain('Specific Character Sex');
    expect(second).not.toContain('Specific Character Set');
  });

  it('a damaged or misplaced entry is a miss, and the scrape is right', async () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    const cache = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-dir-'));
    const sources = [nemaLayer()];
    const good = await run(cache, sources);
    const [entry] = readdirSync(cache);
    const file = join(cache, entry!);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 500)); // cut
    const cut = await run(cache, sources);
    expect(cut.cached).toBe(0);
    expect(cut.ir).toBe(good.ir);
    // An entry of another key under this key's name is refused too.
    const other = JSON.parse(readFileSync(file, 'utf8')) as { key: string };
    writeFileSync(file, JSON.stringify({ ...other, key: 'f'.repeat(64) }));
    const misplaced = await run(cache, sources);
    expect(misplaced.cached).toBe(0);
    expect(misplaced.ir).toBe(good.ir);
  });

  it('the key changes with the code, the layer name, its parts and the files it holds', () => {
    const dir = nemaLayer();
    const base = layerKey({ name: 'a', path: dir }, 'code1');
    expect(layerKey({ name: 'a', path: dir }, 'code1')).toBe(base);
    expect(layerKey({ name: 'a', path: dir }, 'code2')).not.toBe(base);
    expect(layerKey({ name: 'b', path: dir }, 'code1')).not.toBe(base);
    expect(layerKey({ name: 'a', path: dir, parts: [6] }, 'code1')).not.toBe(base);
    copyFileSync(fx('nema', 'part15-mini.xml'), join(dir, 'part15.xml'));
    expect(layerKey({ name: 'a', path: dir }, 'code1')).not.toBe(base);
  });

  it('worker threads write entries the next run reads', async () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '2';
    const cache = mkdtempSync(join(tmpdir(), 'dictgen-scrape-cache-dir-'));
    const sources = [nemaLayer(), fx('private', 'acme.dic')];
    const cold = await run(cache, sources);
    // A worker writes its entry after its reply: wait for both files (the workers exit once written).
    for (let i = 0; i < 100 && readdirSync(cache).filter((n) => n.endsWith('.json')).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const warm = await run(cache, sources);
    expect(warm.cached).toBe(3);
    expect(warm.ir).toBe(cold.ir);
    expect(warm.report).toBe(cold.report);
  }, 60_000);
});
