/**
 * Suite `lookup-limits` (issue 13): what the two unmet lookup rows are made of, against
 * dcmjs/dictionary, so docs/lookup-speed.md can say why they stay unmet (no goal here; every row
 * is reported). Fresh processes, interleaved rounds, medians, as suites `import` and `lookup`.
 *
 * First lookup after import (suite `import`'s child: `gc()` twice after `import()`, then one
 * timed expression): split into the module namespace load alone, a lookup of an entry the
 * warm-up at import already decoded, the measured lookup (decodes PatientName), and
 * `Object.freeze` of a fresh object after the collections (no package: the C++ step every decode
 * ends with). What-if: a copy of dist/dictionary.js that builds every entry at import (first
 * lookup, heap retained, import time) beside the unchanged dictionary.js, both imported alone, and
 * a copy that has decoded only the measured entry at import; the namespace load of dictionary.js alone.
 *
 * `lookupTag('(gggg,eeee)')` (suite `lookup`'s child: one warm-up call, one timed call per
 * workload): the same copy's `lookupTag`, a copy whose text miss path V8 does not inline into the
 * timing loop, its cache table (`byTagString`) read in the timing loop
 * without the function, and dcmjs/dictionary's object read bare and through a function shaped
 * like `lookupTag` (typeof check, then the keyed load).
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { finishSuite, interleave, median, nodeJson, rounds } from './kit.ts';
import { packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

const { pkg, app } = packageFixture();
const work = mkdtempSync(join(tmpdir(), 'dictgen-lookup-limits-'));

/** dist/dictionary.js as built, and a copy with `tail` appended (the emitted module imports nothing at run time), after `edit`. */
function dictionaryCopy(name: string, tail: string, edit: (text: string) => string = (t) => t): string {
  const text = edit(readFileSync(join(pkg, 'dist', 'dictionary.js'), 'utf8'));
  for (const id of ['const made', 'const byTagString', 'const entry']) {
    if (!text.includes(id)) throw new Error(`bench lookup-limits: dist/dictionary.js has no \`${id}\`; update the copies this suite makes`);
  }
  const file = join(work, `${name}.js`);
  writeFileSync(file, `${text}\n${tail}\n`);
  return pathToFileURL(file).href;
}
const plain = dictionaryCopy('dictionary', '');
const everyEntry = dictionaryCopy('every-entry', 'for (let r = 0; r < made.length; r++) { const e = entry(r); if (byTagString[e.tagString] === undefined) byTagString[e.tagString] = e; }');
const withTable = dictionaryCopy('with-table', 'export { byTagString as __table };');
// What-if: the measured entry already decoded and in the cache table before the collections (the
// best an entry decoded on demand can do: the first lookup is one call and one keyed load).
const measuredAtImport = dictionaryCopy('measured-at-import', "lookupTag('(0010,0010)');");
// What-if: lookupTag's text miss path called through a function V8 does not inline (longer than its
// inlining limit of 460 bytes of bytecode, by dead statements), so a loop calling lookupTag compiles
// to the typeof check, the cache load and a call, without tagFromText, byNumber and probeTag inlined.
const MISS = 'return e !== undefined ? e : tagFromText(tag);';
const outOfLine = dictionaryCopy(
  'miss-out-of-line',
  `function tagFromTextOutOfLine(s) {\n  if (s === '\\u0000') {\n${Array.from({ length: 40 }, (_, i) => `    globalThis.__never${i} = (globalThis.__never${i} | 0) + ${i};`).join('\n')}\n  }\n  return tagFromText(s);\n}`,
  (text) => {
    if (!text.includes(MISS)) throw new Error(`bench lookup-limits: dist/dictionary.js has no \`${MISS}\`; update the copies this suite makes`);
    return text.replace(MISS, MISS.replace('tagFromText(', 'tagFromTextOutOfLine('));
  },
);

// --- First lookup after import ---------------------------------------------------------------

interface FirstRun {
  ms: number;
  heapMiB: number;
  firstNs: number;
  ok: boolean;
}

/** `setup` runs before the collections; `spec` (if any) is imported as `m` between them. */
const FREEZE = `const make = (i) => ({ tag: i, tagString: '(0010,0010)', keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, repeating: false, mask: 0xffffffff, table: 'data', vrSeeNote: false });
for (let i = 0; i < 16; i++) { Object.freeze(make(i)); make(i); }`;
const first: Record<string, { spec?: string; setup?: string; expr: string }> = {
  'dcmjs/dictionary: namespace load only': { spec: 'dcmjs/dictionary', expr: `m.dictionary !== undefined` },
  'dcmjs/dictionary: first lookup': { spec: 'dcmjs/dictionary', expr: `m.dictionary['(0010,0010)']?.name === 'PatientName'` },
  'ours: namespace load only': { spec: PACKAGE, expr: `m.lookupTag !== undefined` },
  'ours: entry decoded at import': { spec: PACKAGE, expr: `m.lookupTag('(0000,0000)')?.keyword === 'CommandGroupLength'` },
  'ours: first lookup': { spec: PACKAGE, expr: `m.lookupTag('(0010,0010)')?.keyword === 'PatientName'` },
  'dictionary.js alone: namespace load only': { spec: plain, expr: `m.lookupTag !== undefined` },
  'dictionary.js alone: first lookup': { spec: plain, expr: `m.lookupTag('(0010,0010)')?.keyword === 'PatientName'` },
  'dictionary.js alone, the measured entry decoded at import: first lookup': { spec: measuredAtImport, expr: `m.lookupTag('(0010,0010)')?.keyword === 'PatientName'` },
  'dictionary.js, every entry built at import: first lookup': { spec: everyEntry, expr: `m.lookupTag('(0010,0010)')?.keyword === 'PatientName'` },
  'no package: a fresh 11-property object': { setup: FREEZE, expr: `make(1000).tag === 1000` },
  'no package: the same object, frozen': { setup: FREEZE, expr: `Object.isFrozen(Object.freeze(make(1000)))` },
};

function firstScript(c: { spec?: string; setup?: string; expr: string }): string {
  return `${c.setup ?? ''}
gc(); gc();
const h0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const m = ${c.spec ? `await import(${JSON.stringify(c.spec)})` : '{}'};
const ms = performance.now() - t0;
gc(); gc();
const heapMiB = (process.memoryUsage().heapUsed - h0) / 1048576;
const f0 = process.hrtime.bigint();
const ok = ${c.expr};
const firstNs = Number(process.hrtime.bigint() - f0);
console.log(JSON.stringify({ ms, heapMiB, firstNs, ok }));
`;
}

const firstFiles = Object.fromEntries(
  Object.entries(first).map(([k, c], i) => {
    const file = join(app, `limits-first-${i}.mjs`);
    writeFileSync(file, firstScript(c));
    return [k, file];
  }),
);
const firstRuns = interleave(rounds(10), Object.fromEntries(Object.keys(first).map((k) => [k, () => nodeJson<FirstRun>(['--expose-gc', firstFiles[k]!], { cwd: app })])));
for (const [k, rs] of Object.entries(firstRuns)) if (rs.some((r) => !r.ok)) throw new Error(`bench lookup-limits: ${k} gave the wrong result`);
const firstMed = (k: string, f: (r: FirstRun) => number) => median(firstRuns[k]!.map(f));

// --- lookupTag('(gggg,eeee)') ----------------------------------------------------------------

const workloadFile = join(app, 'lookup-workload.json');
writeFileSync(
  join(app, 'limits-workload.mjs'),
  `
import { writeFileSync } from 'node:fs';
import * as ours from ${JSON.stringify(PACKAGE)};
import dcmjs from 'dcmjs';
import iw from '@iwharris/dicom-data-dictionary';
import { dictionary } from 'dcmjs/dictionary';
const M = dcmjs.data.DicomMetaDictionary;
const keywords = Object.keys(M.nameMap).filter((k) => ours.lookupKeyword(k) && iw.get_element(k) && !/x/i.test(M.nameMap[k].tag) && dictionary[M.nameMap[k].tag] && iw.elements[M.nameMap[k].tag]);
writeFileSync(${JSON.stringify(workloadFile)}, JSON.stringify({ keywords, tagStrings: keywords.map((k) => M.nameMap[k].tag) }));
console.log(JSON.stringify({ keywords: keywords.length }));
`,
);
const counts = nodeJson<{ keywords: number }>([join(app, 'limits-workload.mjs')], { cwd: app });

/** Timing loops as suite `lookup` writes them: a warm-up call, then the timed call. */
const loops: Record<string, { setup: string; expr: string }> = {
  'dictionary.js copy: lookupTag(s)': { setup: `const m = await import(${JSON.stringify(withTable)});`, expr: 'm.lookupTag(W.tagStrings[i])' },
  'dictionary.js copy, the text miss path out of line: lookupTag(s)': { setup: `const m = await import(${JSON.stringify(outOfLine)});`, expr: 'm.lookupTag(W.tagStrings[i])' },
  'dictionary.js copy: its cache table read in the loop': {
    setup: `const m = await import(${JSON.stringify(withTable)});`,
    expr: 'm.__table[W.tagStrings[i]] ?? m.lookupTag(W.tagStrings[i])',
  },
  'dcmjs/dictionary: bare': { setup: `const { dictionary } = await import('dcmjs/dictionary');`, expr: 'dictionary[W.tagStrings[i]]' },
  'dcmjs/dictionary: through a lookupTag-shaped function': {
    setup: `const { dictionary } = await import('dcmjs/dictionary');\nconst lookup = (t) => (typeof t === 'number' ? undefined : dictionary[t]);`,
    expr: 'lookup(W.tagStrings[i])',
  },
};

function loopScript(c: { setup: string; expr: string }): string {
  return `
import { readFileSync } from 'node:fs';
const W = JSON.parse(readFileSync(${JSON.stringify(workloadFile)}, 'utf8'));
${c.setup}
const run = (list, n) => {
  const L = list.length;
  let hits = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0, i = 0; k < n; k++, i = i + 1 === L ? 0 : i + 1) if (${c.expr}) hits++;
  const ns = Number(process.hrtime.bigint() - t0);
  if (hits !== n) throw new Error('missed lookups: ' + (n - hits));
  return ns / n;
};
const N = 400000;
run(W.tagStrings, N);
console.log(JSON.stringify({ ns: run(W.tagStrings, N) }));
`;
}

const loopFiles = Object.fromEntries(
  Object.entries(loops).map(([k, c], i) => {
    const file = join(app, `limits-loop-${i}.mjs`);
    writeFileSync(file, loopScript(c));
    return [k, file];
  }),
);
const loopRuns = interleave(rounds(7), Object.fromEntries(Object.keys(loops).map((k) => [k, () => nodeJson<{ ns: number }>([loopFiles[k]!], { cwd: app })])));
const loopMed = (k: string) => median(loopRuns[k]!.map((r) => r.ns));

// --- Rows ------------------------------------------------------------------------------------

const vs = (name: string, unit: string, value: number, peerName: string, peer: number): BenchRow => ({ name, value, unit, target: 'reported', peer: { name: peerName, value: peer, ratio: value / peer } });
const dcmjsFirst = firstMed('dcmjs/dictionary: first lookup', (r) => r.firstNs);
const rows: BenchRow[] = [];
for (const k of Object.keys(first)) {
  if (k === 'dcmjs/dictionary: first lookup') continue;
  rows.push(vs(`first lookup after import, ${k}`, 'ns', firstMed(k, (r) => r.firstNs), 'dcmjs/dictionary: first lookup', dcmjsFirst));
}
const heapPlain = firstMed('dictionary.js alone: first lookup', (r) => r.heapMiB);
rows.push(vs('heap retained after import, dictionary.js with every entry built at import', 'MiB', firstMed('dictionary.js, every entry built at import: first lookup', (r) => r.heapMiB), 'dictionary.js as built', heapPlain));
rows.push(
  vs('import time, dictionary.js with every entry built at import', 'ms', firstMed('dictionary.js, every entry built at import: first lookup', (r) => r.ms), 'dictionary.js as built', firstMed('dictionary.js alone: first lookup', (r) => r.ms)),
);
const dcmjsBare = loopMed('dcmjs/dictionary: bare');
for (const k of Object.keys(loops)) if (k !== 'dcmjs/dictionary: bare') rows.push(vs(`lookupTag('(gggg,eeee)') loop (${counts.keywords} tags), ${k}`, 'ns', loopMed(k), 'dcmjs/dictionary: bare', dcmjsBare));
finishSuite('lookup-limits', rows, { firstRounds: firstRuns, loopRounds: loopRuns, counts });
