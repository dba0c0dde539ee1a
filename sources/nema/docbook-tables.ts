/**
 * Every `<table xml:id>` of a DocBook part, read from the XML parser's events in one pass without
 * building the document's DOM (issue 13: building the DOM of a 4 MB part cost more than reading
 * its tables). It reads what `readDocbookTable` of document.ts reads from the DOM, by the same
 * rules: caption (or title), the rows of `thead`/`tbody` (under `tgroup` when the table has one),
 * the `td`/`th` cells of each row. A table inside a table is not handled here: the document is
 * then read through the DOM (`nested` is set).
 */
import { Parser } from 'htmlparser2';
import { cleanText } from '../common/text.ts';
import type { Cell, Row, SourceTable } from '../common/table.ts';
import { BLOCK_TAGS, PARA_TAGS, cellOfWalk, closeParagraph, newCellWalk, type CellWalk } from './table-cells.ts';

export interface DocbookTables {
  /** Text of the first `book > subtitle` ('' when there is none). */
  subtitle: string;
  /** Every table with an `xml:id`, in document order (a later table with the same id replaces the earlier one). */
  tables: Map<string, SourceTable>;
  /** A table nests inside another: the caller reads the document through the DOM instead. */
  nested: boolean;
}

/** An element open inside a cell: what its text counts as. */
interface CellFrame {
  name: string;
  italic: boolean;
  /** Pieces of the paragraph the text belongs to (null outside any paragraph). */
  para: string[] | null;
  ownPara: boolean;
}

interface RowSet {
  head: Cell[][];
  body: Cell[][];
}

interface OpenTable {
  id: string | undefined;
  /** Stack depth of the `<table>` element. */
  depth: number;
  caption: string;
  title: string;
  hasTgroup: boolean;
  direct: RowSet;
  tgroup: RowSet;
}

/** Reads the tables of one document; `read` drives the parser. */
class DocbookTableReader {
  readonly tables = new Map<string, SourceTable>();
  subtitle = '';
  nested = false;
  private readonly names: string[] = [];
  private subtitleDepth = -1;
  private subtitleDone = false;
  private table: OpenTable | undefined;
  /** Depth and kind of the caption/title being read (direct child of the table). */
  private label: { depth: number; kind: 'caption' | 'title' } | undefined;
  private section: { depth: number; rows: Cell[][] } | undefined;
  private row: { depth: number; cells: Cell[] } | undefined;
  private cell: { depth: number; walk: CellWalk; attribs: Record<string, string>; frames: CellFrame[] } | undefined;
  private inCdata = false;

  constructor(private readonly file: string) {}

  onopentag(name: string, attribs: Record<string, string>): void {
    const depth = this.names.length; // depth of this element
    const parent = this.names[depth - 1];
    this.names.push(name);
    if (name === 'subtitle' && !this.subtitleDone && parent === 'book') this.subtitleDepth = depth;
    const t = this.table;
    if (name === 'table') {
      if (t) this.nested = true;
      else this.table = { id: attribs['xml:id'] || undefined, depth, caption: '', title: '', hasTgroup: false, direct: { head: [], body: [] }, tgroup: { head: [], body: [] } };
      return;
    }
    if (!t || this.nested) return;
    if (this.cell) return this.openInCell(name, attribs);
    const level = depth - t.depth; // 1 = a child of the table
    if (level === 1) {
      if (name === 'caption' || name === 'title') this.label = { depth, kind: name };
      else if (name === 'tgroup') t.hasTgroup = true;
      else if (name === 'thead' || name === 'tbody') this.section = { depth, rows: t.direct[name === 'thead' ? 'head' : 'body'] };
    } else if (level === 2 && (name === 'thead' || name === 'tbody') && parent === 'tgroup') {
      this.section = { depth, rows: t.tgroup[name === 'thead' ? 'head' : 'body'] };
    } else if (name === 'tr' && this.section && depth === this.section.depth + 1) {
      this.row = { depth, cells: [] };
    } else if ((name === 'td' || name === 'th') && this.row && depth === this.row.depth + 1) {
      this.cell = { depth, walk: newCellWalk(), attribs, frames: [] };
    }
  }

  /** Link targets are taken as the element opens, as the DOM walk takes them before its children. */
  private openInCell(name: string, attribs: Record<string, string>): void {
    const c = this.cell!;
    const up = c.frames[c.frames.length - 1];
    if (name === 'xref' && attribs.linkend) c.walk.links.push(attribs.linkend);
    if (name === 'olink' && attribs.targetptr) c.walk.links.push(attribs.targetptr);
    const italic = (up?.italic ?? false) || (name === 'emphasis' && attribs.role === 'italic');
    const ownPara = PARA_TAGS.has(name);
    c.frames.push({ name, italic, para: ownPara ? [] : (up?.para ?? null), ownPara });
  }

  ontext(data: string): void {
    if (this.subtitleDepth >= 0) this.subtitle += data;
    if (!this.table || this.nested) return;
    if (this.label) {
      if (this.label.kind === 'caption') this.table.caption += data;
      else this.table.title += data;
    }
    const c = this.cell;
    // The DOM walk reads text nodes only: a CDATA section's text is not a cell's.
    if (!c || this.inCdata) return;
    const f = c.frames[c.frames.length - 1];
    c.walk.raw += data;
    if (f?.italic) c.walk.italic += data;
    if (f?.para) f.para.push(data);
  }

  oncdatastart(): void {
    this.inCdata = true;
  }

  oncdataend(): void {
    this.inCdata = false;
  }

  onclosetag(): void {
    const depth = this.names.length - 1;
    this.names.pop();
    if (depth === this.subtitleDepth) {
      this.subtitleDepth = -1;
      this.subtitleDone = true;
    }
    const t = this.table;
    if (!t || this.nested) return;
    const c = this.cell;
    if (c && depth > c.depth) return this.closeInCell(c);
    if (c && depth === c.depth) {
      this.row!.cells.push(cellOfWalk(c.walk, c.attribs));
      this.cell = undefined;
    } else if (this.row && depth === this.row.depth) {
      this.section!.rows.push(this.row.cells);
      this.row = undefined;
    } else if (this.section && depth === this.section.depth) {
      this.section = undefined;
    } else if (this.label && depth === this.label.depth) {
      this.label = undefined;
    } else if (depth === t.depth) {
      this.closeTable(t);
    }
  }

  private closeInCell(c: NonNullable<DocbookTableReader['cell']>): void {
    const f = c.frames.pop()!;
    const up = c.frames[c.frames.length - 1];
    if (f.ownPara && f.para) {
      closeParagraph(c.walk, f.para);
      if (up?.para) for (let i = 0; i < f.para.length; i++) up.para.push(f.para[i]!);
    }
    if (BLOCK_TAGS.has(f.name)) {
      c.walk.raw += '\n';
      if (f.italic) c.walk.italic += '\n';
    }
  }

  private closeTable(t: OpenTable): void {
    this.table = undefined;
    this.section = undefined;
    this.row = undefined;
    this.label = undefined;
    if (!t.id) return;
    // Some DocBook tables nest a tgroup (CALS): its rows are the table's.
    const rows = t.hasTgroup ? t.tgroup : t.direct;
    const last = rows.head[rows.head.length - 1] ?? [];
    const body: Row[] = rows.body.map((cells, i) => ({ index: i + 1, cells }));
    this.tables.set(t.id, {
      file: this.file,
      id: t.id,
      label: t.id.replace(/^table_/, ''),
      caption: cleanText(t.caption || t.title),
      headers: last.map((c) => c.text),
      headerRows: rows.head.length,
      rows: body,
    });
  }
}

/** One parser pass over a DocBook part: its subtitle and every table with an id. */
export function readDocbookTables(file: string, text: string): DocbookTables {
  const reader = new DocbookTableReader(file);
  const parser = new Parser(
    {
      onopentag: (name, attribs) => reader.onopentag(name, attribs),
      onclosetag: () => reader.onclosetag(),
      ontext: (data) => reader.ontext(data),
      oncdatastart: () => reader.oncdatastart(),
      oncdataend: () => reader.oncdataend(),
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(text);
  return { subtitle: reader.subtitle, tables: reader.tables, nested: reader.nested };
}
