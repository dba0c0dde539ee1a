/** Counts per family and per edition, for `generate`'s summary and the report. */
import type { Ir } from './ir.ts';
import { countConditions } from './conditions/index.ts';

export function countIr(ir: Ir): Record<string, number> {
  const { counts, bump, per, edition } = counter(ir);
  per('data elements', ir.dataElements);
  per('UIDs', ir.uids);
  // A keyword is derived only where no layer had an official one (generator/merge.ts).
  bump('UID keywords derived from names', ir.uids.filter((u) => u.keywordDerived).length);
  per('value representations', ir.valueRepresentations);
  per('transfer syntaxes', ir.transferSyntaxes);
  per('de-identification rows', ir.deidentification);
  countIodFamily(ir, { bump, per, edition });
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
  return sortedCounts(counts);
}

/**
 * The counts of the IOD family alone (keys no other family uses): the emit worker, which holds
 * that family, computes them for the main thread, which then parses the snapshot without it (issue 13).
 */
export function countIods(ir: Ir): Record<string, number> {
  const c = counter(ir);
  countIodFamily(ir, c);
  return c.counts;
}

/** Counts of two disjoint families together, in `countIr`'s order. */
export function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

type Bump = (k: string, n?: number) => void;
type Per = (family: string, entries: { prov: { source: string; table: string } }[]) => void;

/** A count table with its two ways of counting; `edition`: "PS3.x edition" of each source id. */
function counter(ir: Ir): { counts: Record<string, number>; bump: Bump; per: Per; edition: Map<string, string> } {
  const counts: Record<string, number> = {};
  const bump: Bump = (k, n = 1) => {
    counts[k] = (counts[k] ?? 0) + n;
  };
  const edition = new Map(ir.sources.map((s) => [s.id, `${s.part} ${s.edition}`]));
  const per: Per = (family, entries) => {
    bump(family, 0);
    for (const e of entries) {
      bump(family);
      bump(`${family} · ${e.prov.table} · ${edition.get(e.prov.source) ?? e.prov.source}`);
    }
  };
  return { counts, bump, per, edition };
}

function countIodFamily(ir: Ir, { bump, per, edition }: { bump: Bump; per: Per; edition: Map<string, string> }): void {
  if (!ir.iods) return;
  per('IODs', ir.iods.iods);
  per('modules and macros', ir.iods.modules);
  for (const m of ir.iods.modules) {
    if (m.rows) bump(`modules and macros · attribute table · ${edition.get(m.fieldProv?.rows?.source ?? m.prov.source) ?? m.prov.source}`);
  }
  per('SOP class → IOD', ir.iods.sopClasses);
  countConditions(ir, bump);
}
