/**
 * A JSON mirror of PS3.16 context groups (`context_groups.json`, scraped from NEMA's PS3.16 HTML
 * by another open-source DICOM library): one array of
 *
 *   { cid, name, extensible, uid, version, includes: [cid…], codes: [{ scheme, value, meaning }] }
 *
 *   scrapePs316Mirror(path, { ir, report, layer? }): SourceRecord
 *
 * What the mirror does and does not say, and what this adapter records:
 * - `codes` are the group's own rows, `includes` its `Include CID n` rows in order (unexpanded):
 *   includes are resolved by the shared step (generator/ir-context-groups.ts).
 * - Retirement is only the `(Retired)` suffix of the name: the flag is set and the suffix dropped
 *   from the name (the keyword is derived from the name without it).
 * - No CID keywords: keywords are derived from the name and flagged `keywordDerived`.
 * - `version` is empty in the mirror: it stays absent (never invented), reported once.
 * - A group with neither codes nor includes is kept, with `emptyReason` (also one whose every row
 *   was rejected: CID 3672 and 3692 print position tables, not codes).
 * - An empty `uid` stays absent; the PS3.6 cross-check fills and checks UIDs after the merge.
 * Every group and every code row is parsed or reported with the file, the CID and the row.
 * The edition is the folder name (`2026-03`): the file states none.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Ir, Report, SourceRecord } from '../../generator/ir.ts';
import {
  assignContextGroupIdentifiers,
  codeKey,
  codeMeaningIdentifier,
  codeValueForm,
  ensureContextGroupSection,
  resolveContextGroupIncludes,
  type ContextGroup,
  type ContextGroupCode,
} from '../../generator/ir-context-groups.ts';
import { inputError } from '../common/errors.ts';
import { sha256 } from '../common/hash.ts';
import { cleanText } from '../common/text.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { UnitAccount } from '../private/common.ts';
import { stripBom } from '../common/json.ts';

export const MIRROR_FILE = 'context_groups.json';
const GROUP_KEYS = ['cid', 'name', 'extensible', 'uid', 'version', 'includes', 'codes'];
const CODE_KEYS = ['scheme', 'value', 'meaning'];
/** A Coding Scheme Designator (PS3.16 Table 8-1): no white space (`SCT`, `DCM`, `99SMS_RADSUMMARY`). */
const DESIGNATOR = /^[A-Za-z0-9_.:-]+$/;
const RETIRED_SUFFIX = /\s*\(Retired\)\s*$/i;

/** Why a group has no codes: our words, short enough for a doc comment. */
export const EMPTY_RETIRED = 'retired: the source lists no codes for it';
export const EMPTY_ELSEWHERE = 'the source lists neither codes nor includes: its values are defined outside the PS3.16 tables';
export const EMPTY_NOT_CODES = 'none of the rows the source lists for it is a code (its table has another shape)';

/** `…/ps3.16-mirror/2026-03` → `2026-03` (the month the mirror was scraped). */
export function mirrorEditionFromFolder(dir: string): string {
  const m = /(\d{4}-\d{2})/.exec(basename(dir));
  return m ? m[1]! : 'unknown';
}

type Json = Record<string, unknown>;

interface GroupRead {
  group?: ContextGroup;
  /** Code rows parsed / rejected (for the code account). */
  parsed: number;
  rejected: number;
}

/** One record → a group; shape errors stop the build (the mirror changed), bad rows are reported. */
export function readMirrorGroup(rec: unknown, index: number, ctx: ScrapeContext): GroupRead {
  const file = ctx.source.file;
  const where = `${file} record ${index + 1}`;
  const fix = 'The mirror\'s shape changed: teach sources/ps316-mirror/ the new shape before generating';
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw inputError(where, 'is not an object', fix);
  const r = rec as Json;
  for (const k of Object.keys(r)) if (!GROUP_KEYS.includes(k)) throw inputError(where, `unknown field "${k}" (known: ${GROUP_KEYS.join(', ')})`, fix);
  const note = (severity: 'error' | 'warning' | 'info', code: string, message: string, table: string, row?: number, raw?: string) =>
    diagnose(ctx, { severity, code, message: `${where}: ${message}`, table, ...(row !== undefined ? { row } : {}), ...(raw !== undefined ? { raw } : {}) });
  const rawText = JSON.stringify({ ...r, codes: undefined }).slice(0, 300);
  if (!Number.isInteger(r.cid) || (r.cid as number) < 1) {
    note('error', 'invalid-cid', `cid ${JSON.stringify(r.cid)} is not a positive integer; group dropped`, MIRROR_FILE, index + 1, rawText);
    return { parsed: 0, rejected: Array.isArray(r.codes) ? r.codes.length : 0 };
  }
  const cid = r.cid as number;
  const table = `CID ${cid}`;
  const fullName = typeof r.name === 'string' ? cleanText(r.name) : '';
  if (fullName === '') {
    note('error', 'empty-name', `CID ${cid} has no name; group dropped`, MIRROR_FILE, index + 1, rawText);
    return { parsed: 0, rejected: Array.isArray(r.codes) ? r.codes.length : 0 };
  }
  if (typeof r.extensible !== 'boolean') throw inputError(`${where} (CID ${cid})`, `extensible is ${JSON.stringify(r.extensible)}, not true/false`, fix);
  if (!Array.isArray(r.codes) || !Array.isArray(r.includes)) throw inputError(`${where} (CID ${cid})`, 'codes and includes must be lists', fix);
  const retired = RETIRED_SUFFIX.test(fullName);
  const name = fullName.replace(RETIRED_SUFFIX, '');
  const group: ContextGroup = {
    cid,
    keyword: codeMeaningIdentifier(name),
    keywordDerived: true,
    name,
    extensible: r.extensible,
    retired,
    includes: [],
    codes: [],
    prov: { source: ctx.source.id, table: MIRROR_FILE, row: index + 1 },
  };
  const uid = typeof r.uid === 'string' ? cleanText(r.uid) : '';
  if (uid !== '') group.uid = uid;
  const version = typeof r.version === 'string' ? cleanText(r.version) : '';
  if (version !== '') group.version = version;
  for (const inc of r.includes) {
    if (Number.isInteger(inc) && (inc as number) > 0 && !group.includes.includes(inc as number)) group.includes.push(inc as number);
    else note('warning', 'invalid-include', `include ${JSON.stringify(inc)} is not a new CID number; ignored`, table);
  }
  let parsed = 0;
  let rejected = 0;
  const seen = new Map<string, number>();
  r.codes.forEach((c: unknown, j: number) => {
    const row = j + 1;
    const raw = JSON.stringify(c).slice(0, 300);
    const code = c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Json) : undefined;
    if (!code || Object.keys(code).some((k) => !CODE_KEYS.includes(k))) throw inputError(`${where} (CID ${cid}) code ${row}`, `is not { ${CODE_KEYS.join(', ')} }`, fix);
    const scheme = typeof code.scheme === 'string' ? cleanText(code.scheme) : '';
    const value = typeof code.value === 'string' ? cleanText(code.value) : '';
    const meaning = typeof code.meaning === 'string' ? cleanText(code.meaning) : '';
    const bad = (problem: string, code = 'malformed-code-row') => {
      note('warning', code, `CID ${cid} code ${row}: ${problem}`, table, row, raw);
      rejected++;
    };
    if (scheme === '' || value === '' || meaning === '') return bad(`empty ${scheme === '' ? 'scheme' : value === '' ? 'value' : 'meaning'}; row not a code`);
    if (!DESIGNATOR.test(scheme)) return bad(`"${scheme}" is not a coding scheme designator (a header or note row of the source table); row not a code`);
    const entry: ContextGroupCode = { codingSchemeDesignator: scheme, ...codeValueForm(value), codeMeaning: meaning, identifier: '', prov: { source: ctx.source.id, table, row } };
    const k = codeKey(entry);
    const first = seen.get(k);
    if (first !== undefined) return bad(`${scheme} ${value} is listed again (first at code ${first}); only the first is kept`, 'duplicate-code');
    seen.set(k, row);
    group.codes.push(entry);
    parsed++;
  });
  if (group.codes.length === 0 && group.includes.length === 0) group.emptyReason = r.codes.length > 0 ? EMPTY_NOT_CODES : retired ? EMPTY_RETIRED : EMPTY_ELSEWHERE;
  return { group, parsed, rejected };
}

/** Scrape the parsed file into `ctx.ir.contextGroups` (includes resolved, identifiers assigned). */
export function scrapePs316MirrorJson(json: unknown, ctx: ScrapeContext): void {
  if (!Array.isArray(json)) throw inputError(ctx.source.file, 'top level is not a list of context groups', 'Point the layer at the mirror\'s context_groups.json');
  const section = ensureContextGroupSection(ctx.ir);
  const groups = new UnitAccount(ctx.source.file, MIRROR_FILE, json.map((_, i) => i + 1), 'row');
  let codesParsed = 0;
  let codesRejected = 0;
  const known = new Set(section.groups.map((g) => g.cid));
  json.forEach((rec, i) => {
    const read = readMirrorGroup(rec, i, ctx);
    codesParsed += read.parsed;
    codesRejected += read.rejected;
    const g = read.group;
    if (!g) return groups.rejected(i + 1);
    if (known.has(g.cid)) {
      diagnose(ctx, { severity: 'error', code: 'duplicate-cid', message: `${ctx.source.file} record ${i + 1}: CID ${g.cid} is defined twice; the first is kept`, table: MIRROR_FILE, row: i + 1 });
      return groups.rejected(i + 1);
    }
    known.add(g.cid);
    section.groups.push(g);
    groups.parsed(i + 1);
  });
  addAccount(ctx, groups.finish(ctx.source.id));
  const n = codesParsed + codesRejected;
  addAccount(ctx, { source: ctx.source.id, table: 'context group codes', totalRows: n, headerRows: 0, bodyRows: n, parsed: codesParsed, rejected: codesRejected, skipped: 0 });
  const mine = section.groups.filter((g) => g.prov.source === ctx.source.id);
  const noVersion = mine.filter((g) => g.version === undefined).length;
  if (noVersion > 0) {
    diagnose(ctx, { severity: 'info', code: 'group-version-missing', message: `${ctx.source.file}: ${noVersion} of ${mine.length} groups state no version; recorded as missing`, table: MIRROR_FILE });
  }
  const empty = mine.filter((g) => g.emptyReason !== undefined);
  if (empty.length > 0) {
    diagnose(ctx, { severity: 'info', code: 'group-empty', message: `${ctx.source.file}: ${empty.length} groups have no codes and no includes (kept, each with its reason): CID ${empty.map((g) => g.cid).join(', ')}`, table: MIRROR_FILE });
  }
  const report = (d: Report['diagnostics'][number]) => ctx.report.diagnostics.push(d);
  resolveContextGroupIncludes(section, report);
  assignContextGroupIdentifiers(section, report);
}

/** Read the mirror (the JSON file, or the folder holding it), register its source, scrape it. */
export function scrapePs316Mirror(path: string, target: { ir: Ir; report: Report; layer?: string }): SourceRecord {
  const isDir = statSync(path).isDirectory();
  const filePath = isDir ? `${path}/${MIRROR_FILE}` : path;
  const data = readFileSync(filePath);
  let json: unknown;
  try {
    json = JSON.parse(stripBom(data.toString('utf8'))); // a UTF-8 BOM is accepted, as in every JSON input
  } catch (e) {
    throw inputError(filePath, `not valid JSON (${(e as Error).message}); the file may be truncated`, 'Copy the mirror\'s context_groups.json again');
  }
  const edition = mirrorEditionFromFolder(isDir ? path : dirname(filePath));
  const source: SourceRecord = {
    id: `ps316-mirror-${edition}`,
    part: 'PS3.16 context groups (JSON mirror of the HTML)',
    edition,
    format: 'ps316-mirror',
    file: basename(filePath),
    sha256: sha256(data),
    bytes: data.length,
    ...(target.layer !== undefined ? { layer: target.layer } : {}),
  };
  if (!target.ir.sources.some((s) => s.id === source.id)) target.ir.sources.push(source);
  scrapePs316MirrorJson(json, { ir: target.ir, report: target.report, source });
  return source;
}
