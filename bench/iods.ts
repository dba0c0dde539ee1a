/**
 * Bench of the `iods` family: `tsc --noEmit` time and peak memory over a generated package holding
 * the IOD interfaces (PS3.3 2016c excerpt: 4 complete IODs; with the innolitics IOD lists: every
 * current IOD, most of them incomplete). Target: < 10 s on the 2-core machine.
 *
 * `buildIodIr` is also what the IOD tests use to build an IR without the pipeline: PS3.3 + PS3.4
 * scraped directly, data elements (keywords, VRs, VMs) from innolitics attributes.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { emptyIr, emptyReport, type Ir, type Report, type SourceRecord } from '../generator/ir.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { scrapePart03 } from '../sources/nema/part03-iods.ts';
import { scrapeSopClassTables } from '../sources/nema/part04-sop-classes.ts';
import { loadInnoliticsFile } from '../sources/innolitics/innolitics-json.ts';
import { scrapeInnoliticsAttributes } from '../sources/innolitics/innolitics-attributes.ts';
import { scrapeInnoliticsFolder } from '../sources/innolitics/index.ts';
import { emitIods } from '../generator/emit/iods.ts';
import type { EmittedFile, EmitSelection } from '../generator/emit/context.ts';
import type { BenchRow } from './types.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultShared = process.env.DICTGEN_SHARED ?? resolve(repo, '..', 'shared');

function nemaSource(ir: Ir, path: string): { doc: ReturnType<typeof loadNemaDocument>; source: SourceRecord } {
  const doc = loadNemaDocument(path);
  const source: SourceRecord = {
    id: `nema-${doc.edition}-part${String(doc.partNumber).padStart(2, '0')}`,
    part: doc.part,
    edition: doc.edition,
    format: doc.format,
    file: doc.file,
    sha256: doc.sha256,
    bytes: doc.bytes,
  };
  ir.sources.push(source);
  return { doc, source };
}

export interface IodIrOptions {
  shared?: string;
  /** Also read the innolitics IOD/module lists (every current IOD; most without attribute tables). */
  innoliticsIods?: boolean;
}

/** PS3.3 2016c excerpt + PS3.4 2013 + innolitics 2024b data elements in one IR (no pipeline). */
export function buildIodIr(opts: IodIrOptions = {}): { ir: Ir; report: Report } {
  const shared = opts.shared ?? defaultShared;
  const ir = emptyIr();
  const report = emptyReport();
  const inno = join(shared, 'standard', 'innolitics', '2024b');
  if (opts.innoliticsIods) {
    scrapeInnoliticsFolder(inno, { ir, report, layer: 'innolitics' });
  } else {
    const ctx = { ir, report, layer: 'innolitics' };
    const f = loadInnoliticsFile(inno, 'attributes.json', '2024b', ctx);
    if (!ir.sources.some((s) => s.id === f.source.id)) ir.sources.push(f.source);
    scrapeInnoliticsAttributes(f, ctx);
  }
  const p3 = nemaSource(ir, join(shared, 'standard', 'nema', '2016c-excerpt', 'part03.xml'));
  scrapePart03(p3.doc, { ir, report, source: p3.source });
  const p4 = nemaSource(ir, join(shared, 'standard', 'nema', '2013', 'part04.xml'));
  scrapeSopClassTables(p4.doc, { ir, report, source: p4.source });
  return { ir, report };
}

/** Write the `iods` family (and a minimal package around it) into `dir`; returns the files. */
export function writeIodPackage(ir: Ir, dir: string, selection: EmitSelection = {}): EmittedFile[] {
  const r = emitIods({ ir, generatorVersion: '0.0.0-bench', selection });
  for (const f of r.files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  const index = (r.entry ?? []).map((e) => (e.as ? `export * as ${e.as} from '${e.from}';` : `export * from '${e.from}';`)).join('\n');
  writeFileSync(join(dir, 'index.ts'), `${index}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022'], types: [] }, include: ['**/*.ts'] }, null, 2),
  );
  return r.files;
}

/**
 * Run `tsc --noEmit -p dir` in a child process: wall time, peak RSS of the tsc process (GNU time
 * `%M`, when /usr/bin/time exists) and the heap tsc reports (`--extendedDiagnostics` Memory used).
 */
export function tscNoEmit(dir: string): { ms: number; peakRssKb?: number; heapKb?: number; output: string; ok: boolean } {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const args = [tsc, '--noEmit', '-p', dir, '--extendedDiagnostics'];
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const heap = /Memory used:\s+(\d+)K/.exec(output);
  const rss = /MAXRSS (\d+)/.exec(r.stderr ?? '');
  return { ms, ...(rss ? { peakRssKb: Number(rss[1]) } : {}), ...(heap ? { heapKb: Number(heap[1]) } : {}), output, ok: r.status === 0 };
}

export async function bench(): Promise<BenchRow[]> {
  if (!existsSync(join(defaultShared, 'standard', 'nema', '2016c-excerpt', 'part03.xml'))) {
    return [{ name: 'iods: tsc --noEmit', value: NaN, unit: 'ms', note: '../shared missing' }];
  }
  const rows: BenchRow[] = [];
  for (const variant of [
    { label: '4 complete IODs (PS3.3 2016c excerpt)', innoliticsIods: false },
    { label: 'every current IOD (excerpt + innolitics 2024b lists)', innoliticsIods: true },
  ]) {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-iods-bench-'));
    try {
      const { ir } = buildIodIr({ innoliticsIods: variant.innoliticsIods });
      const files = writeIodPackage(ir, dir);
      const r = tscNoEmit(dir);
      const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
      rows.push({ name: `iods tsc --noEmit, ${variant.label}`, value: Math.round(r.ms), unit: 'ms', target: '< 10000 ms', ok: r.ok && r.ms < 10_000, note: `${files.length} files, ${Math.round(bytes / 1024)} KiB${r.ok ? '' : ', TYPE ERRORS'}` });
      if (r.peakRssKb !== undefined) rows.push({ name: `iods tsc peak RSS, ${variant.label}`, value: Math.round(r.peakRssKb / 1024), unit: 'MiB' });
      if (r.heapKb !== undefined) rows.push({ name: `iods tsc heap used, ${variant.label}`, value: Math.round(r.heapKb / 1024), unit: 'MiB' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
