/**
 * PS3.3 helpers shared by the IOD and module scrapers: the row/column grid of a table (re-exported
 * from sources/common/table.ts; PS3.3 tables use rowspan for the IE column and colspan for Include rows), sections by id (IOD tables
 * reference modules by section, descriptions reference sections for their values), and the
 * Enumerated Values / Defined Terms lists (DocBook `variablelist`, HTML `div.variablelist`).
 */
import type { Element } from 'domhandler';
import type { NemaDocument } from './document.ts';
import { cleanText } from '../common/text.ts';

export interface SectionInfo {
  id: string;
  /** `C.7.1.1` */
  label: string;
  title: string;
  el: Element;
}

export interface Part03Index {
  sections: Map<string, SectionInfo>;
  /** Table id → label of the innermost section containing it. */
  tableSection: Map<string, string>;
  /** Section id → ids of the tables inside it (any depth), in document order. */
  sectionTables: Map<string, string[]>;
  /** Table ids that occur more than once in the document, with their count. */
  duplicateTables: Map<string, number>;
  /** Body `<tr>` elements of a table (the occurrence `loadNemaDocument` reads: the last one). */
  bodyRows(tableId: string): Element[];
}

function isEl(n: unknown): n is Element {
  return typeof n === 'object' && n !== null && (n as { type?: string }).type === 'tag';
}

export function indexPart03(doc: NemaDocument): Part03Index {
  const $ = doc.$;
  const sections = new Map<string, SectionInfo>();
  const tableSection = new Map<string, string>();
  const sectionTables = new Map<string, string[]>();
  const tableEls = new Map<string, Element>();
  const counts = new Map<string, number>();
  if (doc.format === 'docbook') {
    $('section[xml\\:id]').each((_, el) => {
      const id = $(el).attr('xml:id')!;
      const label = $(el).attr('label') ?? id.replace(/^sect_/, '');
      sections.set(id, { id, label, title: cleanText($(el).children('title').first().text()), el });
    });
    $('table[xml\\:id]').each((_, el) => {
      const id = $(el).attr('xml:id')!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      tableEls.set(id, el);
    });
  } else {
    $('div.section').each((_, el) => {
      const a = $(el).children('div.titlepage').find('a[id^="sect_"]').first();
      const id = a.attr('id');
      if (!id) return;
      sections.set(id, { id, label: id.replace(/^sect_/, ''), title: cleanText($(el).children('div.titlepage').text()), el });
    });
    $('div.table').each((_, el) => {
      const id = $(el).children('a[id]').first().attr('id');
      if (!id) return;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      tableEls.set(id, el);
    });
  }
  const sectionOf = (el: Element): SectionInfo[] => {
    const out: SectionInfo[] = [];
    let p = el.parent;
    while (p && isEl(p)) {
      const id = doc.format === 'docbook' ? p.attribs['xml:id'] : p.name === 'div' && /\bsection\b/.test(p.attribs['class'] ?? '') ? $(p).children('div.titlepage').find('a[id^="sect_"]').first().attr('id') : undefined;
      if (id && sections.has(id)) out.push(sections.get(id)!);
      p = p.parent;
    }
    return out;
  };
  for (const [id, el] of tableEls) {
    const secs = sectionOf(el);
    if (secs[0]) tableSection.set(id, secs[0].label);
    for (const s of secs) {
      const l = sectionTables.get(s.id) ?? [];
      l.push(id);
      sectionTables.set(s.id, l);
    }
  }
  // Document order within each section (tableEls iterates in first-seen order of ids).
  const order = new Map(doc.tableIds().map((id, i) => [id, i]));
  for (const l of sectionTables.values()) l.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const duplicateTables = new Map([...counts].filter(([, n]) => n > 1));
  return {
    sections,
    tableSection,
    sectionTables,
    duplicateTables,
    bodyRows(tableId) {
      const el = tableEls.get(tableId);
      if (!el) return [];
      if (doc.format === 'docbook') {
        const $t = $(el);
        const host = $t.children('tgroup').length ? $t.children('tgroup') : $t;
        return host.children('tbody').children('tr').toArray() as Element[];
      }
      return $(el).find('table').first().children('tbody').children('tr').toArray() as Element[];
    },
  };
}

/** The `<td>`/`<th>` elements of a body row, in order (matches `row.cells`). */
export function rowCellElements(tr: Element): Element[] {
  return tr.children.filter(isEl).filter((c) => c.name === 'td' || c.name === 'th');
}

export interface ValueList {
  kind: 'enumerated' | 'defined';
  values: string[];
  /** The text beside each value (its meaning or explanation; empty when none), aligned with `values`. */
  texts: string[];
}

/**
 * The value lists directly inside `el` (a description cell or a section, not its subsections):
 * only lists titled exactly "Enumerated Values:" or "Defined Terms:" (conditional titles such as
 * "Enumerated Values when …" and "Retired Defined Terms:" do not constrain every value).
 */
export function valueListsIn(doc: NemaDocument, el: Element): { lists: ValueList[]; otherTitles: string[] } {
  const $ = doc.$;
  const lists: ValueList[] = [];
  const otherTitles: string[] = [];
  const docbook = doc.format === 'docbook';
  const kindOf = (title: string) => (/^Enumerated Values:?$/i.test(title) ? 'enumerated' : /^Defined Terms:?$/i.test(title) ? 'defined' : undefined);
  // The list's own title, or (older DocBook and some HTML) a paragraph "Enumerated Values:" right before an untitled list.
  let lastPara = '';
  for (const child of $(el).children().toArray()) {
    const $c = $(child);
    const isPara = docbook ? child.name === 'para' : child.name === 'p';
    if (isPara) {
      lastPara = cleanText($c.text());
      continue;
    }
    const isList = docbook ? child.name === 'variablelist' : child.name === 'div' && $c.hasClass('variablelist');
    if (!isList) {
      lastPara = '';
      continue;
    }
    const own = cleanText(docbook ? $c.children('title').text() : $c.children('p.title').text());
    const title = own || lastPara;
    lastPara = '';
    const kind = kindOf(title);
    if (!kind) {
      if (title) otherTitles.push(title);
      continue;
    }
    const terms: string[] = [];
    const texts: string[] = [];
    $c.find(docbook ? 'varlistentry > term' : 'dt').each((__, t) => {
      const v = cleanText($(t).text());
      if (!v) return;
      terms.push(v);
      // DocBook: the entry's <listitem>; HTML: the <dd> right after the <dt>.
      const beside = docbook ? $(t).siblings('listitem').first() : $(t).next('dd');
      texts.push(cleanText(beside.text()));
    });
    lists.push({ kind, values: terms, texts });
  }
  return { lists, otherTitles };
}

/** Text of the element's own paragraphs (not inside lists), for "Value 1" / "Value 2" detection. */
export function ownParagraphText(doc: NemaDocument, el: Element): string {
  const $ = doc.$;
  const sel = doc.format === 'docbook' ? 'para' : 'p';
  return cleanText(
    $(el)
      .children(sel)
      .toArray()
      .map((p) => $(p).text())
      .join(' '),
  );
}
