/**
 * `npm run bench`: speed, memory and bundle size, always against peers measured in the same run.
 * Targets come from the issues and are checked here (printed), never asserted in tests.
 *
 * Core rows (this file): generate on the 2013 parts (time, peak RSS), lookup throughput against
 * dcmjs and @iwharris/dicom-data-dictionary, cold import time, one-constant bundle sizes.
 * Family rows: every `bench/<family>.ts` exporting `bench()` (IODs, context groups, diff, …).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { rollupBundle, esbuildBundle } from './bundle.ts';
import type { BenchRow, BenchModule } from './types.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.DICTGEN_SHARED ?? resolve(repo, '..', 'shared');
const require = createRequire(import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'dictgen-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs a script in a fresh node process (tsx loader) and returns its JSON stdout. */
function child<T>(code: string, tsx = true): T {
  const file = join(work, `child-${Math.random().toString(36).slice(2)}.${tsx ? "mts" : "mjs"}`);
  writeFileSync(file, code);
  const args = tsx ? ['--import', 'tsx', file] : [file];
  const out = execFileSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as T;
}

async function benchGenerate(): Promise<BenchRow[]> {
  const src = join(shared, 'standard', 'nema', '2013');
  if (!existsSync(src)) return [{ name: 'generate 2013 parts', value: NaN, unit: 'ms', note: '../shared missing' }];
  const runs: { ms: number; rss: number; msNoFormat: number }[] = [];
  for (let i = 0; i < 3; i++) {
    runs.push(
      child(`
        import { generate } from ${JSON.stringify(pathToFileURL(join(repo, 'generator', 'pipeline.ts')).href)};
        const t0 = performance.now();
        await generate({ sources: [${JSON.stringify(src)}], out: ${JSON.stringify(join(work, 'gen' + i))}, force: true });
        const ms = performance.now() - t0;
        const t1 = performance.now();
        await generate({ sources: [${JSON.stringify(src)}], out: ${JSON.stringify(join(work, 'genNF' + i))}, force: true, noFormat: true });
        const msNoFormat = performance.now() - t1;
        console.log(JSON.stringify({ ms, msNoFormat, rss: process.resourceUsage().maxRSS / 1024 }));
      `),
    );
  }
  const ms = median(runs.map((r) => r.ms));
  const rows: BenchRow[] = [
    { name: 'generate: 2013 parts 4,5,6,7,15 → package (scrape+validate+emit+prettier+write)', value: Math.round(ms), unit: 'ms', target: '< 3000 ms', ok: ms < 3000 },
    { name: 'generate: same without prettier', value: Math.round(median(runs.map((r) => r.msNoFormat))), unit: 'ms' },
    { name: 'generate: peak RSS (both runs in one process)', value: Math.round(median(runs.map((r) => r.rss))), unit: 'MiB' },
  ];
  // Incremental: unchanged inputs must not rewrite anything.
  const inc = child<{ ms: number }>(`
    import { generate } from ${JSON.stringify(pathToFileURL(join(repo, 'generator', 'pipeline.ts')).href)};
    const t0 = performance.now();
    const r = await generate({ sources: [${JSON.stringify(src)}], out: ${JSON.stringify(join(work, 'gen0'))} });
    if (!r.upToDate) throw new Error('expected up to date');
    console.log(JSON.stringify({ ms: performance.now() - t0 }));
  `);
  rows.push({ name: 'generate: incremental no-op run (inputs unchanged)', value: Math.round(inc.ms), unit: 'ms', target: '< 1000 ms', ok: inc.ms < 1000 });
  return rows;
}

/** Bundle the committed generated package into one ESM file so peers and we are compared as plain JS. */
async function bundleOurs(): Promise<string> {
  const out = join(work, 'ours.mjs');
  await esbuild.build({ entryPoints: [join(repo, 'generated', 'index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
  return out;
}

async function benchLookups(ours: string): Promise<BenchRow[]> {
  const dcmjsPath = require.resolve('dcmjs');
  const iwPath = require.resolve('@iwharris/dicom-data-dictionary');
  const r = child<Record<string, number>>(
    `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const ours = await import(${JSON.stringify(pathToFileURL(ours).href)});
    const dcmjs = require(${JSON.stringify(dcmjsPath)});
    const iw = require(${JSON.stringify(iwPath)});
    const dict = dcmjs.data.DicomMetaDictionary.dictionary;
    const nameMap = dcmjs.data.DicomMetaDictionary.nameMap;
    // Workload: every keyword both peers and we know, as tag strings and keywords.
    const keywords = Object.keys(nameMap).filter((k) => ours.lookupKeyword(k) && iw.get_element(k));
    const tagStrings = keywords.map((k) => nameMap[k].tag);            // '(0010,0010)'
    const tagNumbers = tagStrings.map((t) => parseInt(t.slice(1, 5) + t.slice(6, 10), 16));
    const tagPlain = tagStrings.map((t) => t.slice(1, 5) + t.slice(6, 10)); // '00100010'
    // Each workload runs in 7 interleaved rounds after a warm-up; the median round is reported,
    // so JIT tiering and GC pauses hit every contestant alike.
    function once(fn, n) {
      let sink = 0;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) sink += fn(i) ? 1 : 0;
      const ns = Number(process.hrtime.bigint() - t0);
      if (sink < 0) console.log(sink);
      return n / (ns / 1e9);
    }
    const L = keywords.length;
    const N = 1_000_000;
    const work = {
      oursTagString: [(i) => ours.lookupTag(tagStrings[i % L]), N],
      oursTagNumber: [(i) => ours.lookupTag(tagNumbers[i % L]), N],
      oursKeyword: [(i) => ours.lookupKeyword(keywords[i % L]), N],
      dcmjsTagString: [(i) => dict[tagStrings[i % L]], N],
      dcmjsKeyword: [(i) => nameMap[keywords[i % L]], N],
      iwTagPlain: [(i) => iw.get_element(tagPlain[i % L]), N / 10],
      iwKeyword: [(i) => iw.get_element(keywords[i % L]), N / 10],
    };
    const rounds = Object.fromEntries(Object.keys(work).map((k) => [k, []]));
    for (const [k, [fn, n]] of Object.entries(work)) for (let w = 0; w < 3; w++) once(fn, n);
    for (let r = 0; r < 7; r++) for (const [k, [fn, n]] of Object.entries(work)) rounds[k].push(once(fn, n));
    const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const out = { count: L, ...Object.fromEntries(Object.entries(rounds).map(([k, xs]) => [k, med(xs)])) };
    console.log(JSON.stringify(out));
  `,
    false,
  );
  const m = (x: number) => Math.round(x / 1e4) / 100; // Mops/s, 2 decimals
  const row = (name: string, v: number, peerName: string, peer: number): BenchRow => ({
    name,
    value: m(v),
    unit: 'M lookups/s',
    peer: { name: peerName, value: m(peer), ratio: Math.round((v / peer) * 100) / 100 },
    target: `>= faster peer`,
  });
  const fasterTag = Math.max(r.dcmjsTagString!, r.iwTagPlain!);
  const fasterKw = Math.max(r.dcmjsKeyword!, r.iwKeyword!);
  const rows = [
    row(`lookupTag("(gggg,eeee)") over ${r.count} shared keywords`, r.oursTagString!, 'dcmjs dictionary[tag]', r.dcmjsTagString!),
    row('lookupTag(number)', r.oursTagNumber!, 'dcmjs dictionary[tag]', r.dcmjsTagString!),
    row('lookupTag("(gggg,eeee)") vs @iwharris get_element("ggggeeee")', r.oursTagString!, '@iwharris/dicom-data-dictionary', r.iwTagPlain!),
    row('lookupKeyword(keyword)', r.oursKeyword!, 'dcmjs nameMap[keyword]', r.dcmjsKeyword!),
    row('lookupKeyword(keyword) vs @iwharris get_element(keyword)', r.oursKeyword!, '@iwharris/dicom-data-dictionary', r.iwKeyword!),
  ];
  for (const x of rows) x.ok = x.value >= (x.name.startsWith('lookupKeyword') ? m(fasterKw) : m(fasterTag));
  return rows;
}

async function benchImport(ours: string): Promise<BenchRow[]> {
  const t = (spec: string, isCjs: boolean) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      xs.push(
        child<{ ms: number }>(
          `
          import { createRequire } from 'node:module';
          const require = createRequire(import.meta.url);
          const t0 = performance.now();
          ${isCjs ? `require(${JSON.stringify(spec)});` : `await import(${JSON.stringify(spec)});`}
          console.log(JSON.stringify({ ms: performance.now() - t0 }));
        `,
          false,
        ).ms,
      );
    }
    return median(xs);
  };
  const oursMs = t(pathToFileURL(ours).href, false);
  const dcmjsMs = t(require.resolve('dcmjs'), true);
  const iwMs = t(require.resolve('@iwharris/dicom-data-dictionary'), true);
  const r2 = (x: number) => Math.round(x * 10) / 10;
  return [
    { name: 'cold import of the whole package', value: r2(oursMs), unit: 'ms', peer: { name: 'dcmjs', value: r2(dcmjsMs), ratio: r2(oursMs / dcmjsMs) } },
    { name: 'cold import of the whole package', value: r2(oursMs), unit: 'ms', peer: { name: '@iwharris/dicom-data-dictionary', value: r2(iwMs), ratio: r2(oursMs / iwMs) } },
  ];
}

async function benchBundles(): Promise<BenchRow[]> {
  const gen = JSON.stringify(join(repo, 'generated', 'index.ts'));
  // Peers, same use, same bundlers. dcmjs and @iwharris expose one big object: nothing can be shaken.
  const peerCode = {
    dcmjs: `import dcmjs from 'dcmjs'; console.log(dcmjs.data.DicomMetaDictionary.nameMap.PatientName.tag);`,
    iw: `import d from '@iwharris/dicom-data-dictionary'; console.log(d.tags.PatientName);`,
  };
  const dcmjsBytes = (await esbuildBundle(peerCode.dcmjs)).bytes;
  const iwBytes = (await esbuildBundle(peerCode.iw)).bytes;
  const rows: BenchRow[] = [];
  const add = async (label: string, code: string, target?: number) => {
    const r = await rollupBundle(code);
    const e = await esbuildBundle(code);
    rows.push({
      name: `bundle (rollup): ${label}`,
      value: r.bytes,
      unit: 'bytes minified',
      ...(target !== undefined ? { target: `< ${target} B`, ok: r.bytes < target } : {}),
      peer: { name: 'dcmjs, same use', value: dcmjsBytes, ratio: Math.round((r.bytes / dcmjsBytes) * 100000) / 100000 },
      note: `esbuild: ${e.bytes} B; @iwharris same use: ${iwBytes} B`,
    });
  };
  await add('one tag constant (Tag.PatientName)', `import { Tag } from ${gen}; console.log(Tag.PatientName);`, 2048);
  await add('one UID constant (SopClass.CTImageStorage)', `import { SopClass } from ${gen}; console.log(SopClass.CTImageStorage);`, 2048);
  await add('one IOD type (types only)', `import type { CTImage } from ${gen}; const x: Partial<CTImage> = {}; console.log(x);`, 100);
  // No PS3.16 is available offline, so the context-group rows use a package built from the
  // hand-written PS3.16 fixture (10 groups); the constant is imported through the package root.
  const cgOut = join(work, 'cg-pkg');
  const { generate } = await import('../generator/pipeline.ts');
  await generate({ sources: [join(repo, 'test', 'fixtures', 'nema', 'part16-2025b.xml')], out: cgOut, force: true, selection: { families: new Set(['context-groups']) } });
  const cg = JSON.stringify(join(cgOut, 'index.ts'));
  await add('one context group code (CID7151.Tissue, PS3.16 fixture package)', `import { CID7151 } from ${cg}; console.log(CID7151.Tissue);`, 2048);
  await add('one context group, all its codes (CID7151.codes)', `import { CID7151 } from ${cg}; console.log(CID7151.codes);`);
  await add('lookupTag (whole data element dictionary)', `import { lookupTag } from ${gen}; console.log(lookupTag('(0010,0010)'));`);
  rows.push({
    name: 'bundle (esbuild): one tag via module import (import * as Tag from …/tags)',
    value: (await esbuildBundle(`import * as Tag from ${JSON.stringify(join(repo, 'generated', 'tags.ts'))}; console.log(Tag.PatientName);`)).bytes,
    unit: 'bytes minified',
    target: '< 2048 B',
  });
  const last = rows[rows.length - 1]!;
  last.ok = last.value < 2048;
  return rows;
}

async function familyBenches(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const here = dirname(fileURLToPath(import.meta.url));
  for (const f of readdirSync(here).sort()) {
    if (!f.endsWith('.ts') || ['run.ts', 'types.ts'].includes(f)) continue;
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { bench?: BenchModule };
    if (typeof mod.bench !== 'function') continue;
    try {
      rows.push(...(await mod.bench()));
    } catch (e) {
      rows.push({ name: `${f}`, value: NaN, unit: '', note: `failed: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return rows;
}

function print(rows: BenchRow[]): void {
  for (const r of rows) {
    const peer = r.peer ? `  | ${r.peer.name}: ${r.peer.value} → ratio ${r.peer.ratio}` : '';
    const target = r.target ? `  [target ${r.target}: ${r.ok === undefined ? '?' : r.ok ? 'ok' : 'MISSED'}]` : '';
    const note = r.note ? `  (${r.note})` : '';
    console.log(`${r.name}: ${r.value} ${r.unit}${peer}${target}${note}`);
  }
}

const all: BenchRow[] = [];
try {
  const ours = await bundleOurs();
  for (const step of [benchGenerate, () => benchLookups(ours), () => benchImport(ours), benchBundles, familyBenches]) {
    const rows = await step();
    print(rows);
    all.push(...rows);
  }
  const missed = all.filter((r) => r.ok === false);
  console.log(`\n${all.length} measurements, ${missed.length} targets missed${missed.length ? `: ${missed.map((r) => r.name).join('; ')}` : ''}`);
  if (process.argv.includes('--json')) writeFileSync(join(repo, 'bench-results.json'), `${JSON.stringify(all, null, 1)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
