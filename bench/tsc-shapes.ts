/**
 * Trial, not a suite (issue 13; `npx tsx bench/tsc-shapes.ts [--cpu] [--runs N]`, minutes under
 * valgrind): what each part of the root's declarations costs a consumer's `tsc` for one
 * `Tag.PatientName` (the project of suite `tsc`), and what other declaration shapes would cost.
 * Copies the root's `.d.ts` graph of the installed package (bench/package-fixture.ts) into
 * variants, then counts the instructions of whole `tsc` processes with valgrind's cachegrind over
 * `node --single-threaded` (V8's compiler and GC run on the main thread, so the count holds all
 * the work and repeats to a percent or two), or with `--cpu` (or without valgrind) measures CPU
 * time, user + system, in interleaved rounds. Medians of the runs (one cachegrind count in ten
 * still lands a few percent off, from V8's time-based GC heuristics). Prints a table beyond the empty project and writes
 * bench/results/tsc-shapes.json. Variants that change a type's meaning say so: they are here to
 * show what the shape is worth, not as candidates.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { finishSuite, median } from './kit.ts';
import { packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

type Files = Map<string, string>;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: [] };
const consumer = `import { Tag } from '${PACKAGE}';\nexport const x: number = Tag.PatientName;\n`;

/** The package's declaration files that the consumer's program loads, by path under the package. */
function rootGraph(app: string, pkg: string): Files {
  const dir = mkdtempSync(join(app, 'shapes-'));
  writeFileSync(join(dir, 'main.ts'), consumer);
  const parsed = ts.convertCompilerOptionsFromJson(options, dir).options;
  const program = ts.createProgram([join(dir, 'main.ts')], parsed);
  const files: Files = new Map();
  for (const s of program.getSourceFiles()) {
    const rel = relative(pkg, s.fileName);
    if (!rel.startsWith('..')) files.set(rel, s.text);
  }
  rmSync(dir, { recursive: true, force: true });
  return files;
}

const edit = (files: Files, path: string, f: (text: string) => string): Files => new Map(files).set(path, f(files.get(path)!));
const TAGS = 'dist/tags.d.ts';
const INDEX = 'dist/index.d.ts';
const oneTag = "import type * as Tags from './tags.js';\nexport type Keyword = keyof typeof Tags;\nexport declare const PatientName = 1048592;\n";
const onlyTag = (text: string) => `${text.split('\n')[0]}\nexport * as Tag from './tags.js';\n`;

/** UID namespaces as `export declare namespace X { … }` of one file instead of eleven modules. */
function uidsInOneFile(files: Files): Files {
  const out = new Map(files);
  const names: string[] = [];
  let all = '';
  out.set(INDEX, files.get(INDEX)!.replace(/export \* as (\w+) from '\.\/uids\/([\w-]+)\.js';\n/g, (_, ns: string, file: string) => {
    const path = `dist/uids/${file}.d.ts`;
    const body = files.get(path)!.replace(/^import type \* as Self from .*\n/m, '').replace('export declare const', 'const').replace(/typeof Self/g, `typeof ${ns}`).replace(/export type/g, 'type');
    out.delete(path);
    names.push(ns);
    all += `export declare namespace ${ns} {\n${body}}\n`;
    return '';
  }).replace("export * from './uids/lookup.js';", `export * from './uids/lookup.js';\nexport { ${names.join(', ')} } from './uids-all.js';`));
  out.set('dist/uids-all.d.ts', all);
  return edit(out, 'dist/uids/lookup.d.ts', (t) => `import type { ${names.join(', ')} } from '../uids-all.js';\n${t.replace(/^import type \* as \w+ from .*\n/gm, '')}`);
}

const variants: Record<string, (files: Files) => Files> = {
  'the root as shipped': (f) => f,
  'the package import only (root: Tag; tags.d.ts: one constant)': (f) => edit(edit(f, INDEX, onlyTag), TAGS, () => oneTag),
  'the root without the constants of tags.d.ts (one left)': (f) => edit(f, TAGS, () => oneTag),
  'the root with Tag only (no UID namespaces, lookups, VRs, …)': (f) => edit(f, INDEX, onlyTag),
  'tags.d.ts without doc comments (loses the hovers)': (f) => edit(f, TAGS, (t) => t.replace(/\/\*\*[\s\S]*?\*\/\n/g, '')),
  'constants typed `X: 1048592` instead of `X = 1048592` (loses widening: `let t = Tag.PatientName` is no longer a number)': (f) =>
    edit(f, TAGS, (t) => t.replace(/^([A-Za-z_]\w*) = (\d+)([,;])/gm, '$1: $2$3')),
  'Tag typed by an interface of readonly members (loses widening; hover is a property)': (f) =>
    edit(
      edit(f, TAGS, (t) => `${t.replace(/export declare const \n/, 'export interface TagTable {\n').replace(/^([A-Za-z_]\w*) = (\d+)[,;]/gm, 'readonly $1: $2;').replace('keyof typeof Tags', 'keyof Tags.TagTable').trimEnd()}\n}\n`),
      INDEX,
      (t) => t.replace("export * as Tag from './tags.js';", "import type { TagTable } from './tags.js';\nexport declare const Tag: TagTable;"),
    ),
  'the eleven UID namespaces in one file': uidsInOneFile,
};

function writeProject(root: string, files: Files | undefined, pkgJson: string): string {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "name": "shapes-app", "private": true, "type": "module" }\n');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['main.ts'] }));
  writeFileSync(join(root, 'main.ts'), files ? consumer : 'export const x = 1;\n');
  if (!files) return root;
  const pkg = join(root, 'node_modules', PACKAGE);
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), pkgJson);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(pkg, path)), { recursive: true });
    writeFileSync(join(pkg, path), text);
  }
  const check = spawnSync(process.execPath, [tsc, '-p', root], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`variant in ${root} does not type-check: ${check.stdout.split('\n')[0]}`);
  return root;
}

/** Instructions of one `tsc -p dir` under cachegrind (node --single-threaded). */
function instructions(dir: string): Promise<number> {
  return new Promise((resolveRun, reject) => {
    const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', tsc, '-p', dir];
    const child = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', () => {
      const m = /I\s+refs:\s+([\d,]+)/.exec(err);
      if (m) resolveRun(Number(m[1]!.replace(/,/g, '')));
      else reject(new Error(`cachegrind of tsc -p ${dir} failed: ${err.split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** CPU seconds (user + system) of one `tsc -p dir`. */
function cpuSeconds(dir: string): number {
  const r = spawnSync('/usr/bin/time', ['-f', '\nCPU %U %S', process.execPath, tsc, '-p', dir], { encoding: 'utf8' });
  const m = /\nCPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`tsc -p ${dir} failed: ${r.stderr.split('\n').slice(-3).join(' | ')}`);
  return Number(m[1]) + Number(m[2]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const useCpu = argv.includes('--cpu') || spawnSync('valgrind', ['--version']).status !== 0 || !existsSync('/usr/bin/time');
  const runsArg = argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : useCpu ? 7 : 3;
  const { pkg, app } = packageFixture();
  const graph = rootGraph(app, pkg);
  const pkgJson = readFileSync(join(pkg, 'package.json'), 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'dictgen-tsc-shapes-'));
  const dirs: Record<string, string> = { empty: writeProject(join(work, 'empty'), undefined, pkgJson) };
  Object.entries(variants).forEach(([name, make], i) => (dirs[name] = writeProject(join(work, `v${i}`), make(graph), pkgJson)));
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(dirs).map((k) => [k, []]));
  const order = Array.from({ length: runs }, (_, r) => Object.keys(dirs).map((_, i, ks) => ks[(i + r) % ks.length]!)).flat();
  if (useCpu) for (const k of order) samples[k]!.push(cpuSeconds(dirs[k]!));
  else {
    // Two at a time: the count does not depend on load, only the wall time of this script does.
    const queue = [...order];
    const worker = async () => {
      for (let k = queue.shift(); k !== undefined; k = queue.shift()) samples[k]!.push(await instructions(dirs[k]!));
    };
    await Promise.all([worker(), worker()]);
  }
  const stat = median;
  const empty = stat(samples.empty!);
  const shipped = stat(samples['the root as shipped']!) - empty;
  const unit = useCpu ? 's CPU' : 'G instructions';
  const scale = useCpu ? 1 : 1e-9;
  const rows: BenchRow[] = Object.keys(variants).map((name) => {
    const over = stat(samples[name]!) - empty;
    return { name: `${name}: beyond an empty project (${Math.round((over / shipped) * 100)}% of the shipped root's)`, value: Number((over * scale).toFixed(3)), unit: `${unit} more` };
  });
  rows.unshift({ name: `empty project (median of ${runs}${useCpu ? "" : ", cachegrind, node --single-threaded"})`, value: Number((empty * scale).toFixed(3)), unit });
  rmSync(work, { recursive: true, force: true });
  finishSuite('tsc-shapes', rows, { runs, mode: useCpu ? 'cpu' : 'cachegrind', samples, files: [...graph.keys()] });
}

await main();
