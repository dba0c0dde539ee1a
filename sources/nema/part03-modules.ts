/**
 * PS3.3 module and macro attribute tables (Chapter 8, Chapter 10, Annex C): one `ModuleDef` per
 * table whose columns are Attribute Name / Tag / Type / (Attribute) Description. Rows are
 * attributes (nesting depth from the leading `>`), `Include` rows (target table by its linkend,
 * with Defined/Baseline CID notes), or section-title rows (skipped). Values constrain an
 * attribute when its description (or the section the description references) holds a list
 * titled "Enumerated Values:" or "Defined Terms:".
 */
import type { NemaDocument } from './document.ts';
import type { ScrapeContext } from '../types.ts';
import { addAccount, diagnose } from '../types.ts';
import { mapColumns, RowAccount, rowRaw, type SourceTable, type Row } from '../common/table.ts';
import { iodId } from '../common/iod-names.ts';
import { dicomId, type AttributeRow, type AttributeType, type IncludeRow, type IodSection, type ModuleDef, type ModuleKind, type ModuleRow } from '../../generator/ir-iods.ts';
import { indexPart03, ownParagraphText, rowCellElements, valueListsIn, type Part03Index } from './part03-common.ts';
import { tableGrid } from '../common/table.ts';
import { irTag } from '../common/tags.ts';
import { meaningTallies, meaningTallyMessage, valueMeanings } from '../common/value-meanings.ts';

const ATTRIBUTE_COLUMNS = [
  { field: 'name' as const, headers: ['Attribute Name'], required: true },
  { field: 'tag' as const, headers: ['Tag'], required: true },
  { field: 'type' as const, headers: ['Type'], required: true },
  { field: 'description' as const, headers: ['Attribute Description', 'Description'], required: true },
];

/**
 * The condition of a Type 1C/2C attribute: its description's sentences from "Required if" /
 * "Shall be present if" on, or the whole description (prose: stripped from snapshots).
 */
export function conditionOfDescription(text: string): string {
  const m = /\b(Required (?:if|when|for|only)|Shall be present if|May be present)\b[\s\S]*/i.exec(text);
  return m ? m[0] : text;
}

/** A table is a module/macro attribute table when its headers are exactly the four attribute columns. */
export function isAttributeTable(t: SourceTable): boolean {
  const norm = t.headers.map((h) => h.toLowerCase().replace(/[^a-z]+/g, ' ').trim());
  return norm.length === 4 && norm[0] === 'attribute name' && norm[1] === 'tag' && norm[2] === 'type' && /^(attribute )?description$/.test(norm[3]!);
}

/**
 * Name and kind from the caption: `Patient Module Attributes` → module `Patient`,
 * `Code Sequence Macro Attributes` → macro `Code Sequence`, `Enhanced XA/XRF Image Module Table`
 * → module; captions naming neither (`Encrypted Attributes Data Set Attributes`) are macros
 * (they are only ever included).
 */
export function moduleNameFromCaption(caption: string): { name: string; kind: ModuleKind } {
  const m = /^(.*?)\s+(Module|Macro)\b/i.exec(caption);
  if (m) return { name: m[1]!.trim(), kind: m[2]!.toLowerCase() === 'module' ? 'module' : 'macro' };
  return { name: caption.replace(/\s+Attributes(\s+Description)?$/i, '').trim(), kind: 'macro' };
}

export function ensureIodSection(ctx: ScrapeContext): IodSection {
  ctx.ir.iods ??= { iods: [], modules: [], sopClasses: [] };
  return ctx.ir.iods;
}

/** Nesting depth of a name cell's prefix: the number of `>` (some cells put spaces between them). */
function depthOf(prefix: string): number {
  return (prefix.match(/>/g) ?? []).length;
}

const TYPES = new Set<AttributeType>(['1', '1C', '2', '2C', '3']);

/** `(0008,0008)` → `00080008`; masks keep lower-case `x` (`(60xx,3000)` → `60xx3000`). */
export function normalizeTag(text: string): string | undefined {
  return irTag(text, { parenthesized: true });
}

/** Scrape every attribute table of the document into `ir.iods.modules`. Returns the index for the IOD scraper. */
export function scrapeModuleTables(doc: NemaDocument, ctx: ScrapeContext, index: Part03Index = indexPart03(doc)): Part03Index {
  const section = ensureIodSection(ctx);
  for (const [id, n] of index.duplicateTables) {
    diagnose(ctx, {
      severity: 'warning',
      code: 'duplicate-table-id',
      message: `table id ${id} occurs ${n} times in the document; only the last occurrence is read`,
      table: `Table ${id.replace(/^table_/, '')}`,
    });
  }
  const byTag = new Map(ctx.ir.dataElements.map((e) => [e.tag, e.keyword]));
  const seen = new Set<string>();
  for (const id of doc.tableIds()) {
    const t = doc.requireTable(id);
    if (!isAttributeTable(t)) continue;
    const def = scrapeAttributeTable(doc, ctx, index, t, byTag);
    const key = `${def.kind}:${def.id}`;
    if (seen.has(key)) {
      diagnose(ctx, { severity: 'warning', code: 'duplicate-module', message: `${def.kind} ${def.id} is defined by more than one table; the later table ${def.table} is kept as a separate entry`, table: `Table ${def.table}` });
      def.id = `${def.id}-${dicomId(def.table ?? '')}`;
    }
    seen.add(`${def.kind}:${def.id}`);
    section.modules.push(def);
  }
  const tally = tallies.get(ctx);
  if (tally) diagnose(ctx, { severity: 'info', code: 'value-meanings', message: meaningTallyMessage(tally) });
  // Include targets by table: every table of this document is known now.
  const byTable = new Map(section.modules.filter((m) => m.prov.source === ctx.source.id && m.table).map((m) => [`table_${m.table}`, m]));
  for (const m of section.modules) {
    if (m.prov.source !== ctx.source.id) continue;
    for (const r of m.rows ?? []) {
      if (r.kind !== 'include' || r.functionalGroups || r.target) continue;
      const hit = byTable.get(r.targetTable);
      if (hit) {
        r.target = hit.id;
        r.targetKind = hit.kind;
      }
    }
  }
  return index;
}

function scrapeAttributeTable(doc: NemaDocument, ctx: ScrapeContext, index: Part03Index, t: SourceTable, byTag: Map<string, string>): ModuleDef {
  const cols = mapColumns(t, ATTRIBUTE_COLUMNS);
  const grid = tableGrid(t);
  const trs = index.bodyRows(t.id);
  const acc = new RowAccount(t, ctx.source.id);
  const { name, kind } = moduleNameFromCaption(t.caption);
  const rows: ModuleRow[] = [];
  const prov = (r: Row) => ({ source: ctx.source.id, table: `Table ${t.label}`, row: r.index });
  t.rows.forEach((r, i) => {
    const slots = grid[i]!;
    const nameSlot = slots[cols.get('name')!];
    const descSlot = slots[cols.get('description')!];
    const tagSlot = slots[cols.get('tag')!];
    const typeSlot = slots[cols.get('type')!];
    const nameText = nameSlot?.cell.text ?? '';
    const skip = (code: string, reason: string) => {
      diagnose(ctx, { severity: 'info', code, message: `skipped: ${reason}`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
      acc.skipped(r);
    };
    const reject = (code: string, problem: string) => {
      diagnose(ctx, { severity: 'error', code, message: `${problem}`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
      acc.rejected(r);
    };
    // Include rows span the name, tag and type columns: `>Include Table 10-11 …` (the table link is an empty xref).
    const inc = /^((?:>\s*)*)Include\b/i.exec(nameText);
    if (inc) {
      const target = nameSlot!.cell.links.find((l) => l.startsWith('table_'));
      if (!target && /Functional Group Macros/i.test(nameText)) {
        // Multi-frame Functional Groups Module: the macros come from the IOD's functional group table.
        const fg = /shared/i.test(nameText) || /Shared/.test(rows.filter((x) => x.kind === 'attribute').at(-1)?.name ?? '') ? 'shared' : 'per-frame';
        rows.push({ kind: 'include', depth: depthOf(inc[1]!), target: '', targetTable: '', functionalGroups: fg, prov: prov(r) });
        acc.parsed(r);
        return;
      }
      if (!target) {
        reject('include-without-table', 'Include row without a link to a table');
        return;
      }
      const row: IncludeRow = { kind: 'include', depth: depthOf(inc[1]!), target: '', targetTable: target, prov: prov(r) };
      const note = descSlot && !descSlot.spanned ? descSlot.cell : undefined;
      if (note) {
        const cids = note.links
          .map((l) => /(?:^|_)CID_(\d+)$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => ({ kind: /baseline|\bBCID\b/i.test(note.text) ? ('baseline' as const) : ('defined' as const), cid: Number(m[1]) }));
        if (cids.length > 0) row.cids = cids;
      }
      rows.push(row);
      acc.parsed(r);
      return;
    }
    // Section-title rows: one cell spanning every column (`BASIC CODED ENTRY ATTRIBUTES`).
    if (nameSlot && nameSlot.cell.colspan >= t.headers.length) {
      skip('section-title-row', 'a section title spanning every column, not an attribute');
      return;
    }
    const depthMatch = /^((?:>\s*)*)(.*)$/.exec(nameText)!;
    // `>>Any Attribute from the main data set that was modified or removed` (SOP Common, Encrypted
    // Attributes): a wildcard over every attribute, not one element; nothing to type.
    if (/^Any Attribute\b/i.test(depthMatch[2]!) || /^>*\s*Any Attribute\b/i.test(tagSlot?.cell.text ?? '')) {
      skip('wildcard-row', 'an "Any Attribute" wildcard row, not one data element');
      return;
    }
    const tag = normalizeTag(tagSlot?.cell.text ?? '');
    if (!tag) {
      reject('invalid-tag', `tag "${tagSlot?.cell.text ?? ''}" is not (gggg,eeee)`);
      return;
    }
    const typeText = (typeSlot?.cell.text ?? '').toUpperCase();
    if (!TYPES.has(typeText as AttributeType)) {
      reject('invalid-type', `type "${typeSlot?.cell.text ?? ''}" is not one of 1, 1C, 2, 2C, 3`);
      return;
    }
    const type = typeText as AttributeType;
    const attr: AttributeRow = {
      kind: 'attribute',
      depth: depthOf(depthMatch[1]!),
      tag,
      keyword: byTag.get(tag) ?? '',
      name: depthMatch[2]!,
      type,
      prov: prov(r),
    };
    const desc = descSlot?.cell;
    if (desc && (type === '1C' || type === '2C')) {
      attr.condition = conditionOfDescription(desc.text);
    }
    if (desc && descSlot) {
      const tr = trs[descSlot.row - 1];
      const td = tr ? rowCellElements(tr)[descSlot.td] : undefined;
      if (td) readValues(doc, ctx, index, t, r, td, desc.links, desc.text, attr);
    }
    rows.push(attr);
    acc.parsed(r);
  });
  addAccount(ctx, acc.finish());
  applyDepthWorkarounds(ctx, t, rows);
  reportEmptySequences(ctx, t, rows);
  return { id: iodId(name), name, kind, table: t.label, ...(index.tableSection.has(t.id) ? { section: index.tableSection.get(t.id)! } : {}), rows, prov: { source: ctx.source.id, table: `Table ${t.label}` } };
}

function readValues(
  doc: NemaDocument,
  ctx: ScrapeContext,
  index: Part03Index,
  t: SourceTable,
  r: Row,
  td: import('domhandler').Element,
  links: string[],
  text: string,
  attr: AttributeRow,
): void {
  let { lists } = valueListsIn(doc, td);
  let perValueText = ownParagraphText(doc, td);
  if (lists.length === 0 && /\b(Enumerated Values|Defined Terms)\b/i.test(text)) {
    // "See Section C.7.6.1.1.2 for Defined Terms": read the lists of the referenced section.
    const target = links.find((l) => l.startsWith('sect_'));
    const sec = target ? index.sections.get(target) : undefined;
    if (target && !sec) {
      diagnose(ctx, { severity: 'info', code: 'values-section-missing', message: `the values of ${attr.name} are in ${target.replace(/^sect_/, 'Section ')}, which is not in this document`, table: `Table ${t.label}`, row: r.index });
      return;
    }
    if (sec) {
      lists = valueListsIn(doc, sec.el).lists;
      perValueText = ownParagraphText(doc, sec.el);
      if (lists.length > 0) attr.valuesFrom = sec.label;
    }
  }
  if (lists.length === 0) return;
  // Meanings are facts about the values whether or not the lists constrain every value (Image Type lists them per value).
  const tally = tallies.of(ctx);
  const meanings = lists.flatMap((l) => valueMeanings(l.kind, l.values.map((value, i) => ({ value, text: l.texts[i] ?? '' })), tally));
  const byValue = new Map(meanings.map((m) => [m.value, m]));
  if (byValue.size > 0) attr.valueMeanings = [...byValue.values()];
  // Lists per value ("Value 1 … Enumerated Values", "Value 3 … Defined Terms") do not constrain every value.
  if (/\bValue [1-9]\b/.test(perValueText.replace(/\([0-9A-Fa-fx]{4},[0-9A-Fa-fx]{4}\)\s+Value\s+[1-9]/g, '')) || lists.filter((l) => l.kind === 'enumerated').length > 1 || lists.filter((l) => l.kind === 'defined').length > 1) {
    diagnose(ctx, { severity: 'info', code: 'per-value-terms', message: `${attr.name} lists values per value position; not used as a constraint on every value`, table: `Table ${t.label}`, row: r.index });
    delete attr.valuesFrom;
    return;
  }
  for (const l of lists) {
    const values = [...new Set(l.values)];
    if (values.length === 0) continue;
    if (l.kind === 'enumerated') attr.enumeratedValues = values;
    else attr.definedTerms = values;
  }
}

/** Value meanings kept and dropped, per scrape (reported once per document by `scrapeModuleTables`). */
const tallies = meaningTallies();

/**
 * Known rows that lost their `>` in published DocBook (the HTML rendering of the same edition
 * nests them): the listed tags directly after the sequence row, at the sequence's depth, are its
 * item. Applied only on an exact match and reported as `workaround-applied`.
 * PS3.3 2016c Table C.12-1: Context Group / Mapping Resource Identification Sequence items.
 */
export const DEPTH_WORKAROUNDS: { table: string; sequence: string; items: string[] }[] = [
  { table: 'C.12-1', sequence: '00080123', items: ['0008010F', '00080117', '00080105', '00080106'] },
  { table: 'C.12-1', sequence: '00080124', items: ['00080105', '00080118', '00080122'] },
];

function applyDepthWorkarounds(ctx: ScrapeContext, t: SourceTable, rows: ModuleRow[]): void {
  for (const w of DEPTH_WORKAROUNDS) {
    if (w.table !== t.label) continue;
    const i = rows.findIndex((r) => r.kind === 'attribute' && r.tag === w.sequence);
    if (i < 0) continue;
    const seq = rows[i]!;
    const next = rows.slice(i + 1, i + 1 + w.items.length);
    const match = next.length === w.items.length && next.every((r, k) => r.kind === 'attribute' && r.tag === w.items[k] && r.depth === seq.depth);
    if (!match) continue;
    for (const r of next) r.depth++;
    diagnose(ctx, {
      severity: 'warning',
      code: 'workaround-applied',
      message: `the ${w.items.length} rows after this sequence have no ">" although they are its item (duplicate tags at one level otherwise); nested them one level deeper`,
      table: `Table ${t.label}`,
      ...(seq.prov.row !== undefined ? { row: seq.prov.row } : {}),
    });
  }
}

/** A row named `… Sequence` followed by no deeper row (no item content) is reported: usually a lost `>`. */
function reportEmptySequences(ctx: ScrapeContext, t: SourceTable, rows: ModuleRow[]): void {
  rows.forEach((r, i) => {
    if (r.kind !== 'attribute' || !/\bSequence$/.test(r.name)) return;
    const next = rows[i + 1];
    if (next && next.depth > r.depth) return;
    diagnose(ctx, {
      // Info, not warning: some sequences legitimately list no items (wildcard items such as
      // "Any Attribute …", or converted-attribute sequences defined by prose).
      severity: 'info',
      code: 'sequence-without-items',
      message: `${r.name} is followed by no item rows (a ">" may be missing in the source)`,
      table: `Table ${t.label}`,
      ...(r.prov.row !== undefined ? { row: r.prov.row } : {}),
    });
  });
}
