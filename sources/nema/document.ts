/**
 * Loading one NEMA part file (DocBook XML or NEMA's single-page HTML rendering): hash it, read
 * the part and edition from the document itself, and expose its tables in the format-neutral
 * model of sources/common/table.ts.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { load, type CheerioAPI, type Cheerio } from 'cheerio/slim';
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { cleanText } from '../common/text.ts';
import { sha256 } from '../common/hash.ts';
import { inputError } from '../common/errors.ts';
import { MAX_NESTING_DEPTH, scanMarkup } from '../common/markup-scan.ts';
import type { Cell, Row, SourceTable } from '../common/table.ts';
import { BLOCK_TAGS, PARA_TAGS, cellOfWalk, closeParagraph, newCellWalk, type CellWalk } from './table-cells.ts';
import { readDocbookTables } from './docbook-tables.ts';
import type { SourceFormat } from '../../generator/ir.ts';

export interface NemaDocument {
  path: string;
  file: string;
  format: Extract<SourceFormat, 'docbook' | 'html'>;
  /** `PS3.6` */
  part: string;
  partNumber: number;
  /** `2013`, `2026c` — as the document's subtitle states it. */
  edition: string;
  sha256: string;
  bytes: number;
  /** The whole document as a DOM, parsed on first use (the tables are read without it where they can be). */
  readonly $: CheerioAPI;
  /** Every table by id (`table_6-1`), parsed lazily. */
  table(id: string): SourceTable | undefined;
  /** Ids of every table in document order. */
  tableIds(): string[];
  /** The table, or a one-line error naming the file and table. */
  requireTable(id: string): SourceTable;
}

/** `DICOM PS3.6 2013 - Data Dictionary`, `DICOM PS 3.6 2013 - …` (the 2013 spelling), `DICOM PS3.15 2017d - …`. */
const SUBTITLE = /DICOM\s+PS\s?3\.(\d+)\s+(\d{4}[a-z]?)\b/;

export function parseSubtitle(subtitle: string): { partNumber: number; edition: string } | undefined {
  const m = SUBTITLE.exec(cleanText(subtitle));
  if (!m) return undefined;
  return { partNumber: Number(m[1]), edition: m[2]! };
}

export function detectFormat(file: string, text: string): 'docbook' | 'html' | undefined {
  const head = text.slice(0, 4000);
  if (/<book[\s>]/.test(head) && head.includes('docbook.org')) return 'docbook';
  if (/<html[\s>]/i.test(head) || /<!DOCTYPE html/i.test(head)) return 'html';
  if (file.endsWith('.xml')) return 'docbook';
  if (/\.html?$/.test(file)) return 'html';
  return undefined;
}

export interface LoadOptions {
  /**
   * Where the tables are read from. `events` (the default): a DocBook part's tables straight from
   * the parser's events (docbook-tables.ts), the DOM only if a scraper asks for `$`; for a part
   * whose scrapers read `$` anyway, `dom` parses once and reads the tables from that DOM. NEMA HTML
   * is always read through the DOM. Both give the same tables (test/docbook-tables.test.ts).
   */
  tables?: 'events' | 'dom';
}

export function loadNemaDocument(path: string, data?: Buffer, opts: LoadOptions = {}): NemaDocument {
  const buf = data ?? readFileSync(path);
  const text = buf.toString('utf8');
  const file = basename(path);
  const format = detectFormat(file, text);
  if (!format) throw inputError(path, 'neither NEMA DocBook nor NEMA HTML', 'Pass partNN.xml (DocBook) or partNN.html (NEMA HTML) files');
  checkMarkup(path, text, format);
  let dom: CheerioAPI | undefined;
  const $ = (): CheerioAPI => (dom ??= load(parseDocument(text, { xmlMode: format === 'docbook', decodeEntities: true }), { xml: { xmlMode: format === 'docbook', decodeEntities: true } }));
  const events = format === 'docbook' && opts.tables !== 'dom' ? readDocbookTables(file, text) : undefined;
  const fromEvents = events && !events.nested ? events : undefined;
  const subtitle = fromEvents ? fromEvents.subtitle : format === 'docbook' ? docbookSubtitle($()) : $()('h2.subtitle').first().text();
  const parsed = parseSubtitle(subtitle);
  if (!parsed) {
    throw inputError(path, `cannot read the part and edition from the subtitle "${cleanText(subtitle).slice(0, 80)}"`, 'Expected a subtitle like "DICOM PS3.6 2013 - Data Dictionary"; is this a NEMA part file?');
  }
  const tables = fromEvents ? eventTables(fromEvents.tables) : domTables($(), format, file);
  const doc: NemaDocument = {
    path,
    file,
    format,
    part: `PS3.${parsed.partNumber}`,
    partNumber: parsed.partNumber,
    edition: parsed.edition,
    sha256: sha256(buf),
    bytes: buf.length,
    get $() {
      return $();
    },
    tableIds: () => tables.ids(),
    table: (id) => tables.get(id),
    requireTable(id) {
      const t = doc.table(id);
      if (!t) throw inputError(`${file} (${doc.part} ${doc.edition})`, `${id.replace(/^table_/, 'Table ')} not found`, 'Check that this is the right part and edition; the table id may have changed');
      return t;
    },
  };
  return doc;
}

interface TableSource {
  ids(): string[];
  get(id: string): SourceTable | undefined;
}

/** Tables read from the DOM, each on first use. */
function domTables($: CheerioAPI, format: 'docbook' | 'html', file: string): TableSource {
  const index = new Map<string, Element>();
  if (format === 'docbook') {
    indexDocbookTables($.root()[0]!.children, index);
  } else {
    $('div.table').each((_, el) => {
      const id = $(el).children('a[id]').first().attr('id');
      if (id) index.set(id, el);
    });
  }
  const cache = new Map<string, SourceTable>();
  return {
    ids: () => [...index.keys()],
    get(id) {
      const hit = cache.get(id);
      if (hit) return hit;
      const el = index.get(id);
      if (!el) return undefined;
      const t = format === 'docbook' ? readDocbookTable($, el, file, id) : readHtmlTable($, el, file, id);
      cache.set(id, t);
      return t;
    },
  };
}

/** Tables the event reader produced. */
function eventTables(tables: Map<string, SourceTable>): TableSource {
  return { ids: () => [...tables.keys()], get: (id) => tables.get(id) };
}

/** Fail fast on hostile nesting, and name a truncated document as such (docs/hardening.md). */
function checkMarkup(path: string, text: string, format: 'docbook' | 'html'): void {
  const scan = scanMarkup(text, format === 'docbook' ? 'xml' : 'html');
  if (scan.tooDeepAtLine !== undefined) {
    throw inputError(path, `elements nest deeper than ${MAX_NESTING_DEPTH} levels (line ${scan.tooDeepAtLine}); a NEMA part nests a few dozen`, 'The file is damaged or not a NEMA part; fetch it again');
  }
  if (!scan.complete) {
    const at = scan.lastTableId ? ` (cut in or after ${scan.lastTableId.replace(/^table_/, 'Table ')})` : '';
    throw inputError(path, `the document is truncated: it ends before its closing ${format === 'docbook' ? 'element' : '</html>'}${at}`, 'Fetch the file again (dicom-dictgen fetch)');
  }
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag';
}

/**
 * Elements in document order (pre-order), walked with an explicit stack straight off the parsed
 * nodes: a selector over a 4 MB part cost a tenth of loading it. `visit` returns true to stop.
 */
function walkElements(roots: AnyNode[], visit: (el: Element) => boolean | void): void {
  const stack: AnyNode[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (visit(n) === true) return;
    const cs = n.children;
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]!);
  }
}

/** The text of the first `book > subtitle`. */
function docbookSubtitle($: CheerioAPI): string {
  let text = '';
  walkElements($.root()[0]!.children, (el) => {
    if (el.name !== 'subtitle' || !(el.parent && isElement(el.parent) && el.parent.name === 'book')) return false;
    text = $(el).text();
    return true;
  });
  return text;
}

/** Every `<table xml:id>` by id, as `$('table')` lists them (a later table with the same id replaces the earlier one). */
function indexDocbookTables(roots: AnyNode[], index: Map<string, Element>): void {
  walkElements(roots, (el) => {
    if (el.name !== 'table') return;
    const id = el.attribs['xml:id'];
    if (id) index.set(id, el);
  });
}

/**
 * One pass over a cell's DOM: its text (empty xref/olink contribute nothing, as their visible
 * text is generated by the renderer), the text inside italics, link targets and paragraphs.
 * Hand-written rather than cheerio selectors, and without a closure per cell: cells are read a
 * hundred thousand times per run.
 */
function walkCell(el: Element, format: 'docbook' | 'html'): CellWalk {
  const w = newCellWalk();
  const cs = el.children;
  for (let i = 0; i < cs.length; i++) visitCellNode(w, format, cs[i]!, false, null);
  return w;
}

function visitCellNode(w: CellWalk, format: 'docbook' | 'html', n: AnyNode, inItalic: boolean, para: string[] | null): void {
  if (n.type === 'text') {
    const t = (n as unknown as { data: string }).data;
    w.raw += t;
    if (inItalic) w.italic += t;
    if (para) para.push(t);
    return;
  }
  if (!isElement(n)) return;
  const name = n.name;
  let italic = inItalic;
  if (format === 'docbook') {
    if (name === 'xref' && n.attribs.linkend) w.links.push(n.attribs.linkend);
    if (name === 'olink' && n.attribs.targetptr) w.links.push(n.attribs.targetptr);
    if (name === 'emphasis' && n.attribs.role === 'italic') italic = true;
  } else {
    if (name === 'a' && n.attribs.href) {
      const i = n.attribs.href.indexOf('#');
      if (i >= 0) w.links.push(n.attribs.href.slice(i + 1));
    }
    if (name === 'em' || name === 'i' || (name === 'span' && /\bitalic\b/.test(n.attribs.class ?? ''))) italic = true;
  }
  if ((name === 'xref' || name === 'olink') && n.children.length === 0) return;
  const isPara = PARA_TAGS.has(name);
  const myPara = isPara ? [] : para;
  const cs = n.children;
  for (let i = 0; i < cs.length; i++) visitCellNode(w, format, cs[i]!, italic, myPara);
  if (isPara && myPara) {
    closeParagraph(w, myPara);
    if (para) for (let i = 0; i < myPara.length; i++) para.push(myPara[i]!);
  }
  if (BLOCK_TAGS.has(name)) {
    w.raw += '\n';
    if (italic) w.italic += '\n';
  }
}

function readCell(el: Element, format: 'docbook' | 'html'): Cell {
  return cellOfWalk(walkCell(el, format), el.attribs);
}

function readRows($: CheerioAPI, trs: Element[], format: 'docbook' | 'html'): Cell[][] {
  return trs.map((tr) => tr.children.filter(isElement).filter((c) => c.name === 'td' || c.name === 'th').map((c) => readCell(c, format)));
}

function assemble(file: string, id: string, caption: string, headerRows: Cell[][], bodyRows: Cell[][]): SourceTable {
  const last = headerRows[headerRows.length - 1] ?? [];
  const rows: Row[] = bodyRows.map((cells, i) => ({ index: i + 1, cells }));
  return {
    file,
    id,
    label: id.replace(/^table_/, ''),
    caption: cleanText(caption),
    headers: last.map((c) => c.text),
    headerRows: headerRows.length,
    rows,
  };
}

function directRows(tbl: Cheerio<Element>, section: 'thead' | 'tbody'): Element[] {
  return tbl.children(section).children('tr').toArray();
}

function readDocbookTable($: CheerioAPI, el: Element, file: string, id: string): SourceTable {
  const $t = $(el);
  const caption = $t.children('caption').text() || $t.children('title').text();
  // Some DocBook tables nest a tgroup (CALS); most NEMA tables are HTML-style.
  const host = $t.children('tgroup').length ? $t.children('tgroup') : $t;
  const head = directRows(host as Cheerio<Element>, 'thead');
  const body = directRows(host as Cheerio<Element>, 'tbody');
  return assemble(file, id, caption, readRows($, head, 'docbook'), readRows($, body, 'docbook'));
}

function readHtmlTable($: CheerioAPI, el: Element, file: string, id: string): SourceTable {
  const $div = $(el);
  let caption = $div.children('p.title').first().text();
  const label = id.replace(/^table_/, '');
  caption = cleanText(caption);
  if (caption.startsWith(`Table ${label}`)) caption = caption.slice(`Table ${label}`.length).replace(/^\.\s*/, '');
  const $t = $div.find('table').first();
  const head = directRows($t, 'thead');
  const body = directRows($t, 'tbody');
  return assemble(file, id, caption, readRows($, head, 'html'), readRows($, body, 'html'));
}
