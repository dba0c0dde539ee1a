/**
 * The scrape stage over several layers at once (issue 13): each layer is scraped on its own into
 * its own IR and report part, so layers can run on worker threads (two by default: the machine's
 * cores, capped at 2) while the main thread only waits. The result is what scraping them one after
 * another gives: per layer an IR, its report entries and progress lines, handed back in layer order
 * (an error is the first failing layer's, as sequentially). A single layer, one core, or
 * DICTGEN_SCRAPE_WORKERS=0 scrapes in this thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { emptyReport, type Ir, type Report } from './ir.ts';
import { DictgenError, type DictgenErrorKind } from '../sources/common/errors.ts';
import { generatorFingerprint } from './input-hash.ts';
import type { Layer } from './pipeline.ts';
import { layerKey, readCachedLayer, scrapeCacheDir, writeCachedLayer } from './scrape-cache.ts';

export interface ScrapedLayer {
  ir: Ir;
  /** Accounts and diagnostics of this layer (conflicts and counts stay empty). */
  report: Report;
  progress: string[];
}

/** What a scrape worker is sent: a layer, and where its scrape is cached (when it is). */
export interface WorkerJob {
  index: number;
  layer: Layer;
  cache?: { dir: string; key: string; code: string };
}

/** What a scrape worker sends back for one layer. */
export type WorkerReply = { index: number; scraped: ScrapedLayer } | { index: number; error: { kind?: DictgenErrorKind; message: string; stack?: string } };

export type ScrapeOneLayer = (layer: Layer, report: Report, onProgress: (l: string) => void) => Promise<Ir>;

/** Threads to use: DICTGEN_SCRAPE_WORKERS when set, else min(2, cores); never more than layers. */
export function scrapeThreads(layers: number): number {
  const env = process.env.DICTGEN_SCRAPE_WORKERS;
  const want = env !== undefined && env !== '' ? Number(env) : Math.min(2, availableParallelism());
  return Number.isInteger(want) && want > 1 && layers > 1 ? Math.min(want, layers) : 0;
}

/** Scrape every layer; `onProgress` gets each layer's lines in layer order as soon as it and those before it are done. */
export async function scrapeLayers(layers: Layer[], scrapeLayer: ScrapeOneLayer, onProgress: (l: string) => void): Promise<ScrapedLayer[]> {
  const dir = scrapeCacheDir();
  const code = dir ? generatorFingerprint() : '';
  const jobs: WorkerJob[] = layers.map((layer, index) => ({ index, layer, ...(dir ? { cache: { dir, key: layerKey(layer, code), code } } : {}) }));
  const hits = jobs.map((j) => (j.cache ? readCachedLayer(j.cache.dir, j.cache.key) : undefined));
  for (const h of hits) if (h) h.progress = h.progress.map((l) => `${l.replace(/ in \d+ ms$/, '')} (scrape cache)`);
  const todo = jobs.filter((_, i) => !hits[i]);
  const threads = scrapeThreads(todo.length);
  if (threads === 0) {
    const out: ScrapedLayer[] = [];
    for (const j of jobs) {
      const hit = hits[j.index];
      if (hit) {
        for (const l of hit.progress) onProgress(l);
        out.push(hit);
      } else out.push(await scrapeJob(j, scrapeLayer, onProgress));
    }
    return out;
  }
  return scrapeOnWorkers(jobs, hits, todo, threads, onProgress);
}

/** One layer in this thread (a worker's or the main one), written to the cache when it has one. */
export async function scrapeJob(j: WorkerJob, scrapeLayer: ScrapeOneLayer, onProgress: (l: string) => void, afterScrape?: (s: ScrapedLayer) => void): Promise<ScrapedLayer> {
  const report = emptyReport();
  const progress: string[] = [];
  const ir = await scrapeLayer(j.layer, report, (l) => {
    progress.push(l);
    onProgress(l);
  });
  const scraped = { ir, report, progress };
  afterScrape?.(scraped);
  if (j.cache) writeCachedLayer(j.cache.dir, j.cache.key, j.layer, j.cache.code, scraped);
  return scraped;
}

function scrapeOnWorkers(jobs: WorkerJob[], hits: (ScrapedLayer | undefined)[], todo: WorkerJob[], threads: number, onProgress: (l: string) => void): Promise<ScrapedLayer[]> {
  // Largest inputs first, so the last layer to start is a small one.
  const queue = todo.map((j) => ({ j, size: inputBytes(j.layer.path) })).sort((a, b) => b.size - a.size || a.j.index - b.j.index).map((x) => x.j);
  const done: (WorkerReply | undefined)[] = jobs.map((j) => (hits[j.index] ? { index: j.index, scraped: hits[j.index]! } : undefined));
  let flushed = 0;
  const workers: Worker[] = [];
  return new Promise<ScrapedLayer[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      // On success a worker may still be writing its last cache entry: it is told to stop and exits when done.
      for (const w of workers) {
        if (err === undefined) w.postMessage({ stop: true });
        else void w.terminate();
      }
      if (err !== undefined) reject(err);
      else resolve(done.map((r) => (r as { scraped: ScrapedLayer }).scraped));
    };
    // Hand replies over in layer order; the first failing layer (in order) decides the error.
    const flush = (): void => {
      while (flushed < jobs.length && done[flushed]) {
        const r = done[flushed]!;
        if ('error' in r) return finish(r.error.kind ? new DictgenError(r.error.kind, r.error.message) : Object.assign(new Error(r.error.message), { stack: r.error.stack }));
        for (const l of r.scraped.progress) onProgress(l);
        flushed++;
      }
      if (flushed === jobs.length) finish();
    };
    const next = (w: Worker): void => {
      const j = queue.shift();
      if (j !== undefined) w.postMessage(j);
    };
    for (let k = 0; k < threads; k++) {
      const w = startWorker();
      workers.push(w);
      w.on('message', (r: WorkerReply) => {
        done[r.index] = r;
        next(w);
        flush();
      });
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (!settled && code !== 0) finish(new Error(`a scrape worker stopped (exit ${code})`));
      });
      next(w);
    }
    flush(); // every layer may have come from the cache
  });
}

/** The worker module beside this one: compiled JS in .build/, or the TypeScript through tsx (tests, `tsx`). */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./scrape-worker.js', here));
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href;
  const target = new URL('./scrape-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`, { eval: true });
}

/** Bytes under a layer's path (file or folder), for the order in which layers start. */
function inputBytes(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    let n = 0;
    for (const e of readdirSync(path, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
    return n;
  } catch {
    return 0;
  }
}
