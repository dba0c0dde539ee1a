/**
 * A local overrides file (`*.overrides.json`): hand-written patches, each with a reason, scraped
 * into one layer's IR (format `overrides`). Put the layer first in the config so it wins; the
 * merge (generator/merge.ts) completes each patch from the lower layers and reports every field it
 * changed as a conflict (winner: the override, loser: what the source said).
 *
 *   scrapeOverrides(path: string, ctx: { ir: Ir; report: Report; layer?: string }): OverridesScrapeResult
 *
 * Format (every key optional except per-patch `why`; unknown families and fields stop the build):
 *
 *   {
 *     "edition": "local",                       // label recorded as the source's edition
 *     "dataElements": {                         // key: tag `(0028,0010)` / `00280010`, or a keyword
 *       "(0028,0010)": { "vr": "US", "why": "…" },
 *       "PatientName": { "name": "Patient's Name", "why": "…" }
 *     },
 *     "uids":                 { "<uid or keyword>": { "name": "…", "retired": true, "why": "…" } },
 *     "transferSyntaxes":     { "<uid>": { "retired": false, "why": "…" } },
 *     "valueRepresentations": { "OB": { "maxLength": 0, "why": "…" } },
 *     "deidentification":     { "(0010,0010)": { "actions": { "basicProfile": "Z" }, "why": "…" } },
 *     "sopClasses":           { "<uid>": { "iod": "ct-image", "why": "…" } },
 *     "iods":                 { "ct-image": { "typeName": "CTImage", "why": "…" } },
 *     "privateElements":      { "(0029,\"SIEMENS CSA HEADER\",08)": { "vr": "CS", "why": "…" } }
 *   }
 *
 * A patch holds only the fields it changes; the entry's key field comes from the key. A patch for
 * an entry that no lower layer defines must give every required field (otherwise the merge drops
 * it with an error). Each patch is reported as an info diagnostic carrying its `why`, and its prov
 * points at the patch (`table` = `overrides <family>`, `row` = index in the family, `line` = line of
 * its key in the file).
 */
import { parseJsonInput } from './common/json.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inputError } from './common/errors.ts';
import { sha256 } from './common/hash.ts';
import { cleanText } from './common/text.ts';
import type { Ir, Prov, Report, SourceRecord, TableAccount, UidType } from '../generator/ir.ts';
import { DEID_OPTION_IDS } from './nema/part15-deidentification.ts';

export interface OverridesContext {
  ir: Ir;
  report: Report;
  layer?: string;
}

export interface OverridesScrapeResult {
  source: SourceRecord;
  /** Patches per family. */
  counts: Record<string, number>;
}

type Check = (v: unknown) => { ok: true; value: unknown } | { ok: false; expected: string };

const ok = (value: unknown) => ({ ok: true as const, value });
const bad = (expected: string) => ({ ok: false as const, expected });

const string: Check = (v) => (typeof v === 'string' && cleanText(v) !== '' ? ok(cleanText(v)) : bad('a non-empty string'));
const boolean: Check = (v) => (typeof v === 'boolean' ? ok(v) : bad('true or false'));
const nullableBoolean: Check = (v) => (v === null || typeof v === 'boolean' ? ok(v) : bad('true, false or null'));
const number: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? ok(v) : bad('a number'));
const keyword: Check = (v) => (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(v) ? ok(v) : bad('a keyword (letters and digits)'));
const oneOf =
  (...values: (string | number)[]): Check =>
  (v) =>
    values.includes(v as string | number) ? ok(v) : bad(`one of ${values.join(', ')}`);
/** `US`, `US or SS`, or ["US", "SS"]. */
const vrList: Check = (v) => {
  const list = typeof v === 'string' ? v.split(/\s+or\s+|\s*,\s*/i) : Array.isArray(v) ? v : undefined;
  if (!list || list.length === 0 || list.some((x) => typeof x !== 'string' || !/^[A-Z]{2}$/.test(cleanText(x).toUpperCase()))) {
    return bad('a VR ("US"), "US or SS", or a list of VRs');
  }
  return ok(list.map((x) => cleanText(String(x)).toUpperCase()));
};
const vm: Check = (v) => (typeof v === 'string' && /^[0-9n]+(-[0-9]*n?)?( or [0-9n-]+)?$/.test(cleanText(v)) ? ok(cleanText(v)) : bad('a VM such as 1, 1-n, 2-2n'));

const DEID_OPTIONS: readonly string[] = DEID_OPTION_IDS;
const actions: Check = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad(`an object of option id → action code (${DEID_OPTIONS.join(', ')})`);
  const out: Record<string, string> = {};
  for (const [k, a] of Object.entries(v)) {
    if (!DEID_OPTIONS.includes(k)) return bad(`option ids among ${DEID_OPTIONS.join(', ')} (not "${k}")`);
    if (typeof a !== 'string' || !/^[XZDKCU](\/[XZDKCU])*\*?$/.test(a.replace(/\s+/g, '').toUpperCase())) return bad(`action codes (X, Z, D, K, C, U, X/Z, …) (not ${JSON.stringify(a)})`);
    out[k] = a.replace(/\s+/g, '').toUpperCase();
  }
  return ok(out);
};

const UID_TYPES: UidType[] = [
  'SOP Class', 'Meta SOP Class', 'Transfer Syntax', 'Well-known SOP Instance', 'Service Class', 'Well-known Frame of Reference',
  'Synchronization Frame of Reference', 'Coding Scheme', 'Application Context Name', 'Application Hosting Model', 'LDAP OID',
  'Mapping Resource', 'Context Group Name', 'Well-known Print Queue', 'Well-known Printer', 'Query/Retrieve View',
  'Private Transfer Syntax', 'Other',
];

interface FamilySpec {
  /** Where the entries go. */
  push(ir: Ir, entry: Record<string, unknown>): void;
  /** Key → the entry's key fields; undefined when the key is malformed. */
  key(k: string): Record<string, unknown> | undefined;
  keyHelp: string;
  fields: Record<string, Check>;
}

const TAG = /^\(?\s*([0-9A-Fa-fXx]{4})\s*,?\s*([0-9A-Fa-fXx]{4})\s*\)?$/;
const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const KEYWORD = /^[A-Za-z][A-Za-z0-9]*$/;

function tagKey(k: string): string | undefined {
  const m = TAG.exec(k.trim());
  return m ? `${m[1]}${m[2]}`.toUpperCase().replace(/X/g, 'x') : undefined;
}

const iods = (ir: Ir) => (ir.iods ??= { iods: [], modules: [], sopClasses: [] });

export const OVERRIDE_FAMILIES: Record<string, FamilySpec> = {
  dataElements: {
    push: (ir, e) => ir.dataElements.push(e as unknown as Ir['dataElements'][number]),
    key: (k) => {
      const t = tagKey(k);
      if (t) return { tag: t };
      return KEYWORD.test(k) ? { tag: '', keyword: k } : undefined;
    },
    keyHelp: 'a tag "(gggg,eeee)" / "ggggeeee" or a keyword',
    fields: {
      keyword,
      name: string,
      vr: vrList,
      vrSeeNote: boolean,
      vm,
      retired: boolean,
      usage: oneOf('DICOS', 'DICONDE'),
      table: oneOf('data', 'file-meta', 'directory', 'dynamic-rtp', 'command', 'command-retired'),
    },
  },
  uids: {
    push: (ir, e) => ir.uids.push(e as unknown as Ir['uids'][number]),
    key: (k) => (UID.test(k) ? { uid: k } : KEYWORD.test(k) ? { uid: '', keyword: k } : undefined),
    keyHelp: 'a UID or a UID keyword',
    fields: { name: string, keyword, type: oneOf(...UID_TYPES), typeText: string, retired: boolean, part: string, cid: number },
  },
  transferSyntaxes: {
    push: (ir, e) => ir.transferSyntaxes.push(e as unknown as Ir['transferSyntaxes'][number]),
    key: (k) => (UID.test(k) ? { uid: k } : undefined),
    keyHelp: 'a transfer syntax UID',
    fields: {
      keyword,
      name: string,
      explicitVr: boolean,
      byteOrder: oneOf('little', 'big'),
      encapsulated: boolean,
      deflated: boolean,
      compression: oneOf('none', 'lossless', 'lossy', 'either'),
      retired: boolean,
    },
  },
  valueRepresentations: {
    push: (ir, e) => ir.valueRepresentations.push(e as unknown as Ir['valueRepresentations'][number]),
    key: (k) => (/^[A-Za-z]{2}$/.test(k) ? { vr: k.toUpperCase() } : undefined),
    keyHelp: 'a two-letter VR',
    fields: {
      name: string,
      kind: oneOf('string', 'binary', 'sequence'),
      maxLength: number,
      maxLengthUnit: oneOf('bytes', 'chars'),
      fixedSize: number,
      padding: oneOf('space', 'null', 'none'),
      explicitLengthField: oneOf(16, 32),
      repertoire: oneOf('default', 'specific', 'none'),
      singleValued: boolean,
      retired: boolean,
    },
  },
  deidentification: {
    push: (ir, e) => ir.deidentification.push(e as unknown as Ir['deidentification'][number]),
    key: (k) => (/^\(?gggg,?eeee\)?$/i.test(k.trim()) ? { tag: 'ggggeeee' } : tagKey(k) ? { tag: tagKey(k) } : undefined),
    keyHelp: 'a tag "(gggg,eeee)" / "ggggeeee"',
    fields: { name: string, retired: boolean, inStdCompIod: nullableBoolean, actions },
  },
  sopClasses: {
    push: (ir, e) => iods(ir).sopClasses.push(e as unknown as NonNullable<Ir['iods']>['sopClasses'][number]),
    key: (k) => (UID.test(k) ? { uid: k } : undefined),
    keyHelp: 'a SOP class UID',
    fields: { sopClass: string, iod: string },
  },
  iods: {
    push: (ir, e) => iods(ir).iods.push(e as unknown as NonNullable<Ir['iods']>['iods'][number]),
    key: (k) => (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(k) ? { id: k } : undefined),
    keyHelp: 'an IOD id such as "ct-image"',
    fields: { name: string, typeName: keyword, table: string },
  },
  privateElements: {
    push: (ir, e) => (ir.privateDictionaries ??= { elements: [] }).elements.push(e as unknown as NonNullable<Ir['privateDictionaries']>['elements'][number]),
    key: (k) => {
      const m = /^\(\s*([0-9A-Fa-f]{4})\s*,\s*"([^"]+)"\s*,\s*([0-9A-Fa-f]{2})\s*\)$/.exec(k.trim());
      if (!m) return undefined;
      const group = m[1]!.toUpperCase();
      if (Number.parseInt(group, 16) % 2 === 0) return undefined;
      return { creator: cleanText(m[2]!), group, offset: m[3]!.toUpperCase() };
    },
    keyHelp: 'a DCMTK-style private tag "(0029,\\"CREATOR\\",08)" with an odd group',
    fields: { keyword, name: string, vr: vrList, vm, retired: boolean },
  },
};

/** 1-based line of the first occurrence of `"key"` after `from` in the file text. */
function lineOf(text: string, key: string, from: number): { line: number; at: number } {
  const needle = JSON.stringify(key);
  const at = text.indexOf(needle, from);
  if (at < 0) return { line: 0, at: from };
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return { line, at: at + needle.length };
}

export function scrapeOverrides(path: string, ctx: OverridesContext): OverridesScrapeResult {
  const file = basename(path);
  const buf = readFileSync(path);
  const text = buf.toString('utf8');
  const doc = parseJsonInput(text, file, 'Fix the overrides file', { refuseMachineryKeys: true });
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw inputError(file, 'the top level is not an object', 'Write { "dataElements": { … }, … }');
  const top = doc as Record<string, unknown>;
  const edition = top.edition === undefined ? 'local' : typeof top.edition === 'string' && top.edition.trim() !== '' ? top.edition.trim() : undefined;
  if (edition === undefined) throw inputError(`${file} edition`, 'is not a non-empty string', 'Write "edition": "local" or remove the key');
  const source: SourceRecord = {
    id: `overrides-${file.replace(/\.overrides\.json$/i, '').replace(/\.json$/i, '').replace(/[^A-Za-z0-9.-]+/g, '-')}`,
    part: 'local overrides',
    edition,
    format: 'overrides',
    file,
    sha256: sha256(buf),
    bytes: buf.length,
    ...(ctx.layer ? { layer: ctx.layer } : {}),
  };
  if (!ctx.ir.sources.some((s) => s.id === source.id)) ctx.ir.sources.push(source);

  const counts: Record<string, number> = {};
  for (const [family, body] of Object.entries(top)) {
    if (family === 'edition' || family === '$schema') continue;
    const spec = Object.hasOwn(OVERRIDE_FAMILIES, family) ? OVERRIDE_FAMILIES[family] : undefined;
    if (!spec) throw inputError(`${file} ${family}`, 'is not a family overrides can patch', `Use one of ${Object.keys(OVERRIDE_FAMILIES).join(', ')}`);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw inputError(`${file} ${family}`, 'is not an object of patches keyed by tag / UID / keyword', `Write "${family}": { "<key>": { …, "why": "…" } }`);
    const familyAt = lineOf(text, family, 0);
    let from = familyAt.at;
    let row = 0;
    for (const [key, patch] of Object.entries(body as Record<string, unknown>)) {
      row++;
      const where = `${file} ${family}["${key}"]`;
      const loc = lineOf(text, key, from);
      from = loc.at;
      const keyFields = spec.key(key);
      if (!keyFields) throw inputError(where, `the key is not ${spec.keyHelp}`, 'Fix the key');
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw inputError(where, 'the patch is not an object', 'Write { "<field>": <value>, "why": "…" }');
      const p = patch as Record<string, unknown>;
      if (typeof p.why !== 'string' || cleanText(p.why) === '') throw inputError(where, 'has no "why"', 'Say why the source is overridden (one line)');
      const entry: Record<string, unknown> = { ...keyFields };
      const changed: string[] = [];
      for (const [field, value] of Object.entries(p)) {
        if (field === 'why') continue;
        const check = Object.hasOwn(spec.fields, field) ? spec.fields[field] : undefined;
        if (!check) throw inputError(`${where}.${field}`, 'is not a field overrides can set', `Known fields of ${family}: ${Object.keys(spec.fields).join(', ')}`);
        const r = check(value);
        if (!r.ok) throw inputError(`${where}.${field}`, `is ${JSON.stringify(value)}, expected ${r.expected}`, 'Fix the value');
        entry[field] = r.value;
        changed.push(field);
      }
      if (changed.length === 0) throw inputError(where, 'changes no field', 'Add the fields to override or remove the patch');
      const prov: Prov = { source: source.id, table: `overrides ${family}`, row, ...(loc.line ? { line: loc.line } : {}) };
      entry.prov = prov;
      spec.push(ctx.ir, entry);
      ctx.report.diagnostics.push({
        severity: 'info',
        code: 'override',
        message: `${file} ${family} ${key}: overrides ${changed.join(', ')} — ${cleanText(p.why)}`,
        source: source.id,
        file,
        table: prov.table,
        row,
        ...(loc.line ? { line: loc.line } : {}),
      });
    }
    counts[family] = row;
    const account: TableAccount = { source: source.id, table: `overrides ${family}`, totalRows: row, headerRows: 0, bodyRows: row, parsed: row, rejected: 0, skipped: 0 };
    ctx.report.accounts.push(account);
  }
  return { source, counts };
}
