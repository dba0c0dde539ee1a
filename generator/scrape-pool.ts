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
import type { Layer } from './pipeline.ts';

export interface ScrapedLayer {
  ir: Ir;
  /** Accounts and diagnostics of this layer (conflicts and counts stay empty). */
  report: Report;
  progress: string[];
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
  const threads = scrapeThreads(layers.length);
  if (threads === 0) {
    const out: ScrapedLayer[] = [];
    for (const layer of layers) {
      const report = emptyReport();
      out.push({ ir: await scrapeLayer(layer, report, onProgress), report, progress: [] });
    }
    return out;
  }
  return scrapeOnWorkers(layers, threads, onProgress);
}

function scrapeOnWorkers(layers: Layer[], threads: number, onProgress: (l: string) => void): Promise<ScrapedLayer[]> {
  // Largest inputs first, so the last layer to start is a small one.
  const queue = layers.map((l, i) => ({ i, size: inputBytes(l.path) })).sort((a, b) => b.size - a.size || a.i - b.i).map((x) => x.i);
  const done: (WorkerReply | undefined)[] = new Array(layers.length).fill(undefined);
  let flushed = 0;
  const workers: Worker[] = [];
  return new Promise<ScrapedLayer[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err !== undefined) reject(err);
      else resolve(done.map((r) => (r as { scraped: ScrapedLayer }).scraped));
    };
    // Hand replies over in layer order; the first failing layer (in order) decides the error.
    const flush = (): void => {
      while (flushed < layers.length && done[flushed]) {
        const r = done[flushed]!;
        if ('error' in r) return finish(r.error.kind ? new DictgenError(r.error.kind, r.error.message) : Object.assign(new Error(r.error.message), { stack: r.error.stack }));
        for (const l of r.scraped.progress) onProgress(l);
        flushed++;
      }
      if (flushed === layers.length) finish();
    };
    const next = (w: Worker): void => {
      const i = queue.shift();
      if (i !== undefined) w.postMessage({ index: i, layer: layers[i] });
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
