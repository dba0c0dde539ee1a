/**
 * Hashes of inputs, shared by the output stamp (pipeline.ts) and the scrape cache
 * (scrape-cache.ts): a file is the sha256 of its bytes, a folder the sha256 of its files' sorted
 * relative paths and hashes (dot folders and node_modules skipped). The asynchronous variants give
 * the same hashes; the stamp uses them while layers are scraped on worker threads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../sources/common/hash.ts';
import { repoRoot } from './repo-root.ts';

const skipFolder = (n: string) => n === 'node_modules' || n.startsWith('.');

/** sha256 of every file under a directory (sorted relative paths), for stamps. */
export function hashTree(dir: string, filter: (name: string) => boolean = () => true): string {
  const lines: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (!skipFolder(n)) walk(p, `${rel}${n}/`);
      } else if (filter(n)) lines.push(`${rel}${n} ${sha256(readFileSync(p))}`);
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
      if ((await stat(p)).isDirectory()) {
        if (!skipFolder(n)) await walk(p, `${rel}${n}/`);
      } else lines.push(`${rel}${n} ${sha256(await readFile(p))}`);
    }
  };
  await walk(dir, '');
  return sha256(lines.join('\n'));
}

/** A source input (file or folder): sha256 of the file, `hashTree` of the folder. */
export function hashInput(path: string, readFile: (path: string) => Buffer = readFileSync): string {
  return statSync(path).isDirectory() ? hashTree(path) : sha256(readFile(path));
}

/** `hashInput` with asynchronous reads (the same hash). */
export async function hashInputAsync(path: string): Promise<string> {
  return (await stat(path)).isDirectory() ? hashTreeAsync(path) : sha256(await readFile(path));
}

let generatorCodeHash: string | undefined;
/** The generator's own code and templates: a change to either invalidates every stamp and cache entry. */
export function generatorFingerprint(): string {
  generatorCodeHash ??= sha256(
    ['generator', 'sources', 'templates'].map((d) => hashTree(join(repoRoot, d), (n) => /\.(ts|hbs)$/.test(n))).join('\n'),
  );
  return generatorCodeHash;
}
