/**
 * Hardening of the write stage (docs/hardening.md, groups 1, 2, 5, 7, 9): nothing outside --out is
 * touched, foreign or edited files are never overwritten without --force, the tree is switched
 * whole, outputs may not be inputs, file-argument errors are one line.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree, readStamp, MANIFEST, type WriteFs } from '../generator/write.ts';
import { generate } from '../generator/pipeline.ts';
import { DictgenError } from '../sources/common/errors.ts';
import { main } from '../generator/cli.ts';
import { verifyCache } from '../generator/fetch/verify.ts';
import type { CliIo } from '../generator/commands/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'dictgen-harden-'));
const files = [
  { path: 'README.md', content: 'generated readme' },
  { path: 'index.ts', content: 'export {};\n' },
  { path: 'sub/a.ts', content: 'a' },
];
const DEAD_PID = 2147483646;

function setup(): { root: string; out: string } {
  const root = tmp();
  const out = join(root, 'pkg');
  writeTree(out, files, 's1');
  return { root, out };
}

function manifestWith(out: string, extra: Record<string, string>): void {
  const m = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { files: Record<string, string> };
  Object.assign(m.files, extra);
  writeFileSync(join(out, MANIFEST), JSON.stringify(m));
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = { stdout: () => {}, stderr: (s) => (err += s), isTTY: false, cwd };
  const code = await main(argv, io);
  return { code, err };
}

describe('group 1: manifest entries stay inside --out', () => {
  it('an entry "../README.md" is refused and the file outside survives', () => {
    const { root, out } = setup();
    writeFileSync(join(root, 'README.md'), 'the repository readme');
    manifestWith(out, { '../README.md': 'x'.repeat(64) });
    const e = errorOf(() => writeTree(out, files.slice(0, 1), 's2'));
    expect(e).toBeInstanceOf(DictgenError);
    expect(e.message).toMatch(/"\.\.\/README\.md" points outside --out/);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('the repository readme');
  });

  it('an absolute entry is refused; with --force it is ignored, never deleted', () => {
    const { root, out } = setup();
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep');
    manifestWith(out, { [victim]: 'x'.repeat(64) });
    expect(errorOf(() => writeTree(out, files, 's2')).message).toMatch(/points outside --out/);
    writeTree(out, files, 's2', { force: true });
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(readStamp(out)).toBe('s2');
  });
});

describe('group 1: lockfile entries stay inside the edition folder', () => {
  it('fetch --verify refuses an entry "../../../etc/passwd" and reads nothing', async () => {
    const cache = tmp();
    mkdirSync(join(cache, '2013'));
    const entry = { file: '../../../../../../etc/passwd', part: 'PS3.6', partNumber: 6, format: 'docbook', edition: '2013', requested: '2013', url: 'https://example.invalid/p', sha256: '0'.repeat(64), bytes: 1, retrievedAt: '2026-01-01T00:00:00Z' };
    writeFileSync(join(cache, '2013', 'sources.lock.json'), JSON.stringify({ lockfileVersion: 1, edition: '2013', parts: [entry] }));
    await expect(verifyCache({ cacheDir: cache, edition: '2013' })).rejects.toThrow(/entry "\.\.\/.*passwd" is not a file of the edition folder/);
  });
});

describe('group 2: files the generator did not write', () => {
  it('a foreign README.md in --out is not overwritten without --force; the error names it', () => {
    const out = join(tmp(), 'pkg');
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), 'my own notes');
    const e = errorOf(() => writeTree(out, files, 's1'));
    expect(e.message).toContain(join(out, 'README.md'));
    expect(e.message).toMatch(/--force/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('my own notes');
    expect(existsSync(join(out, 'index.ts'))).toBe(false); // nothing half-written
    writeTree(out, files, 's1', { force: true });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('generated readme');
  });

  it('a generated file edited since is neither overwritten nor removed without --force', () => {
    const { out } = setup();
    writeFileSync(join(out, 'index.ts'), '// my edit\n');
    expect(errorOf(() => writeTree(out, [...files.slice(0, 1), { path: 'index.ts', content: 'new' }, files[2]!], 's2')).message).toContain('index.ts');
    writeFileSync(join(out, 'sub/a.ts'), 'edited a');
    expect(errorOf(() => writeTree(out, files.slice(0, 2).map((f) => (f.path === 'index.ts' ? { ...f, content: '// my edit\n' } : f)), 's2')).message).toContain(join('sub', 'a.ts'));
    expect(readFileSync(join(out, 'sub/a.ts'), 'utf8')).toBe('edited a');
  });

  it('a file with exactly the bytes it would get is not a conflict; foreign folders are carried over', () => {
    const out = join(tmp(), 'pkg');
    mkdirSync(join(out, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(out, 'node_modules', 'x', 'i.js'), 'dep');
    writeFileSync(join(out, 'README.md'), 'generated readme');
    expect(writeTree(out, files, 's1')).toEqual({ written: 2, unchanged: 1, removed: 0 });
    expect(readFileSync(join(out, 'node_modules', 'x', 'i.js'), 'utf8')).toBe('dep');
  });
});

describe('group 5: the tree is switched whole', () => {
  it('a full disk while writing leaves the previous tree exactly as it was, with no staging folder', () => {
    const { root, out } = setup();
    const before = readFileSync(join(out, 'README.md'), 'utf8');
    let n = 0;
    const full: Partial<WriteFs> = {
      writeFileSync: (p, d) => {
        if (++n === 2) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', path: p });
        writeFileSync(p, d);
      },
    };
    const next = files.map((f) => ({ ...f, content: `${f.content} v2` }));
    const e = errorOf(() => writeTree(out, next, 's2', { fs: full }));
    expect(e).toBeInstanceOf(DictgenError);
    expect(e.message).toMatch(/^--out .*no space left/);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'sub/a.ts'), 'utf8')).toBe('a');
    expect(readStamp(out)).toBe('s1');
    expect(readdirSync(root)).toEqual(['pkg']);
  });

  it('a failure between the two renames puts the previous tree back', () => {
    const { root, out } = setup();
    let renames = 0;
    const e = errorOf(() =>
      writeTree(out, [{ path: 'README.md', content: 'v2' }], 's2', {
        fs: {
          renameSync: (a: string, b: string) => {
            if (++renames === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
            renameSync(a, b);
          },
        },
      }),
    );
    expect(e.message).toMatch(/EIO/);
    expect(readStamp(out)).toBe('s1');
    expect(readdirSync(root)).toEqual(['pkg']);
  });

  it('sweeps temp-file leftovers and stale staging folders; restores a parked tree', () => {
    const { root, out } = setup();
    writeFileSync(join(out, `README.md.tmp-${DEAD_PID}-abc123`), 'half');
    mkdirSync(join(root, `.pkg.staging-${DEAD_PID}`));
    writeTree(out, files, 's2');
    expect(readdirSync(out).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(root)).toEqual(['pkg']);
    // Killed after parking the old tree and before moving the new one in.
    const parked = join(root, `.pkg.old-${DEAD_PID}`);
    renameSync(out, parked);
    writeTree(out, files, 's2');
    expect(readdirSync(root)).toEqual(['pkg']);
    expect(readStamp(out)).toBe('s2');
  });

  it('unchanged files keep their timestamps across the switch', () => {
    const { out } = setup();
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(out, 'index.ts'), old, old);
    writeTree(out, [...files.slice(0, 2), { path: 'sub/a.ts', content: 'changed' }], 's2');
    expect(statSync(join(out, 'index.ts')).mtime.getTime()).toBe(old.getTime());
  });
});

describe('group 7: outputs may not be inputs', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'diff', 'new.ir.json');
  it('--ir naming a source file is refused and the source is unchanged', async () => {
    const d = tmp();
    const src = join(d, 'src');
    mkdirSync(src);
    copyFileSync(fixture, join(src, 'edition.ir.json'));
    const before = readFileSync(join(src, 'edition.ir.json'), 'utf8');
    const r = await cli(['generate', '--source', 'src', '--out', 'pkg', '--ir', 'src/edition.ir.json', '--quiet'], d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ir .* an output may not overwrite an input/);
    expect(readFileSync(join(src, 'edition.ir.json'), 'utf8')).toBe(before);
  });

  it('--report naming a source by another spelling, and --out equal to a source, are refused', async () => {
    const d = tmp();
    mkdirSync(join(d, 'src'));
    copyFileSync(fixture, join(d, 'src', 'edition.ir.json'));
    expect((await cli(['generate', '--source', 'src', '--out', 'pkg', '--report', './src/../src/edition.ir.json', '-q'], d)).err).toMatch(/^dicom-dictgen: --report /);
    const r = await cli(['generate', '--source', 'src', '--out', 'src', '-q'], d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out .*input layer source/);
  });
});

describe('group 9: file-argument errors are one line naming the argument', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'diff', 'new.ir.json');
  it('--out under /proc fails at once instead of looping in mkdir', () => {
    if (!existsSync('/proc/self')) return;
    const e = errorOf(() => writeTree('/proc/nope/x', files, 's'));
    expect(e).toBeInstanceOf(DictgenError);
    expect(e.message).toMatch(/^--out \/proc\/nope\/x: /);
  });

  it('--ir naming a folder (EISDIR) and --report below a file (ENOTDIR) name the argument', async () => {
    const d = tmp();
    mkdirSync(join(d, 'src'));
    copyFileSync(fixture, join(d, 'src', 'edition.ir.json'));
    mkdirSync(join(d, 'irdir.json'));
    writeFileSync(join(d, 'afile'), 'x');
    const a = await cli(['generate', '--source', 'src', '--out', 'pkg', '--ir', 'irdir.json', '-q', '--no-format'], d);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/^dicom-dictgen: --ir .*irdir\.json: .*\n$/);
    expect(a.err).not.toMatch(/EISDIR|    at /);
    const b = await cli(['generate', '--source', 'src', '--out', 'pkg', '--report', 'afile/r.json', '-q', '--no-format'], d);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^dicom-dictgen: --report .*afile\/r\.json: .*is a file, not a folder/);
  });

  it('--previous-ir and --alias-table that do not exist (or are folders) are one line naming the argument', async () => {
    const d = tmp();
    mkdirSync(join(d, 'src'));
    copyFileSync(fixture, join(d, 'src', 'edition.ir.json'));
    mkdirSync(join(d, 'adir'));
    const a = await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--previous-ir', 'missing.ir.json'], d);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/^dicom-dictgen: --previous-ir .*missing\.ir\.json: does not exist\. Check the path\n$/);
    const b = await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--alias-table', 'adir'], d);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^dicom-dictgen: --alias-table .*adir: is a folder, a file is expected/);
  });

  it('--out naming a file is one line naming --out', async () => {
    const d = tmp();
    mkdirSync(join(d, 'src'));
    copyFileSync(fixture, join(d, 'src', 'edition.ir.json'));
    writeFileSync(join(d, 'pkg'), 'x');
    const r = await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--no-format'], d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dicom-dictgen: --out .*pkg: is a file, not a folder/);
  });
});

void generate;
