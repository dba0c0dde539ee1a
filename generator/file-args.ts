/**
 * File arguments (`--out`, `--ir`, `--report`, `--previous-ir`, `--alias-table`, `--config`, …):
 * file-system errors become one line naming the argument, the path and the fix, instead of a raw
 * `EACCES: permission denied, open …`. Also: folders are created one level at a time, because
 * Node's recursive mkdir never returns under /proc (`--out /proc/nope/x`).
 */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, relative, isAbsolute, resolve } from 'node:path';
import { DictgenError, inputError } from '../sources/common/errors.ts';

const PROBLEMS: Record<string, [string, string]> = {
  ENOENT: ['does not exist', 'Check the path'],
  EACCES: ['permission denied', 'Choose a path you can write to, or fix its permissions'],
  EPERM: ['operation not permitted', 'Choose a path you can write to, or fix its permissions'],
  EROFS: ['is on a read-only file system', 'Choose a writable location'],
  EEXIST: ['already exists and is in the way', 'Remove or rename what is there, or choose another path'],
  EISDIR: ['is a folder, a file is expected', 'Pass a file path'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'Check the path'],
  ENOSPC: ['no space left on the device', 'Free some disk space and run again; nothing was half-written'],
  EDQUOT: ['disk quota exceeded', 'Free some space and run again; nothing was half-written'],
  ENAMETOOLONG: ['path is too long', 'Choose a shorter path'],
  ELOOP: ['too many symbolic links', 'Check the path'],
};

/** A DictgenError for a failed file operation on a command-line argument; other errors pass through. */
export function fileArgError(e: unknown, argName: string, path: string): unknown {
  if (e instanceof DictgenError) return e;
  const err = e as NodeJS.ErrnoException;
  const known = err.code ? PROBLEMS[err.code] : undefined;
  if (!known) return e;
  const at = err.path && err.path !== path ? ` (at ${err.path})` : '';
  return inputError(`${argName} ${path}`, `${known[0]}${at}`, known[1]);
}

/** mkdir -p, one level at a time, with one-line errors naming the argument. */
export function ensureDir(dir: string, argName: string, argPath = dir): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) throw inputError(`${argName} ${argPath}`, `${d} is a file, not a folder`, 'Check the path');
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(m).isDirectory()) continue;
      throw fileArgError(e, argName, argPath);
    }
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function canonical(p: string): string {
  let d = resolve(p);
  const rest: string[] = [];
  while (!existsSync(d)) {
    const up = dirname(d);
    if (up === d) return resolve(p);
    rest.unshift(basename(d));
    d = up;
  }
  return resolve(realpathSync(d), ...rest);
}

/** True when `inner` is `outer` or lies inside it (symbolic links resolved). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const r = relative(canonical(outer), canonical(inner));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
