/**
 * A scrape worker thread (generator/scrape-pool.ts): scrapes each layer it is sent with the
 * pipeline's own `scrapeLayer` and posts back the layer's IR, report part and progress lines (then
 * writes the scrape cache entry), or the error (kind and message) the layer failed with.
 */
import { parentPort } from 'node:worker_threads';
import { DictgenError } from '../sources/common/errors.ts';
import { scrapeLayer } from './pipeline.ts';
import { scrapeJob, type WorkerJob, type WorkerReply } from './scrape-pool.ts';

const port = parentPort;
if (!port) throw new Error('scrape-worker.ts runs as a worker thread (generator/scrape-pool.ts)');
port.on('message', (msg: WorkerJob | { stop: true }) => {
  if ('stop' in msg) return port.close();
  // The reply goes before the cache entry is written, so the main thread need not wait for it.
  scrapeJob(msg, scrapeLayer, () => {}, (scraped) => port.postMessage({ index: msg.index, scraped } satisfies WorkerReply)).catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ index: msg.index, error: { ...(e instanceof DictgenError ? { kind: e.kind } : {}), message: err.message, ...(err.stack ? { stack: err.stack } : {}) } } satisfies WorkerReply);
  });
});
