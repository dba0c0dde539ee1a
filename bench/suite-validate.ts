/**
 * Suite `validate`: datasets validated per second by the generated validator (CT Image, Basic
 * Text SR and Segmentation from ../shared/dicom-files) against dciodvfy (dicom3tools) on the same
 * files, and the bundle size of a one-IOD validator.
 *
 * Set-up (not timed): the IR from the default layers, a package with the `validate` family for
 * three IODs, one esbuild bundle per IOD. Timed in fresh child processes: (a) a cold process that
 * loads the bundle and validates the file once, (b) a warm loop inside one process (throughput),
 * (c) `dciodvfy file.dcm` per file (it validates one file per process). Skipped with a note where
 * ../shared or dciodvfy is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildIr } from '../generator/pipeline.ts';
import { defaultConfig } from '../generator/defaults.ts';
import { emitPackage } from '../generator/emit/run.ts';
import { finishSuite, interleave, median, nodeJson, rounds, shared, timeProcess } from './kit.ts';
import type { BenchRow } from './types.ts';

const FILES: [string, string, string][] = [
  ['CT_small', 'ct-image', 'isCTImage'],
  ['reportsi', 'basic-text-sr', 'isBasicTextSR'],
  ['liver_1frame', 'segmentation', 'isSegmentation'],
];
const LOOP = 500;

async function main(): Promise<void> {
  const notes: string[] = [];
  if (!existsSync(join(shared, 'dicom-files'))) {
    finishSuite('validate', [], {}, [`skipped: ${join(shared, 'dicom-files')} is missing`]);
    return;
  }
  const { ir } = await buildIr({ config: defaultConfig });
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-bench-validate-'));
  for (const f of emitPackage(ir, { selection: { families: new Set(['validate']), iods: new Set(FILES.map((x) => x[1])) }, generatorVersion: '0.0.0' })) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const rows: BenchRow[] = [];
  const raw: Record<string, unknown> = {};
  const hasDciodvfy = spawnSync('sh', ['-c', 'command -v dciodvfy'], { encoding: 'utf8' }).status === 0;
  if (!hasDciodvfy) notes.push('dciodvfy not installed (Debian package dicom3tools): no peer column');
  for (const [file, iod, guard] of FILES) {
    // One bundle per IOD: the validator as a user would ship it (guard + engine + that IOD's rules).
    const entry = join(dir, `bench-${iod}.ts`);
    writeFileSync(
      entry,
      `import { readFileSync } from 'node:fs';
import { validateWith } from './validate/engine.js';
import { rules, ${guard} } from './validate/rules/${iod}.js';
const data = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 1);
let errors = 0;
// Warm-up (JIT) before a timed loop; n = 1 is the cold single validation.
if (n > 1) for (let i = 0; i < 50; i++) errors = validateWith(rules, data).errors;
const t0 = performance.now();
for (let i = 0; i < n; i++) errors = validateWith(rules, data).errors;
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, n, errors, conformant: ${guard}(data) }));
`,
    );
    const out = join(dir, `bench-${iod}.mjs`);
    await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
    const json = join(shared, 'dicom-files', 'json', `${file}.json`);
    const dcm = join(shared, 'dicom-files', 'dcm', `${file}.dcm`);
    const warm = nodeJson<{ ms: number; n: number; errors: number }>([out, json, String(LOOP)]);
    const perSecond = (1000 * warm.n) / warm.ms;
    const contestants: Record<string, () => number> = { ours: () => timeProcess(process.execPath, [out, json, '1']).ms, node: () => timeProcess(process.execPath, ['-e', '0']).ms };
    if (hasDciodvfy) contestants.dciodvfy = () => timeProcess('dciodvfy', [dcm]).ms;
    const times = interleave(rounds(), contestants);
    const cold = median(times.ours!);
    const peerCold = hasDciodvfy ? median(times.dciodvfy!) : NaN;
    raw[file] = { iod, warm, times };
    if (file === FILES[0]![0]) notes.push(`an empty \`node -e 0\` process takes ${Math.round(median(times.node!))} ms on this machine in the same rounds`);
    const warmRow: BenchRow = { name: `${file} (${iod}): datasets/s, warm loop of ${LOOP} after 50 warm-up runs`, value: perSecond, unit: '/s', target: '≥ dciodvfy (one file per process)' };
    if (hasDciodvfy) {
      warmRow.peer = { name: 'dciodvfy', value: 1000 / peerCold, ratio: perSecond / (1000 / peerCold) };
      warmRow.ok = perSecond >= 1000 / peerCold;
    }
    rows.push(warmRow);
    const coldRow: BenchRow = { name: `${file} (${iod}): cold process, load + validate once`, value: cold, unit: 'ms', target: '≤ dciodvfy' };
    if (hasDciodvfy) {
      coldRow.peer = { name: 'dciodvfy', value: peerCold, ratio: cold / peerCold };
      coldRow.ok = cold <= peerCold;
    }
    rows.push(coldRow);
  }
  // Bundle size of a one-IOD validator: what `import { isCTImage } from '…/validate/rules/ct-image'` ships.
  const sizeEntry = join(dir, 'size-ct-image.ts');
  writeFileSync(sizeEntry, "export { isCTImage } from './validate/rules/ct-image.js';\n");
  const b = await esbuild.build({ entryPoints: [sizeEntry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
  const bytes = b.outputFiles[0]!.contents;
  rows.push({ name: 'one-IOD validator bundle (CT Image, esbuild --minify)', value: bytes.length / 1024, unit: 'KiB', note: `${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip` });
  const all = readFileSync(join(dir, 'validate', 'index.ts'), 'utf8').match(/import\(/g)?.length ?? 0;
  notes.push(`validate/index.ts loads ${all} IOD rule files lazily (dynamic import), so \`validate()\` splits per IOD in a bundler`);
  finishSuite('validate', rows, raw, notes);
}

await main();
