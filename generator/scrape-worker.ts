/**
 * A scrape worker thread (generator/scrape-pool.ts): scrapes each layer it is sent with the
 * pipeline's own `scrapeLayer` and posts back the layer's IR, report part and progress lines, or
 * the error (kind and message) the layer failed with.
 */
import { parentPort } from 'node:worker_threads';
import { emptyReport } from './ir.ts';
import { DictgenError } from '../sources/common/errors.ts';
import { scrapeLayer, type Layer } from './pipeline.ts';
import type { WorkerReply } from './scrape-pool.ts';

const port = parentPort;
if (!port) throw new Error('scrape-worker.ts runs as a worker thread (generator/scrape-pool.ts)');
port.on('message', (msg: { index: number; layer: Layer }) => {
  const report = emptyReport();
  const progress: string[] = [];
  scrapeLayer(msg.layer, report, (l) => progress.push(l)).then(
    (ir) => port.postMessage({ index: msg.index, scraped: { ir, report, progress } } satisfies WorkerReply),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ index: msg.index, error: { ...(e instanceof DictgenError ? { kind: e.kind } : {}), message: err.message, ...(err.stack ? { stack: err.stack } : {}) } } satisfies WorkerReply);
    },
  );
});
