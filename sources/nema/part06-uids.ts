/**
 * PS3.6 Annex A: Table A-1 (UID values of every type), A-2 (well-known frames of reference) and
 * A-3 (context group UIDs) into `ir.uids`.
 *
 * - Keywords come from the `UID Keyword` column where the edition has one, otherwise they are
 *   derived (uid-keywords.ts) and flagged `keywordDerived`.
 * - The type text is normalized to `UidType`; `typeText` keeps it as written. An unknown type
 *   becomes `Other` with a warning.
 * - Retirement is the `(Retired)` marker of the name (the flag; the marker is not kept in `name`).
 * - UIDs are not validated here (generator/validate.ts does); known defects are corrected only by
 *   sources/workarounds.ts.
 */
import type { UidEntry, UidType } from '../../generator/ir.ts';
import { uidCategory } from '../../generator/uid-categories.ts';
import { mapColumns, RowAccount, rowRaw, tableName, type ColumnSpec, type Row } from '../common/table.ts';
import { hadInvisible } from '../common/text.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { TableWorkarounds, workarounds as defaultWorkarounds, type Workaround } from '../workarounds.ts';
import type { NemaDocument } from './document.ts';
import { deriveUidKeyword, disambiguateRetired } from './uid-keywords.ts';

/** Type texts seen in PS3.6 Table A-1 (lower-cased, whitespace collapsed) → `UidType`. */
const UID_TYPES: Record<string, UidType> = {
  'sop class': 'SOP Class',
  'meta sop class': 'Meta SOP Class',
  'transfer syntax': 'Transfer Syntax',
  'private transfer syntax': 'Private Transfer Syntax',
  'well-known sop instance': 'Well-known SOP Instance',
  'well-known print queue sop instance': 'Well-known Print Queue',
  'well-known printer sop instance': 'Well-known Printer',
  'service class': 'Service Class',
  'well-known frame of reference': 'Well-known Frame of Reference',
  'synchronization frame of reference': 'Synchronization Frame of Reference',
  'coding scheme': 'Coding Scheme',
  'dicom uids as a coding scheme': 'Coding Scheme',
  'application context name': 'Application Context Name',
  'application hosting model': 'Application Hosting Model',
  'ldap oid': 'LDAP OID',
  'mapping resource': 'Mapping Resource',
  'query/retrieve view': 'Query/Retrieve View',
  'context group name': 'Context Group Name',
};

export function normalizeUidType(text: string): UidType | undefined {
  return UID_TYPES[text.toLowerCase().replace(/\s+/g, ' ').replace(/\s*-\s*/g, '-').trim()];
}

const RETIRED_MARK = /\s*\(\s*Retired\s*\)\s*/i;

/** `Explicit VR Big Endian (Retired)` → name without the marker, retired. */
export function splitRetired(name: string): { name: string; retired: boolean } {
  if (!RETIRED_MARK.test(name)) return { name, retired: false };
  return { name: name.replace(RETIRED_MARK, ' ').replace(/\s+/g, ' ').trim(), retired: true };
}

/** `PS 3.6` → `PS3.6`; other texts (`DICOS`, `DICONDE ASTM E2934`) as written. */
export function normalizePart(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^PS\s*3\s*\.\s*(\d+)$/i.exec(t);
  return m ? `PS3.${m[1]}` : t;
}

type A1Field = 'uid' | 'name' | 'keyword' | 'type' | 'part';
const A1_COLUMNS: ColumnSpec<A1Field>[] = [
  { field: 'uid', headers: ['UID Value'], required: true },
  { field: 'name', headers: ['UID Name'], required: true },
  { field: 'keyword', headers: ['UID Keyword', 'Keyword'] },
  { field: 'type', headers: ['UID Type'], required: true },
  { field: 'part', headers: ['Part'] },
];

type A2Field = 'uid' | 'name' | 'keyword' | 'reference';
const A2_COLUMNS: ColumnSpec<A2Field>[] = [
  { field: 'uid', headers: ['UID Value'], required: true },
  { field: 'name', headers: ['UID Name'], required: true },
  { field: 'keyword', headers: ['UID Keyword', 'Keyword'] },
  // Bibliographic prose, never copied.
  { field: 'reference', headers: ['Normative Reference'] },
];

type A3Field = 'uid' | 'cid' | 'keyword' | 'name' | 'comment';
const A3_COLUMNS: ColumnSpec<A3Field>[] = [
  { field: 'uid', headers: ['Context UID'], required: true },
  { field: 'cid', headers: ['Context Identifier'], required: true },
  { field: 'keyword', headers: ['Context Group Keyword', 'Keyword'] },
  { field: 'name', headers: ['Context Group Name'], required: true },
  { field: 'comment', headers: ['Comment', 'Comments'] },
];

interface Pending {
  entry: UidEntry;
  row: Row;
}

function countInvisible(rows: Row[]): number {
  let n = 0;
  for (const r of rows) for (const c of r.cells) if (hadInvisible(c.raw)) n++;
  return n;
}

function reportInvisible(ctx: ScrapeContext, table: string, n: number): void {
  if (n === 0) return;
  diagnose(ctx, { severity: 'info', code: 'invisible-characters-removed', message: `${table}: zero-width spaces / soft hyphens removed from ${n} cell(s)`, table });
}

/** Apply rule 7 of uid-keywords.ts per namespace, to derived keywords only. */
function finishDerivedKeywords(pending: UidEntry[]): void {
  const groups = new Map<string, UidEntry[]>();
  for (const e of pending) {
    if (!e.keywordDerived) continue;
    const ns = uidCategory(e.type).namespace;
    const g = groups.get(ns) ?? [];
    g.push(e);
    groups.set(ns, g);
  }
  for (const g of groups.values()) {
    const kws = disambiguateRetired(g);
    g.forEach((e, i) => {
      e.keyword = kws[i]!;
    });
  }
}

export interface UidTableOptions {
  /** The workaround registry (default: sources/workarounds.ts); `[]` reads the table as published. */
  workarounds?: Workaround[];
}

/** Table A-1: every UID type. */
export function scrapeUidTable(doc: NemaDocument, ctx: ScrapeContext, opts: UidTableOptions = {}): void {
  const t = doc.requireTable('table_A-1');
  const cols = mapColumns(t, A1_COLUMNS);
  const acc = new RowAccount(t, ctx.source.id);
  const tname = tableName(t);
  const wa = new TableWorkarounds(ctx, doc, t, opts.workarounds ?? defaultWorkarounds);
  const out: Pending[] = [];
  const idx = (f: A1Field) => cols.get(f);
  for (const row of t.rows) {
    const texts = wa.texts(row);
    const get = (f: A1Field) => {
      const i = idx(f);
      return i === undefined ? '' : (texts[i] ?? '');
    };
    const uid = get('uid');
    const rawName = get('name');
    const typeText = get('type');
    if (uid === '' && rawName === '' && typeText === '') {
      acc.rejected(row);
      diagnose(ctx, { severity: 'warning', code: 'empty-row', message: 'every cell is empty', table: tname, row: row.index, raw: rowRaw(row) });
      continue;
    }
    if (uid === '' || rawName === '') {
      acc.rejected(row);
      diagnose(ctx, { severity: 'error', code: 'incomplete-uid-row', message: uid === '' ? 'no UID value' : 'no UID name', table: tname, row: row.index, raw: rowRaw(row) });
      continue;
    }
    let type = normalizeUidType(typeText);
    if (!type) {
      type = 'Other';
      diagnose(ctx, { severity: 'warning', code: 'unknown-uid-type', message: `UID type "${typeText}" of ${uid} is not a known type; recorded as Other`, table: tname, row: row.index, raw: rowRaw(row) });
    }
    const { name, retired } = splitRetired(rawName);
    const italic = row.cells.filter((c) => c.text !== '').every((c) => c.italic);
    if (italic !== retired) {
      diagnose(ctx, {
        severity: 'info',
        code: 'retired-italic-mismatch',
        message: `${uid} is ${retired ? '' : 'not '}marked (Retired) but ${italic ? '' : 'not '}entirely in italics; the name decides`,
        table: tname,
        row: row.index,
      });
    }
    const given = get('keyword');
    const part = normalizePart(get('part'));
    const entry: UidEntry = {
      uid,
      name,
      keyword: given !== '' ? given : deriveUidKeyword(name),
      ...(given === '' ? { keywordDerived: true } : {}),
      type,
      typeText,
      retired,
      ...(part ? { part } : {}),
      prov: { source: ctx.source.id, table: tname, row: row.index },
    };
    out.push({ entry, row });
    acc.parsed(row);
  }
  wa.finish();
  finishDerivedKeywords(out.map((p) => p.entry));
  for (const p of out) ctx.ir.uids.push(p.entry);
  reportInvisible(ctx, tname, countInvisible(t.rows));
  addAccount(ctx, acc.finish());
}

/** Table A-2: well-known frames of reference. Rows that repeat a Table A-1 UID are skipped (reported once). */
export function scrapeFrameOfReferenceTable(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.table('table_A-2');
  if (!t) return;
  const cols = mapColumns(t, A2_COLUMNS);
  const acc = new RowAccount(t, ctx.source.id);
  const tname = tableName(t);
  const wa = new TableWorkarounds(ctx, doc, t);
  const known = new Set(ctx.ir.uids.filter((u) => u.prov.source === ctx.source.id).map((u) => u.uid));
  const repeated: number[] = [];
  const out: UidEntry[] = [];
  for (const row of t.rows) {
    const texts = wa.texts(row);
    const get = (f: A2Field) => {
      const i = cols.get(f);
      return i === undefined ? '' : (texts[i] ?? '');
    };
    const uid = get('uid');
    const rawName = get('name');
    if (uid === '' || rawName === '') {
      acc.rejected(row);
      diagnose(ctx, { severity: 'warning', code: 'empty-row', message: `no ${uid === '' ? 'UID' : 'name'}`, table: tname, row: row.index, raw: rowRaw(row) });
      continue;
    }
    if (known.has(uid)) {
      repeated.push(row.index);
      acc.skipped(row);
      continue;
    }
    const { name, retired } = splitRetired(rawName);
    const given = get('keyword');
    out.push({
      uid,
      name,
      keyword: given !== '' ? given : deriveUidKeyword(name),
      ...(given === '' ? { keywordDerived: true } : {}),
      type: 'Well-known Frame of Reference',
      typeText: 'Well-known frame of reference',
      retired,
      prov: { source: ctx.source.id, table: tname, row: row.index },
    });
    acc.parsed(row);
  }
  wa.finish();
  finishDerivedKeywords(out);
  ctx.ir.uids.push(...out);
  if (repeated.length > 0) {
    diagnose(ctx, {
      severity: 'info',
      code: 'repeated-in-table-a1',
      message: `${tname}: ${repeated.length} row(s) (${rangeText(repeated)}) repeat a UID of Table A-1 and are not entered twice`,
      table: tname,
    });
  }
  reportInvisible(ctx, tname, countInvisible(t.rows));
  addAccount(ctx, acc.finish());
}

/** Table A-3: context group UIDs → type `Context Group Name` with `cid`. */
export function scrapeContextGroupUidTable(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.table('table_A-3');
  if (!t) return;
  const cols = mapColumns(t, A3_COLUMNS);
  const acc = new RowAccount(t, ctx.source.id);
  const tname = tableName(t);
  const wa = new TableWorkarounds(ctx, doc, t);
  const out: UidEntry[] = [];
  for (const row of t.rows) {
    const texts = wa.texts(row);
    const get = (f: A3Field) => {
      const i = cols.get(f);
      return i === undefined ? '' : (texts[i] ?? '');
    };
    const uid = get('uid');
    const cidText = get('cid').replace(/^CID\s*/i, '');
    const rawName = get('name');
    if (cidText === '' && rawName === '') {
      acc.rejected(row);
      diagnose(ctx, {
        severity: 'warning',
        code: 'empty-row',
        message: `${uid || '(no UID)'} has no context identifier and no name; not an entry`,
        table: tname,
        row: row.index,
        raw: rowRaw(row),
      });
      continue;
    }
    if (uid === '' || !/^\d+$/.test(cidText) || rawName === '') {
      acc.rejected(row);
      diagnose(ctx, { severity: 'error', code: 'incomplete-uid-row', message: `needs a UID, a numeric context identifier and a name`, table: tname, row: row.index, raw: rowRaw(row) });
      continue;
    }
    const { name, retired } = splitRetired(rawName);
    const given = get('keyword');
    out.push({
      uid,
      name,
      keyword: given !== '' ? given : deriveUidKeyword(name),
      ...(given === '' ? { keywordDerived: true } : {}),
      type: 'Context Group Name',
      typeText: 'Context Group Name',
      retired,
      cid: Number(cidText),
      prov: { source: ctx.source.id, table: tname, row: row.index },
    });
    acc.parsed(row);
  }
  wa.finish();
  finishDerivedKeywords(out);
  // Two active groups may share a name (2013: CID 3010 and CID 3630 "Cardiovascular Anatomic
  // Locations"); derived keywords then carry the CID so that each stays addressable.
  const byKw = new Map<string, UidEntry[]>();
  for (const e of out) {
    if (!e.keywordDerived || e.retired) continue;
    const g = byKw.get(e.keyword) ?? [];
    g.push(e);
    byKw.set(e.keyword, g);
  }
  for (const [kw, g] of byKw) {
    if (g.length < 2) continue;
    for (const e of g) e.keyword = `${kw}CID${e.cid}`;
    diagnose(ctx, {
      severity: 'info',
      code: 'keyword-disambiguated',
      message: `${tname}: ${g.length} context groups (CID ${g.map((e) => e.cid).join(', CID ')}) share the name "${g[0]!.name}"; their derived keywords carry the CID (${g.map((e) => e.keyword).join(', ')})`,
      table: tname,
    });
  }
  ctx.ir.uids.push(...out);
  reportInvisible(ctx, tname, countInvisible(t.rows));
  addAccount(ctx, acc.finish());
}

function rangeText(rows: number[]): string {
  const parts: string[] = [];
  let start = rows[0]!;
  let prev = start;
  for (const r of [...rows.slice(1), Number.NaN]) {
    if (r === prev + 1) {
      prev = r;
      continue;
    }
    parts.push(start === prev ? `row ${start}` : `rows ${start}-${prev}`);
    start = r;
    prev = r;
  }
  return parts.join(', ');
}

export function scrapePart06Uids(doc: NemaDocument, ctx: ScrapeContext): void {
  scrapeUidTable(doc, ctx);
  scrapeFrameOfReferenceTable(doc, ctx);
  scrapeContextGroupUidTable(doc, ctx);
}
