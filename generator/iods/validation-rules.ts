/**
 * Validation rules as plain data, built from the IR: every module and macro with attribute rows
 * once (rows as a tree: sequence items hold their rows, includes stay references), and per IOD the
 * modules and functional group macros it uses with usage and parsed condition. The emitter writes
 * them as one file per definition and per IOD (generator/emit/validate.ts); the CLI links them in
 * memory. Keys are the engine's compact ones (generator/runtime/validate-engine.ts `AttrRule`).
 */
import { createHash } from 'node:crypto';
import type { Ir } from '../ir.ts';
import type { ConditionRule } from '../ir-conditions.ts';
import { moduleKey, type ModuleDef } from '../ir-iods.ts';
import { resolveIods, uniqueIods, type IodResolver } from './resolve.ts';
import { SR_VALUE_TYPES, VALUE_TYPE_TAG } from './sr-value-types.ts';
import { evidenceRule, type EvidenceRuleData } from './sr-evidence.ts';
import { directoryRecords, type DirectoryRecordData } from './dicomdir-keys.ts';
import { defRules, iodRules, type DefRules, type IodRules } from '../runtime/validate-engine.ts';

export interface AttrRuleData {
  t: string;
  k: string;
  r: string;
  v: string;
  m: string;
  c?: ConditionRule;
  e?: string[];
  d?: string[];
  i?: RowData[];
  g?: 'shared' | 'per-frame';
}
export type RowData = AttrRuleData | { inc: string; c?: ConditionRule };

export interface DefRuleData {
  /** `module:patient`, `macro:code-sequence-macro`. */
  key: string;
  id: string;
  table: string;
  edition: string;
  rows: RowData[];
  /** Keys of the definitions its includes point at. */
  links: string[];
  sources: string[];
  /** A shared item row list (see `internItems`): its rows are reported under the including definition. */
  transparent?: boolean;
}

export interface UseData {
  def: string;
  usage: 'M' | 'U' | 'C';
  c?: ConditionRule;
}

export interface IodRuleData {
  id: string;
  name: string;
  typeName: string;
  table: string;
  edition: string;
  sopClasses: string[];
  modules: UseData[];
  functionalGroups: UseData[];
  /** Modules of the IOD without an attribute table in the inputs: not validated (the engine says so). */
  unchecked: string[];
  /** Functional group macros of the IOD without an attribute table. */
  uncheckedGroups: string[];
  /** SR / Key Object Selection: content tree references to be listed in the evidence sequences (sr-evidence.ts). */
  evidence?: EvidenceRuleData;
  /** DICOMDIR records of the IOD's instances and their Type 1 keys (dicomdir-keys.ts), checked on request. */
  dicomdir?: DirectoryRecordData[];
  sources: string[];
}

export interface ValidationRuleSet {
  defs: Map<string, DefRuleData>;
  iods: IodRuleData[];
}

function editionOf(ir: Ir, source: string): string {
  const s = ir.sources.find((x) => x.id === source);
  return s ? `${s.part.startsWith('PS3') ? '' : 'innolitics '}${s.edition}` : '';
}

/** PS3.3 Table C.17-5 Document Content Macro: its includes of C.18 macros depend on the Value Type. */
const DOCUMENT_CONTENT_TABLE = 'C.17-5';

/**
 * The condition of an include: a content item includes a value-type macro (PS3.3 C.18.x) only when
 * its Value Type is that type (sr-value-types.ts, Table C.17-5); a C.18 macro the table does not
 * list is included under a condition the validator does not evaluate.
 */
function includeCondition(owner: ModuleDef, target: ModuleDef): ConditionRule | undefined {
  if (owner.table !== DOCUMENT_CONTENT_TABLE || !target.table || !/^C\.18\.\d+-1$/.test(target.table)) return undefined;
  const vt = SR_VALUE_TYPES.find((v) => v.table === target.table);
  if (!vt) return { test: { op: 'not-parsed' } };
  return { test: { op: 'equals', tag: VALUE_TYPE_TAG, keyword: 'ValueType', values: [vt.valueType] } };
}

/** The last sequence among a macro's own top-level rows: where rows written deeper than an include of it belong. */
function lastSequence(rows: RowData[]): AttrRuleData | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const x = rows[i]!;
    if (!('inc' in x) && x.v.split('|').includes('SQ')) return x;
  }
  return undefined;
}

/** The rows of a definition as a tree (the `>` depth decides which item a row belongs to). */
function defRows(resolver: IodResolver, def: ModuleDef, links: Set<string>): RowData[] {
  const top: RowData[] = [];
  const stack: { depth: number; rows: RowData[]; attr?: AttrRuleData }[] = [{ depth: -1, rows: top }];
  const all = def.rows ?? [];
  for (const [n, r] of all.entries()) {
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= r.depth) stack.pop();
    const level = stack[stack.length - 1]!;
    if (r.kind === 'include') {
      if (r.functionalGroups) {
        if (level.attr) level.attr.g = r.functionalGroups;
        continue;
      }
      const target = resolver.includeTarget(r);
      if (!target) continue; // reported by the resolver (include-unresolved)
      // Rows written one level deeper than an include go into the item of the included macro's
      // last sequence (PS3.3 Tables C.18.4-1, C.18.5-1), as the resolver's expanded tree has them:
      // the macro's rows are copied here, since the shared definition must not gain them.
      const deeper = all[n + 1] !== undefined && all[n + 1]!.depth > r.depth && !includeCondition(def, target);
      const inlined = deeper ? defRows(resolver, target, links) : [];
      const holder = lastSequence(inlined);
      if (holder) {
        level.rows.push(...inlined);
        holder.i ??= [];
        stack.push({ depth: r.depth, rows: holder.i, attr: holder });
        continue;
      }
      const key = moduleKey(target.kind, target.id);
      links.add(key);
      const c = includeCondition(def, target);
      level.rows.push(c ? { inc: key, c } : { inc: key });
      continue;
    }
    // Keyword, VR and VM as the resolver describes the row (data dictionary, else the row's name).
    const d = resolver.describe(r, def, []);
    const a: AttrRuleData = { t: r.tag, k: d.keyword, r: r.type, v: d.vr.join('|'), m: d.vm || '1' };
    if (r.when && (r.type === '1C' || r.type === '2C')) a.c = r.when;
    if (r.enumeratedValues?.length) a.e = r.enumeratedValues;
    if (r.definedTerms?.length) a.d = r.definedTerms;
    level.rows.push(a);
    const items: RowData[] = [];
    a.i = items;
    stack.push({ depth: r.depth, rows: items, attr: a });
  }
  const prune = (rows: RowData[]) => {
    for (const x of rows) {
      if ('inc' in x) continue;
      if (x.i && x.i.length === 0 && !x.g) delete x.i;
      else if (x.i) prune(x.i);
    }
  };
  prune(top);
  return top;
}

/** Rules for every IOD with at least one module table (modules without one are listed as unchecked), or for `only`. */
export function buildValidationRules(ir: Ir, only?: Set<string>): ValidationRuleSet {
  const { resolver, sopClasses } = resolveIods(ir);
  const defs = new Map<string, DefRuleData>();
  const need = (kind: 'module' | 'macro', id: string): string | undefined => {
    const d = kind === 'module' ? resolver.iodModule(id) : resolver.def(kind, id); // an enhanced IOD's own functional-group module id means C.7.6.16
    if (!d?.rows) return undefined;
    const key = moduleKey(d.kind, d.id);
    if (defs.has(key)) return key;
    const links = new Set<string>();
    const data: DefRuleData = { key, id: d.id, table: d.table ?? d.id, edition: editionOf(ir, d.fieldProv?.rows?.source ?? d.prov.source), rows: [], links: [], sources: [d.fieldProv?.rows?.source ?? d.prov.source] };
    defs.set(key, data);
    data.rows = defRows(resolver, d, links);
    data.links = [...links].sort();
    for (const l of data.links) {
      const [k, i] = l.split(/:(.*)/s) as ['module' | 'macro', string];
      need(k, i);
    }
    return key;
  };
  const tops = new Map<string, Set<string>>();
  const topTags = (key: string) => tops.get(key) ?? tops.set(key, topLevelTags(defs, key)).get(key)!;
  const iods: IodRuleData[] = [];
  for (const iod of uniqueIods(resolver, ir.iods?.iods ?? [])) {
    if (only && !only.has(iod.id)) continue;
    const modules: UseData[] = [];
    const unchecked: string[] = [];
    for (const m of iod.modules) {
      const key = need('module', m.module);
      if (!key) unchecked.push(m.module);
      else modules.push({ def: key, usage: m.usage, ...(m.when ? { c: m.when } : {}) });
    }
    if (modules.length === 0) continue;
    const functionalGroups: UseData[] = [];
    const uncheckedGroups: string[] = [];
    for (const g of iod.functionalGroups) {
      const key = need('macro', g.macro);
      if (key) functionalGroups.push({ def: key, usage: g.usage, ...(g.when ? { c: g.when } : {}) });
      else uncheckedGroups.push(g.macro);
    }
    const uids = [...new Set(sopClasses.filter((s) => s.iod === iod.id).map((s) => s.uid))].sort();
    const used = modules.map((u) => ({ ...defs.get(u.def)!, usage: u.usage, topTags: topTags(u.def) }));
    const evidence = evidenceRule(used);
    const dicomdir = directoryRecords(iod.id, used);
    iods.push({ id: iod.id, name: iod.name, typeName: iod.typeName, table: iod.table ?? '', edition: editionOf(ir, iod.prov.source), sopClasses: uids, modules, functionalGroups, unchecked, uncheckedGroups, ...(evidence ? { evidence } : {}), ...(dicomdir ? { dicomdir } : {}), sources: [iod.prov.source] });
  }
  internItems(defs);
  return { defs, iods };
}

/** Tags of a definition's top-level rows, its includes expanded (an include already on the path is not re-entered). */
function topLevelTags(defs: Map<string, DefRuleData>, key: string, path: string[] = []): Set<string> {
  const out = new Set<string>();
  for (const r of defs.get(key)?.rows ?? []) {
    if (!('inc' in r)) out.add(r.t);
    else if (!r.c && !path.includes(r.inc)) for (const t of topLevelTags(defs, r.inc, [...path, key])) out.add(t);
  }
  return out;
}

/**
 * Sequence item row lists that recur across definitions (the Code Sequence Macro, expanded inline
 * by some sources, is the bulk of the rules) become one shared `items:<hash>` definition each,
 * included where they occurred: the rules shrink several times and stay one file per use.
 */
function internItems(defs: Map<string, DefRuleData>): void {
  const counts = new Map<string, number>();
  // Each item list's JSON, built once from its rows' (not once per enclosing list) and kept for the replacement.
  const json = new Map<RowData[], string>();
  const count = (rows: RowData[]) => {
    for (const r of rows) {
      if ('inc' in r || !r.i) continue;
      const k = listJson(r.i, json);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      count(r.i);
    }
  };
  for (const d of defs.values()) count(d.rows);
  const chosen = new Map<string, string>();
  for (const [k, n] of counts) if (n >= 3 && k.length >= 300) chosen.set(k, `items:${createHash('sha256').update(k).digest('hex').slice(0, 12)}`);
  const replace = (rows: RowData[], links: Set<string>) => {
    for (const r of rows) {
      if ('inc' in r) {
        links.add(r.inc);
        continue;
      }
      if (!r.i) continue;
      const key = chosen.get(json.get(r.i) ?? JSON.stringify(r.i));
      if (key) {
        r.i = [{ inc: key }];
        links.add(key);
      } else replace(r.i, links);
    }
  };
  for (const d of defs.values()) {
    const links = new Set(d.links);
    replace(d.rows, links);
    d.links = [...links].sort();
  }
  for (const [k, key] of chosen) {
    const rows = JSON.parse(k) as RowData[];
    const links = new Set<string>();
    replace(rows, links);
    defs.set(key, { key, id: key.slice('items:'.length), table: '', edition: '', rows, links: [...links].sort(), sources: [], transparent: true });
  }
}

/** `JSON.stringify(rows)`, with the JSON of every nested item list taken from (or added to) `known`. */
function listJson(rows: RowData[], known: Map<RowData[], string>): string {
  let text = known.get(rows);
  if (text !== undefined) return text;
  text = `[${rows.map((r) => ('inc' in r || !r.i ? JSON.stringify(r) : rowJson(r, known))).join(',')}]`;
  known.set(rows, text);
  return text;
}

/** `JSON.stringify(row)` of a row with items (keys in the row's order, undefined ones left out, as JSON.stringify does). */
function rowJson(row: AttrRuleData, known: Map<RowData[], string>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${k === 'i' ? listJson(v as RowData[], known) : JSON.stringify(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Engine rules for one IOD, linked in memory (the CLI validates without a generated package). */
export function linkIodRules(set: ValidationRuleSet, id: string): IodRules | undefined {
  const data = set.iods.find((i) => i.id === id);
  if (!data) return undefined;
  const cache = new Map<string, DefRules>();
  const thunk = (key: string) => () => {
    let d = cache.get(key);
    if (!d) {
      const src = set.defs.get(key)!;
      const links = Object.fromEntries(src.links.map((l) => [l, thunk(l)]));
      d = defRules(JSON.stringify(defJson(src)), links);
      cache.set(key, d);
    }
    return d;
  };
  const keys = [...data.modules, ...data.functionalGroups].map((u) => u.def);
  return iodRules(JSON.stringify(iodJson(data)), Object.fromEntries(keys.map((k) => [k, thunk(k)])));
}

/** The JSON a definition rule file carries (generator/emit/validate.ts writes the same). */
export function defJson(d: DefRuleData): object {
  return { id: d.id, table: d.table, edition: d.edition, rows: d.rows, ...(d.transparent ? { transparent: true } : {}) };
}

/** The JSON an IOD rule file carries (generator/emit/validate.ts writes the same). */
export function iodJson(d: IodRuleData): object {
  return { id: d.id, name: d.name, table: d.table, edition: d.edition, sopClasses: d.sopClasses, modules: d.modules, functionalGroups: d.functionalGroups, unchecked: d.unchecked, uncheckedGroups: d.uncheckedGroups, ...(d.evidence ? { evidence: d.evidence } : {}), ...(d.dicomdir ? { dicomdir: d.dicomdir } : {}) };
}
