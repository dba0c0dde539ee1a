/**
 * examples/sibling-viewer: a sibling package that generates a selection of the dictionary at
 * build time through the programmatic API and compiles against it. Also checks that a second
 * build with unchanged inputs touches no file.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync, symlinkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './helpers/shared.ts';

const example = join(repoRoot, 'examples', 'sibling-viewer');
const generated = join(example, 'src', 'generated');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

function linkGenerator(): void {
  // What `npm install` does for the example's `file:../..` dependency, without touching the network.
  const nm = join(example, 'node_modules');
  mkdirSync(nm, { recursive: true });
  const link = join(nm, 'dicom-dictgen');
  if (!existsSync(link)) symlinkSync(repoRoot, link, 'dir');
}

function build(args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'build-dictionary.ts', ...args], { cwd: example, encoding: 'utf8' });
}

function mtimes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return out;
}

describe('example sibling package', () => {
  it('generates only the selected IODs and families, compiles, and a no-op rebuild touches nothing', () => {
    linkGenerator();
    rmSync(generated, { recursive: true, force: true });
    const first = build();
    expect(first.status, first.stderr).toBe(0);
    const iods = readdirSync(join(generated, 'iods')).filter((f) => !f.startsWith('_'));
    expect(iods.some((f) => f.startsWith('ct-image'))).toBe(true);
    expect(iods.some((f) => f.startsWith('rt-dose'))).toBe(true);
    expect(iods.some((f) => f.startsWith('enhanced-ct-image'))).toBe(false);
    expect(existsSync(join(generated, 'private'))).toBe(false);
    const c = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: example, encoding: 'utf8' });
    expect(c.stdout + c.stderr).toBe('');
    expect(c.status).toBe(0);

    const before = mtimes(generated);
    const second = build();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/up to date/);
    expect(mtimes(generated)).toEqual(before);

    const forced = build(['--force']);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(/wrote 0 files|wrote \d+ files/);
  });
});
