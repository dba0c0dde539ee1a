/**
 * `dicom-dictgen lookup <tag | keyword | uid>`: answers from a generated package (the committed
 * `generated/` by default), so it is instant and shows exactly what consumers get.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIo } from './index.ts';
import { defaultOut } from '../defaults.ts';
import { importTypeScript } from '../ts-loader.ts';
import { usageError, inputError } from '../../sources/common/errors.ts';

const HELP = `usage: dicom-dictgen lookup <tag | keyword | uid> [--json] [--package <generated dir>]

  dicom-dictgen lookup "(0010,0010)"     a tag in any of the forms 0x00100010, (0010,0010), 0010,0010, 00100010
  dicom-dictgen lookup PatientName       a data element keyword
  dicom-dictgen lookup 1.2.840.10008.1.2 a UID (with its transfer syntax properties when it is one)
`;

interface LookupApi {
  lookupTag(t: number | string): unknown;
  lookupKeyword(k: string): unknown;
  lookupUid(u: string): unknown;
  transferSyntaxInfo?: (u: string) => unknown;
}

export type LookupKind = 'tag' | 'keyword' | 'uid';

/** Which kind of query the user typed. */
export function classifyQuery(q: string): LookupKind | undefined {
  if (/^\(?[0-9a-fA-F]{4},?[0-9a-fA-F]{4}\)?$/.test(q) || /^0x[0-9a-fA-F]{8}$/.test(q)) return 'tag';
  if (/^[0-9]+(\.[0-9]+)+$/.test(q)) return 'uid';
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(q)) return 'keyword';
  return undefined;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, package: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('lookup: give exactly one tag, keyword or UID', 'Example: dicom-dictgen lookup PatientName');
  const q = positionals[0]!.trim();
  const kind = classifyQuery(q);
  if (!kind) throw usageError(`lookup: "${q}" is not a tag, keyword or UID`, 'Use (gggg,eeee), a keyword such as PatientName, or a dotted UID');
  const dir = values.package ? resolve(io.cwd, values.package) : defaultOut;
  const entry = join(dir, 'index.ts');
  if (!existsSync(entry)) throw inputError(`--package ${dir}`, 'no generated package here (index.ts missing)', 'Run `npm run generate` first or pass --package <dir>');
  const api = (await importTypeScript(pathToFileURL(entry).href)) as unknown as LookupApi;
  let result: unknown;
  if (kind === 'tag') result = api.lookupTag(q.startsWith('0x') ? Number(q) : q);
  else if (kind === 'keyword') result = api.lookupKeyword(q) ?? undefined;
  else {
    const u = api.lookupUid(q);
    const ts = api.transferSyntaxInfo?.(q);
    result = u === undefined ? undefined : ts ? { ...(u as object), transferSyntax: ts } : u;
  }
  if (result === undefined) {
    io.stderr(`dicom-dictgen: no ${kind} ${q} in the dictionary (${dir})\n`);
    return 1;
  }
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(formatHuman(result as Record<string, unknown>));
  return 0;
}

/** Tags and masks read best in hex; VR lists as the standard writes them (`US or SS`). */
function showValue(key: string, v: unknown): string {
  if ((key === 'tag' || key === 'mask') && typeof v === 'number') return `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;
  if (Array.isArray(v)) return v.join(' or ');
  return String(v);
}

export function formatHuman(entry: Record<string, unknown>, indent = ''): string {
  const keys = Object.keys(entry);
  const w = Math.max(...keys.map((k) => k.length));
  let out = '';
  for (const k of keys) {
    const v = entry[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) out += `${indent}${k}:\n${formatHuman(v as Record<string, unknown>, `${indent}  `)}`;
    else out += `${indent}${k.padEnd(w)}  ${showValue(k, v)}\n`;
  }
  return out;
}
