/**
 * `sources.lock.json`: one per edition folder of the cache, recording where each part file came
 * from and what it hashed to, so later runs can trust (or re-check, `--verify`) the cache.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../sources/common/errors.ts';
import { atomicWrite, withFileLock } from './cache.ts';
import type { FetchFormat } from './nema-urls.ts';

export const LOCKFILE_NAME = 'sources.lock.json';
export const LOCKFILE_VERSION = 1;

export interface LockEntry {
  /** `part06.xml` (relative to the edition folder). */
  file: string;
  /** `PS3.6` */
  part: string;
  partNumber: number;
  format: FetchFormat;
  /** Read from the file's subtitle. */
  edition: string;
  /** What was asked for: the same edition, or `current`. */
  requested: string;
  url: string;
  sha256: string;
  bytes: number;
  /** ISO 8601, UTC. */
  retrievedAt: string;
  /** HTTP validators, for conditional re-fetches of `current`. */
  etag?: string;
  lastModified?: string;
}

export interface Lockfile {
  lockfileVersion: number;
  edition: string;
  parts: LockEntry[];
}

export function emptyLockfile(edition: string): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, edition, parts: [] };
}

export function lockfilePath(editionDir: string): string {
  return join(editionDir, LOCKFILE_NAME);
}

function isEntry(x: unknown): x is LockEntry {
  if (!x || typeof x !== 'object') return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.file === 'string' &&
    typeof e.partNumber === 'number' &&
    (e.format === 'docbook' || e.format === 'html') &&
    typeof e.edition === 'string' &&
    typeof e.url === 'string' &&
    typeof e.sha256 === 'string' &&
    typeof e.bytes === 'number' &&
    typeof e.retrievedAt === 'string'
  );
}

/** The lockfile of an edition folder, or undefined when there is none. A damaged one is an input error. */
export async function readLockfile(editionDir: string): Promise<Lockfile | undefined> {
  const path = lockfilePath(editionDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw inputError(path, 'not valid JSON', 'Delete it (and the part files beside it) and fetch again');
  }
  const lf = data as Partial<Lockfile>;
  if (lf.lockfileVersion !== LOCKFILE_VERSION || typeof lf.edition !== 'string' || !Array.isArray(lf.parts) || !lf.parts.every(isEntry)) {
    throw inputError(path, `not a dicom-dictgen lockfile (version ${LOCKFILE_VERSION})`, 'Delete it (and the part files beside it) and fetch again');
  }
  // A lockfile names files of its own folder only (`part06.xml`): `../../etc/passwd` is never read.
  const escaping = lf.parts.find((p) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.file) || p.file.includes('..'));
  if (escaping) throw inputError(path, `entry "${escaping.file}" is not a file of the edition folder; refused, nothing was read`, 'Delete the lockfile (and the part files beside it) and fetch again');
  return lf as Lockfile;
}

function sortEntries(parts: LockEntry[]): LockEntry[] {
  return [...parts].sort((a, b) => a.partNumber - b.partNumber || a.format.localeCompare(b.format));
}

/** Stable key order so the file diffs cleanly. */
function entryJson(e: LockEntry): LockEntry {
  return {
    file: e.file,
    part: e.part,
    partNumber: e.partNumber,
    format: e.format,
    edition: e.edition,
    requested: e.requested,
    url: e.url,
    sha256: e.sha256,
    bytes: e.bytes,
    retrievedAt: e.retrievedAt,
    ...(e.etag ? { etag: e.etag } : {}),
    ...(e.lastModified ? { lastModified: e.lastModified } : {}),
  };
}

export function serializeLockfile(lf: Lockfile): string {
  return JSON.stringify({ lockfileVersion: lf.lockfileVersion, edition: lf.edition, parts: sortEntries(lf.parts).map(entryJson) }, null, 2) + '\n';
}

/** Per-folder write queue, so concurrent downloads in one process never lose an entry. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Record `entry` in the edition folder's lockfile: under a lock file, re-read what is on disk
 * (another process may have added parts), replace the entry for the same file, write atomically.
 */
export function recordEntry(editionDir: string, edition: string, entry: LockEntry): Promise<Lockfile> {
  const prev = queues.get(editionDir) ?? Promise.resolve();
  const next = prev
    .catch(() => undefined)
    .then(() =>
      withFileLock(join(editionDir, `.${LOCKFILE_NAME}.lock`), async () => {
        const lf = (await readLockfile(editionDir)) ?? emptyLockfile(edition);
        lf.parts = sortEntries([...lf.parts.filter((p) => p.file !== entry.file), entry]);
        await atomicWrite(lockfilePath(editionDir), serializeLockfile(lf));
        return lf;
      }),
    );
  queues.set(editionDir, next);
  void next.finally(() => {
    if (queues.get(editionDir) === next) queues.delete(editionDir);
  }).catch(() => undefined);
  return next;
}
