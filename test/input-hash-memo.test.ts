import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beginHashMemo, hashInput, hashInputAsync, hashTree } from '../generator/input-hash.ts';
import { layerKey, writeCachedLayer } from '../generator/scrape-cache.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { sha256 } from '../sources/common/hash.ts';
import { repoRoot } from './helpers/shared.ts';

const fx = (...p: string[]) => join(repoRoot, 'test', 'fixtures', ...p);

function folder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dictgen-hash-memo-')), 'layer');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'a.txt'), 'first file');
  writeFileSync(join(dir, 'sub', 'b.txt'), 'second file');
  return dir;
}

/** A reader that counts its reads. */
function countingReader(): { read: (p: string) => Buffer; reads: () => number } {
  let n = 0;
  return { read: (p) => (n++, readFileSync(p)), reads: () => n };
}

/** Edit a file in place to other bytes of the same size, its modification time put back. */
function editKeepingSizeAndMtime(path: string, from: string, to: string): void {
  const { atime, mtime } = statSync(path);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  utimesSync(path, atime, mtime);
}

describe('input hashes: each file read once per run (issue 13)', () => {
  it('under the memo a file is read once; outside it, and with fresh, every time; the hash is the same', () => {
    const file = join(folder(), 'a.txt');
    const want = sha256(readFileSync(file));
    const outside = countingReader();
    expect([hashInput(file, outside.read), hashInput(file, outside.read)]).toEqual([want, want]);
    expect(outside.reads()).toBe(2);
    const end = beginHashMemo();
    try {
      const inside = countingReader();
      expect([hashInput(file, inside.read), hashInput(file, inside.read)]).toEqual([want, want]);
      expect(inside.reads()).toBe(1);
      expect(hashInput(file, inside.read, { fresh: true })).toBe(want);
      expect(inside.reads()).toBe(2);
    } finally {
      end();
    }
    const after = countingReader();
    hashInput(file, after.read);
    expect(after.reads()).toBe(1); // the memo was cleared when its holder ended
  });

  it('a file edited under the memo (same size, modification time put back) hashes to its new bytes', () => {
    const dir = folder();
    const file = join(dir, 'a.txt');
    const end = beginHashMemo();
    try {
      const before = hashInput(file);
      const tree = hashTree(dir);
      editKeepingSizeAndMtime(file, 'first', 'FIRST');
      expect(hashInput(file)).toBe(sha256(readFileSync(file)));
      expect(hashInput(file)).not.toBe(before);
      expect(hashTree(dir)).not.toBe(tree);
    } finally {
      end();
    }
  });

  it('synchronous and asynchronous hashes agree, with and without the memo, for a file and a folder', async () => {
    const dir = folder();
    const plain = [hashInput(dir), hashInput(join(dir, 'a.txt'))];
    expect([await hashInputAsync(dir), await hashInputAsync(join(dir, 'a.txt'))]).toEqual(plain);
    const end = beginHashMemo();
    try {
      expect([await hashInputAsync(dir), await hashInputAsync(join(dir, 'a.txt'))]).toEqual(plain);
      expect([hashInput(dir), hashInput(join(dir, 'a.txt'))]).toEqual(plain);
    } finally {
      end();
    }
  });

  it("the scrape cache's re-check reads the inputs again: an input edited after the key was taken writes no entry", () => {
    const layer = join(mkdtempSync(join(tmpdir(), 'dictgen-hash-memo-')), 'nema');
    mkdirSync(layer);
    copyFileSync(fx('nema', 'part06-mini.xml'), join(layer, 'part06.xml'));
    const cache = mkdtempSync(join(tmpdir(), 'dictgen-hash-memo-cache-'));
    const scraped = { ir: emptyIr(), report: emptyReport(), progress: [] };
    const end = beginHashMemo();
    try {
      const key = layerKey({ name: 'a', path: layer }, 'code');
      editKeepingSizeAndMtime(join(layer, 'part06.xml'), 'Specific Character Set', 'Specific Character Sex');
      writeCachedLayer(cache, key, { name: 'a', path: layer }, 'code', scraped);
      expect(existsSync(join(cache, `${key}.json`))).toBe(false);
      // Unchanged inputs: the entry is written.
      const again = layerKey({ name: 'a', path: layer }, 'code');
      writeCachedLayer(cache, again, { name: 'a', path: layer }, 'code', scraped);
      expect(readdirSync(cache)).toEqual([`${again}.json`]);
    } finally {
      end();
    }
  });
});
