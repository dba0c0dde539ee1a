/**
 * Suite `tsc` (issue 13): what type-checking a consumer pays for one constant imported through the
 * package's root entry. Each round runs whole `tsc --noEmit --extendedDiagnostics` processes over
 * an empty project, a project using `Tag.PatientName` from the package (its dist/ .d.ts files,
 * through node_modules), and the same use of @iwharris/dicom-data-dictionary; interleaved, median.
 * Reported as time and heap over the empty project.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { finishSuite, interleave, median, rounds, timeProcess, vsBestPeer } from './kit.ts';
import { packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

const { app } = packageFixture();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects: Record<string, string> = {
  empty: `export const x = 1;\n`,
  ours: `import { Tag } from '${PACKAGE}';\nexport const x: number = Tag.PatientName;\n`,
  '@iwharris': `import { tags } from '@iwharris/dicom-data-dictionary';\nexport const x: string = tags['PatientName']!;\n`,
};
const dirs = Object.fromEntries(
  Object.entries(projects).map(([k, code]) => {
    const dir = join(app, `tsc-${k.replace(/\W/g, '_')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), code);
    // What `tsc --init` gives a new project (strict, skipLibCheck), for Node ESM.
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: [] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
    return [k, dir];
  }),
);

interface TscRun {
  ms: number;
  heapMiB: number;
  /** Source files in the program (lib .d.ts files included). */
  files: number;
}
const run = (dir: string): TscRun => {
  const r = timeProcess(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics']);
  if (r.status !== 0) throw new Error(`tsc -p ${dir} failed: ${r.stdout.split('\n').slice(0, 3).join(' | ')}`);
  const heap = /Memory used:\s+(\d+)K/.exec(r.stdout);
  const files = /Files:\s+(\d+)/.exec(r.stdout);
  return { ms: r.ms, heapMiB: heap ? Number(heap[1]) / 1024 : NaN, files: files ? Number(files[1]) : NaN };
};
const n = rounds(5);
const runs = interleave(n, Object.fromEntries(Object.entries(dirs).map(([k, d]) => [k, () => run(d)])));
const med = (k: string, f: (r: TscRun) => number) => median(runs[k]!.map(f));
const over = (k: string, f: (r: TscRun) => number) => med(k, f) - med('empty', f);
const rows: BenchRow[] = [];
const t = vsBestPeer(`\`tsc\`: one constant through the root, over an empty project (empty: ${(med('empty', (r) => r.ms) / 1000).toFixed(2)} s)`, 's', over('ours', (r) => r.ms) / 1000, { '@iwharris': over('@iwharris', (r) => r.ms) / 1000 }, '≤ +0.2 s');
t.ok = t.value <= 0.2;
rows.push(t);
rows.push(vsBestPeer('`tsc`: heap over the empty project', 'MiB', over('ours', (r) => r.heapMiB), { '@iwharris': over('@iwharris', (r) => r.heapMiB) }, 'reported'));
delete rows[1]!.ok;
rows.push(vsBestPeer('`tsc`: declaration files loaded beyond the empty project', 'files', over('ours', (r) => r.files), { '@iwharris': over('@iwharris', (r) => r.files) }, 'reported'));
delete rows[2]!.ok;
finishSuite('tsc', rows, { rounds: n, runs });
