/**
 * The main thread's side of the emit worker (generator/emit/worker.ts): start it on a job and hand
 * back its PS3.3 include diagnostics and its families' results as promises that settle to
 * undefined when the worker fails (the caller then does the work itself, with the same errors).
 * Only from the compiled build (.build/, plain JS a worker can load); DICTGEN_EMIT_WORKER=off turns
 * it off, DICTGEN_LAUNCHER_TRACE=1 says when it runs.
 */
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmitResult } from './context.ts';
import type { Diagnostic } from '../ir.ts';
import type { EmitWorkerAhead, EmitWorkerJob, EmitWorkerReply, IodFacts, PostedIr, SharedSnapshot } from './worker.ts';

/**
 * Families the emit worker takes over: the two that cost most (IOD types, validator rules), the
 * validator rules first: the main thread formats the family that arrives last after the worker is
 * done, and the IOD types are 176 files where the rules are 608 (issue 13: the tail of the run).
 */
export const EMIT_WORKER_FAMILIES: readonly string[] = ['validate', 'iods'];

export interface EmitWorkerHandle {
  families: string[];
  /** `iodDiagnostics` of the same IR, or undefined when the worker failed (the main thread then computes them). */
  diagnostics: Promise<Diagnostic[] | undefined>;
  /** The IOD family's counts and provenance (sent with the diagnostics), or undefined when the worker failed. */
  iodFacts: Promise<IodFacts | undefined>;
  /** The worker's results by family, or undefined when it failed (the main thread then emits those families itself, with the same errors). */
  results: Promise<Map<string, EmitResult> | undefined>;
  /** One family's result as soon as the worker posts it (before the next family is done), or undefined when the worker failed first. */
  family(name: string): Promise<EmitResult | undefined>;
  /** The snapshot's bytes as the main thread read them (shared memory: no copy), or undefined (the worker reads the file); the worker waits for this, the first call counts. */
  shareSnapshot(bytes: Buffer | undefined): void;
  /** The IR families of an `irPosted` job (copied to the worker by structured clone); the worker waits for this. */
  postIr(ir: PostedIr): void;
  cancel(): void;
}

/** The worker runs from the compiled build only (plain JS a worker can load), unless DICTGEN_EMIT_WORKER=off. */
export const emitWorkerRuns = (): boolean => process.env.DICTGEN_EMIT_WORKER !== 'off' && extname(fileURLToPath(import.meta.url)) === '.js';

/** A worker started ahead of its job, while it is alive. */
let ahead: { worker: Worker; alive: boolean } | undefined;

/**
 * Start the worker before the command line is parsed (the launcher does, for `generate`): it loads
 * its modules meanwhile, and `startEmitWorker` hands it its job (issue 13: the worker's path is the
 * longest of a run). Unused, it keeps nothing alive and ends with the process.
 */
export function prestartEmitWorker(): void {
  if (ahead || !emitWorkerRuns()) return;
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { ahead: true } satisfies EmitWorkerAhead });
  const started = { worker, alive: true };
  worker.unref();
  worker.on('error', () => {}); // reported through 'exit' to whoever took it (or nobody)
  worker.once('exit', () => (started.alive = false));
  ahead = started;
  if (process.env.DICTGEN_LAUNCHER_TRACE) process.stderr.write('dicom-dictgen: emit worker started ahead\n');
}

/** End a worker started ahead that will not get a job (the launcher found the build stale). */
export function endAheadEmitWorker(): void {
  void ahead?.worker.terminate();
  ahead = undefined;
}

/** The worker on `job`, or undefined where it does not run (TypeScript sources, DICTGEN_EMIT_WORKER=off). */
export function startEmitWorker(job: EmitWorkerJob): EmitWorkerHandle | undefined {
  if (!emitWorkerRuns()) return undefined;
  const data: EmitWorkerJob = { ...job, sharedSnapshot: !job.irPosted };
  const taken = ahead?.alive ? ahead.worker : undefined;
  ahead = undefined;
  const worker = taken ?? new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
  if (taken) {
    taken.ref();
    taken.postMessage({ job: data });
  }
  if (process.env.DICTGEN_LAUNCHER_TRACE) process.stderr.write(`dicom-dictgen: emit worker: ${job.families.join(', ')}\n`);
  let gotDiagnostics: (d: { diagnostics: Diagnostic[]; iodFacts: IodFacts } | undefined) => void = () => {};
  let gotResults: (r: Map<string, EmitResult> | undefined) => void = () => {};
  const first = new Promise<{ diagnostics: Diagnostic[]; iodFacts: IodFacts } | undefined>((done) => (gotDiagnostics = done));
  const diagnostics = first.then((m) => m?.diagnostics);
  const iodFacts = first.then((m) => m?.iodFacts);
  const results = new Promise<Map<string, EmitResult> | undefined>((done) => (gotResults = done));
  // Each family settles as it arrives; `results` once every family of the job has (all or nothing: a failure drops them all).
  const arrived = new Map<string, EmitResult>();
  const waiting = new Map(job.families.map((f) => [f, settleLater<EmitResult | undefined>()]));
  const failed = () => {
    gotDiagnostics(undefined);
    gotResults(undefined);
    for (const w of waiting.values()) w.resolve(undefined);
  };
  worker.on('message', (m: EmitWorkerReply) => {
    if (!m.ok) failed();
    else if ('diagnostics' in m) gotDiagnostics(m);
    else {
      arrived.set(m.family, m.result);
      waiting.get(m.family)?.resolve(m.result);
      if (arrived.size === job.families.length) gotResults(new Map(job.families.map((f) => [f, arrived.get(f)!])));
    }
  });
  worker.once('error', failed);
  worker.once('exit', failed);
  let shared = false;
  const shareSnapshot = (bytes: Buffer | undefined) => {
    if (shared) return;
    shared = true;
    const snapshot: SharedSnapshot | undefined = bytes?.buffer instanceof SharedArrayBuffer ? { buffer: bytes.buffer, byteOffset: bytes.byteOffset, length: bytes.length } : undefined;
    worker.postMessage({ snapshot });
  };
  const postIr = (ir: PostedIr) => worker.postMessage({ ir });
  const family = (name: string) => waiting.get(name)?.promise ?? Promise.resolve(undefined);
  return { families: job.families, diagnostics, iodFacts, results, family, shareSnapshot, postIr, cancel: () => void worker.terminate() };
}

/** A promise with its resolve function (Promise.withResolvers is Node 22). */
function settleLater<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
