/**
 * Suite `lookup` (issue 13): ns per lookup against the peers. Every round starts one fresh process
 * per contestant (ours from the compiled dist/, dcmjs, dcmjs/dictionary, @iwharris), in rotating
 * order; each process warms up, then times its workloads; the median over rounds is reported.
 * Workload: the keywords every contestant knows (their tags as "(gggg,eeee)" and as numbers), and
 * the SOP class UIDs dcmjs and we both know.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishSuite, interleave, median, nodeJson, rounds, vsBestPeer } from './kit.ts';
import { packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

type Timings = Record<string, number>;

const { app } = packageFixture();

// The shared workload, computed once (not timed).
const workloadFile = join(app, 'lookup-workload.json');
writeFileSync(
  join(app, 'lookup-workload.mjs'),
  `
import { writeFileSync } from 'node:fs';
import * as ours from ${JSON.stringify(PACKAGE)};
import dcmjs from 'dcmjs';
import iw from '@iwharris/dicom-data-dictionary';
import { dictionary } from 'dcmjs/dictionary';
const M = dcmjs.data.DicomMetaDictionary;
const keywords = Object.keys(M.nameMap).filter((k) => ours.lookupKeyword(k) && iw.get_element(k) && !/x/i.test(M.nameMap[k].tag) && dictionary[M.nameMap[k].tag] && iw.elements[M.nameMap[k].tag]);
const tagStrings = keywords.map((k) => M.nameMap[k].tag);
const uids = Object.keys(M.sopClassNamesByUID).filter((u) => ours.lookupUid(u));
writeFileSync(${JSON.stringify(workloadFile)}, JSON.stringify({ keywords, tagStrings, uids }));
console.log(JSON.stringify({ keywords: keywords.length, uids: uids.length }));
`,
);
const counts = nodeJson<{ keywords: number; uids: number }>([join(app, 'lookup-workload.mjs')], { cwd: app });

/** Workload bodies per contestant: each an expression of the row index `i` returning a truthy entry. */
const contestants: Record<string, { setup: string; work: Record<string, string> }> = {
  ours: {
    setup: `const m = await import(${JSON.stringify(PACKAGE)});`,
    work: {
      tagString: 'm.lookupTag(W.tagStrings[i])',
      tagNumber: 'm.lookupTag(W.tagNumbers[i])',
      keyword: 'm.lookupKeyword(W.keywords[i])',
      uid: 'm.lookupUid(W.uids[i])',
    },
  },
  dcmjs: {
    setup: `const M = (await import('dcmjs')).default.data.DicomMetaDictionary;`,
    work: { tagString: 'M.dictionary[W.tagStrings[i]]', keyword: 'M.nameMap[W.keywords[i]]', uid: 'M.sopClassNamesByUID[W.uids[i]]' },
  },
  'dcmjs/dictionary': {
    setup: `const { dictionary } = await import('dcmjs/dictionary');`,
    work: { tagString: 'dictionary[W.tagStrings[i]]' },
  },
  '@iwharris': {
    setup: `const iw = (await import('@iwharris/dicom-data-dictionary')).default;`,
    work: { tagString: 'iw.elements[W.tagStrings[i]]', keyword: 'iw.get_element(W.keywords[i])' },
  },
};

/**
 * Each workload gets its own timing loop with the lookup written in it: a shared loop calling a
 * closure per workload would make that call megamorphic for contestants with several workloads
 * and monomorphic (inlined) for a contestant with one, timing the harness instead of the lookup.
 */
function childScript(c: { setup: string; work: Record<string, string> }): string {
  const loops = Object.entries(c.work).map(
    ([k, expr]) => `  ${k}: (list, n) => {
    const L = list.length;
    let hits = 0;
    const t0 = process.hrtime.bigint();
    for (let k = 0, i = 0; k < n; k++, i = i + 1 === L ? 0 : i + 1) if (${expr}) hits++;
    const ns = Number(process.hrtime.bigint() - t0);
    if (hits !== n) throw new Error('missed lookups: ' + (n - hits));
    return ns / n;
  },`,
  );
  return `
import { readFileSync } from 'node:fs';
const W = JSON.parse(readFileSync(${JSON.stringify(workloadFile)}, 'utf8'));
W.tagNumbers = W.tagStrings.map((t) => parseInt(t.slice(1, 5) + t.slice(6, 10), 16));
${c.setup}
const run = {
${loops.join('\n')}
};
const listOf = { tagString: W.tagStrings, tagNumber: W.tagNumbers, keyword: W.keywords, uid: W.uids };
const N = 400000;
for (const [k, fn] of Object.entries(run)) fn(listOf[k], N);           // warm-up (JIT)
const out = {};
for (const [k, fn] of Object.entries(run)) out[k] = fn(listOf[k], N);
console.log(JSON.stringify(out));
`;
}

const n = rounds(7);
const scripts = Object.fromEntries(
  Object.entries(contestants).map(([k, c]) => {
    const file = join(app, `lookup-${k.replace(/\W/g, '_')}.mjs`);
    writeFileSync(file, childScript(c));
    return [k, file];
  }),
);
const runs = interleave(n, Object.fromEntries(Object.keys(contestants).map((k) => [k, () => nodeJson<Timings>([scripts[k]!], { cwd: app })])));
const med = (k: string, w: string) => median(runs[k]!.map((r) => r[w] ?? NaN));
const peersFor = (w: string) => Object.fromEntries(Object.keys(contestants).filter((k) => k !== 'ours' && contestants[k]!.work[w]).map((k) => [k, med(k, w)]));
const rows: BenchRow[] = [
  vsBestPeer(`lookupTag('(gggg,eeee)') (${counts.keywords} data elements every contestant knows)`, 'ns', med('ours', 'tagString'), peersFor('tagString')),
  // No peer looks up by number: compared with the fastest peer lookup by tag of any form.
  vsBestPeer('lookupTag(number) (peers: their fastest tag lookup)', 'ns', med('ours', 'tagNumber'), peersFor('tagString')),
  vsBestPeer('lookupKeyword(keyword)', 'ns', med('ours', 'keyword'), peersFor('keyword')),
  vsBestPeer(`lookupUid(uid) (${counts.uids} SOP class UIDs dcmjs knows)`, 'ns', med('ours', 'uid'), peersFor('uid')),
];
finishSuite('lookup', rows, { rounds: n, counts, runs });
