/**
 * The download cache: `<cache>/<edition>/partNN.xml|html` plus `sources.lock.json`, and
 * `<cache>/aliases.json` recording which real edition `current` last resolved to.
 * Default location `.cache/dicom-dictgen` under the working directory (gitignored), or
 * $DICOM_DICTGEN_CACHE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { inputError } from '../../sources/common/errors.ts';

export const CACHE_ENV = 'DICOM_DICTGEN_CACHE';
export const ALIASES_NAME = 'aliases.json';

export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CACHE_ENV];
  return fromEnv ? resolve(cwd, fromEnv) : resolve(cwd, '.cache', 'dicom-dictgen');
}

export function editionDir(cacheDir: string, edition: string): string {
  return join(cacheDir, edition);
}

/** A temp name beside `finalPath` (same directory, so the rename is atomic). */
export function tempPathFor(dir: string, fileName: string): string {
  return join(dir, `.${fileName}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw inputError(dir, `cannot create the cache folder (${code})`, `Pass --cache <writable folder> or set ${CACHE_ENV}`);
  }
}

/** Write a small file atomically: temp file in the same folder, fsync, rename. */
export async function atomicWrite(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = tempPathFor(dir, path.slice(dir.length + 1));
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** sha256 and size of a file, or undefined when it does not exist. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number } | undefined> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(createReadStream(path), async function* (src: AsyncIterable<Buffer>) {
      for await (const chunk of src) {
        bytes += chunk.length;
        hash.update(chunk);
      }
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export interface AliasRecord {
  edition: string;
  resolvedAt: string;
}

export async function readAliases(cacheDir: string): Promise<Record<string, AliasRecord>> {
  try {
    const data = JSON.parse(await readFile(join(cacheDir, ALIASES_NAME), 'utf8')) as unknown;
    if (!data || typeof data !== 'object') return {};
    const out: Record<string, AliasRecord> = {};
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      const r = v as Partial<AliasRecord> | null;
      if (r && typeof r.edition === 'string' && typeof r.resolvedAt === 'string') out[k] = { edition: r.edition, resolvedAt: r.resolvedAt };
    }
    return out;
  } catch {
    return {};
  }
}

export async function writeAlias(cacheDir: string, alias: string, record: AliasRecord): Promise<void> {
  await ensureDir(cacheDir);
  await withFileLock(join(cacheDir, `.${ALIASES_NAME}.lock`), async () => {
    const all = await readAliases(cacheDir);
    all[alias] = record;
    const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
    await atomicWrite(join(cacheDir, ALIASES_NAME), JSON.stringify(sorted, null, 2) + '\n');
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** Remove temp files left by a process that died mid-download (the pid in the name is gone). */
export async function sweepStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = TEMP_NAME.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, n)).catch(() => undefined);
  }
}

/**
 * Run `fn` holding an exclusive lock file (O_EXCL create), so two processes updating one
 * lockfile never lose each other's entries. A lock whose holder is dead or older than `staleMs`
 * is broken; waiting longer than `waitMs` is a one-line error.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: { staleMs?: number; waitMs?: number } = {}): Promise<T> {
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await stat(lockPath).catch(() => undefined);
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (!st || Date.now() - st.mtimeMs > staleMs || (holder > 0 && !isAlive(holder))) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw inputError(lockPath, `held by process ${holder || '?'} for too long`, 'Wait for the other dicom-dictgen fetch to finish, or delete the lock file if none is running');
      }
      await sleep(20 + Math.floor(Math.random() * 30));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
