/**
 * A text document as lint reads it: lines, cells with their columns, and the table each line is
 * in (columns mapped by header text, the caption or heading above it). PDF-extracted and OCR'd
 * text (cells separated by tabs or runs of spaces), Markdown tables (`| a | b |`) and HTML tables
 * (one `<tr>` per line) all reduce to the same rows.
 */
import { foldLatin } from './lookalikes.ts';

export interface Cell {
  text: string;
  /** 1-based column of the cell's first character in the line as written. */
  column: number;
}

export type ColumnRole = 'tag' | 'name' | 'vr' | 'value' | 'vm' | 'type' | 'usage' | 'sopUid' | 'tsUid' | 'tsName' | 'sopName' | 'module';

/** Header cell text (lower case, look-alikes folded) → role. First match wins. */
const HEADER_ROLES: [ColumnRole, RegExp][] = [
  ['tag', /^(tag|tags|attribute tag|attribute number|tag number|element tag|data element tag|\(gggg, ?eeee\)|group, ?element)$/],
  ['module', /^(module|module name|ie module)$/],
  ['name', /^(attribute name|attribute|name|data element|element name|attribute description)$/],
  ['vr', /^(vr|value representation)$/],
  ['value', /^(value|values|value type|format)$/],
  ['vm', /^(vm|value multiplicity)$/],
  ['type', /^(type|attribute type|req\.? type|requirement type|dicom type)$/],
  ['usage', /^(usage|module usage|reference usage)$/],
  ['sopUid', /^(sop class uid|sop class uids|abstract syntax uid|sop uid)$/],
  ['tsUid', /^(transfer syntax uid|transfer syntax uids|ts uid)$/],
  ['tsName', /^(transfer syntax|transfer syntax name|transfer syntaxes|name of transfer syntax)$/],
  ['sopName', /^(sop class|sop class name|sop classes|information object definition|abstract syntax|sop name|iod)$/],
];

export interface Table {
  columns: Partial<Record<ColumnRole, number>>;
  /** Header line number. */
  line: number;
  /** Caption or heading above the header (`Patient Module`, `Digital X-ray Image`). */
  title?: string;
}

export interface DocLine {
  line: number;
  raw: string;
  cells: Cell[];
  /** The table the line belongs to (a header line itself is not a row). */
  table?: Table;
  isHeader: boolean;
  /** An HTML row written over several source lines, joined: where each piece of `raw` came from. */
  segments?: { line: number; start: number; column: number }[];
}

/** Source line and column of a 1-based column of a (possibly joined) document line. */
export function sourcePosition(l: DocLine, at: number): { line: number; column: number } {
  if (!l.segments) return { line: l.line, column: at };
  let seg = l.segments[0]!;
  for (const s of l.segments) if (s.start <= at - 1) seg = s;
  return { line: seg.line, column: seg.column + (at - 1 - seg.start) };
}

interface LogicalLine {
  line: number;
  raw: string;
  segments?: DocLine['segments'];
}

/** Source lines, with each HTML `<tr>…</tr>` written over several lines joined into one. */
function logicalLines(raws: readonly string[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    const open = /<tr\b/i.exec(raw);
    if (!open || /<\/tr>/i.test(raw.slice(open.index))) {
      out.push({ line: i + 1, raw });
      continue;
    }
    let joined = raw;
    const segments = [{ line: i + 1, start: 0, column: 1 }];
    let k = i;
    while (k + 1 < raws.length && k - i < 50 && !/<\/tr>/i.test(raws[k]!)) {
      k++;
      const piece = raws[k]!.trimStart();
      joined += ' ';
      segments.push({ line: k + 1, start: joined.length, column: raws[k]!.length - piece.length + 1 });
      joined += piece;
    }
    out.push({ line: i + 1, raw: joined, segments });
    i = k;
  }
  return out;
}

/** HTML table markup → tab-separated cells, keeping line numbers and (roughly) columns. */
function htmlToCells(raw: string): string {
  if (!/<\/?(td|th|tr)\b/i.test(raw)) return raw;
  return raw
    .replace(/<\/?t[dh]\b[^>]*>/gi, (m) => '\t'.padEnd(m.length, ' '))
    .replace(/<[^>]*>/g, (m) => ' '.repeat(m.length))
    .replace(/&amp;/g, '&    '.slice(0, 5))
    .replace(/&lt;/g, '<   ')
    .replace(/&gt;/g, '>   ');
}

/** Cells of one line: tabs, Markdown pipes, or runs of 2+ spaces separate them. */
export function splitCells(raw: string): Cell[] {
  const text = htmlToCells(raw);
  const sep = text.includes('\t') ? /\t/g : /^\s*\|/.test(text) ? /\|/g : / {2,}/g;
  const cells: Cell[] = [];
  let start = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    cells.push({ text: piece.trim(), column: start + lead + 1 });
  };
  for (const m of text.matchAll(sep)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(text.length);
  // Markdown: the cells before the first and after the last pipe are not cells.
  if (sep.source === '\\|') return cells.slice(1, cells[cells.length - 1]!.text === '' ? -1 : undefined);
  return cells;
}

function headerColumns(cells: Cell[]): Partial<Record<ColumnRole, number>> | undefined {
  const cols: Partial<Record<ColumnRole, number>> = {};
  let hits = 0;
  cells.forEach((c, i) => {
    const t = foldLatin(c.text).toLowerCase().replace(/\s+/g, ' ').replace(/[*:]$/, '').trim();
    const role = HEADER_ROLES.find(([, re]) => re.test(t))?.[0];
    if (role && cols[role] === undefined) {
      cols[role] = i;
      hits++;
    }
  });
  const useful = cols.tag !== undefined || cols.usage !== undefined || cols.sopUid !== undefined || cols.tsUid !== undefined;
  return hits >= 2 && useful ? cols : undefined;
}

/** Page headers and footers a PDF extraction leaves between the pieces of a table: never a title. */
const RUNNING_HEADER = /conformance statement|\bpage \d+|copyright|©|\bconfidential\b/i;

const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** A line that can title the table below it: short, one cell, not a sentence. */
function titleOf(cells: Cell[]): string | undefined {
  const filled = cells.filter((c) => c.text !== '');
  if (filled.length !== 1) return undefined;
  const t = filled[0]!.text.replace(/<[^>]*>/g, '').replace(/^#+\s*/, '').replace(/^(table\s+)?[A-Z]?[\d.\-]+\s+/i, '').trim();
  return t.length > 0 && t.length <= 80 && !/[.:;]$/.test(t) && !RUNNING_HEADER.test(t) ? t : undefined;
}

export function readDocument(text: string): DocLine[] {
  const out: DocLine[] = [];
  let table: Table | undefined;
  let lastTitle: { title: string; line: number } | undefined;
  let blankRun = 0;
  for (const { line, raw, segments } of logicalLines(text.split(/\r?\n/))) {
    const at = segments ? { segments } : {};
    if (MARKDOWN_RULE.test(raw) && raw.includes('-')) {
      out.push({ line, raw, cells: [], isHeader: false, ...(table ? { table } : {}), ...at });
      continue;
    }
    if (/</.test(raw) && raw.replace(/<[^>]*>/g, '').trim() === '' && raw.trim() !== '') {
      // Markup only (`<table>`, `<tbody>`): neither a title nor a break in the table.
      out.push({ line, raw, cells: [], isHeader: false, ...(table ? { table } : {}), ...at });
      continue;
    }
    const cells = splitCells(raw);
    const cols = headerColumns(cells);
    if (cols) {
      // A repeated header (page break) keeps the title of the table it continues.
      const title = lastTitle && line - lastTitle.line <= 4 ? lastTitle.title : table && sameColumns(table.columns, cols) ? table.title : undefined;
      table = { columns: cols, line, ...(title !== undefined ? { title } : {}) };
      out.push({ line, raw, cells, table, isHeader: true, ...at });
      lastTitle = undefined;
      blankRun = 0;
      continue;
    }
    if (raw.trim() === '') blankRun++;
    else if (RUNNING_HEADER.test(raw) && cells.filter((c) => c.text !== '').length === 1) {
      // Leave the table and the title as they were: the table continues on the next page.
    } else {
      const title = titleOf(cells);
      // A title line ends the table when it is not a wrapped cell of it.
      if (title !== undefined && (table === undefined || blankRun > 0)) {
        lastTitle = { title, line };
        if (blankRun > 0) table = undefined;
      } else if (blankRun > 0 && cells.filter((c) => c.text !== '').length <= 1) table = undefined;
      blankRun = 0;
    }
    out.push({ line, raw, cells, isHeader: false, ...(table ? { table } : {}), ...at });
  }
  return out;
}

function sameColumns(a: Partial<Record<ColumnRole, number>>, b: Partial<Record<ColumnRole, number>>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
