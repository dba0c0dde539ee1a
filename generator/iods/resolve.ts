/**
 * Include resolution: module and macro rows (with `Include` rows and `>` depths) → attribute trees,
 * per definition and per IOD. Deterministic (IR order, no hash iteration), cycle-safe (an include
 * of a table already being expanded is reported with its path and not followed), and loud: an
 * include whose table is not in the inputs is reported with the including table and row.
 *
 * An attribute that several modules of one IOD define takes the strictest requirement
 * (Image Type: Type 3 in General Image, Type 1 in CT Image → Type 1 in CT Image); every such
 * overlap is listed in the report.
 */
import type { DataElement, Ir, Prov } from '../ir.ts';
import type { ConditionRule } from '../ir-conditions.ts';
import { linkSopClasses, moduleKey, type SopClassIod, type AttributeRow, type AttributeType, type Iod, type ModuleDef, type ModuleKind, type ModuleUsage, type ValueMeaning } from '../ir-iods.ts';
import { keywordFromName } from '../../sources/common/iod-names.ts';

/** Where an attribute was declared: the definition, the table row, and its path of sequence keywords inside that definition. */
export interface AttributeOrigin {
  kind: ModuleKind;
  def: string;
  table?: string;
  row?: number;
  /** Keywords of the enclosing sequences inside `def` (empty at the definition's top level). */
  path: string[];
}

export interface ResolvedAttribute {
  tag: string;
  keyword: string;
  /** True when `ir.dataElements` had no keyword for the tag and it was derived from the name. */
  keywordDerived?: boolean;
  name: string;
  /** VRs from the data dictionary (`ir.dataElements`); empty when the tag is unknown there. */
  vr: string[];
  vm: string;
  type: AttributeType;
  condition?: string;
  /** The condition of a 1C/2C attribute as data (`AttributeRow.when`). */
  when?: ConditionRule;
  enumeratedValues?: string[];
  definedTerms?: string[];
  /** Short meanings of listed values (`AttributeRow.valueMeanings`). */
  valueMeanings?: ValueMeaning[];
  origin: AttributeOrigin;
  /** Items of a sequence (after include expansion); absent for other VRs. */
  items?: ResolvedAttribute[];
  /** The item holds the IOD's functional group macros (`shared` / `per-frame`). */
  functionalGroups?: 'shared' | 'per-frame';
}

export interface IncludeCycle {
  /** Tables on the include path, the first repeated at the end (`C.1-1 → C.1-2 → C.1-1`). */
  path: string[];
  prov: Prov;
}

export interface UnresolvedInclude {
  /** The including table (`Table C.7-9`) and body row. */
  table: string;
  row?: number;
  source: string;
  /** The include's target table id (`table_10-15`). */
  target: string;
}

export interface RequirementOverlap {
  iod: string;
  tag: string;
  keyword: string;
  /** The effective requirement in the IOD and the module/macro it came from. */
  winner: { def: string; type: AttributeType; usage: ModuleUsage };
  others: { def: string; type: AttributeType; usage: ModuleUsage }[];
}

export interface IodResolutionReport {
  cycles: IncludeCycle[];
  unresolved: UnresolvedInclude[];
  overlaps: RequirementOverlap[];
  /** IODs with modules (or functional group macros, in `macros`) that have no attribute table, and those. */
  incomplete: { iod: string; modules: string[]; macros?: string[] }[];
  /** Tags the data dictionary does not know (no VR): typed `unknown`. */
  unknownTags: { tag: string; name: string; def: string }[];
  /** Attributes deeper than their enclosing sequence allows (`>>` under a non-sequence). */
  depthErrors: { def: string; table?: string; row?: number }[];
}

export interface ResolvedIod {
  iod: Iod;
  /** Top-level attributes of the IOD with the strictest effective requirement (modules of usage U/C count as optional). */
  attributes: ResolvedAttribute[];
}

/** The module of PS3.3 C.7.6.16 that holds the Shared and Per-frame Functional Groups Sequences. */
export const FUNCTIONAL_GROUPS_MODULE = 'multi-frame-functional-groups';

/** Strictness order used to merge requirements: 1 > 2 > 1C > 2C > 3. */
export const TYPE_RANK: Record<AttributeType, number> = { '1': 5, '2': 4, '1C': 3, '2C': 2, '3': 1 };

/** The requirement of a module's attribute in an IOD: a user-optional or conditional module makes its required attributes conditional. */
export function effectiveType(type: AttributeType, usage: ModuleUsage): AttributeType {
  if (usage === 'M') return type;
  if (type === '1') return '1C';
  if (type === '2') return '2C';
  return type;
}

export class IodResolver {
  readonly report: IodResolutionReport = { cycles: [], unresolved: [], overlaps: [], incomplete: [], unknownTags: [], depthErrors: [] };
  private readonly defs = new Map<string, ModuleDef>();
  private readonly byTable = new Map<string, ModuleDef>();
  private readonly elements = new Map<string, DataElement>();
  private readonly masked: DataElement[] = [];
  private readonly flat = new Map<string, ResolvedAttribute[]>();
  private readonly reportedUnresolved = new Set<string>();
  private readonly reportedCycles = new Set<string>();
  private readonly reportedTags = new Set<string>();
  private readonly reportedDepth = new Set<string>();

  constructor(readonly ir: Ir) {
    const all = ir.iods?.modules ?? [];
    for (const m of all) if (m.table && m.rows && !this.byTable.has(`table_${m.table}`)) this.byTable.set(`table_${m.table}`, m);
    for (const m of all) {
      const k = moduleKey(m.kind, m.id);
      // Several layers may define one module: the first one with rows wins, unless it includes a
      // table the inputs lack and a later one is complete (an excerpt's SR Document Content
      // Module includes macros the excerpt does not carry).
      const prev = this.defs.get(k);
      if (!prev || (!prev.rows && m.rows) || (prev.rows && m.rows && !this.includesResolve(prev) && this.includesResolve(m))) this.defs.set(k, m);
    }
    for (const e of ir.dataElements) {
      if (e.table !== 'data' && e.table !== 'file-meta') continue;
      if (e.tag.includes('x')) this.masked.push(e);
      if (!this.elements.has(e.tag)) this.elements.set(e.tag, e);
    }
  }

  /** Every include row of the definition points at a table the inputs have. */
  private includesResolve(def: ModuleDef): boolean {
    const ids = new Set((this.ir.iods?.modules ?? []).filter((m) => m.rows).map((m) => moduleKey(m.kind, m.id)));
    return (def.rows ?? []).every(
      (r) => r.kind !== 'include' || r.functionalGroups !== undefined || (r.target !== '' && (ids.has(moduleKey(r.targetKind ?? 'macro', r.target)) || ids.has(moduleKey('module', r.target)))) || this.byTable.has(r.targetTable),
    );
  }

  def(kind: ModuleKind, id: string): ModuleDef | undefined {
    return this.defs.get(moduleKey(kind, id));
  }

  /**
   * The module an IOD's module reference means. innolitics names the Multi-frame Functional Groups
   * module of each enhanced IOD after the IOD (`enhanced-ct-image-multi-frame-functional-groups`,
   * PS3.3 C.7.6.16 is one module whose macros each IOD lists): without a table of its own the
   * reference means `multi-frame-functional-groups`.
   */
  iodModule(id: string): ModuleDef | undefined {
    const own = this.def('module', id);
    if (own?.rows || !id.endsWith(`-${FUNCTIONAL_GROUPS_MODULE}`)) return own;
    return this.def('module', FUNCTIONAL_GROUPS_MODULE) ?? own;
  }

  allDefs(): ModuleDef[] {
    return [...this.defs.values()];
  }

  /** The data dictionary entry for a PS3.3 tag (exact, then by mask either way: `60xx3000` ↔ `60003000`). */
  element(tag: string): DataElement | undefined {
    const hit = this.elements.get(tag);
    if (hit) return hit;
    const re = (masked: string) => new RegExp(`^${masked.replace(/x/g, '[0-9A-F]')}$`);
    if (tag.includes('x')) {
      const r = re(tag);
      for (const [t, e] of this.elements) if (r.test(t)) return e;
    }
    return this.masked.find((e) => re(e.tag).test(tag));
  }

  /** The definition an include row points at (by id, else by table). */
  includeTarget(r: { target: string; targetKind?: ModuleKind; targetTable: string }): ModuleDef | undefined {
    if (r.target) {
      const d = r.targetKind ? this.def(r.targetKind, r.target) : (this.def('macro', r.target) ?? this.def('module', r.target));
      if (d?.rows) return d;
    }
    return this.byTable.get(r.targetTable);
  }

  /** One attribute row with keyword, VR and VM from the data dictionary. */
  describe(row: AttributeRow, def: ModuleDef, path: string[]): ResolvedAttribute {
    const el = this.element(row.tag);
    let keyword = row.keyword || el?.keyword || '';
    let keywordDerived: boolean | undefined;
    if (!keyword) {
      keyword = keywordFromName(row.name);
      keywordDerived = true;
    }
    if (!el && !this.reportedTags.has(row.tag)) {
      this.reportedTags.add(row.tag);
      this.report.unknownTags.push({ tag: row.tag, name: row.name, def: def.id });
    }
    const a: ResolvedAttribute = {
      tag: row.tag,
      keyword,
      // A source row may name only the tag (the mirror's overlay rows): the dictionary names it then.
      name: row.name || el?.name || '',
      vr: el?.vr ?? [],
      vm: el?.vm ?? '1',
      type: row.type,
      origin: originOf(def, row, path),
    };
    if (keywordDerived) a.keywordDerived = true;
    if (row.condition !== undefined) a.condition = row.condition;
    if (row.when !== undefined) a.when = row.when;
    if (row.enumeratedValues) a.enumeratedValues = row.enumeratedValues;
    if (row.definedTerms) a.definedTerms = row.definedTerms;
    if (row.valueMeanings) a.valueMeanings = row.valueMeanings;
    return a;
  }

  /**
   * Rows of a definition with includes expanded, as (absolute depth, attribute | fg marker) in
   * table order. `stack` holds the tables being expanded, for cycle detection.
   */
  private expand(def: ModuleDef, base: number, stack: string[], out: { depth: number; attr?: AttributeRow; def: ModuleDef; fg?: 'shared' | 'per-frame' }[]): void {
    for (const r of def.rows ?? []) {
      if (r.kind === 'attribute') {
        out.push({ depth: base + r.depth, attr: r, def });
        continue;
      }
      if (r.functionalGroups) {
        out.push({ depth: base + r.depth, def, fg: r.functionalGroups });
        continue;
      }
      const target = this.includeTarget(r);
      if (!target) {
        const k = `${r.prov.source}|${r.prov.table}|${r.prov.row ?? ''}`;
        if (!this.reportedUnresolved.has(k)) {
          this.reportedUnresolved.add(k);
          this.report.unresolved.push({ table: r.prov.table, ...(r.prov.row !== undefined ? { row: r.prov.row } : {}), source: r.prov.source, target: r.targetTable || r.target });
        }
        continue;
      }
      const tk = moduleKey(target.kind, target.id);
      if (stack.includes(tk)) {
        // Canonical rotation (smallest label first) so that one cycle is reported once, whichever definition met it first.
        const ring = stack.slice(stack.indexOf(tk)).map((k) => this.labelOf(k));
        const start = ring.indexOf([...ring].sort()[0]!);
        const rotated = [...ring.slice(start), ...ring.slice(0, start)];
        const path = [...rotated, rotated[0]!];
        const key = path.join(' → ');
        if (!this.reportedCycles.has(key)) {
          this.reportedCycles.add(key);
          this.report.cycles.push({ path, prov: r.prov });
        }
        continue;
      }
      this.expand(target, base + r.depth, [...stack, tk], out);
    }
  }

  private labelOf(key: string): string {
    const d = this.defs.get(key);
    return d?.table ? `Table ${d.table}` : key;
  }

  /**
   * Build the tree from expanded rows: a row at depth d+1 belongs to the item of the last
   * attribute at depth d. The `path` of each attribute is relative to the definition that declares it.
   */
  private tree(rows: { depth: number; attr?: AttributeRow; def: ModuleDef; fg?: 'shared' | 'per-frame' }[]): ResolvedAttribute[] {
    const top: ResolvedAttribute[] = [];
    const stack: ResolvedAttribute[] = [];
    const levels: Levels = new Map();
    // Paths are tracked per declaring definition: the nearest enclosing attributes declared by the same def.
    for (const r of rows) {
      while (stack.length > r.depth) stack.pop();
      if (stack.length < r.depth) {
        const k = `${r.def.id}|${r.attr?.prov.row ?? ''}`;
        if (!this.reportedDepth.has(k)) {
          this.reportedDepth.add(k);
          this.report.depthErrors.push({ def: r.def.id, ...(r.def.table ? { table: r.def.table } : {}), ...(r.attr?.prov.row !== undefined ? { row: r.attr.prov.row } : {}) });
        }
        if (stack.length === 0 && r.depth > 0) continue;
      }
      const parent = stack[stack.length - 1];
      if (r.fg) {
        if (parent) parent.functionalGroups = r.fg;
        continue;
      }
      const path = stack.filter((s) => s.origin.def === r.def.id && s.origin.kind === r.def.kind).map((s) => s.keyword);
      const a = this.describe(r.attr!, r.def, path);
      const list = parent ? (parent.items ??= []) : top;
      stack.push(mergeInto(list, a, levels));
    }
    return top;
  }

  /** Top-level attributes of a definition with includes expanded (memoized). */
  flatten(def: ModuleDef): ResolvedAttribute[] {
    const k = moduleKey(def.kind, def.id);
    const hit = this.flat.get(k);
    if (hit) return hit;
    const rows: Parameters<IodResolver['tree']>[0] = [];
    this.expand(def, 0, [k], rows);
    const out = this.tree(rows);
    this.flat.set(k, out);
    return out;
  }

  /**
   * The attributes of one IOD's modules by tag, in first-seen order, each with its module's usage
   * and definition; `missing` lists the modules without an attribute table.
   */
  private moduleAttributes(iod: Iod): { byTag: Map<string, UsedAttribute[]>; missing: string[] } {
    const byTag = new Map<string, UsedAttribute[]>();
    const missing: string[] = [];
    for (const ref of iod.modules) {
      const def = this.iodModule(ref.module);
      if (!def?.rows) {
        missing.push(ref.module);
        continue;
      }
      for (const a of this.flatten(def)) {
        const uses = byTag.get(a.tag);
        if (uses) uses.push({ a, usage: ref.usage, def: def.id });
        else byTag.set(a.tag, [{ a, usage: ref.usage, def: def.id }]);
      }
    }
    return { byTag, missing };
  }

  /** Report one IOD: modules or functional group macros without a table, and every requirement overlap (which module's requirement wins). */
  reportIod(iod: Iod): void {
    const { byTag, missing } = this.moduleAttributes(iod);
    const macros = iod.functionalGroups.filter((g) => !this.def('macro', g.macro)?.rows).map((g) => g.macro);
    if (missing.length > 0 || macros.length > 0 || iod.incomplete) this.report.incomplete.push({ iod: iod.id, modules: missing, ...(macros.length > 0 ? { macros } : {}) });
    for (const [tag, all] of byTag) {
      if (all.length < 2) continue;
      const [win, ...others] = ranked(all);
      this.report.overlaps.push({
        iod: iod.id,
        tag,
        keyword: win!.a.keyword,
        winner: { def: win!.def, type: win!.a.type, usage: win!.usage },
        others: others.map((o) => ({ def: o.def, type: o.a.type, usage: o.usage })),
      });
    }
  }

  /** One IOD: modules (by usage) merged with the strictest requirement (`reportIod` reports the overlaps). */
  resolveIod(iod: Iod): ResolvedIod {
    const attributes: ResolvedAttribute[] = [];
    for (const all of this.moduleAttributes(iod).byTag.values()) {
      const win = ranked(all)[0]!;
      const { enumeratedValues: _e, definedTerms: _d, ...rest } = win.a;
      attributes.push({ ...rest, ...mergedValues(all.map((x) => x.a)), type: effectiveType(win.a.type, win.usage) });
    }
    return { iod, attributes };
  }

  resolveAll(): ResolvedIod[] {
    return (this.ir.iods?.iods ?? []).map((i) => this.resolveIod(i));
  }
}

/** An attribute as one module of an IOD uses it. */
interface UsedAttribute {
  a: ResolvedAttribute;
  usage: ModuleUsage;
  def: string;
}

/** The uses of one attribute, strictest effective requirement first (stable: module order among equals). */
function ranked(all: UsedAttribute[]): UsedAttribute[] {
  return all.length === 1 ? all : [...all].sort((x, y) => TYPE_RANK[effectiveType(y.a.type, y.usage)] - TYPE_RANK[effectiveType(x.a.type, x.usage)]);
}

/**
 * One entry per IOD id (sources of one layer may both list an IOD), for the types and the
 * validator alike: a complete one (every module has an attribute table) wins, then the one with
 * more modules that have tables, then the first.
 */
export function uniqueIods(resolver: IodResolver, iods: Iod[]): Iod[] {
  const byId = new Map<string, Iod>();
  const withRows = (i: Iod) => i.modules.filter((m) => resolver.iodModule(m.module)?.rows).length;
  const score = (i: Iod) => (withRows(i) === i.modules.length && !i.incomplete ? 1_000_000 : 0) + withRows(i);
  for (const i of iods) {
    const prev = byId.get(i.id);
    if (!prev || score(i) > score(prev)) byId.set(i.id, i);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Value sets of one attribute defined by several modules: every definition applies, so Enumerated
 * Values intersect (General Series allows any Modality, CT Series only `CT`: `CT`), and Defined
 * Terms give way to Enumerated Values. An empty intersection keeps the first list (reported as an overlap).
 */
export function mergedValues(defs: { enumeratedValues?: string[]; definedTerms?: string[]; valueMeanings?: ValueMeaning[] }[]): { enumeratedValues?: string[]; definedTerms?: string[]; valueMeanings?: ValueMeaning[] } {
  const meanings = mergedMeanings(defs);
  const enums = defs.map((d) => d.enumeratedValues).filter((e): e is string[] => !!e && e.length > 0);
  if (enums.length > 0) {
    const common = enums.reduce((acc, e) => acc.filter((v) => e.includes(v)));
    return { enumeratedValues: common.length > 0 ? common : enums[0]!, ...meanings };
  }
  const terms = defs.map((d) => d.definedTerms).filter((e): e is string[] => !!e && e.length > 0);
  return terms.length > 0 ? { definedTerms: [...new Set(terms.flat())], ...meanings } : meanings;
}

/** Meanings of every definition, the first per value (they name the same value of the same attribute). */
function mergedMeanings(defs: { valueMeanings?: ValueMeaning[] }[]): { valueMeanings?: ValueMeaning[] } {
  const byValue = new Map<string, ValueMeaning>();
  for (const m of defs.flatMap((d) => d.valueMeanings ?? [])) if (!byValue.has(m.value)) byValue.set(m.value, m);
  return byValue.size > 0 ? { valueMeanings: [...byValue.values()] } : {};
}

/** The attributes of each level of a tree being built, by tag (a level is an array of attributes). */
type Levels = Map<ResolvedAttribute[], Map<string, ResolvedAttribute>>;

/**
 * Add an attribute to a level; the same tag twice on one level keeps the strictest requirement (and
 * merges items). Returns the level's attribute for the tag.
 */
function mergeInto(list: ResolvedAttribute[], a: ResolvedAttribute, levels: Levels): ResolvedAttribute {
  let byTag = levels.get(list);
  if (!byTag) levels.set(list, (byTag = new Map()));
  const prev = byTag.get(a.tag);
  if (!prev) {
    list.push(a);
    byTag.set(a.tag, a);
    return a;
  }
  if (TYPE_RANK[a.type] > TYPE_RANK[prev.type]) {
    const items = prev.items;
    Object.assign(prev, a);
    if (items) prev.items = items;
  }
  return prev;
}

/** Where a row was declared: its definition, table row and sequence path (keys in this order). */
function originOf(def: ModuleDef, row: AttributeRow, path: string[]): AttributeOrigin {
  const o = { kind: def.kind, def: def.id } as AttributeOrigin;
  if (row.prov.table) o.table = row.prov.table;
  if (row.prov.row !== undefined) o.row = row.prov.row;
  o.path = path;
  return o;
}

/**
 * Resolve every IOD of the IR. The IR is not modified: SOP classes are linked to IODs by section
 * in a copy (`sopClasses` of the result).
 */
export type IodResolution = {
  resolver: IodResolver;
  /** Merged on first read (the report does not need them). */
  readonly iods: ResolvedIod[];
  report: IodResolutionReport;
  sopClasses: SopClassIod[];
};

/**
 * Validation (for the report) and the emitter (for the types) both need the resolution of the same
 * IR; it is computed once per IR and reused while the families it reads are the same objects.
 */
const resolved = new WeakMap<Ir, { iods: Ir['iods']; dataElements: Ir['dataElements']; result: IodResolution }>();

export function resolveIods(ir: Ir): IodResolution {
  const hit = resolved.get(ir);
  if (hit && hit.iods === ir.iods && hit.dataElements === ir.dataElements) return hit.result;
  const result = computeResolution(ir);
  resolved.set(ir, { iods: ir.iods, dataElements: ir.dataElements, result });
  return result;
}

function computeResolution(ir: Ir): IodResolution {
  const view: Ir = ir.iods ? { ...ir, iods: { ...ir.iods, sopClasses: ir.iods.sopClasses.map((s) => ({ ...s })) } } : ir;
  if (view.iods) linkSopClasses(view.iods);
  const resolver = new IodResolver(view);
  for (const iod of view.iods?.iods ?? []) resolver.reportIod(iod);
  // Every definition, used by an IOD or not, so that every cycle and unresolved include is reported.
  for (const d of resolver.allDefs()) if (d.rows) resolver.flatten(d);
  // The merged attributes of each IOD only when read (the site and tests; `generate` needs the report alone).
  let iods: ResolvedIod[] | undefined;
  return {
    resolver,
    get iods() {
      return (iods ??= resolver.resolveAll());
    },
    report: resolver.report,
    sopClasses: view.iods?.sopClasses ?? [],
  };
}

export { linkSopClasses };
