/**
 * The repository root: the nearest folder above this module whose package.json is named
 * dicom-dictgen. Holds from generator/*.ts (tsx, vitest) and from the compiled .build/generator/*.js
 * alike, so templates, package.json and caches resolve to the repository's real files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepoRoot(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'dicom-dictgen') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json named dicom-dictgen above ${fileURLToPath(fromUrl)}: reinstall the generator`);
    dir = up;
  }
}

export const repoRoot: string = findRepoRoot(import.meta.url);
