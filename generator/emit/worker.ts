/**
 * The emit stage, part of it in a worker thread (issue 13). `generate` from a snapshot alone starts
 * this worker before it builds the IR: the worker loads and normalizes the same snapshot (the IR
 * that `buildIr` builds from it; validation and counts do not change it), reports its PS3.3
 * include diagnostics (so the main thread does not resolve the IODs too) and runs the heaviest
 * families (IOD types and validator rules), while the main thread validates, emits the other
 * families, formats and writes. Plain data in (`EmitWorkerJob`), plain data out (`EmitWorkerReply`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmitResult, EmitSelection } from './context.ts';
import type { Diagnostic } from '../ir.ts';

export interface EmitWorkerJob {
  snapshot: string;
  families: string[];
  selection: EmitSelection;
  generatorVersion: string;
}

/** First the IR's PS3.3 include diagnostics (`iodDiagnostics`, which the main thread's validation then skips), then the emit results; or a failure. */
export type EmitWorkerReply = { ok: true; diagnostics: Diagnostic[] } | { ok: true; results: [string, EmitResult][] } | { ok: false; message: string };

/** The families of `job`, emitted from the snapshot it names; `onDiagnostics` gets its IOD diagnostics first. */
export async function runEmitJob(job: EmitWorkerJob, onDiagnostics: (d: Diagnostic[]) => void = () => {}): Promise<[string, EmitResult][]> {
  const [{ loadIrSnapshot }, { normalizeIr }, { emitters }, { iodDiagnostics }] = await Promise.all([import('../pipeline.ts'), import('../normalize.ts'), import('./index.ts'), import('../iods/report.ts')]);
  const ir = normalizeIr(loadIrSnapshot(job.snapshot));
  onDiagnostics(iodDiagnostics(ir));
  const ctx = { ir, generatorVersion: job.generatorVersion, selection: job.selection };
  return job.families.map((f) => {
    const e = emitters.find((x) => x.family === f);
    if (!e) throw new Error(`emit worker: unknown family ${f}`);
    return [f, e.emit(ctx)];
  });
}

if (parentPort && workerData) {
  const port = parentPort;
  runEmitJob(workerData as EmitWorkerJob, (diagnostics) => port.postMessage({ ok: true, diagnostics } satisfies EmitWorkerReply)).then(
    (results) => port.postMessage({ ok: true, results } satisfies EmitWorkerReply),
    (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies EmitWorkerReply),
  );
}
