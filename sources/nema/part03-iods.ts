/**
 * PS3.3 Annex A: IOD module tables (IE / Module / Reference / Usage, the IE cell spanning its
 * modules by rowspan) and the functional group macro tables of the enhanced multi-frame IODs
 * (Functional Group Macro / Section / Usage). A module is linked by the section its Reference
 * cell points at; the attribute table inside that section is the module's table.
 */
import type { NemaDocument } from './document.ts';
import type { ScrapeContext } from '../types.ts';
import { addAccount, diagnose } from '../types.ts';
import { mapColumns, RowAccount, rowRaw, type SourceTable } from '../common/table.ts';
import { iodId, iodTypeName } from '../common/iod-names.ts';
import { linkSopClasses, type FunctionalGroupRef, type Iod, type IodModuleRef, type ModuleKind, type ModuleUsage } from '../../generator/ir-iods.ts';
import { type Part03Index } from './part03-common.ts';
import { tableGrid } from '../common/table.ts';
import { ensureIodSection, isAttributeTable, moduleNameFromCaption, scrapeModuleTables } from './part03-modules.ts';

const IOD_COLUMNS = [
  { field: 'ie' as const, headers: ['IE'], required: true },
  { field: 'module' as const, headers: ['Module'], required: true },
  { field: 'reference' as const, headers: ['Reference'], required: true },
  { field: 'usage' as const, headers: ['Usage'], required: true },
];
const FG_COLUMNS = [
  { field: 'macro' as const, headers: ['Functional Group Macro'], required: true },
  { field: 'reference' as const, headers: ['Section', 'Reference'], required: true },
  { field: 'usage' as const, headers: ['Usage'], required: true },
];

function normHeaders(t: SourceTable): string {
  return t.headers.map((h) => h.toLowerCase().trim()).join('|');
}
export function isIodModuleTable(t: SourceTable): boolean {
  return normHeaders(t) === 'ie|module|reference|usage';
}
export function isFunctionalGroupTable(t: SourceTable): boolean {
  return /^functional group macro\|(section|reference)\|usage$/.test(normHeaders(t));
}

/** `M`, `U`, `C - Required if …`, `M - May not be used as a Shared Functional Group.` */
export function parseUsage(text: string): { usage: ModuleUsage; rest: string } | undefined {
  const m = /^([MUC])(?:\s*[-–—:]\s*|\s+|$)([\s\S]*)$/.exec(text.trim());
  if (!m) return undefined;
  return { usage: m[1] as ModuleUsage, rest: m[2]!.trim() };
}

/** Ancestor sections of a table, innermost first. */
function ancestors(index: Part03Index, tableId: string) {
  const out = [];
  for (const [sid, tables] of index.sectionTables) if (tables.includes(tableId)) out.push(index.sections.get(sid)!);
  return out.sort((a, b) => b.label.length - a.label.length);
}

/**
 * The IOD a table belongs to. Its section is the nearest enclosing section titled `… IOD` (what
 * PS3.4 links to: `A.3`, `A.38.1`); its name is the module table's caption (`CT Image IOD
 * Modules` → `CT Image`, the name innolitics and the SOP class tables use, where the section title
 * says `Computed Tomography Image IOD`).
 */
function iodOfTable(index: Part03Index, t: SourceTable, captionSuffix: RegExp): { name: string; section?: string } {
  const secs = ancestors(index, t.id);
  const sec = secs.find((s) => /\bIOD$/.test(s.title)) ?? secs.at(-1);
  return { name: t.caption.replace(captionSuffix, '').trim(), ...(sec ? { section: sec.label } : {}) };
}

/** The attribute table of a module or macro section (preferring one whose caption names the wanted kind). */
function tableOfSection(doc: NemaDocument, index: Part03Index, sectionId: string, kind: ModuleKind): string | undefined {
  const tables = (index.sectionTables.get(sectionId) ?? []).map((id) => doc.requireTable(id)).filter(isAttributeTable);
  const own = tables.filter((t) => index.tableSection.get(t.id) === index.sections.get(sectionId)?.label);
  const pool = own.length > 0 ? own : tables;
  return (pool.find((t) => moduleNameFromCaption(t.caption).kind === kind) ?? pool[0])?.label;
}

/** Scrape every IOD module table and functional group macro table. Run after `scrapeModuleTables`. */
export function scrapeIodTables(doc: NemaDocument, ctx: ScrapeContext, index: Part03Index): void {
  const section = ensureIodSection(ctx);
  const iods = new Map<string, Iod>();
  const byTable = new Map(section.modules.filter((m) => m.prov.source === ctx.source.id && m.table).map((m) => [m.table!, m]));
  const refOf = (link: string | undefined, name: string, kind: ModuleKind, t: SourceTable, row: number): { id: string; complete: boolean } => {
    const label = link && index.sections.has(link) ? tableOfSection(doc, index, link, kind) : undefined;
    const def = label ? byTable.get(label) : undefined;
    if (def && def.kind === kind) return { id: def.id, complete: true };
    if (def) return { id: def.id, complete: true };
    const id = iodId(name);
    diagnose(ctx, {
      severity: 'warning',
      code: 'module-table-missing',
      message: `no attribute table for ${kind} "${name}" (${link ? link.replace(/^sect_/, 'Section ') : 'no reference'}) in this document; the IOD is incomplete`,
      table: `Table ${t.label}`,
      row,
    });
    if (!section.modules.some((m) => m.kind === kind && m.id === id)) {
      section.modules.push({ id, name, kind, prov: { source: ctx.source.id, table: `Table ${t.label}`, row } });
    }
    return { id, complete: false };
  };
  const iodFor = (t: SourceTable, suffix: RegExp): Iod => {
    const { name, section: sec } = iodOfTable(index, t, suffix);
    // A functional group table names the IOD its own way (`Enhanced XA Image`): match by section.
    const sameSection = sec ? [...iods.values()].find((x) => x.section === sec) : undefined;
    if (sameSection) return sameSection;
    const id = iodId(name);
    let iod = iods.get(id);
    if (!iod) {
      iod = {
        id,
        name,
        typeName: iodTypeName(name),
        ...(sec ? { section: sec } : {}),
        modules: [],
        functionalGroups: [],
        incomplete: false,
        prov: { source: ctx.source.id, table: `Table ${t.label}` },
      };
      iods.set(id, iod);
    }
    return iod;
  };

  for (const tid of doc.tableIds()) {
    const t = doc.requireTable(tid);
    if (isIodModuleTable(t)) {
      const cols = mapColumns(t, IOD_COLUMNS);
      const grid = tableGrid(t);
      const acc = new RowAccount(t, ctx.source.id);
      const iod = iodFor(t, /\s+IOD Modules$/i);
      iod.table = t.label;
      t.rows.forEach((r, i) => {
        const slot = (f: 'ie' | 'module' | 'reference' | 'usage') => grid[i]![cols.get(f)!]?.cell;
        const ie = slot('ie')?.text ?? '';
        const name = slot('module')?.text ?? '';
        const usage = parseUsage(slot('usage')?.text ?? '');
        if (!ie || !name || !usage) {
          diagnose(ctx, { severity: 'error', code: 'invalid-iod-row', message: `expected IE, Module and Usage (M, U or C)`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
          acc.rejected(r);
          return;
        }
        const link = slot('reference')?.links.find((l) => l.startsWith('sect_'));
        const ref = refOf(link, name, 'module', t, r.index);
        if (!ref.complete) iod.incomplete = true;
        const m: IodModuleRef = { ie, module: ref.id, usage: usage.usage, prov: { source: ctx.source.id, table: `Table ${t.label}`, row: r.index } };
        if (usage.rest) m.condition = usage.rest;
        iod.modules.push(m);
        acc.parsed(r);
      });
      addAccount(ctx, acc.finish());
    } else if (isFunctionalGroupTable(t)) {
      const cols = mapColumns(t, FG_COLUMNS);
      const grid = tableGrid(t);
      const acc = new RowAccount(t, ctx.source.id);
      const iod = iodFor(t, /\s+Functional Group Macros$/i);
      t.rows.forEach((r, i) => {
        const slot = (f: 'macro' | 'reference' | 'usage') => grid[i]![cols.get(f)!]?.cell;
        const name = slot('macro')?.text ?? '';
        const usage = parseUsage(slot('usage')?.text ?? '');
        if (!name || !usage) {
          diagnose(ctx, { severity: 'error', code: 'invalid-functional-group-row', message: `expected a macro name and Usage (M, U or C)`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
          acc.rejected(r);
          return;
        }
        const link = slot('reference')?.links.find((l) => l.startsWith('sect_'));
        const ref = refOf(link, name, 'macro', t, r.index);
        if (!ref.complete) iod.incomplete = true;
        const g: FunctionalGroupRef = { macro: ref.id, usage: usage.usage, prov: { source: ctx.source.id, table: `Table ${t.label}`, row: r.index } };
        if (/not be used as a Shared/i.test(usage.rest)) g.placement = 'per-frame';
        else if (/not be used as a Per[- ]?Frame/i.test(usage.rest)) g.placement = 'shared';
        if (usage.usage === 'C' && usage.rest) g.condition = usage.rest;
        iod.functionalGroups.push(g);
        acc.parsed(r);
      });
      addAccount(ctx, acc.finish());
    }
  }
  section.iods.push(...iods.values());
  linkSopClasses(section);
}

/** The PS3.3 scraper: module and macro attribute tables first, then the IOD tables that reference them. */
export function scrapePart03(doc: NemaDocument, ctx: ScrapeContext): void {
  const index = scrapeModuleTables(doc, ctx);
  scrapeIodTables(doc, ctx, index);
  for (const id of doc.tableIds()) {
    const t = doc.requireTable(id);
    if (isAttributeTable(t) || isIodModuleTable(t) || isFunctionalGroupTable(t)) continue;
    diagnose(ctx, { severity: 'info', code: 'table-not-scraped', message: `(${t.caption}) is not an IOD, module or macro attribute table; not read`, table: `Table ${t.label}` });
  }
}
