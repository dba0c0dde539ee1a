/**
 * `fetch --verify`: re-hash the cache against each edition's `sources.lock.json` and report
 * drift — files changed or deleted since they were fetched, part files nobody recorded.
 * Reads only the cache; never the network.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inputError } from '../../sources/common/errors.ts';
import { defaultCacheDir, editionDir, hashFile, readAliases } from './cache.ts';
import { lockfilePath, readLockfile } from './lockfile.ts';
import { isEditionName, partFileName, type FetchFormat } from './nema-urls.ts';
import { usageError } from '../../sources/common/errors.ts';

export type VerifyStatus = 'ok' | 'modified' | 'missing' | 'untracked' | 'not-fetched';

export interface VerifyItem {
  file: string;
  status: VerifyStatus;
  /** From the lockfile. */
  expected?: { sha256: string; bytes: number };
  /** On disk now. */
  actual?: { sha256: string; bytes: number };
}

export interface VerifyEdition {
  edition: string;
  dir: string;
  lockfile: string;
  items: VerifyItem[];
}

export interface VerifyResult {
  cacheDir: string;
  editions: VerifyEdition[];
  /** Items whose status is not `ok`. */
  drift: number;
}

export interface VerifyOptions {
  /** One edition (`current` follows the cache's alias); all fetched editions when omitted. */
  edition?: string;
  /** Only these parts (then a part never fetched counts as drift). */
  parts?: readonly number[];
  format?: FetchFormat;
  cacheDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const PART_FILE = /^part\d{2}\.(?:xml|html)$/;

async function verifyOne(edition: string, dir: string, only: Set<string> | undefined): Promise<VerifyEdition> {
  const lf = await readLockfile(dir);
  if (!lf) throw inputError(dir, `no sources.lock.json: edition ${edition} was never fetched into this cache`, `Run "dicom-dictgen fetch --edition ${edition}" first, or pass --cache <folder>`);
  const items: VerifyItem[] = [];
  for (const e of lf.parts) {
    if (only && !only.has(e.file)) continue;
    const expected = { sha256: e.sha256, bytes: e.bytes };
    const actual = await hashFile(join(dir, e.file));
    if (!actual) items.push({ file: e.file, status: 'missing', expected });
    else items.push({ file: e.file, status: actual.sha256 === e.sha256 && actual.bytes === e.bytes ? 'ok' : 'modified', expected, actual });
  }
  const recorded = new Set(lf.parts.map((p) => p.file));
  if (only) for (const f of only) if (!recorded.has(f)) items.push({ file: f, status: 'not-fetched' });
  for (const name of (await readdir(dir)).sort()) {
    if (!PART_FILE.test(name) || recorded.has(name) || (only && !only.has(name))) continue;
    const actual = await hashFile(join(dir, name));
    items.push({ file: name, status: 'untracked', ...(actual ? { actual } : {}) });
  }
  return { edition, dir, lockfile: lockfilePath(dir), items };
}

export async function verifyCache(options: VerifyOptions = {}): Promise<VerifyResult> {
  const cwd = options.cwd ?? process.cwd();
  const cacheDir = options.cacheDir ? resolve(cwd, options.cacheDir) : defaultCacheDir(cwd, options.env ?? process.env);
  const format = options.format ?? 'docbook';
  const only = options.parts ? new Set(options.parts.map((p) => partFileName(p, format))) : undefined;
  let editions: string[];
  if (options.edition !== undefined) {
    if (!isEditionName(options.edition)) throw usageError(`--edition "${options.edition}" is not an edition name`, 'Use current or a release such as 2013 or 2025b');
    if (options.edition === 'current') {
      const alias = (await readAliases(cacheDir)).current;
      if (!alias) throw inputError(cacheDir, '"current" has never been resolved in this cache', 'Fetch --edition current first, or name the edition');
      editions = [alias.edition];
    } else editions = [options.edition];
  } else {
    let names: string[] = [];
    try {
      names = (await readdir(cacheDir, { withFileTypes: true })).filter((d) => d.isDirectory() && isEditionName(d.name)).map((d) => d.name);
    } catch {
      names = [];
    }
    editions = [];
    for (const n of names.sort()) if (await readLockfile(editionDir(cacheDir, n))) editions.push(n);
    if (editions.length === 0) throw inputError(cacheDir, 'no fetched editions to verify (no sources.lock.json)', 'Run "dicom-dictgen fetch --edition <edition>" first, or pass --cache <folder>');
  }
  const out: VerifyEdition[] = [];
  for (const e of editions) out.push(await verifyOne(e, editionDir(cacheDir, e), only));
  const drift = out.reduce((n, e) => n + e.items.filter((i) => i.status !== 'ok').length, 0);
  return { cacheDir, editions: out, drift };
}
