/**
 * A content-addressed cache of scraped layers (issue 13). A layer's entry is keyed by a sha256
 * over everything its scrape reads or runs: the cache format, Node's version, the generator's code
 * and templates (`generatorFingerprint`), the lockfile (parser and package versions), the layer
 * (name, path, parts) and every source discovery finds in it (kind, path, part, content hash) with
 * the names it ignores. An entry is written only when the inputs hashed again after the scrape
 * still give the key, and read only when it names that key; anything unreadable is a miss. So an
 * entry can only be served for byte-identical inputs and code (test/scrape-cache.test.ts). The key
 * reuses hashes this run's stamp took of the same file versions (`beginHashMemo` in input-hash.ts);
 * the re-check reads every input again.
 * DICTGEN_SCRAPE_CACHE=off disables it, or names another folder (default
 * node_modules/.cache/dicom-dictgen/scrape/); it keeps the newest MAX_ENTRIES entries.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discoverSources } from './discover.ts';
import { repoRoot } from './repo-root.ts';
import { sha256 } from '../sources/common/hash.ts';
import type { Ir, Report } from './ir.ts';
import { hashInput, type HashOptions } from './input-hash.ts';
import type { Layer } from './pipeline.ts';

const FORMAT = 'dicom-dictgen scrape cache 1';
const MAX_ENTRIES = 24;

export interface CachedLayer {
  ir: Ir;
  report: Report;
  progress: string[];
}

export function scrapeCacheDir(): string | undefined {
  const env = process.env.DICTGEN_SCRAPE_CACHE;
  if (env === 'off') return undefined;
  return env && env !== '' ? resolve(env) : join(repoRoot, 'node_modules', '.cache', 'dicom-dictgen', 'scrape');
}

/**
 * The key of a layer's scrape. An input this run hashed already (the stamp's, under
 * `beginHashMemo`) is taken from the memo; `fresh` hashes every input now (the re-check after a scrape).
 */
export function layerKey(layer: Layer, codeFingerprint: string, opts: HashOptions = {}): string {
  const hash = (path: string) => hashInput(path, undefined, opts);
  const lock = join(repoRoot, 'package-lock.json');
  const lines = [FORMAT, `node ${process.version}`, `code ${codeFingerprint}`, `lock ${existsSync(lock) ? hash(lock) : '-'}`];
  lines.push(`layer ${JSON.stringify({ name: layer.name, path: resolve(layer.path), parts: layer.parts ?? null })}`);
  const { found, ignored } = discoverSources(layer.path);
  for (const f of found) lines.push(`source ${f.kind} ${resolve(f.path)} ${f.partHint ?? '-'} ${hash(f.path)}`);
  for (const n of ignored) lines.push(`ignored ${n}`);
  return sha256(lines.join('\n'));
}

export function readCachedLayer(dir: string, key: string): CachedLayer | undefined {
  try {
    const e = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as { key?: unknown; ir?: Ir; report?: Report; progress?: string[] };
    if (e.key !== key || !e.ir || !e.report || !Array.isArray(e.report.accounts) || !Array.isArray(e.report.diagnostics) || !Array.isArray(e.progress)) return undefined;
    return { ir: e.ir, report: e.report, progress: e.progress };
  } catch {
    return undefined;
  }
}

/** Write an entry (atomically) if the layer's inputs still hash to `key`; drop the oldest entries beyond MAX_ENTRIES. */
export function writeCachedLayer(dir: string, key: string, layer: Layer, codeFingerprint: string, scraped: CachedLayer): void {
  try {
    if (layerKey(layer, codeFingerprint, { fresh: true }) !== key) return; // an input changed since the key was taken (read again, not from the memo)
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, ir: scraped.ir, report: scraped.report, progress: scraped.progress }));
    renameSync(tmp, file);
    const entries = readdirSync(dir).filter((n) => n.endsWith('.json'));
    if (entries.length > MAX_ENTRIES) {
      const byAge = entries.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
      for (const { n } of byAge.slice(MAX_ENTRIES)) rmSync(join(dir, n), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}
