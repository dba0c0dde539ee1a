/**
 * PS3.6 registries of data elements: Table 6-1 (data), 7-1 (file meta), 8-1 (directory
 * structuring) and 9-1 (where the edition has it). The cell parsers are shared with PS3.7
 * (part07-command-elements.ts), whose command tables have the same Tag/Keyword/VR/VM columns.
 *
 * Every body row ends up as an entry or as a rejection with a diagnostic (RowAccount).
 * Retirement is a flag from the note column (`RET`); keywords are kept exactly as written.
 */
import type { DataElement, ElementTable } from '../../generator/ir.ts';
import { mapColumns, RowAccount, rowRaw, tableName, type ColumnSpec, type Row } from '../common/table.ts';
import { hadInvisible } from '../common/text.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import type { NemaDocument } from './document.ts';
import { irTag, hasLowercaseHex } from '../common/tags.ts';
import { parseVrCell, type VrCell } from '../common/dictionary-cells.ts';

// ---------------------------------------------------------------------------------------------
// Cell parsers (pure, unit-tested)

/**
 * `(0010,0010)` → `00100010`; keeps `x` masks in group and element (`(60xx,3000)` → `60xx3000`,
 * `(0028,04x0)` → `002804x0`, `(1000,xxx0)` → `1000xxx0`). Hex digits are upper-cased (2013 writes
 * `(0074,100a)`); `lowercase` tells the caller so it can report it.
 */
export function parseTagCell(text: string): { tag: string; lowercase: boolean } | undefined {
  const tag = irTag(text, { parenthesized: true });
  return tag === undefined ? undefined : { tag, lowercase: hasLowercaseHex(text) };
}

export { parseVrCell, type VrCell };

/** VM as written; `1`, `1-n`, `2-2n`, `3-3n`, `1-32`, `1-n or 1`. Undefined when it is none of those. */
export function parseVmCell(text: string): string | undefined {
  const t = text.trim().replace(/\s*-\s*/g, '-');
  if (t === '') return '';
  const ok = t.split(/\s+or\s+/).every((p) => /^(\d+)(-(\d+|\d*n))?$/.test(p));
  return ok ? t : undefined;
}

export interface NoteCell {
  retired: boolean;
  usage?: 'DICOS' | 'DICONDE';
  seeNote: boolean;
}

/** The unlabeled last column of PS3.6 registries: ``, `RET`, `DICOS`, `DICONDE`, `RET - See Note`, `See Note`. */
export function parseNoteCell(text: string): NoteCell | undefined {
  const t = text.trim();
  if (t === '') return { retired: false, seeNote: false };
  const tokens = t.split(/\s*(?:-|\/|,)\s*|\s+(?=see\b)/i).filter((x) => x !== '');
  const out: NoteCell = { retired: false, seeNote: false };
  for (const tok of tokens) {
    const u = tok.toUpperCase();
    // `RET`, and `RET (2019c)` should an edition name when the element was retired.
    if (/^RET(IRED)?(\s*\([^)]*\))?$/.test(u)) out.retired = true;
    else if (u === 'DICOS') out.usage = 'DICOS';
    else if (u === 'DICONDE') out.usage = 'DICONDE';
    else if (/^SEE NOTE( \d+)?$/.test(u)) out.seeNote = true;
    else return undefined;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The table scraper

type Field = 'tag' | 'name' | 'keyword' | 'vr' | 'vm' | 'note' | 'description';

/** Column headers as PS3.6 and PS3.7 print them. PS3.7 calls the name column "Message Field". */
export const ELEMENT_COLUMNS: ColumnSpec<Field>[] = [
  { field: 'tag', headers: ['Tag'], required: true },
  { field: 'name', headers: ['Name', 'Message Field', 'Attribute Name'], required: true },
  { field: 'keyword', headers: ['Keyword'], required: true },
  { field: 'vr', headers: ['VR'], required: true },
  { field: 'vm', headers: ['VM'], required: true },
  { field: 'note', headers: ['', 'Note', 'Notes'] },
  // PS3.7 E.1-1: prose, never copied.
  { field: 'description', headers: ['Description of Field', 'Description'] },
];

export interface ElementTableOptions {
  /** Every entry of the table is retired (PS3.7 Table E.2-1). */
  allRetired?: boolean;
}

/**
 * Scrape one registry table into `ctx.ir.dataElements`. Rows are rejected (reported, not entries)
 * when they have no usable tag, no name and keyword (the reserved `RET - See Note` rows), an empty
 * keyword, or an unreadable VR cell.
 */
export function scrapeDataElementTable(doc: NemaDocument, ctx: ScrapeContext, tableId: string, table: ElementTable, opts: ElementTableOptions = {}): void {
  const t = doc.requireTable(tableId);
  const cols = mapColumns(t, ELEMENT_COLUMNS);
  const acc = new RowAccount(t, ctx.source.id);
  const tname = tableName(t);
  let invisible = 0;
  const cell = (row: Row, f: Field) => {
    const i = cols.get(f);
    return i === undefined ? undefined : row.cells[i];
  };
  const text = (row: Row, f: Field) => cell(row, f)?.text ?? '';
  const reject = (row: Row, severity: 'error' | 'warning', code: string, message: string) => {
    acc.rejected(row);
    diagnose(ctx, { severity, code, message, table: tname, row: row.index, raw: rowRaw(row) });
  };

  for (const row of t.rows) {
    for (const c of row.cells) if (hadInvisible(c.raw)) invisible++;
    if (row.cells.every((c) => c.text === '')) {
      reject(row, 'warning', 'empty-row', 'every cell is empty');
      continue;
    }
    const tagText = text(row, 'tag');
    const tag = parseTagCell(tagText);
    if (!tag) {
      reject(row, 'error', 'invalid-tag', `tag cell "${tagText}" is not (gggg,eeee)`);
      continue;
    }
    const name = text(row, 'name');
    const keyword = text(row, 'keyword');
    const noteText = text(row, 'note');
    const note = parseNoteCell(noteText);
    if (name === '' && keyword === '') {
      reject(
        row,
        'warning',
        'empty-row',
        `${tagText} has a tag but no name, keyword, VR or VM${noteText ? ` (note column: "${noteText}")` : ''}; a reserved row, not an entry`,
      );
      continue;
    }
    if (keyword === '') {
      reject(row, 'error', 'missing-keyword', `${tagText} "${name}" has no keyword`);
      continue;
    }
    const vrText = text(row, 'vr');
    const vr = parseVrCell(vrText);
    if (!vr) {
      reject(row, 'error', 'invalid-vr', `${tagText} VR cell "${vrText}" is not a VR, "A or B", or "See Note"`);
      continue;
    }
    const vmText = text(row, 'vm');
    const vm = parseVmCell(vmText);
    if (vm === undefined) {
      // A malformed VM (`1-`, `n-1`) would reach user code verbatim: the row is rejected.
      reject(row, 'error', 'invalid-vm', `${tagText} VM "${vmText}" is not of the form 1, 1-n, 2-2n, 1-32 or "A or B" of those`);
      continue;
    }
    if (!note) {
      diagnose(ctx, { severity: 'warning', code: 'unknown-note', message: `${tagText} note column "${noteText}" is not RET/DICOS/DICONDE/See Note; ignored`, table: tname, row: row.index, raw: rowRaw(row) });
    }
    if (tag.lowercase) {
      diagnose(ctx, { severity: 'info', code: 'tag-case-normalized', message: `tag ${tagText} written with lower-case hex digits; read as ${tag.tag}`, table: tname, row: row.index });
    }
    const retired = opts.allRetired === true || note?.retired === true;
    // PS3.6 renders retired rows in italics; a mismatch with the note column is worth a look.
    const filled = row.cells.filter((c) => c.text !== '');
    const allItalic = filled.length > 0 && filled.every((c) => c.italic);
    if (!opts.allRetired && cols.has('note') && allItalic !== retired) {
      diagnose(ctx, {
        severity: 'info',
        code: 'retired-italic-mismatch',
        message: `${tagText} is ${retired ? '' : 'not '}marked RET but ${allItalic ? '' : 'not '}set in italics; the RET column decides`,
        table: tname,
        row: row.index,
      });
    }
    const e: DataElement = {
      tag: tag.tag,
      keyword,
      name,
      vr: vr.vr,
      ...(vr.seeNote || (vr.vr.length === 0 && note?.seeNote) ? { vrSeeNote: true } : {}),
      vm,
      retired,
      ...(note?.usage ? { usage: note.usage } : {}),
      table,
      prov: { source: ctx.source.id, table: tname, row: row.index },
    };
    ctx.ir.dataElements.push(e);
    acc.parsed(row);
  }
  if (invisible > 0) {
    diagnose(ctx, {
      severity: 'info',
      code: 'invisible-characters-removed',
      message: `${tname}: zero-width spaces / soft hyphens removed from ${invisible} cell(s)`,
      table: tname,
    });
  }
  addAccount(ctx, acc.finish());
}

/** PS3.6 registries of data elements by table id. Table 9-1 exists only in later editions. */
export const PART06_ELEMENT_TABLES: { id: string; table: ElementTable; optional?: boolean }[] = [
  { id: 'table_6-1', table: 'data' },
  { id: 'table_7-1', table: 'file-meta' },
  { id: 'table_8-1', table: 'directory' },
  { id: 'table_9-1', table: 'dynamic-rtp', optional: true },
];

export function scrapePart06DataElements(doc: NemaDocument, ctx: ScrapeContext): void {
  for (const { id, table, optional } of PART06_ELEMENT_TABLES) {
    if (optional && !doc.table(id)) continue;
    scrapeDataElementTable(doc, ctx, id, table);
  }
}

