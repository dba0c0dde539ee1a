/**
 * Hashes of inputs, shared by the output stamp (pipeline.ts) and the scrape cache
 * (scrape-cache.ts): a file is the sha256 of its bytes, a folder the sha256 of its files' sorted
 * relative paths and hashes (dot folders and node_modules skipped). The asynchronous variants give
 * the same hashes; the stamp uses them while layers are scraped on worker threads.
 *
 * While a run holds the memo (`beginHashMemo`, issue 13), a file is read and hashed once per run: the
 * stamp and the scrape cache's key both hash every layer file (~30 MB with the default config), and
 * the second use finds the hash under the file's path, size, mtime (ns), ctime (ns) and inode.
 * `{ fresh: true }` skips the memo: the scrape cache's re-check after a scrape is a real re-read.
 */
import { readdirSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256 } from '../sources/common/hash.ts';
import { repoRoot } from './repo-root.ts';

const skipFolder = (n: string) => n === 'node_modules' || n.startsWith('.');

/** Hashes of files read in this run, by `memoKey` (while `memoHolders` > 0). */
const memo = new Map<string, string>();
let memoHolders = 0;

/** Hold the per-run memo until the returned function is called (nested holders share it; it is cleared when the last one ends). */
export function beginHashMemo(): () => void {
  memoHolders++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--memoHolders === 0) memo.clear();
  };
}

/** What identifies one version of a file for the memo: path, size, mtime and ctime in ns, device and inode. */
function memoKey(path: string, st: BigIntStats): string {
  return `${resolve(path)}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.dev}\0${st.ino}`;
}

/** A file's hash: the memo's when this run already hashed this version of it (and `fresh` is not asked), else `compute()`'s. */
function memoized(path: string, st: BigIntStats, fresh: boolean, compute: () => string): string {
  if (memoHolders === 0) return compute();
  const key = memoKey(path, st);
  const known = fresh ? undefined : memo.get(key);
  if (known !== undefined) return known;
  const hash = compute();
  memo.set(key, hash);
  return hash;
}

/** `memoized` with an asynchronous computation. */
async function memoizedAsync(path: string, st: BigIntStats, compute: () => Promise<string>): Promise<string> {
  if (memoHolders === 0) return compute();
  const key = memoKey(path, st);
  const known = memo.get(key);
  if (known !== undefined) return known;
  const hash = await compute();
  if (memoHolders > 0) memo.set(key, hash);
  return hash;
}

export interface HashOptions {
  /** Read every file again, whatever the memo holds (the scrape cache's re-check). */
  fresh?: boolean;
}

/** sha256 of every file under a directory (sorted relative paths), for stamps. */
export function hashTree(dir: string, filter: (name: string) => boolean = () => true, opts: HashOptions = {}): string {
  const lines: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p, { bigint: true });
      if (st.isDirectory()) {
        if (!skipFolder(n)) walk(p, `${rel}${n}/`);
      } else if (filter(n)) lines.push(`${rel}${n} ${memoized(p, st, opts.fresh === true, () => sha256(readFileSync(p)))}`);
    }
  };
  walk(dir, '');
  return sha256(lines.join('\n'));
}

/** `hashTree` with asynchronous reads (the same hash). */
async function hashTreeAsync(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const n of (await readdir(d)).sort()) {
      const p = join(d, n);
      const st = await stat(p, { bigint: true });
      if (st.isDirectory()) {
        if (!skipFolder(n)) await walk(p, `${rel}${n}/`);
      } else lines.push(`${rel}${n} ${await memoizedAsync(p, st, async () => sha256(await readFile(p)))}`);
    }
  };
  await walk(dir, '');
  return sha256(lines.join('\n'));
}

/** A source input (file or folder): sha256 of the file, `hashTree` of the folder. */
export function hashInput(path: string, readFile: (path: string) => Buffer = readFileSync, opts: HashOptions = {}): string {
  const st = statSync(path, { bigint: true });
  return st.isDirectory() ? hashTree(path, undefined, opts) : memoized(path, st, opts.fresh === true, () => sha256(readFile(path)));
}

/** `hashInput` with asynchronous reads (the same hash). */
export async function hashInputAsync(path: string): Promise<string> {
  const st = await stat(path, { bigint: true });
  return st.isDirectory() ? hashTreeAsync(path) : memoizedAsync(path, st, async () => sha256(await readFile(path)));
}

let generatorCodeHash: string | undefined;
/** The generator's own code and templates: a change to either invalidates every stamp and cache entry. */
export function generatorFingerprint(): string {
  generatorCodeHash ??= sha256(
    ['generator', 'sources', 'templates'].map((d) => hashTree(join(repoRoot, d), (n) => /\.(ts|hbs)$/.test(n))).join('\n'),
  );
  return generatorCodeHash;
}
