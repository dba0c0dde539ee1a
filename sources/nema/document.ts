/**
 * Loading one NEMA part file (DocBook XML or NEMA's single-page HTML rendering): hash it, read
 * the part and edition from the document itself, and expose its tables in the format-neutral
 * model of sources/common/table.ts.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { cleanText } from '../common/text.ts';
import { sha256 } from '../common/hash.ts';
import { inputError } from '../common/errors.ts';
import type { Cell, Row, SourceTable } from '../common/table.ts';
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
  $: cheerio.CheerioAPI;
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

export function loadNemaDocument(path: string, data?: Buffer): NemaDocument {
  const buf = data ?? readFileSync(path);
  const text = buf.toString('utf8');
  const file = basename(path);
  const format = detectFormat(file, text);
  if (!format) throw inputError(file, 'neither NEMA DocBook nor NEMA HTML', 'Pass partNN.xml (DocBook) or partNN.html (NEMA HTML) files');
  const $ =
    format === 'docbook'
      ? cheerio.load(text, { xml: { xmlMode: true, decodeEntities: true } })
      : cheerio.load(text, { xml: { xmlMode: false, decodeEntities: true } });
  const subtitle = format === 'docbook' ? $('book > subtitle').first().text() : $('h2.subtitle').first().text();
  const parsed = parseSubtitle(subtitle);
  if (!parsed) {
    throw inputError(file, `cannot read the part and edition from the subtitle "${cleanText(subtitle).slice(0, 80)}"`, 'Expected a subtitle like "DICOM PS3.6 2013 - Data Dictionary"; is this a NEMA part file?');
  }
  const index = new Map<string, Element>();
  if (format === 'docbook') {
    $('table').each((_, el) => {
      const id = $(el).attr('xml:id');
      if (id) index.set(id, el);
    });
  } else {
    $('div.table').each((_, el) => {
      const id = $(el).children('a[id]').first().attr('id');
      if (id) index.set(id, el);
    });
  }
  const cache = new Map<string, SourceTable>();
  const doc: NemaDocument = {
    path,
    file,
    format,
    part: `PS3.${parsed.partNumber}`,
    partNumber: parsed.partNumber,
    edition: parsed.edition,
    sha256: sha256(buf),
    bytes: buf.length,
    $,
    tableIds: () => [...index.keys()],
    table(id) {
      const hit = cache.get(id);
      if (hit) return hit;
      const el = index.get(id);
      if (!el) return undefined;
      const t = format === 'docbook' ? readDocbookTable($, el, file, id) : readHtmlTable($, el, file, id);
      cache.set(id, t);
      return t;
    },
    requireTable(id) {
      const t = doc.table(id);
      if (!t) throw inputError(`${file} (${doc.part} ${doc.edition})`, `table ${id.replace(/^table_/, 'Table ')} not found`, 'Check that this is the right part and edition; the table id may have changed');
      return t;
    },
  };
  return doc;
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag';
}

/** Text of a node, treating empty `<xref>`/`<olink>` as their target (the renderer would print it). */
function nodeText($: cheerio.CheerioAPI, el: AnyNode): string {
  if (el.type === 'text') return (el as unknown as { data: string }).data;
  if (!isElement(el)) return '';
  if ((el.name === 'xref' || el.name === 'olink') && el.children.length === 0) return '';
  let s = '';
  for (const c of el.children) s += nodeText($, c);
  if (el.name === 'para' || el.name === 'p' || el.name === 'br' || el.name === 'listitem' || el.name === 'li') s += '\n';
  return s;
}

function readCell($: cheerio.CheerioAPI, el: Element, format: 'docbook' | 'html'): Cell {
  const raw = nodeText($, el);
  const $el = $(el);
  const links: string[] = [];
  if (format === 'docbook') {
    $el.find('xref').each((_, x) => {
      const l = $(x).attr('linkend');
      if (l) links.push(l);
    });
    $el.find('olink').each((_, x) => {
      const l = $(x).attr('targetptr');
      if (l) links.push(l);
    });
  } else {
    $el.find('a[href]').each((_, x) => {
      const href = $(x).attr('href') ?? '';
      const i = href.indexOf('#');
      if (i >= 0) links.push(href.slice(i + 1));
    });
  }
  const paraSel = format === 'docbook' ? 'para' : 'p';
  const paragraphs: string[] = [];
  $el.find(paraSel).each((_, p) => {
    const t = cleanText(nodeText($, p));
    if (t) paragraphs.push(t);
  });
  const text = cleanText(raw);
  // Retired rows in PS3.6/PS3.7 are rendered with every cell in italics.
  const italicSel = format === 'docbook' ? 'emphasis[role="italic"]' : 'span.italic, em, i';
  let italicText = '';
  $el.find(italicSel).each((_, e) => {
    italicText += nodeText($, e);
  });
  const italic = text.length > 0 && cleanText(italicText) === text;
  return {
    text,
    raw: raw.trim(),
    italic,
    links,
    colspan: Number($el.attr('colspan') ?? 1) || 1,
    rowspan: Number($el.attr('rowspan') ?? 1) || 1,
    paragraphs,
  };
}

function readRows($: cheerio.CheerioAPI, trs: Element[], format: 'docbook' | 'html'): Cell[][] {
  return trs.map((tr) => tr.children.filter(isElement).filter((c) => c.name === 'td' || c.name === 'th').map((c) => readCell($, c, format)));
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

function directRows(tbl: cheerio.Cheerio<Element>, section: 'thead' | 'tbody'): Element[] {
  return tbl.children(section).children('tr').toArray();
}

function readDocbookTable($: cheerio.CheerioAPI, el: Element, file: string, id: string): SourceTable {
  const $t = $(el);
  const caption = $t.children('caption').text() || $t.children('title').text();
  // Some DocBook tables nest a tgroup (CALS); most NEMA tables are HTML-style.
  const host = $t.children('tgroup').length ? $t.children('tgroup') : $t;
  const head = directRows(host as cheerio.Cheerio<Element>, 'thead');
  const body = directRows(host as cheerio.Cheerio<Element>, 'tbody');
  return assemble(file, id, caption, readRows($, head, 'docbook'), readRows($, body, 'docbook'));
}

function readHtmlTable($: cheerio.CheerioAPI, el: Element, file: string, id: string): SourceTable {
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
