import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree, readStamp, MANIFEST } from '../generator/write.ts';

describe('write stage', () => {
  it('writes files, leaves unchanged files untouched, removes only files it generated before', () => {
    const out = mkdtempSync(join(tmpdir(), 'dictgen-write-'));
    writeFileSync(join(out, 'user-file.txt'), 'mine');
    const s1 = writeTree(out, [{ path: 'a.ts', content: 'a' }, { path: 'sub/b.ts', content: 'b' }], 'stamp1');
    expect(s1).toEqual({ written: 2, unchanged: 0, removed: 0 });
    expect(readStamp(out)).toBe('stamp1');
    // Age the files so an accidental rewrite would be visible in mtime.
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(out, 'a.ts'), old, old);
    const s2 = writeTree(out, [{ path: 'a.ts', content: 'a' }], 'stamp2');
    expect(s2).toEqual({ written: 0, unchanged: 1, removed: 1 });
    expect(statSync(join(out, 'a.ts')).mtime.getTime()).toBe(old.getTime());
    expect(existsSync(join(out, 'sub'))).toBe(false); // emptied directory removed
    expect(readFileSync(join(out, 'user-file.txt'), 'utf8')).toBe('mine');
    expect(readStamp(out)).toBe('stamp2');
    // No temp files left behind.
    expect(readdirSync(out).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('a tree that stays the same is not rebuilt: only the manifest (new stamp) is replaced', () => {
    const out = mkdtempSync(join(tmpdir(), 'dictgen-write-'));
    const files = [{ path: 'a.ts', content: 'a' }, { path: 'sub/b.ts', content: 'b' }];
    writeTree(out, files, 'stamp1');
    writeFileSync(join(out, 'user-file.txt'), 'mine');
    const before = [out, join(out, 'sub'), join(out, 'a.ts'), join(out, 'sub', 'b.ts')].map((p) => statSync(p).ino);
    expect(writeTree(out, files, 'stamp2', { force: true })).toEqual({ written: 0, unchanged: 2, removed: 0 });
    // The same folders and files (a rebuilt tree would have new folder inodes), the foreign file kept, no staging left.
    expect([out, join(out, 'sub'), join(out, 'a.ts'), join(out, 'sub', 'b.ts')].map((p) => statSync(p).ino)).toEqual(before);
    expect(readFileSync(join(out, 'user-file.txt'), 'utf8')).toBe('mine');
    expect(readStamp(out)).toBe('stamp2');
    expect(readdirSync(out).sort()).toEqual([MANIFEST, 'a.ts', 'sub', 'user-file.txt']);
    expect(readdirSync(join(out, '..')).filter((n) => n.startsWith(`.${out.split('/').pop()}.`))).toEqual([]);
    // One changed file: the tree is rebuilt as before (a new folder), the unchanged file hard-linked.
    writeTree(out, [files[0]!, { path: 'sub/b.ts', content: 'B' }], 'stamp3');
    expect(statSync(join(out, 'sub')).ino).not.toBe(before[1]);
    expect(statSync(join(out, 'a.ts')).ino).toBe(before[2]);
    expect(readFileSync(join(out, 'sub', 'b.ts'), 'utf8')).toBe('B');
  });

  it('a hand-edited generated file invalidates the stamp', () => {
    const out = mkdtempSync(join(tmpdir(), 'dictgen-write-'));
    writeTree(out, [{ path: 'a.ts', content: 'a' }], 's');
    writeFileSync(join(out, 'a.ts'), 'edited');
    expect(readStamp(out)).toBeUndefined();
    expect(JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')).files['a.ts']).toMatch(/^[0-9a-f]{64}$/);
  });
});
