/**
 * Suite `types` (issue 14): the IOD types of the package in generated/.
 *
 * - `tsc` over every IOD type: whole `tsc --noEmit` processes over generated/iods/*.ts (the
 *   interfaces, modules, attribute table and helper types; not the runtime registry index.ts),
 *   CPU time (user + sys, from GNU time) and wall time, next to an empty project in the same run,
 *   because this machine is shared and an empty `tsc` costs more when it is loaded. Target < 2 s.
 * - The conformance corpus (bench/types-conformance.ts): per file and in total, agreement with
 *   dciodvfy, type-only rejections, validator-only errors, attributes outside the IOD.
 * - A program resolving every IOD (each assigned to a mapped copy of itself): the IODs are type
 *   aliases that tsc resolves only where they are used, so this row shows the deferred cost.
 * - The size of generated/iods.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { finishSuite, median, repo, rounds, shared } from './kit.ts';
import { corpusTable, runCorpus } from './types-conformance.ts';
import type { BenchRow } from './types.ts';

const pkg = join(repo, 'generated');
const iods = join(pkg, 'iods');
if (!existsSync(join(iods, 'attribute-tags.ts'))) {
  finishSuite('types', [{ name: 'types: generated/ predates the IOD type redesign (run npm run snapshot)', value: NaN, unit: '' }]);
  process.exit(0);
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const work = mkdtempSync(join(tmpdir(), 'dictgen-bench-types-'));
const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, lib: ['ES2022'], types: [] };
const typeFiles = readdirSync(iods).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => join(iods, f));
// A consumer's view: the same files as declarations (what dist/ ships; skipLibCheck skips their
// own checks), one program importing every IOD module and using CTImage.
const decl = join(work, 'decl');
mkdirSync(decl, { recursive: true });
for (const f of typeFiles) copyFileSync(f, join(decl, basename(f).replace(/\.ts$/, '.d.ts')));
const iodModules = typeFiles.map((f) => basename(f, '.ts')).filter((b) => !['modules', 'types', 'attribute-tags'].includes(b));
writeFileSync(
  join(work, 'consumer.ts'),
  `${iodModules.map((b, i) => `import type * as I${i} from './decl/${b}.js';`).join('\n')}\nimport type { CTImage } from './decl/ct-image.js';\nexport declare const ct: CTImage;\nexport const modality: CTImage['Modality'] = ct.Modality;\n`,
);
// What the aliases defer: a program that resolves every IOD (each assigned to a copy of its own
// attributes, so tsc lists and compares every attribute of every IOD).
const iodTypes = iodModules.flatMap((b) => {
  const name = /^export type (\w+) =/m.exec(readFileSync(join(iods, `${b}.ts`), 'utf8'))?.[1];
  return name ? [{ b, name }] : [];
});
writeFileSync(
  join(work, 'resolved.ts'),
  iodTypes.map(({ b, name }, i) => `import type { ${name} as T${i} } from './decl/${b}.js';\nexport declare const x${i}: T${i};\nexport const y${i}: { [K in keyof T${i}]: T${i}[K] } = x${i};\n`).join(''),
);
// modules.ts opts out of a consumer's checks (`// @ts-nocheck`, docs/types-conformance.md): the
// same files with every such line removed show what checking every declaration costs.
const checkedSrc = join(work, 'checked-src');
mkdirSync(checkedSrc, { recursive: true });
const NOCHECK = /^\/\/ @ts-nocheck\b.*\n/m;
const nocheckFiles = typeFiles.filter((f) => NOCHECK.test(readFileSync(f, 'utf8'))).map((f) => basename(f));
for (const f of typeFiles) writeFileSync(join(checkedSrc, basename(f)), readFileSync(f, 'utf8').replace(NOCHECK, ''));
const projects: Record<string, string[]> = {
  empty: [join(work, 'empty.ts')],
  iods: typeFiles,
  checked: typeFiles.map((f) => join(checkedSrc, basename(f))),
  consumer: [join(work, 'consumer.ts')],
  resolved: [join(work, 'resolved.ts')],
};
writeFileSync(join(work, 'empty.ts'), 'export const x = 1;\n');
for (const [k, files] of Object.entries(projects)) {
  mkdirSync(join(work, k), { recursive: true });
  writeFileSync(join(work, k, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
}

interface Run {
  cpu: number;
  wall: number;
}
function tscRun(project: string): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '\nCPU %U %S', process.execPath, tsc, '-p', join(work, project)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`tsc over ${project} failed: ${String(r.stdout).split('\n').slice(0, 3).join(' | ')}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(String(r.stderr));
  return { cpu: m ? Number(m[1]) + Number(m[2]) : NaN, wall };
}

const n = rounds(3);
const runs: Record<string, Run[]> = { empty: [], iods: [], checked: [], consumer: [], resolved: [] };
for (let i = 0; i < n; i++) for (const k of i % 2 ? ['resolved', 'consumer', 'checked', 'iods', 'empty'] : ['empty', 'iods', 'checked', 'consumer', 'resolved']) runs[k]!.push(tscRun(k));
const med = (k: string, f: (r: Run) => number) => median(runs[k]!.map(f));
const bytes = readdirSync(iods).reduce((s, f) => s + statSync(join(iods, f)).size, 0);
const rows: BenchRow[] = [
  { name: `\`tsc --noEmit\` over every IOD type (${typeFiles.length} files), CPU`, value: Number(med('iods', (r) => r.cpu).toFixed(2)), unit: 's', target: '< 2 s', ok: med('iods', (r) => r.cpu) < 2, note: `empty project in the same run: ${med('empty', (r) => r.cpu).toFixed(2)} s CPU` },
  { name: `\`tsc --noEmit\` over every IOD type with the generated \`// @ts-nocheck\` removed (${nocheckFiles.join(', ') || 'none'}: every declaration checked), CPU`, value: Number(med('checked', (r) => r.cpu).toFixed(2)), unit: 's', note: `empty project: ${med('empty', (r) => r.cpu).toFixed(2)} s CPU` },
  { name: '`tsc --noEmit` over every IOD type, wall', value: Number(med('iods', (r) => r.wall).toFixed(2)), unit: 's', note: `empty project: ${med('empty', (r) => r.wall).toFixed(2)} s` },
  { name: `\`tsc --noEmit\` of a consumer importing every IOD (the same files as .d.ts, skipLibCheck), CPU`, value: Number(med('consumer', (r) => r.cpu).toFixed(2)), unit: 's', note: `empty project: ${med('empty', (r) => r.cpu).toFixed(2)} s CPU` },
  { name: `\`tsc --noEmit\` of a program resolving every IOD (${iodTypes.length}, each assigned to a mapped copy of itself; .d.ts, skipLibCheck), CPU`, value: Number(med('resolved', (r) => r.cpu).toFixed(2)), unit: 's', note: `empty project: ${med('empty', (r) => r.cpu).toFixed(2)} s CPU` },
  { name: 'generated/iods size', value: Math.round(bytes / 1024), unit: 'KiB', note: `modules.ts ${Math.round(statSync(join(iods, 'modules.ts')).size / 1024)} KiB` },
];

let table = '';
if (existsSync(join(shared, 'dicom-files', 'json'))) {
  const results = await runCorpus(shared, pkg, join(work, 'corpus'));
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + f(r), 0);
  rows.push(
    { name: 'corpus (9 files): dciodvfy errors both report', value: sum((r) => r.agreed.length), unit: '' },
    { name: 'corpus: type-only rejections (false positives)', value: sum((r) => r.typeOnly.length), unit: '', target: '0', ok: sum((r) => r.typeOnly.length) === 0 },
    { name: 'corpus: dciodvfy-only errors', value: sum((r) => r.validatorOnly.length), unit: '', note: 'VR syntax, counts, references, 2C conditions, edition (docs/types-conformance.md)' },
    { name: 'corpus: standard attributes outside the IOD that dciodvfy accepts', value: sum((r) => r.outsideNotWarned.length), unit: '', note: 'edition gaps, documented' },
    { name: 'corpus: files the open variant accepts as they are', value: results.filter((r) => r.openErrors.length === 0).length, unit: `of ${results.length}`, target: 'all', ok: results.every((r) => r.openErrors.length === 0) },
  );
  table = corpusTable(results);
}
finishSuite('types', rows, { rounds: n, runs }, table ? [`Conformance corpus per file:\n\n${table}`] : []);
