/** Counts per family and per edition, for `generate`'s summary and the report. */
import type { Ir } from './ir.ts';
import { countConditions } from './conditions/index.ts';

export function countIr(ir: Ir): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (k: string, n = 1) => {
    counts[k] = (counts[k] ?? 0) + n;
  };
  const edition = new Map(ir.sources.map((s) => [s.id, `${s.part} ${s.edition}`]));
  const per = (family: string, entries: { prov: { source: string; table: string } }[]) => {
    bump(family, 0);
    for (const e of entries) {
      bump(family);
      bump(`${family} · ${e.prov.table} · ${edition.get(e.prov.source) ?? e.prov.source}`);
    }
  };
  per('data elements', ir.dataElements);
  per('UIDs', ir.uids);
  // A keyword is derived only where no layer had an official one (generator/merge.ts).
  bump('UID keywords derived from names', ir.uids.filter((u) => u.keywordDerived).length);
  per('value representations', ir.valueRepresentations);
  per('transfer syntaxes', ir.transferSyntaxes);
  per('de-identification rows', ir.deidentification);
  if (ir.iods) {
    per('IODs', ir.iods.iods);
    per('modules and macros', ir.iods.modules);
    for (const m of ir.iods.modules) {
      if (m.rows) bump(`modules and macros · attribute table · ${edition.get(m.fieldProv?.rows?.source ?? m.prov.source) ?? m.prov.source}`);
    }
    per('SOP class → IOD', ir.iods.sopClasses);
    countConditions(ir, bump);
  }
  if (ir.contextGroups) {
    per('context groups', ir.contextGroups.groups);
    bump('context group codes', ir.contextGroups.groups.reduce((n, g) => n + g.codes.length, 0));
    per('coding schemes', ir.contextGroups.codingSchemes);
    per('DCM codes', ir.contextGroups.dcmCodes);
  }
  if (ir.privateDictionaries) {
    per('private elements', ir.privateDictionaries.elements);
    bump('private creators', new Set(ir.privateDictionaries.elements.map((e) => e.creator)).size);
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
