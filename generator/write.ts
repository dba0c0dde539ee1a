/**
 * The write stage. Every file is written to a temporary path beside it and renamed into place, so
 * a crash never leaves a half-written file; files whose content is unchanged are not touched (their
 * timestamps stay, so downstream incremental builds stay cached); files a previous run generated
 * and this run does not are removed. Only files listed in the manifest are ever deleted.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, rmdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256 } from '../sources/common/hash.ts';
import type { EmittedFile } from './emit/context.ts';

export const MANIFEST = '.dictgen-manifest.json';

interface Manifest {
  stamp: string;
  files: Record<string, string>;
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

export function atomicWriteFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function readManifest(outDir: string): Manifest | undefined {
  const p = join(outDir, MANIFEST);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The stamp of the last complete run, if every file it wrote is still there unchanged. */
export function readStamp(outDir: string): string | undefined {
  const m = readManifest(outDir);
  if (!m) return undefined;
  for (const [rel, hash] of Object.entries(m.files)) {
    const p = join(outDir, rel);
    if (!existsSync(p) || sha256(readFileSync(p)) !== hash) return undefined;
  }
  return m.stamp;
}

export function writeTree(outDir: string, files: EmittedFile[], stamp: string): WriteSummary {
  const old = readManifest(outDir);
  const next: Manifest = { stamp, files: {} };
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0 };
  for (const f of files) {
    const p = join(outDir, f.path);
    const hash = sha256(f.content);
    next.files[f.path] = hash;
    if (existsSync(p) && sha256(readFileSync(p)) === hash) {
      summary.unchanged++;
      continue;
    }
    atomicWriteFile(p, f.content);
    summary.written++;
  }
  for (const rel of Object.keys(old?.files ?? {})) {
    if (next.files[rel] !== undefined) continue;
    const p = join(outDir, rel);
    if (existsSync(p)) {
      rmSync(p);
      summary.removed++;
      removeEmptyParents(outDir, dirname(p));
    }
  }
  const sorted: Manifest = { stamp, files: Object.fromEntries(Object.entries(next.files).sort(([a], [b]) => (a < b ? -1 : 1))) };
  const text = `${JSON.stringify(sorted, null, 1)}\n`;
  const mp = join(outDir, MANIFEST);
  if (!existsSync(mp) || readFileSync(mp, 'utf8') !== text) atomicWriteFile(mp, text);
  return summary;
}

function removeEmptyParents(root: string, dir: string): void {
  let d = dir;
  while (d.startsWith(root) && d !== root && existsSync(d) && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = dirname(d);
  }
}
