/**
 * The format stage: prettier over every emitted TypeScript/JSON/Markdown file, with one fixed config.
 * Files an emitter marks `preformatted` are written in prettier's layout already and skipped.
 * Prettier's output is cached by a hash of the unformatted text, prettier's version, the config and
 * the parser, so a run formats only files whose unformatted text changed (cache: DICTGEN_FORMAT_CACHE,
 * default node_modules/.cache/dicom-dictgen/format; `off` disables it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'prettier';
import type { EmittedFile } from './emit/context.ts';

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
  return env ?? fileURLToPath(new URL('../node_modules/.cache/dicom-dictgen/format/', import.meta.url));
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

export async function formatFiles(files: EmittedFile[]): Promise<EmittedFile[]> {
  const todo = files.filter((f) => parserFor(f.path) !== undefined && !f.preformatted);
  if (todo.length === 0) return files;
  // Loaded on demand: a no-op incremental run or `lookup` never pays for prettier.
  const prettier = await import('prettier');
  const dir = formatCacheDir();
  return Promise.all(
    files.map(async (f) => {
      const parser = parserFor(f.path);
      if (!parser || f.preformatted) return f;
      const key = formatKey(prettier.version, parser, f.content);
      const cached = readCached(dir, key);
      if (cached !== undefined) return { ...f, content: cached };
      try {
        const content = await prettier.format(f.content, { ...PRETTIER_OPTIONS, parser });
        writeCached(dir, key, content);
        return { ...f, content };
      } catch (e) {
        // A syntax error here is an emitter bug: name the file so it can be found.
        throw new Error(`prettier could not parse emitted ${f.path}: ${(e as Error).message.split('\n')[0]}`);
      }
    }),
  );
}
