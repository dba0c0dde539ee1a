/**
 * The format stage: prettier over every emitted TypeScript/JSON/Markdown file, with one fixed config.
 * Files an emitter marks `preformatted` are skipped (their emitter writes their final layout).
 * A file skips prettier when its formatted text is known for the same unformatted text, prettier
 * version, config and parser (the format key):
 * - from the format index of the output folder (`.dictgen-format.json`, written beside the files
 *   and committed with generated/), only if the file on disk still has the sha256 recorded there,
 *   so a fresh clone reuses the committed formatted files (issue 13);
 * - from the local cache (DICTGEN_FORMAT_CACHE, default node_modules/.cache/dicom-dictgen/format;
 *   `off` disables it).
 * Prettier itself is loaded only when some file needs it.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { Options } from 'prettier';
import type { EmittedFile } from './emit/context.ts';
import { withDiskCopyAsync, type DiskCopy } from './write.ts';
import { sha256 } from '../sources/common/hash.ts';
import { repoRoot } from './repo-root.ts';

/** The format index: relative path → format key of its unformatted text and sha256 of the formatted bytes. */
export const FORMAT_INDEX = '.dictgen-format.json';

/** An emitted file after the format stage; `formatKey` is set on files that prettier formats (or would). */
export interface FormattedFile extends EmittedFile {
  formatKey?: string;
  /** Taken from the output folder (format index): its bytes and sha256, which the write stage and the new index reuse. */
  disk?: DiskCopy;
}

export interface FormatOptions {
  /** Output folder of an earlier run: its format index lets unchanged files skip prettier. */
  previousOut?: string;
}

export const PRETTIER_OPTIONS: Options = {
  printWidth: 110,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
};

function parserFor(path: string): string | undefined {
  if (path.endsWith('.ts')) return 'typescript';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.md')) return 'markdown';
  return undefined;
}

export function formatCacheDir(): string | undefined {
  const env = process.env.DICTGEN_FORMAT_CACHE;
  if (env === 'off') return undefined;
  return env ?? join(repoRoot, 'node_modules', '.cache', 'dicom-dictgen', 'format') + sep;
}

/** Cache key: prettier's version, the config, the parser and the unformatted text. */
export function formatKey(prettierVersion: string, parser: string, content: string): string {
  return createHash('sha256').update(`${prettierVersion}\0${JSON.stringify(PRETTIER_OPTIONS)}\0${parser}\0`).update(content).digest('hex');
}

function readCached(dir: string | undefined, key: string): string | undefined {
  if (!dir) return undefined;
  try {
    return readFileSync(join(dir, key.slice(0, 2), key), 'utf8');
  } catch {
    return undefined;
  }
}

function writeCached(dir: string | undefined, key: string, text: string): void {
  if (!dir) return;
  try {
    const file = join(dir, key.slice(0, 2), key);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}

/** prettier's version without loading prettier (its package.json). */
function prettierVersion(): string {
  return (createRequire(import.meta.url)('prettier/package.json') as { version: string }).version;
}

type FormatIndex = Record<string, { key: string; sha256: string }>;

function readFormatIndex(outDir: string | undefined): FormatIndex {
  const index = Object.create(null) as FormatIndex;
  if (!outDir) return index;
  try {
    const raw = JSON.parse(readFileSync(join(outDir, FORMAT_INDEX), 'utf8')) as Record<string, unknown>;
    for (const [path, v] of Object.entries(raw)) {
      const e = v as { key?: unknown; sha256?: unknown };
      if (typeof e?.key === 'string' && typeof e.sha256 === 'string') index[path] = { key: e.key, sha256: e.sha256 };
    }
  } catch {
    // No index (or an unreadable one): every file is formatted or taken from the cache.
  }
  return index;
}

/** At most this many files of the output folder open at once (a batch holds hundreds). */
const OPEN_AT_ONCE = 16;
let open = 0;
const queued: (() => void)[] = [];

/** `readFile` with at most OPEN_AT_ONCE reads in flight (a finished read hands its slot to the next one queued). */
async function readLimited(path: string): Promise<Buffer> {
  if (open < OPEN_AT_ONCE) open++;
  else await new Promise<void>((go) => queued.push(go));
  try {
    return await readFile(path);
  } finally {
    const next = queued.shift();
    if (next) next();
    else open--;
  }
}

/**
 * The file an earlier run wrote for this key, if the file on disk is still exactly that (valid UTF-8,
 * so its text encodes back to the same bytes). Read asynchronously: the files of a batch are read on
 * libuv's threads while this thread hashes the ones already read (issue 13: the batch formatted
 * after the emit worker's last family is the tail of a run, when the worker's core is free).
 */
async function fromIndex(outDir: string | undefined, index: FormatIndex, path: string, key: string): Promise<{ text: string; disk: DiskCopy } | undefined> {
  const e = index[path];
  if (!outDir || e?.key !== key) return undefined;
  try {
    const from = join(outDir, path);
    const bytes = await readLimited(from);
    return sha256(bytes) === e.sha256 && isUtf8(bytes) ? { text: bytes.toString('utf8'), disk: { from, bytes, sha256: e.sha256 } } : undefined;
  } catch {
    return undefined;
  }
}

/** Formats files batch by batch with one format index and one prettier (loaded on first need). */
export interface Formatter {
  /** The files formatted; files formatted by an earlier batch (with a `formatKey`) pass through as they are. */
  format(files: readonly EmittedFile[]): Promise<FormattedFile[]>;
}

export function createFormatter(opts: FormatOptions = {}): Formatter {
  let known: { version: string; dir: string | undefined; index: FormatIndex } | undefined;
  // Loaded on demand: a run whose files are all known, a no-op run or `lookup` never pays for prettier.
  let prettier: Promise<typeof import('prettier')> | undefined;
  const formatOne = async (f: FormattedFile): Promise<FormattedFile> => {
    const parser = parserFor(f.path);
    if (f.formatKey !== undefined) return f;
    // A file prettier skips is matched with the output folder here (its disk copy spares the write stage a read, issue 13).
    if (!parser || f.preformatted) return opts.previousOut ? withDiskCopyAsync(opts.previousOut, f, readLimited) : f;
    known ??= { version: prettierVersion(), dir: formatCacheDir(), index: readFormatIndex(opts.previousOut) };
    const key = formatKey(known.version, parser, f.content);
    const hit = await fromIndex(opts.previousOut, known.index, f.path, key);
    if (hit) return { ...f, content: hit.text, formatKey: key, disk: hit.disk };
    const text = readCached(known.dir, key);
    if (text !== undefined) return { ...f, content: text, formatKey: key };
    try {
      prettier ??= import('prettier');
      const content = await (await prettier).format(f.content, { ...PRETTIER_OPTIONS, parser });
      writeCached(known.dir, key, content);
      return { ...f, content, formatKey: key };
    } catch (e) {
      // A syntax error here is an emitter bug: name the file so it can be found.
      throw new Error(`prettier could not parse emitted ${f.path}: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  return { format: (files) => Promise.all(files.map(formatOne)) };
}

export async function formatFiles(files: EmittedFile[], opts: FormatOptions = {}): Promise<FormattedFile[]> {
  return createFormatter(opts).format(files);
}

/** The format index of a formatted tree (sorted, deterministic): written beside the files, committed with generated/. */
export function formatIndexFile(files: readonly FormattedFile[]): EmittedFile {
  const entries = files
    .filter((f) => f.formatKey !== undefined)
    .map((f) => [f.path, { key: f.formatKey!, sha256: f.disk?.sha256 ?? sha256(f.content) }] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return { path: FORMAT_INDEX, content: `${JSON.stringify(Object.fromEntries(entries), null, 1)}\n`, preformatted: true };
}
