/**
 * generator/format.ts: prettier's output is cached by unformatted text, prettier version, config
 * and parser; a cached result is used as it is, and a package formatted from the cache equals one
 * formatted without it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { formatFiles, formatKey, PRETTIER_OPTIONS } from '../generator/format.ts';
import { buildIr } from '../generator/pipeline.ts';
import { emitPackage } from '../generator/emit/run.ts';
import { repoRoot } from './helpers/shared.ts';

const cache = mkdtempSync(join(tmpdir(), 'dictgen-format-cache-'));
const before = process.env.DICTGEN_FORMAT_CACHE;
process.env.DICTGEN_FORMAT_CACHE = cache;
afterAll(() => {
  if (before === undefined) delete process.env.DICTGEN_FORMAT_CACHE;
  else process.env.DICTGEN_FORMAT_CACHE = before;
  rmSync(cache, { recursive: true, force: true });
});

describe('format stage', () => {
  it('formats with prettier and reuses the cached result for the same unformatted text', async () => {
    const file = { path: 'a.ts', content: 'export const   x = {a:1}\n' };
    const [first] = await formatFiles([file]);
    expect(first!.content).toBe('export const x = { a: 1 };\n');
    // A planted cache entry proves the second run reads the cache instead of running prettier.
    const key = formatKey(prettier.version, 'typescript', file.content);
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(cache, key.slice(0, 2)), { recursive: true });
    writeFileSync(join(cache, key.slice(0, 2), key), 'export const fromCache = 1;\n');
    const [second] = await formatFiles([file]);
    expect(second!.content).toBe('export const fromCache = 1;\n');
  });

  it('keys the cache by text, parser and prettier version', () => {
    const k = formatKey('3.6.2', 'typescript', 'a');
    expect(formatKey('3.6.2', 'typescript', 'b')).not.toBe(k);
    expect(formatKey('3.6.2', 'json', 'a')).not.toBe(k);
    expect(formatKey('3.7.0', 'typescript', 'a')).not.toBe(k);
  });

  it('a package formatted from the cache is byte for byte the one prettier formats without it', async () => {
    const sources = ['nema/part06-mini.xml', 'nema/part07-mini.xml', 'nema/part16-2025b.xml', 'private/acme.dic'].map((f) => join(repoRoot, 'test', 'fixtures', f));
    const { ir } = await buildIr({ sources });
    const files = emitPackage(ir, { selection: {}, generatorVersion: '0.0.0-test' });
    const cold = await formatFiles(files);
    const warm = await formatFiles(files);
    process.env.DICTGEN_FORMAT_CACHE = 'off';
    const none = await formatFiles(files);
    process.env.DICTGEN_FORMAT_CACHE = cache;
    expect(warm).toEqual(cold);
    expect(none).toEqual(cold);
    expect(cold.filter((f, i) => f.content !== files[i]!.content).length).toBeGreaterThan(3);
  }, 120_000);
});
