/**
 * PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes) → `ir.deidentification`
 * and `ir.deidentificationOptions`, from DocBook and NEMA HTML alike.
 *
 * Every option column is mapped by header text to a stable option id. The headers were spelled
 * out in 2013 (`Retain Safe Private Option`) and abbreviated later (`Rtn. Safe Priv. Opt.`); the
 * Retain Institution Identity column appeared after 2013. An unknown header stops the build.
 * Tags keep their masks: `(50xx,xxxx)` → `50xxxxxx`, `(60xx,3000)` → `60xx3000`, and the private
 * row `(gggg,eeee) where gggg is odd` → `ggggeeee` (g/e = any nibble; the group must be odd).
 */
import { mapColumns, RowAccount, cellOf, rowRaw, textOf, where, type ColumnSpec, type Row, type SourceTable } from '../common/table.ts';
import type { DeidentificationRow } from '../../generator/ir.ts';
import { hadInvisible } from '../common/text.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import type { NemaDocument } from './document.ts';
import { expandSpans } from './table-spans.ts';
import { irTag } from '../common/tags.ts';

export const DEID_TABLE_ID = 'table_E.1-1';

/** Stable option ids, in the order PS3.15 lists the columns. */
export const DEID_OPTION_IDS = [
  'basicProfile',
  'retainSafePrivate',
  'retainUids',
  'retainDeviceIdentity',
  'retainInstitutionIdentity',
  'retainPatientCharacteristics',
  'retainLongitudinalFullDates',
  'retainLongitudinalModifiedDates',
  'cleanDescriptors',
  'cleanStructuredContent',
  'cleanGraphics',
] as const;
export type DeidOptionId = (typeof DEID_OPTION_IDS)[number];

type Field = 'name' | 'tag' | 'retired' | 'inStdCompIod' | DeidOptionId;

/** Header spellings seen in 2013 (long), 2017d/2020b/2026c (abbreviated); `(from )` is an empty xref in DocBook. */
const COLUMNS: ColumnSpec<Field>[] = [
  { field: 'name', headers: ['Attribute Name'], required: true },
  { field: 'tag', headers: ['Tag'], required: true },
  { field: 'retired', headers: ['Retired (from PS3.6)', 'Retired (from )', 'Retd. (from PS3.6)', 'Retd. (from )', 'Retired', 'Retd.'] },
  { field: 'inStdCompIod', headers: ['In Std. Comp. IOD (from PS3.3)', 'In Std. Comp. IOD (from )', 'In Std. Comp. IOD'] },
  { field: 'basicProfile', headers: ['Basic Profile', 'Basic Prof.'], required: true },
  { field: 'retainSafePrivate', headers: ['Retain Safe Private Option', 'Rtn. Safe Priv. Opt.'] },
  { field: 'retainUids', headers: ['Retain UIDs Option', 'Rtn. UIDs Opt.'] },
  { field: 'retainDeviceIdentity', headers: ['Retain Device Ident. Option', 'Retain Device Identity Option', 'Rtn. Dev. Id. Opt.'] },
  { field: 'retainInstitutionIdentity', headers: ['Retain Institution Ident. Option', 'Retain Institution Identity Option', 'Rtn. Inst. Id. Opt.'] },
  { field: 'retainPatientCharacteristics', headers: ['Retain Patient Chars. Option', 'Retain Patient Characteristics Option', 'Rtn. Pat. Chars. Opt.'] },
  { field: 'retainLongitudinalFullDates', headers: ['Retain Long. Full Dates Option', 'Retain Longitudinal Temporal Information Full Dates Option', 'Rtn. Long. Full Dates Opt.'] },
  { field: 'retainLongitudinalModifiedDates', headers: ['Retain Long. Modif. Dates Option', 'Retain Longitudinal Temporal Information Modified Dates Option', 'Rtn. Long. Modif. Dates Opt.'] },
  { field: 'cleanDescriptors', headers: ['Clean Desc. Option', 'Clean Descriptors Option', 'Clean Desc. Opt.'] },
  { field: 'cleanStructuredContent', headers: ['Clean Struct. Cont. Option', 'Clean Structured Content Option', 'Clean Struct. Cont. Opt.'] },
  { field: 'cleanGraphics', headers: ['Clean Graph. Option', 'Clean Graphics Option', 'Clean Graph. Opt.'] },
];

/** Action codes (PS3.15 Table E.1-1 legend): single codes or `/`-joined alternatives; `*` marks a footnoted variant. */
const ACTION = /^[XZDKCU]\*?(?:\/[XZDKCU]\*?)*$/;

/** `(0010,0010)` → `00100010`; `(0040, 4028)` (stray space) too; masks keep `x`; the private row → `ggggeeee`. */
export function parseDeidTag(text: string): string | undefined {
  const t = text.replace(/\s+/g, '');
  if (/^\(gggg,eeee\)/i.test(t)) return 'ggggeeee';
  return irTag(t, { parenthesized: true });
}

function yesNo(text: string): boolean | null {
  const t = text.trim().toUpperCase();
  if (t === 'Y' || t === 'YES') return true;
  if (t === 'N' || t === 'NO') return false;
  return null;
}

export function scrapeDeidentificationTable(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.requireTable(DEID_TABLE_ID);
  const { rows, options } = readDeidTable(t, ctx);
  ctx.ir.deidentification = rows;
  ctx.ir.deidentificationOptions = options;
  ctx.report.counts[`PS3.15 ${ctx.source.edition} Table E.1-1 rows`] = rows.length;
}

export function readDeidTable(t: SourceTable, ctx: ScrapeContext): { rows: DeidentificationRow[]; options: { id: string; header: string }[] } {
  const cols = mapColumns<Field>(t, COLUMNS);
  const optionCols = DEID_OPTION_IDS.filter((id) => cols.has(id)).sort((a, b) => cols.get(a)! - cols.get(b)!);
  const options = optionCols.map((id) => ({ id, header: t.headers[cols.get(id)!]! }));
  const account = new RowAccount(t, ctx.source.id);
  const rows: DeidentificationRow[] = [];
  const seen = new Map<string, number>();
  for (const row of expandSpans(t.rows, t.headers.length)) {
    if (row.fullWidth) {
      diagnose(ctx, { severity: 'info', code: 'heading-row', message: `${where(t, row.index)}: a full-width heading row, not an attribute`, table: t.label, row: row.index, raw: rowRaw(row) });
      account.skipped(row);
      continue;
    }
    const r = readRow(t, row, cols, optionCols, ctx);
    if (!r) {
      account.rejected(row);
      continue;
    }
    const dup = seen.get(r.tag);
    if (dup !== undefined) {
      // Kept (it is a row of the standard), but reported: lookups return the first.
      diagnose(ctx, { severity: 'warning', code: 'duplicate-tag', message: `${where(t, row.index)}: tag ${r.tag} already listed in row ${dup}`, table: t.label, row: row.index, raw: rowRaw(row) });
    } else seen.set(r.tag, row.index);
    rows.push(r);
    account.parsed(row);
  }
  addAccount(ctx, account.finish());
  const invisible = t.rows.reduce((n, r) => n + r.cells.filter((c) => hadInvisible(c.raw)).length, 0);
  if (invisible > 0) {
    diagnose(ctx, { severity: 'info', code: 'invisible-characters-removed', message: `${where(t)}: zero-width spaces / soft hyphens removed from ${invisible} cell(s)`, table: t.label });
  }
  return { rows, options };
}

function readRow(t: SourceTable, row: Row, cols: Map<Field, number>, optionCols: DeidOptionId[], ctx: ScrapeContext): DeidentificationRow | undefined {
  const reject = (code: string, problem: string): undefined => {
    diagnose(ctx, { severity: 'error', code, message: `${where(t, row.index)}: ${problem}`, table: t.label, row: row.index, raw: rowRaw(row) });
    return undefined;
  };
  if (row.cells.length !== t.headers.length) {
    return reject('malformed-row', `expected ${t.headers.length} cells (spans expanded), got ${row.cells.length}`);
  }
  const tagText = textOf(row, cols, 'tag');
  const tag = parseDeidTag(tagText);
  if (!tag) return reject('invalid-tag', `cannot read the tag "${tagText}"`);
  const actions: Record<string, string> = {};
  for (const id of optionCols) {
    const a = (cellOf(row, cols, id)?.text ?? '').replace(/\s+/g, '');
    if (a === '') continue;
    if (!ACTION.test(a)) return reject('invalid-action', `unknown action code "${a}" in column "${t.headers[cols.get(id)!]}"`);
    actions[id] = a;
  }
  if (!actions.basicProfile) {
    diagnose(ctx, { severity: 'warning', code: 'no-basic-action', message: `${where(t, row.index)}: no Basic Profile action for ${tagText}`, table: t.label, row: row.index, raw: rowRaw(row) });
  }
  return {
    tag,
    name: textOf(row, cols, 'name'),
    retired: yesNo(textOf(row, cols, 'retired')) === true,
    inStdCompIod: cols.has('inStdCompIod') ? yesNo(textOf(row, cols, 'inStdCompIod')) : null,
    actions,
    prov: { source: ctx.source.id, table: `Table ${t.label}`, row: row.index },
  };
}
