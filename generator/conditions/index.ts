/**
 * Pipeline step (after the layer merge): every condition text of the IOD section — Type 1C/2C
 * attribute rows and usage-C module / functional group references — is parsed into `when`
 * (generator/ir-conditions.ts), names resolved against the data dictionary. Texts the grammar
 * cannot read get `{ op: 'not-parsed' }` and one info diagnostic per distinct text and source.
 */
import type { DataElement, Ir, Report } from '../ir.ts';
import type { ConditionRule } from '../ir-conditions.ts';
import { isConditionEvaluable, isConditionParsed } from '../ir-conditions.ts';
import { dicomId } from '../ir-iods.ts';
import { parseCondition, type ConditionDictionary } from './grammar.ts';

/** Dictionary lookups over `ir.dataElements` (data and file meta elements; names compared case-insensitively). */
export function conditionDictionary(ir: Ir): ConditionDictionary {
  const byTag = new Map<string, DataElement>();
  const byName = new Map<string, DataElement>();
  for (const e of ir.dataElements) {
    if (e.table !== 'data' && e.table !== 'file-meta') continue;
    if (!byTag.has(e.tag)) byTag.set(e.tag, e);
    const n = e.name.toLowerCase();
    if (!byName.has(n) || (byName.get(n)!.retired && !e.retired)) byName.set(n, e);
  }
  const modules = new Map<string, string>();
  const ids = new Set<string>();
  for (const m of ir.iods?.modules ?? []) {
    if (m.kind !== 'module') continue;
    modules.set(m.name.toLowerCase(), m.id);
    ids.add(m.id);
  }
  return {
    byTag: (tag) => byTag.get(tag),
    byName: (name) => {
      const e = byName.get(name.toLowerCase());
      return e && !e.tag.includes('x') ? { tag: e.tag, keyword: e.keyword } : undefined;
    },
    moduleByName: (name) => modules.get(name.toLowerCase()) ?? (ids.has(dicomId(name)) ? dicomId(name) : undefined),
  };
}

export interface ConditionCounts {
  parsed: number;
  notParsed: number;
}

/** Parse every condition text of the IR in place (sets `when`); returns counts per source id. */
export function parseIrConditions(ir: Ir, report: Report): Map<string, ConditionCounts> {
  const counts = new Map<string, ConditionCounts>();
  if (!ir.iods) return counts;
  const dict = conditionDictionary(ir);
  const memo = new Map<string, ConditionRule>();
  const reported = new Set<string>();
  const visit = (x: { condition?: string; when?: ConditionRule; prov: { source: string; table: string; row?: number } }) => {
    if (x.condition === undefined || x.condition.trim() === '') return;
    let rule = memo.get(x.condition);
    if (!rule) {
      rule = parseCondition(x.condition, dict);
      memo.set(x.condition, rule);
    }
    x.when = rule;
    const c = counts.get(x.prov.source) ?? { parsed: 0, notParsed: 0 };
    if (isConditionParsed(rule.test)) c.parsed++;
    else {
      c.notParsed++;
      const key = `${x.prov.source}|${x.condition}`;
      if (!reported.has(key)) {
        reported.add(key);
        report.diagnostics.push({ severity: 'info', code: 'condition-not-parsed', message: 'condition text not read by the grammar; reported as "not evaluated" at validation', source: x.prov.source, table: x.prov.table, ...(x.prov.row !== undefined ? { row: x.prov.row } : {}) });
      }
    }
    counts.set(x.prov.source, c);
  };
  for (const iod of ir.iods.iods) {
    iod.modules.forEach(visit);
    iod.functionalGroups.forEach(visit);
  }
  for (const m of ir.iods.modules) for (const r of m.rows ?? []) if (r.kind === 'attribute') visit(r);
  return counts;
}

/** Counts for the report (`conditions parsed · <part edition>`), from `when` alone so they survive the prose-free snapshot. */
export function countConditions(ir: Ir, bump: (key: string, n?: number) => void): void {
  if (!ir.iods) return;
  const edition = new Map(ir.sources.map((s) => [s.id, `${s.part} ${s.edition}`]));
  // `conditions parsed` = every AST that says what its sentence says; it splits into `evaluable`
  // (decided from the dataset alone) and `depending on an outside fact` (a `depends-on` node inside).
  const one = (x: { when?: ConditionRule; prov: { source: string } }) => {
    if (!x.when) return;
    const parsed = isConditionParsed(x.when.test);
    const kinds = parsed ? ['conditions parsed', isConditionEvaluable(x.when.test) ? 'conditions parsed, evaluable' : 'conditions parsed, depending on an outside fact'] : ['conditions not parsed'];
    for (const k of kinds) {
      bump(k);
      bump(`${k} · ${edition.get(x.prov.source) ?? x.prov.source}`);
    }
  };
  for (const k of ['conditions parsed', 'conditions parsed, evaluable', 'conditions parsed, depending on an outside fact', 'conditions not parsed']) bump(k, 0);
  for (const iod of ir.iods.iods) {
    iod.modules.forEach(one);
    iod.functionalGroups.forEach(one);
  }
  for (const m of ir.iods.modules) for (const r of m.rows ?? []) if (r.kind === 'attribute') one(r);
}
