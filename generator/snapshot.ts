/**
 * The embedded default: scrape the default layers (sources/embedded/default.config.json), strip
 * everything that is prose of the standard (condition texts, definitions), check that what is
 * left is facts only, and write the IR snapshot that `npm run generate` reads offline.
 *
 * `npm run snapshot` rebuilds the snapshot from ../shared and then regenerates generated/.
 */
import { buildIr, generate } from './pipeline.ts';
import { defaultConfig, defaultOut, defaultSnapshot } from './defaults.ts';
import { irToJson } from './normalize.ts';
import { atomicWriteFile } from './write.ts';
import type { Ir, Report } from './ir.ts';

/** Keys whose values are prose of the standard (or raw source text) and never belong in a committed snapshot. */
const PROSE_KEYS = new Set(['condition', 'description', 'definition', 'conditionalStatement', 'note', 'notes', 'raw', 'columns']);
/** The longest fact we expect (a long attribute or SOP class name); longer strings are prose. */
export const MAX_FACT_LENGTH = 200;

/** Deep copy without prose keys. */
export function factsOnly(ir: Ir): Ir {
  return JSON.parse(JSON.stringify(ir, (k, v: unknown) => (PROSE_KEYS.has(k) ? undefined : v))) as Ir;
}

/** Every string in the snapshot is short and no prose key survives; returns the offending paths. */
export function proseViolations(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length > MAX_FACT_LENGTH) out.push(`${path} (${value.length} chars)`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => proseViolations(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (PROSE_KEYS.has(k)) out.push(`${path}.${k}`);
      proseViolations(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/**
 * The same JSON with every non-ASCII character as a `\uXXXX` escape (JSON.parse gives the same
 * value): an ASCII file is decoded as latin1 and parsed without the slow UTF-8 path (issue 13).
 */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function buildSnapshot(opts: { config?: string; out?: string; onProgress?: (l: string) => void } = {}): Promise<{ ir: Ir; report: Report; blocking: boolean }> {
  const { ir, report, blocking } = await buildIr({ config: opts.config ?? defaultConfig, onProgress: opts.onProgress });
  if (blocking) return { ir, report, blocking };
  const facts = factsOnly(ir);
  const bad = proseViolations(facts);
  if (bad.length > 0) throw new Error(`snapshot would contain prose at ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`);
  atomicWriteFile(opts.out ?? defaultSnapshot, asciiJson(irToJson(facts)));
  return { ir: facts, report, blocking };
}

if (process.argv[1]?.endsWith('snapshot.ts')) {
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const { blocking, report } = await buildSnapshot({ onProgress: log });
  if (blocking) {
    for (const d of report.diagnostics.filter((x) => x.severity === 'error')) log(`error: ${d.file ?? ''} ${d.table ?? ''} ${d.row ?? ''}: ${d.message}`);
    process.exitCode = 1;
  } else {
    for (const [k, v] of Object.entries(report.counts)) if (!k.includes('·')) log(`  ${k}: ${v}`);
    await generate({ snapshot: defaultSnapshot, out: defaultOut, force: true, onProgress: log });
  }
}
