/**
 * The interface model of the `iods` family: every module and macro once (with an interface per
 * sequence item), composed by `extends`; IODs extend their modules. Built from the IR through
 * the resolver; templates only lay the model out.
 *
 * Composition never copies a definition. Where an attribute reaches one interface from more than
 * one place (own row + include, or two modules of one IOD) the places are omitted from the bases
 * (`Omit<GeneralImageModule, 'ImageType'>`) and the attribute is declared once on the interface
 * with the strictest requirement, so TypeScript never sees two incompatible declarations.
 *
 * Two forms share the model: `natural` (dcmjs naturalizeDataset shape, keyed by keyword) and
 * `json` (DICOM JSON Model, PS3.18 F.2, keyed by `ggggeeee`).
 */
import { pascalCaseName } from '../../sources/common/iod-names.ts';
import { assertIdentifier, docText, tsString } from '../emit/context.ts';
import type { AttributeType, Iod, ModuleDef, ModuleUsage } from '../ir-iods.ts';
import { moduleKey } from '../ir-iods.ts';
import { TYPE_RANK, effectiveType, type IodResolver, type ResolvedAttribute } from './resolve.ts';
import { coverageDoc, iodCoverage } from './coverage.ts';

export type Form = 'natural' | 'json';

export interface PropModel {
  /** Rendered property key: an identifier (natural) or a string literal (json). */
  key: string;
  optional: boolean;
  type: string;
  doc: string;
}

export interface InterfaceModel {
  name: string;
  /** `<FG extends object = {}>` for modules that hold functional group macros. */
  typeParams: string;
  extends: string;
  doc: string[];
  props: PropModel[];
}

const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'IS', 'DS']);
const BIG_VRS = new Set(['SV', 'UV']);
export const BULK_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);

/** `1` → 1, `1-n` → 1, `2-2n` → 2, `3` → 3; undefined when unreadable. */
function vmMin(vm: string): number | undefined {
  const m = /^(\d+)/.exec(vm.trim());
  return m ? Number(m[1]) : undefined;
}
function vmIsOne(vm: string): boolean {
  return vm.trim() === '1' || vm.trim() === '';
}

function literalUnion(values: string[], open: boolean): string {
  const lits = values.map((v) => tsString(v));
  return open ? `${lits.join(' | ')} | (string & {})` : lits.join(' | ');
}

/** The value type of one value (before VM and requirement), by VR; bulk data VRs are left to the caller. */
function valueType(a: ResolvedAttribute, form: Form, item: string | undefined, vrs: string[]): string {
  if (vrs.length === 0) return 'unknown';
  const parts = new Set<string>();
  const stringy = vrs.every((v) => STRING_VRS.has(v));
  for (const vr of vrs) {
    if (vr === 'SQ') parts.add(item ?? 'Record<string, unknown>');
    else if (vr === 'PN') parts.add('PersonName');
    else if (NUMBER_VRS.has(vr)) parts.add('number');
    else if (BIG_VRS.has(vr)) parts.add(form === 'json' ? 'number | string' : 'number | bigint');
    else parts.add('string'); // string VRs and AT (a tag as 8 hex digits)
  }
  if (stringy && a.enumeratedValues?.length) return literalUnion(a.enumeratedValues, false);
  if (stringy && a.definedTerms?.length) return literalUnion(a.definedTerms, true);
  return [...parts].join(' | ');
}

const REQUIRED: ReadonlySet<AttributeType> = new Set(['1', '2']);

function splitBulk(a: ResolvedAttribute): { values: string[]; bulk: string[] } {
  return { values: a.vr.filter((v) => !BULK_VRS.has(v)), bulk: a.vr.filter((v) => BULK_VRS.has(v)) };
}

/**
 * Natural form (dcmjs naturalizeDataset): the property type and optionality for an attribute of
 * requirement `type`. Type 1/1C values are non-empty (tuples with at least one element), Type 2,
 * 2C and 3 may be `null` (naturalizeDataset gives null for an empty value). A VR that may be
 * bulk data (`US or OW`) adds `BulkData` beside the numeric form.
 */
function naturalProp(a: ResolvedAttribute, type: AttributeType, item: string | undefined): { optional: boolean; type: string } {
  const optional = !REQUIRED.has(type);
  const nonEmpty = type === '1' || type === '1C';
  const { values, bulk } = splitBulk(a);
  const forms: string[] = [];
  if (a.vr.length === 0) forms.push('unknown');
  if (values.length > 0) {
    const t = valueType(a, 'natural', item, values);
    if (values.length === 1 && values[0] === 'SQ') {
      // naturalizeDataset keeps sequences as arrays of items (a single item too).
      forms.push(nonEmpty ? `[${t}, ...${wrap(t)}[]]` : `${wrap(t)}[]`);
    } else if (values.includes('PN') && vmIsOne(a.vm)) {
      // One PN value naturalizes to an array holding the PersonName object (with accessors); a plain object is accepted on input.
      forms.push('PersonName | [PersonName]');
    } else if (vmIsOne(a.vm)) {
      forms.push(t);
    } else if ((vmMin(a.vm) ?? 1) >= 2) {
      forms.push(nonEmpty ? `[${t}, ...${wrap(t)}[]]` : `${wrap(t)}[]`);
    } else {
      // VM 1-n: one value is unwrapped, several stay an array.
      forms.push(nonEmpty ? `${t} | [${t}, ...${wrap(t)}[]]` : `${t} | ${wrap(t)}[]`);
    }
  }
  if (bulk.length > 0) forms.push('BulkData');
  if (!nonEmpty) forms.push('null');
  return { optional, type: forms.join(' | ') };
}

/** JSON form (PS3.18 F.2): `{ vr, Value }`, or `{ vr, InlineBinary | BulkDataURI }` for bulk data. */
function jsonProp(a: ResolvedAttribute, type: AttributeType, item: string | undefined): { optional: boolean; type: string } {
  const optional = !REQUIRED.has(type);
  const nonEmpty = type === '1' || type === '1C';
  const { values, bulk } = splitBulk(a);
  const forms: string[] = [];
  if (a.vr.length === 0) forms.push('JsonElement<string, unknown>');
  if (values.length > 0) {
    const t = valueType(a, 'json', item, values);
    forms.push(`${nonEmpty ? 'JsonElementRequired' : 'JsonElement'}<${values.map((v) => tsString(v)).join(' | ')}, ${t}>`);
  }
  if (bulk.length > 0) forms.push(`JsonBulkElement<${bulk.map((v) => tsString(v)).join(' | ')}>`);
  return { optional, type: forms.join(' | ') };
}

function wrap(t: string): string {
  return /[|&]/.test(t) ? `(${t})` : t;
}

function tagText(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/** JSON key of a tag: masked nibbles (`60xx3000`) take the first group (`60003000`). */
export function jsonKey(tag: string): string {
  return tag.replace(/x/g, '0');
}

export class IodComposer {
  private readonly names = new Map<string, string>();
  private readonly generic = new Set<string>();
  /** Definitions whose interfaces are needed (reachable from the selected IODs). */
  readonly needed = new Set<string>();

  constructor(
    readonly resolver: IodResolver,
    readonly form: Form,
  ) {
    const used = new Map<string, string>();
    const defs = resolver.allDefs().filter((d) => d.rows).sort((a, b) => (moduleKey(a.kind, a.id) < moduleKey(b.kind, b.id) ? -1 : 1));
    for (const d of defs) {
      let base = pascalCaseName(d.name) + (d.kind === 'module' ? 'Module' : 'Macro');
      if (used.has(base)) base = `${base}${pascalCaseName(d.table ?? d.id).replace(/^_/, '')}`;
      used.set(base, moduleKey(d.kind, d.id));
      this.names.set(moduleKey(d.kind, d.id), assertIdentifier(base, `module ${d.id}`));
      if ((d.rows ?? []).some((r) => r.kind === 'include' && r.functionalGroups)) this.generic.add(moduleKey(d.kind, d.id));
    }
  }

  private suffix(): string {
    return this.form === 'json' ? 'Json' : '';
  }

  typeName(def: ModuleDef): string {
    const n = this.names.get(moduleKey(def.kind, def.id));
    if (!n) throw new Error(`iods emitter: no interface name for ${def.kind} ${def.id}`);
    return n + this.suffix();
  }

  isGeneric(def: ModuleDef): boolean {
    return this.generic.has(moduleKey(def.kind, def.id));
  }

  itemName(originKind: string, originDef: string, path: string[], keyword: string): string {
    const n = this.names.get(`${originKind}:${originDef}`);
    if (!n) throw new Error(`iods emitter: no interface name for ${originKind} ${originDef}`);
    return assertIdentifier(`${n}${path.join('')}${keyword}Item${this.suffix()}`, `item of ${originDef}`);
  }

  /** Mark a definition and everything it includes as needed. */
  need(def: ModuleDef): void {
    const k = moduleKey(def.kind, def.id);
    if (this.needed.has(k) || !def.rows) return;
    this.needed.add(k);
    for (const r of def.rows) {
      if (r.kind !== 'include' || r.functionalGroups) continue;
      const t = this.resolver.includeTarget(r);
      if (t) this.need(t);
    }
  }

  private key(a: ResolvedAttribute): string {
    return this.form === 'json' ? tsString(jsonKey(a.tag)) : assertIdentifier(a.keyword, `keyword of ${tagText(a.tag)}`);
  }
  private keyId(a: ResolvedAttribute): string {
    return this.form === 'json' ? jsonKey(a.tag) : a.keyword;
  }

  private prop(a: ResolvedAttribute, type: AttributeType, fg?: string, hasItem = !!a.items?.length): PropModel {
    let item: string | undefined;
    if (a.vr.includes('SQ')) {
      const own = hasItem ? this.itemName(a.origin.kind, a.origin.def, a.origin.path, a.keyword) : undefined;
      if (a.functionalGroups) item = fg ? (own ? `${own} & ${fg}` : fg) : (own ?? 'Record<string, unknown>');
      else item = own ?? 'Record<string, unknown>';
    }
    const p = this.form === 'json' ? jsonProp(a, type, item) : naturalProp(a, type, item);
    const bits = [`${a.name} ${tagText(a.tag)}`, `Type ${type}`, `VR ${a.vr.join('/') || '?'}`, `VM ${a.vm}`];
    if (a.origin.table) bits.push(a.origin.table);
    let doc = bits.join(' · ');
    if ((type === '1C' || type === '2C') && a.condition) doc += ` — ${a.condition}`;
    if (a.keywordDerived) doc += ' (keyword derived from the name: not in the data dictionary)';
    return { key: this.key(a), optional: p.optional, type: p.type, doc: docText(doc) };
  }

  /**
   * Compose one interface: own attributes plus bases. `bases` carry the flattened attributes they
   * contribute; a key reaching the interface from more than one place is omitted from the bases
   * and declared here with the strictest requirement.
   */
  private compose(
    name: string,
    typeParams: string,
    doc: string[],
    own: { a: ResolvedAttribute; type: AttributeType; hasItem: boolean }[],
    bases: { ref: string; partial: boolean; attrs: ResolvedAttribute[]; usage?: ModuleUsage }[],
    fg?: string,
  ): InterfaceModel {
    const places = new Map<string, { a: ResolvedAttribute; type: AttributeType; origin: string; hasItem: boolean }[]>();
    const add = (a: ResolvedAttribute, type: AttributeType, origin: string, hasItem = !!a.items?.length) => {
      const k = this.keyId(a);
      const l = places.get(k) ?? [];
      l.push({ a, type, origin, hasItem });
      places.set(k, l);
    };
    for (const o of own) add(o.a, o.type, 'own', o.hasItem);
    bases.forEach((b, i) => {
      for (const a of b.attrs) add(a, b.partial ? effectiveType(a.type, 'U') : a.type, `${i}|${b.partial}|${a.origin.kind}:${a.origin.def}:${a.origin.path.join('.')}:${a.keyword}`);
    });
    const props: PropModel[] = [];
    const omit = new Map<number, string[]>();
    const emitted = new Set<string>();
    const ownKeys = new Set(own.map((o) => this.keyId(o.a)));
    for (const [k, l] of places) {
      const distinct = new Set(l.map((p) => p.origin.replace(/^\d+\|/, '')));
      const conflict = l.length > 1 && (ownKeys.has(k) || distinct.size > 1);
      if (!conflict && !ownKeys.has(k)) continue;
      if (conflict) {
        bases.forEach((b, i) => {
          if (b.attrs.some((a) => this.keyId(a) === k)) omit.set(i, [...(omit.get(i) ?? []), k]);
        });
      }
      const win = [...l].sort((x, y) => TYPE_RANK[y.type] - TYPE_RANK[x.type])[0]!;
      if (!emitted.has(k)) {
        emitted.add(k);
        props.push(this.prop(win.a, win.type, fg, win.hasItem));
      }
    }
    const ext = bases.map((b, i) => {
      const o = omit.get(i);
      const inner = o ? `Omit<${b.ref}, ${o.map((k) => tsString(k)).join(' | ')}>` : b.ref;
      return b.partial ? `Partial<${inner}>` : inner;
    });
    return { name, typeParams, extends: ext.join(', '), doc: doc.map(docText), props };
  }

  private topTargets(def: ModuleDef): ModuleDef[] {
    return (def.rows ?? [])
      .filter((r) => r.kind === 'include' && r.depth === 0 && !r.functionalGroups)
      .map((r) => (r.kind === 'include' ? this.resolver.includeTarget(r) : undefined))
      .filter((t): t is ModuleDef => t !== undefined);
  }

  /** `from` reaches `to` through top-level includes (the `extends` graph of definition interfaces). */
  private reaches(from: ModuleDef, to: ModuleDef, seen = new Set<string>()): boolean {
    const k = moduleKey(from.kind, from.id);
    if (seen.has(k)) return false;
    seen.add(k);
    return this.topTargets(from).some((t) => (t.kind === to.kind && t.id === to.id) || this.reaches(t, to, seen));
  }

  private closesCycle(def: ModuleDef, target: ModuleDef): boolean {
    const kd = moduleKey(def.kind, def.id);
    const kt = moduleKey(target.kind, target.id);
    return kt <= kd && (kt === kd || this.reaches(target, def));
  }

  /** Own rows of a definition as a tree (includes not expanded). */
  private ownTree(def: ModuleDef): OwnNode {
    const root: OwnNode = { attrs: [], includes: [] };
    const stack: { depth: number; node: OwnNode; attr?: ResolvedAttribute }[] = [{ depth: -1, node: root }];
    for (const r of def.rows ?? []) {
      while (stack.length > 1 && stack[stack.length - 1]!.depth >= r.depth) stack.pop();
      const top = stack[stack.length - 1]!;
      if (r.kind === 'include') {
        if (r.functionalGroups) top.node.fg = r.functionalGroups;
        else {
          const t = this.resolver.includeTarget(r);
          // A top-level include that closes a cycle (reported by the resolver) would make the
          // interfaces extend each other; the edge into the smaller key is dropped.
          if (t && !(r.depth === 0 && this.closesCycle(def, t))) top.node.includes.push(t);
        }
        continue;
      }
      const path = stack.slice(1).map((s) => s.attr!.keyword);
      const a = this.resolver.describe(r, def, path);
      const child: OwnNode = { attrs: [], includes: [] };
      top.node.attrs.push({ a, child });
      stack.push({ depth: r.depth, node: child, attr: a });
    }
    return root;
  }

  /** Interfaces of one definition: the definition and each of its sequence items. */
  defInterfaces(def: ModuleDef): InterfaceModel[] {
    const out: InterfaceModel[] = [];
    const generic = this.isGeneric(def);
    const fgParam = generic ? 'FG' : undefined;
    const tree = this.ownTree(def);
    const emittedItems = new Set<string>();
    const level = (node: OwnNode, name: string, typeParams: string, doc: string[]) => {
      const own: { a: ResolvedAttribute; type: AttributeType; hasItem: boolean }[] = [];
      for (const { a, child } of node.attrs) {
        const hasItem = child.attrs.length > 0 || child.includes.length > 0;
        own.push({ a: child.fg ? { ...a, functionalGroups: child.fg } : a, type: a.type, hasItem });
        // One item interface per name: a sequence listed twice on one level keeps its first item definition.
        const itemName = this.itemName(def.kind, def.id, a.origin.path, a.keyword);
        if (hasItem && !emittedItems.has(itemName)) {
          emittedItems.add(itemName);
          level(child, this.itemName(def.kind, def.id, a.origin.path, a.keyword), '', [`Item of ${a.name} ${tagText(a.tag)} in ${def.name} ${def.kind === 'module' ? 'Module' : 'Macro'}${def.table ? ` (Table ${def.table})` : ''}.`]);
        }
      }
      const bases = node.includes.map((t) => ({ ref: this.typeName(t), partial: false, attrs: this.resolver.flatten(t) }));
      out.push(this.compose(name, typeParams, doc, own, bases, fgParam));
    };
    level(tree, this.typeName(def), generic ? '<FG extends object = Record<string, unknown>>' : '', [
      `${def.name} ${def.kind === 'module' ? 'Module' : 'Macro'}${def.table ? ` (PS3.3 Table ${def.table})` : ''}.`,
    ]);
    return out;
  }

  /** The functional group macros of an enhanced IOD as one item type (every macro may be shared or per-frame). */
  functionalGroupsInterface(iod: Iod): InterfaceModel | undefined {
    if (iod.functionalGroups.length === 0) return undefined;
    const bases = iod.functionalGroups
      .map((g) => this.resolver.def('macro', g.macro))
      .filter((d): d is ModuleDef => d?.rows !== undefined)
      .map((d) => ({ ref: this.typeName(d), partial: true, attrs: this.resolver.flatten(d) }));
    return this.compose(`${iod.typeName}FunctionalGroups${this.suffix()}`, '', [`Functional group macros of the ${iod.name} IOD${iod.table ? ` (PS3.3 Table ${iod.table.replace(/-1$/, '-2')})` : ''}: the content of an item of the Shared or Per-frame Functional Groups Sequence.`], [], bases);
  }

  /** The IOD interface: mandatory modules extended as they are, user-optional and conditional ones as `Partial`. */
  iodInterface(iod: Iod, sopClasses: string[]): InterfaceModel {
    const fgName = iod.functionalGroups.length > 0 ? `${iod.typeName}FunctionalGroups${this.suffix()}` : undefined;
    const bases = iod.modules
      .map((m) => ({ m, def: this.resolver.def('module', m.module) }))
      .filter((x): x is { m: typeof x.m; def: ModuleDef } => x.def?.rows !== undefined)
      .map(({ m, def }) => ({
        ref: this.typeName(def) + (this.isGeneric(def) && fgName ? `<${fgName}>` : ''),
        partial: m.usage !== 'M',
        attrs: this.resolver.flatten(def),
        usage: m.usage,
      }));
    const doc = [`${iod.name} IOD${iod.table ? ` (PS3.3 Table ${iod.table})` : ''}${this.form === 'json' ? ' in the DICOM JSON Model (PS3.18 F.2)' : ', in the shape dcmjs naturalizeDataset produces'}.`];
    doc.push('Modules of usage M are extended as they are; U and C modules as Partial (their own requirements apply when they are present).');
    if (sopClasses.length > 0) doc.push(`SOP classes: ${sopClasses.join(', ')}.`);
    doc.push(...coverageDoc(iodCoverage(iod, this.resolver), this.resolver.ir));
    return this.compose(`${iod.typeName}${this.suffix()}`, '', doc, [], bases, fgName);
  }
}

interface OwnNode {
  attrs: { a: ResolvedAttribute; child: OwnNode }[];
  includes: ModuleDef[];
  fg?: 'shared' | 'per-frame';
}
