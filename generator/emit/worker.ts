/**
 * The emit stage, part of it in a worker thread (issue 13). `generate` from a snapshot alone starts
 * this worker before it builds the IR: the worker loads and normalizes the families of the same
 * snapshot that its emitters read (as `buildIr` builds them from it; validation and counts do not change them), reports its PS3.3
 * include diagnostics (so the main thread does not resolve the IODs too) and runs the heaviest
 * families (IOD types and validator rules), while the main thread validates, emits the other
 * families, formats and writes. `generate` from layers (`--source`, `--config`) starts it once the
 * layers are scraped and posts it the families its emitters read of the IR it built (`irPosted`):
 * the worker reports the include diagnostics and emits the same two families from it. Plain data in
 * (`EmitWorkerJob`, `PostedIr`), plain data out (`EmitWorkerReply`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmitResult, EmitSelection, Emitter } from './context.ts';
import { emptyIr, type Diagnostic, type Ir } from '../ir.ts';
import { EMIT_WORKER_FAMILIES } from './worker-client.ts';

export interface EmitWorkerJob {
  snapshot: string;
  /** The main thread posts `{ snapshot?: SharedSnapshot }` (its bytes of the file, or none: read it here) before the worker reads the IR. */
  sharedSnapshot?: boolean;
  families: string[];
  selection: EmitSelection;
  generatorVersion: string;
  /** The main thread built the IR (from layers) and posts `{ ir: PostedIr }`, normalized and validated but for the PS3.3 include diagnostics, which this worker sends as from a snapshot. */
  irPosted?: boolean;
}

/** The families of an IR built by the main thread that the worker's emitters read, as it posts them (normalized and validated). */
export type PostedIr = Pick<Ir, 'sources' | 'dataElements' | 'iods'>;

/** The IR families the worker's emitters and `iodDiagnostics` read (the others stay unparsed). */
export const WORKER_IR_FAMILIES: readonly (keyof Ir)[] = ['sources', 'dataElements', 'iods'];

/** The snapshot's bytes in the main thread's shared memory. */
export interface SharedSnapshot {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

/**
 * What the main thread needs of the IOD family, which it then does not parse (issue 13): the
 * family's counts (`countIods`) and edition.ts's provenance pairs (`iodProvenance`).
 */
export interface IodFacts {
  counts: Record<string, number>;
  provenance: [table: string, source: string][];
}

/**
 * First the IR's PS3.3 include diagnostics (`iodDiagnostics`, which the main thread's validation then
 * skips) with the IOD family's facts, then the emit result of each family as soon as it is emitted
 * (in the job's order: the main thread formats one while the next is emitted); or a failure.
 */
export type EmitWorkerReply = { ok: true; diagnostics: Diagnostic[]; iodFacts: IodFacts } | { ok: true; family: string; result: EmitResult } | { ok: false; message: string };

/**
 * The families of `job`, emitted from the snapshot it names or from the IR the main thread posts
 * (`irPosted`); `onDiagnostics` gets its IOD diagnostics first, `onFamily` each family's result as it is done.
 */
export async function runEmitJob(
  job: EmitWorkerJob,
  onDiagnostics: (d: Diagnostic[], facts: IodFacts) => void = () => {},
  snapshotBytes: Promise<Buffer | undefined> = Promise.resolve(undefined),
  onFamily: (family: string, result: EmitResult) => void = () => {},
  postedIr?: Promise<PostedIr>,
): Promise<[string, EmitResult][]> {
  const [[{ readSnapshotFamilies }, { normalizeIr }, { iodDiagnostics }, { countIods }, { iodProvenance }], emitters] = await Promise.all([loadStages(), Promise.all(job.families.map(emitterOf))]);
  const snapshotIr = async () => {
    const bytes = await snapshotBytes;
    return normalizeIr(bytes ? readSnapshotFamilies(job.snapshot, WORKER_IR_FAMILIES, bytes) : readSnapshotFamilies(job.snapshot, WORKER_IR_FAMILIES));
  };
  if (job.irPosted && !postedIr) throw new Error('emit worker: a job of posted IR without its IR');
  const ir: Ir = job.irPosted && postedIr ? { ...emptyIr(), ...(await postedIr) } : await snapshotIr();
  onDiagnostics(iodDiagnostics(ir), { counts: countIods(ir), provenance: iodProvenance(ir) });
  const ctx = { ir, generatorVersion: job.generatorVersion, selection: job.selection };
  return emitters.map((e) => {
    const result = e.emit(ctx);
    onFamily(e.family, result);
    return [e.family, result];
  });
}

/** The stages `runEmitJob` runs besides the emitters (imported where they run, as everywhere). */
function loadStages() {
  return Promise.all([import('../snapshot-read.ts'), import('../normalize.ts'), import('../iods/report.ts'), import('../counts.ts'), import('../iods/coverage.ts')]);
}

/** The emitter of a family the worker takes, loaded alone (not the registry with every other emitter). */
async function emitterOf(family: string): Promise<Emitter> {
  if (family === 'iods') return (await import('./iods.ts')).iodsEmitter;
  if (family === 'validate') return (await import('./validate.ts')).validateEmitter;
  throw new Error(`emit worker: unknown family ${family}`);
}

/** `workerData` of a worker started ahead of its job (`prestartEmitWorker`): it loads its modules, then waits for `{ job }`. */
export interface EmitWorkerAhead {
  ahead: true;
}

/** Messages to the worker: its job (a worker started ahead), then the snapshot's bytes (`sharedSnapshot`) or the IR (`irPosted`). */
type WorkerInbox = { job: EmitWorkerJob } | { snapshot?: SharedSnapshot } | { ir: PostedIr };

if (parentPort && workerData) {
  const port = parentPort;
  const data = workerData as EmitWorkerJob | EmitWorkerAhead;
  let gotJob: (j: EmitWorkerJob) => void = () => {};
  let gotBytes: (b: Buffer | undefined) => void = () => {};
  let gotIr: (ir: PostedIr) => void = () => {};
  const job = 'ahead' in data ? new Promise<EmitWorkerJob>((got) => (gotJob = got)) : Promise.resolve(data);
  const bytes = new Promise<Buffer | undefined>((got) => (gotBytes = got));
  const posted = new Promise<PostedIr>((got) => (gotIr = got));
  port.on('message', (m: WorkerInbox) => {
    if ('job' in m) gotJob(m.job);
    else if ('ir' in m) gotIr(m.ir);
    else gotBytes(m.snapshot && Buffer.from(m.snapshot.buffer, m.snapshot.byteOffset, m.snapshot.length));
  });
  // Started ahead: the modules (and the emitters of every family the worker takes) load while the main thread still parses its command line (a failure here surfaces when the job imports them).
  if ('ahead' in data) Promise.all([loadStages(), ...EMIT_WORKER_FAMILIES.map(emitterOf)]).catch(() => {});
  job
    .then((j) =>
      runEmitJob(
        j,
        (diagnostics, iodFacts) => port.postMessage({ ok: true, diagnostics, iodFacts } satisfies EmitWorkerReply),
        j.sharedSnapshot ? bytes : undefined,
        (family, result) => port.postMessage({ ok: true, family, result } satisfies EmitWorkerReply),
        posted,
      ),
    )
    .catch((e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies EmitWorkerReply))
    // Its job done, the worker ends by itself while the main thread formats and writes (issue 13): its
    // heap is torn down then, not when the process exits (which waits for every worker thread). Node
    // delivers the messages it posted before the 'exit' event (test/generate-speed-layers.test.ts).
    .finally(() => port.unref());
}
