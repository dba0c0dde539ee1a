import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIr } from '../generator/pipeline.ts';
import { irToJson } from '../generator/normalize.ts';
import { scrapeThreads } from '../generator/scrape-pool.ts';
import { repoRoot } from './helpers/shared.ts';

const fx = (...p: string[]) => join(repoRoot, 'test', 'fixtures', ...p);
const saved = process.env.DICTGEN_SCRAPE_WORKERS;
afterEach(() => {
  if (saved === undefined) delete process.env.DICTGEN_SCRAPE_WORKERS;
  else process.env.DICTGEN_SCRAPE_WORKERS = saved;
});

/** Three layers of small fixtures: NEMA parts, a fo-dicom dictionary, a private dictionary. */
function layers(): string[] {
  const root = mkdtempSync(join(tmpdir(), 'dictgen-scrape-pool-'));
  const nema = join(root, 'nema');
  mkdirSync(nema);
  copyFileSync(fx('nema', 'part06-mini.xml'), join(nema, 'part06.xml'));
  copyFileSync(fx('nema', 'part07-mini.xml'), join(nema, 'part07.xml'));
  copyFileSync(fx('nema', 'part15-mini.xml'), join(nema, 'part15.xml'));
  return [nema, fx('fo-dicom'), fx('private', 'acme.dic')];
}

async function build(workers: string, sources: string[]): Promise<{ ir: string; report: string; progress: string[] }> {
  process.env.DICTGEN_SCRAPE_WORKERS = workers;
  const progress: string[] = [];
  const { ir, report } = await buildIr({ sources, onProgress: (l) => progress.push(l.replace(/ in \d+ ms$/, '')) });
  return { ir: irToJson(ir), report: JSON.stringify(report), progress };
}

describe('scraping layers on worker threads (issue 13)', () => {
  it('uses threads only for several layers, never more than asked or than layers', () => {
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    expect(scrapeThreads(5)).toBe(0);
    process.env.DICTGEN_SCRAPE_WORKERS = '2';
    expect(scrapeThreads(1)).toBe(0);
    expect(scrapeThreads(5)).toBe(2);
    process.env.DICTGEN_SCRAPE_WORKERS = '4';
    expect(scrapeThreads(3)).toBe(3);
  });

  it('gives the IR, report and progress lines (in layer order) of a sequential scrape', async () => {
    const sources = layers();
    const seq = await build('0', sources);
    const par = await build('2', sources);
    expect(JSON.parse(seq.ir).dataElements.length).toBeGreaterThan(10);
    expect(seq.progress.some((l) => l.startsWith('read part06.xml'))).toBe(true);
    expect(par.ir).toBe(seq.ir);
    expect(par.report).toBe(seq.report);
    expect(par.progress).toEqual(seq.progress);
  }, 60_000);

  it('fails with the first failing layer’s one-line error, as a sequential scrape does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dictgen-scrape-pool-bad-'));
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'part06.xml'), '<?xml version="1.0"?><book xmlns="http://docbook.org/ns/docbook"><subtitle>not a part</subtitle></book>');
    const sources = [fx('private', 'acme.dic'), bad, fx('fo-dicom')];
    process.env.DICTGEN_SCRAPE_WORKERS = '0';
    const seq = await buildIr({ sources }).then(() => undefined, (e: Error & { kind?: string }) => e);
    process.env.DICTGEN_SCRAPE_WORKERS = '2';
    const par = await buildIr({ sources }).then(() => undefined, (e: Error & { kind?: string }) => e);
    expect(seq?.message).toMatch(/part06\.xml: cannot read the part and edition/);
    expect(par?.message).toBe(seq!.message);
    expect(par?.kind).toBe('input');
  }, 60_000);
});
