/**
 * Bench of the `context-groups` family. No PS3.16 is small enough to ship in ../shared, so a
 * synthetic PS3.16 is built in memory in the real DocBook structure (Table 8-1, Annex B sections
 * with variablelist metadata, tables with optional columns and Include rows, Annex D), then
 * scraped, finalized, emitted, formatted and type-checked. Reported per 1,000 codes and
 * extrapolated to the full PS3.16 (about 1,500 groups) at the synthetic document's codes per group.
 * Times are CPU time of this process (user + system), not wall-clock: benches run on shared machines.
 */
import ts from 'typescript';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { partScrapers } from '../sources/nema/index.ts';
import { emptyIr, emptyReport, type SourceRecord } from '../generator/ir.ts';
import { finalizeContextGroups } from '../generator/ir-context-groups.ts';
import { emitContextGroups } from '../generator/emit/context-groups.ts';
import { formatFiles } from '../generator/format.ts';
import type { BenchRow } from './types.ts';

/** Full PS3.16 (2025): about 1,500 context groups. */
const FULL_GROUPS = 1500;

export interface SyntheticOptions {
  groups: number;
  dcmCodes: number;
  /** Deterministic pseudo-random seed. */
  seed?: number;
}

/** A synthetic PS3.16 DocBook document; returns the text and its number of code rows. */
export function syntheticPart16(opts: SyntheticOptions): { xml: string; codeRows: number; includeRows: number } {
  let seed = opts.seed ?? 7151;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const words = ['structure', 'lesion', 'region', 'left', 'right', 'upper', 'lower', 'anterior', 'posterior', 'vessel', 'segment', 'tissue', 'mass', 'wall', 'margin', 'lobe', 'duct', 'node', 'bone', 'muscle'];
  const meaning = (i: number) => `${words[i % 20]} ${words[Math.floor(i / 20) % 20]} ${i}`.replace(/^./, (c) => c.toUpperCase());
  let p = 0;
  const para = (t: string) => `<para xml:id="para_b${(p++).toString(36)}">${t}</para>`;
  const th = (t: string) => `<th align="center" colspan="1" rowspan="1">${para(t)}</th>`;
  const td = (t: string, span = 1) => `<td align="left" colspan="${span}" rowspan="1">${t === '' ? `<para xml:id="para_b${(p++).toString(36)}"/>` : para(t)}</td>`;
  const tr = (cells: string[]) => `<tr valign="top">${cells.join('')}</tr>`;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="utf-8" standalone="no"?>');
  out.push('<book xmlns="http://docbook.org/ns/docbook" xmlns:xl="http://www.w3.org/1999/xlink" label="PS3.16" version="5.0" xml:id="PS3.16">');
  out.push('<title>PS3.16</title><subtitle>DICOM PS3.16 2025b - Content Mapping Resource</subtitle>');
  out.push('<chapter label="8" xml:id="chapter_8"><title>Coding Schemes</title><table frame="box" label="8-1" rules="all" xml:id="table_8-1"><caption>Coding Schemes</caption>');
  out.push(`<thead>${tr(['Coding Scheme Designator', 'Coding Scheme UID', 'FHIR Coding System URI', 'Coding Scheme Name'].map(th))}</thead><tbody>`);
  for (const [d, u, f] of [['DCM', '1.2.840.10008.2.16.4', 'http://dicom.nema.org/resources/ontology/DCM'], ['SCT', '2.16.840.1.113883.6.96', 'http://snomed.info/sct'], ['LN', '2.16.840.1.113883.6.1', 'http://loinc.org']]) {
    out.push(tr([td(d!), td(u!), td(f!), td(`${d} terminology`)]));
  }
  out.push('</tbody></table></chapter><appendix label="B" xml:id="chapter_B"><title>Context Groups</title>');
  let codeRows = 0;
  let includeRows = 0;
  let next = 100000;
  for (let g = 0; g < opts.groups; g++) {
    const cid = 1000 + g;
    const n = 2 + Math.floor(rnd() * rnd() * 90); // skewed: most groups small, a few large
    const extra = rnd() < 0.3;
    const headers = ['Coding Scheme Designator', 'Code Value', 'Code Meaning', ...(extra ? ['SNOMED-RT ID', 'UMLS Concept Unique ID'] : [])];
    out.push(`<section label="CID ${cid}" xml:id="sect_CID_${cid}"><title>Synthetic Group ${cid}</title><variablelist spacing="compact">`);
    for (const [k, v] of [['Keyword', `SyntheticGroup${cid}`], ['FHIR Keyword', `dicom-cid-${cid}-SyntheticGroup${cid}`], ['Type', rnd() < 0.8 ? 'Extensible' : 'Non-extensible'], ['Version', '20250101'], ['UID', `1.2.826.0.1.3680043.10.1234.${cid}`]]) {
      out.push(`<varlistentry><term>${k}:</term><listitem>${para(v!)}</listitem></varlistentry>`);
    }
    out.push(`</variablelist><table frame="box" label="CID ${cid}" rules="all" xml:id="table_CID_${cid}"><caption>Synthetic Group ${cid}</caption><thead>${tr(headers.map(th))}</thead><tbody>`);
    for (let i = 0; i < n; i++) {
      // A third of the codes are shared with earlier groups (same code in several groups).
      const v = rnd() < 0.33 && next > 100010 ? 100000 + Math.floor(rnd() * (next - 100000)) : next++;
      const cells = [td(rnd() < 0.1 ? 'DCM' : 'SCT'), td(String(v)), td(meaning(v))];
      if (extra) cells.push(td(rnd() < 0.5 ? `T-${v % 100000}` : ''), td(`C${String(v).padStart(7, '0')}`));
      out.push(tr(cells));
      codeRows++;
    }
    // Includes point to earlier groups only (no cycles), 0-2 per group.
    const inc = g > 10 ? Math.floor(rnd() * rnd() * 3) : 0;
    for (let i = 0; i < inc; i++) {
      const target = 1000 + Math.floor(rnd() * g);
      out.push(tr([td(`Include <xref linkend="sect_CID_${target}" xrefstyle="select: labelnumber quotedtitle"/>`, headers.length)]));
      includeRows++;
    }
    out.push('</tbody></table></section>');
  }
  out.push('</appendix><appendix label="D" xml:id="chapter_D"><title>DCM</title><table frame="box" label="D-1" rules="all" xml:id="table_D-1"><caption>DCM</caption>');
  out.push(`<thead>${tr(['Code Value', 'Code Meaning', 'Definition', 'Notes'].map(th))}</thead><tbody>`);
  for (let i = 0; i < opts.dcmCodes; i++) out.push(tr([td(String(110000 + i)), td(meaning(i)), td(`Synthetic definition ${i}.`), td('')]));
  out.push('</tbody></table></appendix></book>');
  return { xml: out.join('\n'), codeRows, includeRows };
}

/** CPU time of the calling thread's process in ms: on a loaded machine wall-clock time says little. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function typecheckMs(files: { path: string; content: string }[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-bench-cid-'));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const t0 = cpuMs();
    const program = ts.createProgram(files.map((f) => join(dir, f.path)), {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'],
    });
    const diags = ts.getPreEmitDiagnostics(program);
    if (diags.length > 0) throw new Error(`synthetic package does not compile: ${ts.flattenDiagnosticMessageText(diags[0]!.messageText, '\n')}`);
    return cpuMs() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<BenchRow[]> {
  const groups = Number(process.env.DICTGEN_BENCH_CID_GROUPS ?? 400);
  const syn = syntheticPart16({ groups, dcmCodes: 4000 });
  const buf = Buffer.from(syn.xml);

  const t0 = cpuMs();
  const doc = loadNemaDocument('part16-synthetic.xml', buf);
  const ir = emptyIr();
  const report = emptyReport();
  const source: SourceRecord = { id: 'nema-2025b-part16', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  for (const s of partScrapers.filter((x) => x.part === 16)) s.scrape(doc, { ir, report, source });
  const scrapeMs = cpuMs() - t0;

  const t1 = cpuMs();
  finalizeContextGroups(ir.contextGroups!, (d) => report.diagnostics.push(d), { previous: ir.contextGroups! });
  const finalizeMs = cpuMs() - t1;

  const t2 = cpuMs();
  const result = emitContextGroups({ ir, generatorVersion: 'bench', selection: {} });
  const emitMs = cpuMs() - t2;
  const t3 = cpuMs();
  const formatted = await formatFiles(result.files);
  const formatMs = cpuMs() - t3;
  const tscMs = typecheckMs(formatted);
  // Fixed cost of a type check (lib files, program setup): the shared types alone.
  const tscFixedMs = typecheckMs(formatted.filter((f) => f.path === 'context-groups/code.ts' || f.path === 'coding-schemes.ts'));
  const tscMarginalMs = Math.max(0, tscMs - tscFixedMs);

  const emittedCodes = ir.contextGroups!.groups.reduce((n, g) => n + g.codes.length, 0);
  const groupFiles = formatted.filter((f) => f.path.startsWith('cid/'));
  const bytes = groupFiles.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const k = emittedCodes / 1000;
  const perGroup = FULL_GROUPS / groups;
  const cpu = 'CPU time (user+system): wall-clock is inflated on a loaded machine';
  const rows: BenchRow[] = [
    { name: `context groups: synthetic PS3.16 (${groups} groups, ${syn.codeRows} code rows, ${syn.includeRows} Include rows, ${emittedCodes} codes after includes, ${(buf.length / 1e6).toFixed(1)} MB)`, value: groups, unit: 'groups' },
    { name: 'context groups: scrape (load + parse + Table 8-1 + Annex D + Annex B) per 1,000 code rows', value: +(scrapeMs / (syn.codeRows / 1000)).toFixed(1), unit: 'ms' },
    { name: 'context groups: finalize (includes + identifiers + aliases) per 1,000 codes', value: +(finalizeMs / k).toFixed(1), unit: 'ms' },
    { name: 'context groups: emit per 1,000 codes', value: +(emitMs / k).toFixed(1), unit: 'ms' },
    { name: 'context groups: prettier per 1,000 codes', value: +(formatMs / k).toFixed(1), unit: 'ms' },
    { name: `context groups: tsc --strict --noEmit of the package (${Math.round(tscFixedMs)} ms of it fixed cost)`, value: Math.round(tscMs), unit: 'ms' },
    { name: 'context groups: tsc --strict --noEmit per 1,000 codes (beyond the fixed cost)', value: +(tscMarginalMs / k).toFixed(1), unit: 'ms' },
    { name: 'context groups: output size (cid/*.ts, formatted) per 1,000 codes', value: Math.round(bytes / k / 1024), unit: 'KiB' },
    { name: `context groups: extrapolated full PS3.16 (${FULL_GROUPS} groups ≈ ${Math.round(emittedCodes * perGroup)} codes) scrape+finalize+emit`, value: Math.round((scrapeMs + finalizeMs + emitMs) * perGroup), unit: 'ms', note: `linear in codes; ${cpu}` },
    { name: `context groups: extrapolated full PS3.16 prettier (shared files only; cid/*.ts and dcm.ts are preformatted) + tsc`, value: Math.round(formatMs * perGroup + tscFixedMs + tscMarginalMs * perGroup), unit: 'ms' },
    { name: `context groups: extrapolated full PS3.16 output size (cid/*.ts)`, value: +((bytes * perGroup) / 1e6).toFixed(1), unit: 'MB' },
  ];
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
