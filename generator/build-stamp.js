// The stamp that says which sources a compiled build (.build/, see build.js) was made from: the path,
// size and mtime of every .ts file under generator/ and sources/. Plain JS so the launcher can check
// it without a TypeScript loader; a stat of ~160 files costs a few ms. Any edit, added or removed
// file changes it, so a stale build is never run (a false "stale" only costs the tsx fallback).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_SOURCE_DIRS = ['generator', 'sources'];
export const STAMP_FILE = 'build-stamp.json';

/** Every .ts file the build compiles, relative to the repository root, sorted. */
export function buildSources(root) {
  const files = [];
  for (const dir of BUILD_SOURCE_DIRS) {
    for (const rel of readdirSync(join(root, dir), { recursive: true })) {
      if (typeof rel === 'string' && rel.endsWith('.ts')) files.push(join(dir, rel));
    }
  }
  return files.sort();
}

/** sha256 over path, size and mtime of every source. */
export function sourceStamp(root) {
  const h = createHash('sha256');
  for (const f of buildSources(root)) {
    const s = statSync(join(root, f));
    h.update(`${f}\t${s.size}\t${s.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/** True when `buildDir` holds a finished build of the sources as they are now. */
export function buildIsFresh(root, buildDir) {
  const stampPath = join(buildDir, STAMP_FILE);
  if (!existsSync(stampPath)) return false;
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8')).sources === sourceStamp(root);
  } catch {
    return false;
  }
}
