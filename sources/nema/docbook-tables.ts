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

  /** Whether text here counts (subtitle, caption or title, a cell): the fast pass skips the rest unread. */
  wantsText(): boolean {
    return this.subtitleDepth >= 0 || (this.table !== undefined && !this.nested && (this.label !== undefined || this.cell !== undefined));
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

/** One pass over a DocBook part: its subtitle and every table with an id. */
export function readDocbookTables(file: string, text: string): DocbookTables {
  let reader = new DocbookTableReader(file);
  if (!scanPlainXml(text, reader)) {
    // Markup outside the plain subset: htmlparser2's parser, whose events the DOM is built from.
    reader = new DocbookTableReader(file);
    new Parser(reader, { xmlMode: true, decodeEntities: true }).end(text);
  }
  return { subtitle: reader.subtitle, tables: reader.tables, nested: reader.nested };
}

interface XmlEvents {
  /** False when text at this point is ignored (it is still checked for a stray `&` or `<`). */
  wantsText?(): boolean;
  onopentag(name: string, attribs: Record<string, string>): void;
  onclosetag(): void;
  ontext(data: string): void;
  oncdatastart(): void;
  oncdataend(): void;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Code points a character reference may name here: those htmlparser2 decodes to themselves. */
function plainCodePoint(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Text with the five XML entities and plain character references decoded; undefined for any other `&`. */
function decodeXml(s: string): string | undefined {
  let a = s.indexOf('&');
  if (a < 0) return s;
  let out = '';
  let i = 0;
  for (; a >= 0; a = s.indexOf('&', i)) {
    const semi = s.indexOf(';', a + 1);
    if (semi < 0 || semi - a > 10) return undefined;
    const ent = s.slice(a + 1, semi);
    let ch = XML_ENTITIES[ent];
    if (ch === undefined) {
      const cp = /^#[0-9]{1,7}$/.test(ent) ? Number(ent.slice(1)) : /^#x[0-9a-fA-F]{1,6}$/.test(ent) ? parseInt(ent.slice(2), 16) : NaN;
      if (!plainCodePoint(cp)) return undefined;
      ch = String.fromCodePoint(cp);
    }
    out += s.slice(i, a) + ch;
    i = semi + 1;
  }
  return out + s.slice(i);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/** `[A-Za-z0-9_:.-]` */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}

/**
 * A fast pass (indexOf and char codes) over plain XML: start tags with quoted attributes, matching
 * end tags, self-closing tags, text and CDATA, comments, processing instructions and a DOCTYPE
 * without internal subset are skipped. It gives the events htmlparser2 gives for such markup; on
 * anything else (another entity, an unquoted or valueless attribute, a stray `<`, an end tag that
 * does not close the open element, an unclosed element) it returns false and the caller starts over
 * with htmlparser2. test/docbook-tables.test.ts checks both against the DOM.
 */
export function scanPlainXml(text: string, h: XmlEvents): boolean {
  const open: string[] = [];
  const n = text.length;
  let i = 0;
  let nextAmp = -1; // the next `&` at or after the last search (kept, so skipped text is searched once)
  while (i < n) {
    const lt = text.indexOf('<', i);
    const stop = lt < 0 ? n : lt;
    if (stop > i) {
      if (h.wantsText?.() === false) {
        if (nextAmp < i) nextAmp = text.indexOf('&', i) >>> 0; // no `&` left: 2^32 - 1
        if (nextAmp < stop && decodeXml(text.slice(i, stop)) === undefined) return false;
      } else {
        const t = decodeXml(text.slice(i, stop));
        if (t === undefined) return false;
        h.ontext(t);
      }
    }
    if (lt < 0) break;
    const c1 = text.charCodeAt(lt + 1);
    let e: number;
    if (c1 === 33) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE …>
      if (text.startsWith('<!--', lt)) {
        e = text.indexOf('-->', lt + 4);
        if (e < 0) return false;
        i = e + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        e = text.indexOf(']]>', lt + 9);
        if (e < 0) return false;
        h.oncdatastart();
        h.ontext(text.slice(lt + 9, e));
        h.oncdataend();
        i = e + 3;
      } else {
        e = text.indexOf('>', lt);
        if (e < 0 || text.lastIndexOf('[', e) > lt) return false;
        i = e + 1;
      }
    } else if (c1 === 63) {
      e = text.indexOf('?>', lt + 2);
      if (e < 0) return false;
      i = e + 2;
    } else if (c1 === 47) {
      e = text.indexOf('>', lt + 2);
      if (e < 0) return false;
      let end = e;
      while (end > lt + 2 && isSpace(text.charCodeAt(end - 1))) end--;
      if (open.length === 0 || text.slice(lt + 2, end) !== open[open.length - 1]) return false;
      open.pop();
      h.onclosetag();
      i = e + 1;
    } else {
      const next = startTag(text, lt, open, h);
      if (next < 0) return false;
      i = next;
    }
  }
  return open.length === 0;
}

/** A start tag at `lt`: its events, and the index after it (-1 when it is not plain). */
function startTag(text: string, lt: number, open: string[], h: XmlEvents): number {
  const n = text.length;
  let j = lt + 1;
  const c0 = text.charCodeAt(j);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return -1;
  while (j < n && isNameChar(text.charCodeAt(j))) j++;
  const name = text.slice(lt + 1, j);
  const attribs: Record<string, string> = {};
  for (;;) {
    const before = j;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c === 62) {
      open.push(name);
      h.onopentag(name, attribs);
      return j + 1;
    }
    if (c === 47) {
      if (text.charCodeAt(j + 1) !== 62) return -1;
      h.onopentag(name, attribs);
      h.onclosetag();
      return j + 2;
    }
    if (j === before || !isNameChar(c)) return -1; // attributes are separated by white space
    const a0 = j;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const attr = text.slice(a0, j);
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 61) return -1;
    j++;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    const q = text.charCodeAt(j);
    if (q !== 34 && q !== 39) return -1;
    const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
    if (close < 0) return -1;
    const value = decodeXml(text.slice(j + 1, close));
    if (value === undefined) return -1;
    if (!Object.prototype.hasOwnProperty.call(attribs, attr)) attribs[attr] = value;
    j = close + 1;
  }
}
