/**
 * Suite `import` (issue 13): cold import of the package's root entry from its compiled `dist/`
 * (tsc of generated/, installed into a consumer's node_modules), against the peers, each in a
 * fresh `node --expose-gc` process, interleaved rounds, median: time of `await import()`, heap
 * retained after import (after a full GC), modules in the static import graph, and the time of
 * the first lookup after import. Also the size of the package's package.json.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishSuite, interleave, median, nodeJson, rounds, vsBestPeer } from './kit.ts';
import { moduleCount, packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

interface ImportRun {
  ms: number;
  heapMiB: number;
  firstNs: number;
  ok: boolean;
}

/** spec to import, and the first lookup (PatientName by tag) on the imported module `m`. */
const contestants: Record<string, { spec: string; first: string }> = {
  ours: { spec: PACKAGE, first: `m.lookupTag('(0010,0010)')?.keyword === 'PatientName'` },
  dcmjs: { spec: 'dcmjs', first: `m.default.data.DicomMetaDictionary.dictionary['(0010,0010)']?.name === 'PatientName'` },
  'dcmjs/dictionary': { spec: 'dcmjs/dictionary', first: `m.dictionary['(0010,0010)']?.name === 'PatientName'` },
  '@iwharris': { spec: '@iwharris/dicom-data-dictionary', first: `m.default.get_element('00100010')?.keyword === 'PatientName'` },
};

function childScript(spec: string, first: string): string {
  return `
gc(); gc();
const h0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const m = await import(${JSON.stringify(spec)});
const ms = performance.now() - t0;
gc(); gc();
const heapMiB = (process.memoryUsage().heapUsed - h0) / 1048576;
const f0 = process.hrtime.bigint();
const ok = ${first};
const firstNs = Number(process.hrtime.bigint() - f0);
console.log(JSON.stringify({ ms, heapMiB, firstNs, ok }));
`;
}

const { pkg, app } = packageFixture();
const n = rounds(10);
const scripts = Object.fromEntries(
  Object.entries(contestants).map(([k, c]) => {
    const file = join(app, `import-${k.replace(/\W/g, '_')}.mjs`);
    writeFileSync(file, childScript(c.spec, c.first));
    return [k, file];
  }),
);
const runs = interleave(
  n,
  Object.fromEntries(Object.keys(contestants).map((k) => [k, () => nodeJson<ImportRun>(['--expose-gc', scripts[k]!], { cwd: app })])),
);
for (const [k, rs] of Object.entries(runs)) if (rs.some((r) => !r.ok)) throw new Error(`${k}: first lookup returned the wrong entry`);
const med = (k: string, f: (r: ImportRun) => number) => median(runs[k]!.map(f));
const peers = Object.keys(contestants).filter((k) => k !== 'ours');
const peerVals = (f: (r: ImportRun) => number) => Object.fromEntries(peers.map((k) => [k, med(k, f)]));
const modules = moduleCount(join(pkg, 'dist', 'index.js'));
const rows: BenchRow[] = [];
const imp = vsBestPeer(`cold import of the root entry (dist/, ${modules} modules)`, 'ms', med('ours', (r) => r.ms), peerVals((r) => r.ms));
rows.push(imp);
const heap = vsBestPeer('heap retained after import', 'MiB', med('ours', (r) => r.heapMiB), peerVals((r) => r.heapMiB), '≤ best peer and ≤ 4 MiB');
heap.ok = heap.ok === true && heap.value <= 4;
rows.push(heap);
rows.push(vsBestPeer('first lookup after import (PatientName by tag)', 'ns', med('ours', (r) => r.firstNs), peerVals((r) => r.firstNs)));
const pj = statSync(join(pkg, 'package.json')).size;
rows.push({ name: 'package.json of the package', value: pj / 1024, unit: 'KB', target: 'subpath patterns', ok: pj < 8 * 1024 });
finishSuite('import', rows, { rounds: n, modules, runs });
