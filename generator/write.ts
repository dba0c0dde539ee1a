/**
 * The write stage. The new tree is built in a staging folder beside `--out` and switched in by
 * rename, so a kill or a full disk never leaves a mixed tree (docs/hardening.md). Files whose bytes
 * did not change are hard-linked (same inode, so their timestamps stay and downstream incremental
 * builds stay cached); files a previous run generated and this run does not are left out of the
 * new tree. A file the generator did not write (not in `.dictgen-manifest.json`, or changed since)
 * is never overwritten or removed without `force`; other foreign files are carried over untouched.
 * Manifest entries must resolve inside `--out`; nothing outside it is ever read, written or removed.
 */
import * as fs from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sha256 } from '../sources/common/hash.ts';
import { inputError } from '../sources/common/errors.ts';
import { ensureDir, fileArgError } from './file-args.ts';

export const MANIFEST = '.dictgen-manifest.json';

/** A file of the tree to write: an emitted package file, or bytes (the site passes pages as bytes to keep its heap small). */
export interface TreeFile {
  /** Relative to the output folder, POSIX separators. */
  path: string;
  content: string | Uint8Array;
  /** `content` as this run read it from `from` (its UTF-8 bytes and their sha256): kept without reading, encoding or hashing it again. */
  disk?: DiskCopy;
}

/** The bytes a file has on disk, read in this run (the format stage takes unchanged files from the output folder). */
export interface DiskCopy {
  /** Absolute path they were read from. */
  from: string;
  bytes: Uint8Array;
  sha256: string;
}

interface EncodedFile extends TreeFile {
  content: Uint8Array;
}

interface Manifest {
  stamp: string;
  files: Record<string, string>;
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

/** The fs calls that change the disk; tests inject failures (a full disk) through these. */
export interface WriteFs {
  writeFileSync: (path: string, data: string | Uint8Array) => void;
  renameSync: (from: string, to: string) => void;
  linkSync: (existing: string, link: string) => void;
  mkdirSync: (path: string) => void;
}

const realFs: WriteFs = {
  writeFileSync: (p, d) => fs.writeFileSync(p, d),
  renameSync: (a, b) => fs.renameSync(a, b),
  linkSync: (a, b) => fs.linkSync(a, b),
  mkdirSync: (p) => fs.mkdirSync(p),
};

export interface WriteOptions {
  /** Overwrite or remove files the generator did not write (or that were edited since). */
  force?: boolean;
  /** The argument `outDir` came from, for error messages (`--out`). */
  argName?: string;
  fs?: Partial<WriteFs>;
}

/** Leftover of an interrupted per-file atomic write: `name.tmp-<pid>-<random>`. */
const TMP_LEFTOVER = /\.tmp-\d+-[a-z0-9]+$/;

export function atomicWriteFile(path: string, content: string | Uint8Array, argName = 'output file'): void {
  ensureDir(dirname(path), argName, path);
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, path);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw fileArgError(e, argName, path);
  }
}

/** True when `rel` names a path strictly inside the output folder (no `..`, not absolute). */
export function isInside(root: string, rel: string): boolean {
  if (rel === '' || isAbsolute(rel) || rel.includes('\0')) return false;
  const r = relative(root, resolve(root, rel));
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

function readManifest(outDir: string): Manifest | undefined {
  const p = join(outDir, MANIFEST);
  if (!fs.existsSync(p)) return undefined;
  try {
    const m = JSON.parse(fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '')) as Partial<Manifest>;
    if (typeof m.stamp !== 'string' || !m.files || typeof m.files !== 'object') return undefined;
    const files: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(m.files)) if (typeof v === 'string') files[k] = v;
    return { stamp: m.stamp, files };
  } catch {
    return undefined;
  }
}

/** Manifest entries that point outside `--out` (`../README.md`): refused, never followed. */
function escapingEntries(outDir: string, m: Manifest | undefined): string[] {
  return Object.keys(m?.files ?? {}).filter((rel) => !isInside(outDir, rel) || rel === MANIFEST);
}

/** The stamp of the last complete run, if every file it wrote is still there unchanged. */
export function readStamp(outDir: string): string | undefined {
  const m = readManifest(outDir);
  if (!m || escapingEntries(outDir, m).length > 0) return undefined;
  for (const [rel, hash] of Object.entries(m.files)) {
    const p = join(outDir, rel);
    if (!fs.existsSync(p) || sha256(fs.readFileSync(p)) !== hash) return undefined;
  }
  return m.stamp;
}

function stagingName(outDir: string, kind: 'staging' | 'old', pid: number): string {
  return join(dirname(outDir), `.${basename(outDir)}.${kind}-${pid}`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Clean up after an interrupted run: a previous tree parked as `.out.old-<pid>` comes back when
 * `--out` is missing (killed between the two renames); stale staging folders are removed.
 */
export function sweepLeftovers(outDir: string): number {
  const parent = dirname(outDir);
  if (!fs.existsSync(parent)) return 0;
  const prefix = `.${basename(outDir)}.`;
  let swept = 0;
  for (const name of fs.readdirSync(parent).sort()) {
    const m = name.startsWith(prefix) ? /^(staging|old)-(\d+)$/.exec(name.slice(prefix.length)) : null;
    if (!m || isAlive(Number(m[2]))) continue;
    const p = join(parent, name);
    if (m[1] === 'old' && !fs.existsSync(outDir)) fs.renameSync(p, outDir);
    else fs.rmSync(p, { recursive: true, force: true });
    swept++;
  }
  return swept;
}

interface Plan {
  /** Relative paths (files, symlinks or whole foreign folders) hard-linked or copied into the new tree; `file` when known to be a plain file. */
  carry: { rel: string; file: boolean }[];
  /** New content to write. */
  write: EncodedFile[];
  conflicts: string[];
  summary: WriteSummary;
  leftovers: string[];
}

/** Decide, for every path in the old tree and every new file, what the new tree gets. */
function planTree(outDir: string, files: readonly EncodedFile[], old: Manifest | undefined, force: boolean): Plan {
  const next = new Map(files.map((f) => [f.path, f]));
  const oldFiles = old?.files ?? {};
  const known = new Set([...next.keys(), ...Object.keys(oldFiles)]);
  const knownDirs = new Set<string>();
  for (const k of known) for (let d = dirname(k); d !== '.' && d !== ''; d = dirname(d)) knownDirs.add(d);
  const plan: Plan = { carry: [], write: [], conflicts: [], summary: { written: 0, unchanged: 0, removed: 0 }, leftovers: [] };
  const seen = new Set<string>();
  const walk = (rel: string) => {
    for (const ent of fs.readdirSync(join(outDir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (r === MANIFEST) continue;
      if (TMP_LEFTOVER.test(ent.name)) {
        plan.leftovers.push(r);
        continue;
      }
      if (ent.isDirectory() && knownDirs.has(r)) {
        walk(r);
        continue;
      }
      seen.add(r);
      const isFile = ent.isFile();
      const nf = next.get(r);
      const onDisk = isFile && nf?.disk?.from === join(outDir, r);
      const bytes = isFile && !onDisk ? fs.readFileSync(join(outDir, r)) : undefined;
      // Hashed only when needed: most files of a regeneration are unchanged and compared byte for byte.
      const owned = () => bytes !== undefined && oldFiles[r] !== undefined && sha256(bytes) === oldFiles[r];
      if (nf) {
        if (onDisk || (bytes !== undefined && sameBytes(bytes, nf.content))) {
          plan.carry.push({ rel: r, file: isFile });
          plan.summary.unchanged++;
        } else if (force || owned()) {
          plan.write.push(nf);
          plan.summary.written++;
        } else plan.conflicts.push(r);
      } else if (owned()) plan.summary.removed++;
      else if (oldFiles[r] !== undefined) {
        if (force) plan.summary.removed++;
        else plan.conflicts.push(r);
      } else plan.carry.push({ rel: r, file: isFile }); // a foreign file or folder: kept as it is
    }
  };
  if (fs.existsSync(outDir)) walk('');
  for (const f of files) {
    if (!seen.has(f.path)) {
      plan.write.push(f);
      plan.summary.written++;
    }
  }
  return plan;
}

/**
 * The new tree would be the old one, file for file (nothing written, removed or swept, every entry
 * carried as it is): no staging folder is needed, the run only replaces the manifest atomically.
 */
function isUnchangedTree(outDir: string, plan: Plan): boolean {
  return plan.write.length === 0 && plan.summary.removed === 0 && plan.leftovers.length === 0 && fs.existsSync(outDir);
}

function sameBytes(bytes: Uint8Array, content: Uint8Array): boolean {
  return bytes.length === content.length && Buffer.compare(bytes, content) === 0;
}

/**
 * The file with the bytes it already has in the output folder (`disk`: kept by the write stage
 * without reading, encoding or hashing it again), or as it is when the folder holds other bytes
 * or none. The pipeline calls it while the emit worker still runs (issue 13).
 */
export function withDiskCopy<T extends TreeFile>(outDir: string, file: T): T {
  const from = diskPathOf(outDir, file);
  if (from === undefined) return file;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(from);
  } catch {
    return file;
  }
  return matchedOnDisk(file, from, bytes);
}

/** `withDiskCopy` with an asynchronous read (`read`: the reader, such as one that bounds the reads in flight). */
export async function withDiskCopyAsync<T extends TreeFile>(outDir: string, file: T, read: (path: string) => Promise<Buffer> = (p) => fs.promises.readFile(p)): Promise<T> {
  const from = diskPathOf(outDir, file);
  if (from === undefined) return file;
  let bytes: Buffer;
  try {
    bytes = await read(from);
  } catch {
    return file;
  }
  return matchedOnDisk(file, from, bytes);
}

/** Where a file of text content without a disk copy yet would be in the output folder. */
function diskPathOf(outDir: string, file: TreeFile): string | undefined {
  return file.disk || typeof file.content !== 'string' || !isInside(outDir, file.path) ? undefined : join(outDir, file.path);
}

function matchedOnDisk<T extends TreeFile>(file: T, from: string, bytes: Buffer): T {
  const text = file.content as string;
  // Decoding the disk copy is cheaper than encoding the text (a young string, not a fresh buffer); equal text and length mean equal bytes.
  if (bytes.length !== Buffer.byteLength(text) || bytes.toString('utf8') !== text) return file;
  return { ...file, disk: { from, bytes, sha256: sha256(bytes) } };
}

/** Every file as bytes, encoded once (or as read from disk): compared, hashed for the manifest and written without encoding the text again (issue 13). */
function asBytes(files: readonly TreeFile[]): EncodedFile[] {
  return files.map((f) => (typeof f.content !== 'string' ? (f as EncodedFile) : { path: f.path, content: f.disk?.bytes ?? Buffer.from(f.content, 'utf8'), ...(f.disk ? { disk: f.disk } : {}) }));
}

/** Hard-link (keeps inode and mtime) or, across filesystems, copy with the same timestamps; `file`: known to be a plain file (no lstat first). */
function carryOver(from: string, to: string, wfs: WriteFs, file = false): void {
  if (file) return linkOrCopy(from, to, wfs);
  const st = fs.lstatSync(from);
  if (st.isDirectory()) {
    wfs.mkdirSync(to);
    for (const n of fs.readdirSync(from)) carryOver(join(from, n), join(to, n), wfs);
  } else if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else linkOrCopy(from, to, wfs);
}

function linkOrCopy(from: string, to: string, wfs: WriteFs): void {
  try {
    wfs.linkSync(from, to);
  } catch {
    const st = fs.statSync(from);
    fs.copyFileSync(from, to);
    fs.utimesSync(to, st.atime, st.mtime);
  }
}

function ensureParents(root: string, rel: string, made: Set<string>, wfs: WriteFs): void {
  const parts = rel.split('/').slice(0, -1);
  let d = '';
  for (const p of parts) {
    d = d ? `${d}/${p}` : p;
    if (made.has(d)) continue;
    if (!fs.existsSync(join(root, d))) wfs.mkdirSync(join(root, d));
    made.add(d);
  }
}

function manifestText(stamp: string, files: readonly EncodedFile[]): string {
  const entries = files.map((f) => [f.path, f.disk?.sha256 ?? sha256(f.content)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${JSON.stringify({ stamp, files: Object.fromEntries(entries) }, null, 1)}\n`;
}

export function writeTree(outDir: string, tree: readonly TreeFile[], stamp: string, opts: WriteOptions = {}): WriteSummary {
  const arg = opts.argName ?? '--out';
  const wfs: WriteFs = { ...realFs, ...opts.fs };
  const files = asBytes(tree);
  for (const f of files) if (!isInside(outDir, f.path) || f.path.includes('\\') || f.path === MANIFEST) throw new Error(`internal: emitted path "${f.path}" is not inside the output folder`);
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw inputError(`${arg} ${outDir}`, 'is a file, not a folder', `Pass a folder for ${arg}`);
  sweepLeftovers(outDir);
  const old = readManifest(outDir);
  const escaping = escapingEntries(outDir, old);
  if (escaping.length > 0 && !opts.force) {
    throw inputError(join(outDir, MANIFEST), `entry "${escaping[0]}" points outside ${arg}; refused, nothing was removed`, 'Delete the manifest or pass --force (which ignores such entries)');
  }
  if (old) for (const rel of escaping) delete old.files[rel];
  const plan = planTree(outDir, files, old, Boolean(opts.force));
  if (plan.conflicts.length > 0) {
    const first = join(outDir, plan.conflicts[0]!);
    const more = plan.conflicts.length > 1 ? ` (and ${plan.conflicts.length - 1} more)` : '';
    throw inputError(first, `was not written by dicom-dictgen, or was changed since${more}; refusing to overwrite or remove it`, 'Move it out of the output folder, or pass --force to replace it');
  }
  ensureDir(dirname(outDir), arg, outDir);
  if (isUnchangedTree(outDir, plan)) {
    // Every file is already there with its bytes and nothing goes: only the manifest is new (issue 13).
    atomicWriteFile(join(outDir, MANIFEST), manifestText(stamp, files), arg);
    return plan.summary;
  }
  const staging = stagingName(outDir, 'staging', process.pid);
  const parked = stagingName(outDir, 'old', process.pid);
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    wfs.mkdirSync(staging);
    const made = new Set<string>();
    for (const { rel, file } of plan.carry) {
      ensureParents(staging, rel, made, wfs);
      carryOver(join(outDir, rel), join(staging, rel), wfs, file);
    }
    for (const f of plan.write) {
      ensureParents(staging, f.path, made, wfs);
      wfs.writeFileSync(join(staging, f.path), f.content);
    }
    wfs.writeFileSync(join(staging, MANIFEST), manifestText(stamp, files));
    if (fs.existsSync(outDir)) {
      wfs.renameSync(outDir, parked);
      wfs.renameSync(staging, outDir);
      fs.rmSync(parked, { recursive: true, force: true });
    } else wfs.renameSync(staging, outDir);
  } catch (e) {
    if (!fs.existsSync(outDir) && fs.existsSync(parked)) fs.renameSync(parked, outDir);
    fs.rmSync(staging, { recursive: true, force: true });
    throw fileArgError(e, arg, outDir);
  }
  return plan.summary;
}
