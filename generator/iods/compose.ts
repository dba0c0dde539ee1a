/**
 * The interface model of the `iods` family, designed for compile speed and size:
 *
 * - every module and functional group macro is one interface of its top-level attributes, with
 *   its includes expanded by the resolver (so a `>` row after an include lands in the included
 *   sequence's item, PS3.3 Tables C.18.4-1/C.18.5-1);
 * - sequence items are interned by structure: an item shape (the Code Sequence Macro's, say) is
 *   one interface however many sequences and modules use it;
 * - an IOD is the intersection of its modules (`Partial<…>` for usage U/C), a type alias: tsc
 *   resolves its attributes only where it is used, never to check the declaration (an interface
 *   extending ~25 bases costs a comparison with each); an attribute several modules define is left
 *   out of those modules (`Without<…>`, a mapped type that is just as lazy) and declared once with
 *   the strictest Type and the intersection of the Enumerated Values;
 * - SR content items are unions discriminated by `ValueType` (facts in `sr-value-types.ts`),
 *   recursive through Content Sequence;
 * - enhanced IODs get a Shared and a Per-frame functional groups interface with macro usage and
 *   placement honoured.
 *
 * The interfaces are in the naturalized form (dcmjs naturalizeDataset, keyed by keyword); the
 * DICOM JSON Model form (PS3.18 F.2, keyed by `ggggeeee`) is the mapped type `Json<T>` over them
 * and one keyword → [tag, VR] table, so it costs the compiler nothing until it is used.
 */
import { pascalCaseName } from '../../sources/common/iod-names.ts';
import { assertIdentifier, docText, tsString } from '../emit/context.ts';
import type { AttributeType, FunctionalGroupRef, Iod, ModuleDef, ModuleUsage } from '../ir-iods.ts';
import { moduleKey } from '../ir-iods.ts';
import { isConditionParsed, type Condition } from '../ir-conditions.ts';
import { TYPE_RANK, effectiveType, mergedValues, type IodResolver, type ResolvedAttribute } from './resolve.ts';
import { CONTENT_SEQUENCE_TAG, ROOT_VALUE_TYPE, SR_VALUE_TYPES, VALUE_TYPE_TAG, valueTypesOfTag } from './sr-value-types.ts';
import { coverageDoc, iodCoverage } from './coverage.ts';

export interface PropModel {
  /** Rendered property key: an identifier (natural) or a string literal (json). */
  key: string;
  optional: boolean;
  type: string;
  doc: string;
}

export interface InterfaceModel {
  name: string;
  /** `<S = …, P = …>` for the module that holds the functional group sequences (the Shared and Per-frame item types). */
  typeParams: string;
  extends: string;
  doc: string[];
  props: PropModel[];
  /** Emitted as `type name = A | B` (an SR content item discriminated by Value Type) instead of an interface. */
  union?: string[];
  /** An index signature (`[keyword: string]: unknown`) where part of the content is not in the inputs. */
  index?: string;
  /** Emitted as `type name = A & B & { props }` (an IOD or functional groups item): `extends` joined by `&`. */
  intersection?: boolean;
}

const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'IS', 'DS']);
const BIG_VRS = new Set(['SV', 'UV']);
export const BULK_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);

/**
 * The Per-frame item as an alias of the Shared item when both hold the same macros with the same
 * usage (most enhanced IODs, PS3.3 C.7.6.16): one interface for tsc to check instead of two.
 */
function sameShape(shared: InterfaceModel, perFrame: InterfaceModel): InterfaceModel {
  const shape = (m: InterfaceModel) => JSON.stringify([m.typeParams, m.extends, m.props, m.index ?? '', m.union ?? [], m.intersection ?? false]);
  if (shape(shared) !== shape(perFrame)) return perFrame;
  const doc = [...perFrame.doc, `The same macros with the same usage as \`${shared.name}\`, which this names.`];
  return { name: perFrame.name, typeParams: '', extends: '', doc, props: [], union: [shared.name] };
}

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
function valueType(a: ResolvedAttribute, item: string | undefined, vrs: string[]): string {
  if (vrs.length === 0) return 'unknown';
  const parts = new Set<string>();
  const stringy = vrs.every((v) => STRING_VRS.has(v));
  for (const vr of vrs) {
    if (vr === 'SQ') parts.add(item ?? 'Record<string, unknown>');
    else if (vr === 'PN') parts.add('PersonName');
    else if (NUMBER_VRS.has(vr)) parts.add('number');
    else if (BIG_VRS.has(vr)) parts.add('number | bigint');
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
    const t = valueType(a, item, values);
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


/** Shared (5200,9229) and Per-frame (5200,9230) Functional Groups Sequences (PS3.3 C.7.6.16): their items hold the IOD's macros. */
const FG_SEQUENCES: Readonly<Record<string, 'S' | 'P'>> = { '52009229': 'S', '52009230': 'P' };
// No `extends object` constraints: checking an IOD's `MultiFrameFunctionalGroupsModule<Shared, PerFrame>`
// against one made tsc list every attribute of both intersections (30 enhanced IODs on the default).
const FG_PARAMS = '<S = Record<string, unknown>, P = Record<string, unknown>>';

type Where = 'top' | 'item';
/** Stands for a content item union in its own Content Sequence until the union is named. */
const SELF = '\u0000self\u0000';

/** Attributes an item must share with a smaller interned item to extend it rather than repeat them. */
const MIN_INHERITED = 3;
/** An attribute as item interning compares it: key, optionality, type and doc. */
function propSignature(p: PropModel): string {
  return `${p.key}${p.optional ? '?' : ''}:${p.type}/${p.doc}`;
}

/**
 * dcmjs naturalizeDataset records the VRs it read in `_vrMap` on the dataset and on every item: not
 * DICOM data, admitted so that its output type-checks. `VrMap` (types.ts) rather than
 * `Record<string, string>` in the ~700 interfaces that have it: a reference without type arguments
 * is cheaper for tsc to check.
 */
const VR_MAP: PropModel = { key: '_vrMap', optional: true, type: 'VrMap', doc: 'VRs as dcmjs naturalizeDataset read them (not an attribute)' };
interface Place {
  a: ResolvedAttribute;
  type: AttributeType;
  usage: ModuleUsage;
  def: string;
}

export class IodComposer {
  private readonly names = new Map<string, string>();
  /** Interned sequence items (and SR content item unions), in creation order. */
  readonly items: InterfaceModel[] = [];
  private readonly bySignature = new Map<string, string>();
  /** Interned item shapes: prop signatures by item name, for items that contain another to extend it. */
  private readonly shapes = new Map<string, string[]>();
  /** Module or macro name → its `Partial<…>` alias (`PartialPatientStudyModule`), for bases of usage U/C. */
  private readonly partials = new Map<string, string>();
  /** Overlap declarations shared by IODs (and functional groups items), in modules.ts: by signature. */
  private readonly shared = new Map<string, InterfaceModel>();
  private readonly taken = new Set<string>();
  /** Definitions whose interfaces are needed (modules of the selected IODs and their functional group macros). */
  readonly needed = new Set<string>();
  private readonly keywords = new Map<string, ResolvedAttribute>();

  constructor(readonly resolver: IodResolver) {
    const used = new Set<string>();
    const defs = resolver.allDefs().filter((d) => d.rows).sort((a, b) => (moduleKey(a.kind, a.id) < moduleKey(b.kind, b.id) ? -1 : 1));
    for (const d of defs) {
      let base = pascalCaseName(d.name) + (d.kind === 'module' ? 'Module' : 'Macro');
      if (used.has(base)) base = `${base}${pascalCaseName(d.table ?? d.id).replace(/^_/, '')}`;
      used.add(base);
      this.names.set(moduleKey(d.kind, d.id), assertIdentifier(base, `module ${d.id}`));
      this.taken.add(base + this.suffix());
    }
  }

  private suffix(): string {
    return '';
  }

  typeName(def: ModuleDef): string {
    const n = this.names.get(moduleKey(def.kind, def.id));
    if (!n) throw new Error(`iods emitter: no interface name for ${def.kind} ${def.id}`);
    return n + this.suffix();
  }

  /** The module holds the functional group sequences: its interface takes the IOD's shared and per-frame item types. */
  isGeneric(def: ModuleDef): boolean {
    return this.resolver.flatten(def).some((a) => FG_SEQUENCES[a.tag] !== undefined);
  }

  need(def: ModuleDef): void {
    if (def.rows) this.needed.add(moduleKey(def.kind, def.id));
  }

  /** A fresh interface name (`CodeSequenceItem`, then `CodeSequenceItem2`, …). */
  private freshName(base: string): string {
    let n = assertIdentifier(`${base}${this.suffix()}`, `interface ${base}`);
    for (let i = 2; this.taken.has(n); i++) n = `${base}${i}${this.suffix()}`;
    this.taken.add(n);
    return n;
  }

  private key(a: ResolvedAttribute): string {
    this.keywords.set(a.keyword, a);
    return assertIdentifier(a.keyword, `keyword of ${tagText(a.tag)}`);
  }
  private keyId(a: ResolvedAttribute): string {
    return a.keyword;
  }

  /** Keyword → [JSON key, VR] of every attribute the interfaces use: what `Json<T>` maps the natural form with. */
  attributeTags(): { keyword: string; tag: string; vr: string[] }[] {
    return [...this.keywords.values()].map((a) => ({ keyword: a.keyword, tag: jsonKey(a.tag), vr: a.vr })).sort((x, y) => (x.keyword < y.keyword ? -1 : x.keyword > y.keyword ? 1 : 0));
  }

  /** Hover text: name, tag, Type, VR, VM, and what the Type means for presence here. */
  private doc(a: ResolvedAttribute, type: AttributeType, where: Where, note?: string): string {
    const bits = [`${a.name} ${tagText(a.tag)}`, `Type ${type}`, `VR ${a.vr.join('/') || '?'}`, `VM ${a.vm}`];
    let doc = bits.join(' · ');
    if (where === 'top' && (type === '1' || type === '2')) doc += ` · required when its module (or macro) is present (${type === '2' ? 'may be empty' : 'with a value'})`;
    if (type === '1C' || type === '2C') {
      const when = a.when && isConditionParsed(a.when.test) ? this.conditionText(a.when.test) : undefined;
      doc += when ? ` · conditional (optional in the type): required${type === '2C' ? ', may be empty,' : ''} if ${when}${a.when?.otherwise === 'shall-not-be-present' ? '; absent otherwise' : a.when?.otherwise === 'may-be-present' ? '; may be present otherwise' : ''}` : ' · conditional: optional in the type';
    }
    const meanings = meaningsDoc(a);
    if (meanings) doc += ` · ${meanings}`;
    if (note) doc += ` · ${note}`;
    if (a.keywordDerived) doc += ' (keyword derived from the name: not in the data dictionary)';
    return docText(doc);
  }

  /** A parsed condition (the IR's `when`, facts only) as hover text: `ImageType[3] is ORIGINAL and PixelPaddingValue is present`. */
  private conditionText(c: Condition): string {
    if ('of' in c) return c.of.map((x) => ('of' in x ? `(${this.conditionText(x)})` : this.conditionText(x))).join(` ${c.op} `);
    if (c.op === 'not-parsed') return '?';
    if (c.op === 'module-present') return `the ${c.module} module is present`;
    if (c.op === 'module-absent') return `the ${c.module} module is absent`;
    if (c.op === 'depends-on') return `${c.fact} (a fact outside the dataset)`;
    const inside = c.in?.length ? ` in ${c.in.map((s) => s.keyword || tagText(s.tag)).join(' > ')}` : '';
    const what = `${c.keyword || tagText(c.tag)}${c.valueNumber ? `[${c.valueNumber}]` : ''}${inside}`;
    switch (c.op) {
      case 'present':
        return `${what} is present`;
      case 'absent':
        return `${what} is absent`;
      case 'has-value':
        return `${what} has a value`;
      case 'equals':
        return `${what} is ${c.values.length === 1 ? c.values[0] : `one of ${c.values.join(', ')}`}`;
      case 'not-equals':
        return `${what} is not ${c.values.join(' nor ')}`;
      case 'greater-than':
        return `${what} > ${c.value}`;
      case 'less-than':
        return `${what} < ${c.value}`;
      case 'contains-code':
        return `${what} has an item coded ${c.codes.map((x) => `(${x.value}, ${x.scheme})`).join(' or ')}`;
    }
  }

  private prop(a: ResolvedAttribute, type: AttributeType, where: Where, item?: string, note?: string): PropModel {
    const itemType = a.vr.includes('SQ') ? (item ?? this.itemType(a)) : undefined;
    const p = naturalProp(a, type, itemType);
    return { key: this.key(a), optional: p.optional, type: p.type, doc: this.doc(a, type, where, note) };
  }

  /** The item type of a sequence: an interned interface, an SR content item union, or a plain record when the table lists no item. */
  private itemType(a: ResolvedAttribute): string {
    const attrs = a.items ?? [];
    if (attrs.length === 0) return 'Record<string, unknown>';
    if (isContentItemLevel(attrs)) return this.contentItemUnion(a, attrs);
    return this.intern(a.keyword.replace(/Sequence$/, '') || 'Sequence', attrs.map((x) => this.prop(x, x.type, 'item')), `Item of ${a.name} ${tagText(a.tag)}.`);
  }

  /** One interface per distinct item shape (props with their docs); the first sequence to use it names it. */
  private intern(base: string, props: PropModel[], doc: string): string {
    const sigs = props.map(propSignature);
    const sig = sigs.join('\n');
    const hit = this.bySignature.get(sig);
    if (hit) return hit;
    const name = this.freshName(`${base}Item`);
    this.bySignature.set(sig, name);
    this.shapes.set(name, sigs);
    this.items.push({ name, typeParams: '', extends: '', doc: [docText(doc)], props: [...props, VR_MAP] });
    return name;
  }

  /**
   * Once every item is interned: an item that holds every attribute of a smaller item, declared the
   * same, extends the largest such item instead of repeating them (the Code Sequence Macro's
   * attributes in ~25 items). Fewer property signatures for tsc to check; the same members and hovers.
   */
  inheritItems(models: InterfaceModel[]): InterfaceModel[] {
    const shapes = [...this.shapes].filter(([, sigs]) => sigs.length >= MIN_INHERITED);
    return models.map((m) => {
      const sigs = this.shapes.get(m.name);
      if (!sigs || m.extends) return m;
      const own = new Set(sigs);
      let parent: [string, string[]] | undefined;
      for (const s of shapes) if (s[1].length < sigs.length && s[1].length > (parent?.[1].length ?? 0) && s[1].every((x) => own.has(x))) parent = s;
      if (!parent) return m;
      const inherited = new Set(parent[1]);
      return { ...m, extends: parent[0], props: m.props.filter((p) => p !== VR_MAP && !inherited.has(propSignature(p))) };
    });
  }

  /**
   * An SR content item (PS3.3 C.17.3): the attributes every item has, and one variant per Value
   * Type with the attributes of its macro. The item's own Content Sequence holds content items
   * again, so the union refers to itself.
   */
  private contentItemUnion(seq: ResolvedAttribute, attrs: ResolvedAttribute[]): string {
    const recursive = seq.tag === CONTENT_SEQUENCE_TAG;
    const common = attrs.filter((a) => a.tag !== VALUE_TYPE_TAG && valueTypesOfTag(a.tag).length === 0);
    const own = common.find((a) => a.tag === CONTENT_SEQUENCE_TAG);
    const commonProps = common.filter((a) => !(recursive && a === own)).map((a) => this.prop(a, a.type, 'item'));
    if (recursive) commonProps.push(this.prop(own ?? { ...seq, type: '1C', items: [] }, own?.type ?? '1C', 'item', SELF));
    const variantProps = valueTypesOf(attrs).map((vt) => ({ vt, props: this.variantProps(attrs, vt, 'item') }));
    // Interned like sequence items: the same content item shape (Content Item Modifier Sequence in many modules) is one union.
    const sig = `content item\n${JSON.stringify([commonProps, variantProps])}`;
    const hit = this.bySignature.get(sig);
    if (hit) return hit;
    const stem = seq.keyword.replace(/Sequence$/, '');
    const name = this.freshName(recursive ? 'ContentItem' : stem.endsWith('ContentItem') ? stem : `${stem}ContentItem`);
    this.bySignature.set(sig, name);
    const self = (p: PropModel): PropModel => ({ ...p, type: p.type.split(SELF).join(name) });
    const base = this.freshName(`${name}Base`);
    this.items.push({ name: base, typeParams: '', extends: '', doc: [docText(`Attributes of every ${seq.name} item, whatever its Value Type.`)], props: [...commonProps.map(self), VR_MAP] });
    const variants: string[] = [];
    for (const { vt, props } of variantProps) {
      const v = this.freshName(`${name}${pascalCaseName(vt.toLowerCase())}`);
      this.items.push({ name: v, typeParams: '', extends: base, doc: [docText(`${seq.name} item of Value Type ${vt}.`)], props });
      variants.push(v);
    }
    this.items.push({ name, typeParams: '', extends: '', doc: [docText(`Item of ${seq.name} ${tagText(seq.tag)}: a content item, discriminated by Value Type (PS3.3 C.17.3).`)], props: [], union: variants });
    return name;
  }

  /** `ValueType` as the literal `vt`, and the attributes of vt's macro (value attributes Type 1). */
  private variantProps(attrs: ResolvedAttribute[], vt: string, where: Where): PropModel[] {
    const entry = SR_VALUE_TYPES.find((v) => v.valueType === vt)!;
    const props: PropModel[] = [];
    const valueTypeAttr = attrs.find((a) => a.tag === VALUE_TYPE_TAG)!;
    props.push(this.prop({ ...valueTypeAttr, enumeratedValues: [vt] }, '1', where, undefined, `${entry.macro} (PS3.3 Table ${entry.table}) applies`));
    for (const a of attrs) {
      const fact = entry.attributes.find((x) => x.tag === a.tag);
      if (!fact) continue;
      const type: AttributeType = fact.required && (a.type === '1C' || a.type === '3') ? '1' : a.type;
      props.push(this.prop(a, type, where));
    }
    return props;
  }

  /** Interfaces of one module or functional group macro: its top-level attributes, includes expanded. */
  defInterfaces(def: ModuleDef): InterfaceModel[] {
    const attrs = this.resolver.flatten(def);
    const generic = this.isGeneric(def);
    const kind = def.kind === 'module' ? 'Module' : 'Macro';
    const doc = [docText(`${def.name} ${kind}${def.table ? ` (PS3.3 Table ${def.table})` : ''}.`)];
    let props: PropModel[];
    if (isContentItemLevel(attrs)) {
      // The root content item of an SR document (PS3.3 C.17.3).
      const root = attrs.filter((a) => a.tag !== VALUE_TYPE_TAG && valueTypesOfTag(a.tag).length === 0);
      props = [...root.map((a) => this.prop(a, a.type, 'top')), ...this.variantProps(attrs, ROOT_VALUE_TYPE, 'top')];
      doc.push(docText(`The root content item: Value Type ${ROOT_VALUE_TYPE}; Content Sequence items are content items discriminated by Value Type.`));
    } else {
      props = attrs.map((a) => {
        const fg = generic ? FG_SEQUENCES[a.tag] : undefined;
        if (!fg) return this.prop(a, a.type, 'top');
        const own = a.items?.length ? this.itemType(a) : undefined;
        return this.prop(a, a.type, 'top', own ? `${own} & ${fg}` : fg);
      });
    }
    return [...this.items.splice(0), { name: this.typeName(def), typeParams: generic ? FG_PARAMS : '', extends: '', doc, props }];
  }

  /**
   * Items of the Shared and Per-frame Functional Groups Sequences of an enhanced IOD (PS3.3
   * C.7.6.16 and the IOD's functional group table). A macro of usage M that may only be used
   * per frame is required in every per-frame item; every other macro is optional in an item
   * (an M macro sits in the shared item or in every per-frame item, which a type cannot say);
   * a macro restricted to one sequence is absent from the other. Present macros keep their own
   * Types. Where a macro has no attribute table in the inputs, the item admits any attribute.
   */
  functionalGroupsInterfaces(iod: Iod): { shared: string; perFrame: string; models: InterfaceModel[] } | undefined {
    if (iod.functionalGroups.length === 0) return undefined;
    const missing = iod.functionalGroups.filter((g) => !this.resolver.def('macro', g.macro)?.rows).map((g) => g.macro);
    const build = (seq: 'shared' | 'per-frame'): InterfaceModel => {
      const refs = iod.functionalGroups.filter((g) => (g.placement ?? 'either') === 'either' || g.placement === seq);
      const bases = refs
        .map((g) => ({ g, def: this.resolver.def('macro', g.macro) }))
        .filter((x): x is { g: FunctionalGroupRef; def: ModuleDef } => x.def?.rows !== undefined)
        .map(({ g, def }) => {
          const required = seq === 'per-frame' && g.usage === 'M' && g.placement === 'per-frame';
          return { ref: this.typeName(def), usage: (required ? 'M' : 'U') as ModuleUsage, attrs: this.resolver.flatten(def), def: def.id };
        });
      const label = seq === 'shared' ? 'Shared' : 'PerFrame';
      const doc = [`${seq === 'shared' ? 'Item of the Shared' : 'Item of the Per-frame'} Functional Groups Sequence of the ${iod.name} IOD: its functional group macros (${refs.length}).`];
      if (missing.length > 0) doc.push(`No attribute table in the inputs for ${missing.join(', ')}: any other attribute is admitted.`);
      // The index signature of an item with a macro the inputs lack stays on the item's own block.
      const m = this.composeIod(`${iod.typeName}${label}FunctionalGroups${this.suffix()}`, '', doc, bases, missing.length === 0);
      if (missing.length > 0) m.index = '[keyword: string]: unknown';
      return m;
    };
    const shared = build('shared');
    const perFrame = sameShape(shared, build('per-frame'));
    return { shared: shared.name, perFrame: perFrame.name, models: [shared, perFrame] };
  }

  /** The IOD type: the intersection of its modules, of usage M as they are, U and C as `Partial`; overlaps declared once. */
  iodInterface(iod: Iod, sopClasses: string[], fg?: { shared: string; perFrame: string }): InterfaceModel {
    const bases = iod.modules
      .map((m) => ({ m, def: this.resolver.iodModule(m.module) }))
      .filter((x): x is { m: typeof x.m; def: ModuleDef } => x.def?.rows !== undefined)
      .map(({ m, def }) => ({
        ref: this.typeName(def) + (this.isGeneric(def) && fg ? `<${fg.shared}, ${fg.perFrame}>` : ''),
        usage: m.usage,
        attrs: this.resolver.flatten(def),
        def: def.id,
      }));
    const doc = [`${iod.name} IOD${iod.table ? ` (PS3.3 Table ${iod.table})` : ''}, in the shape dcmjs naturalizeDataset produces (\`Json<…>\` gives the DICOM JSON Model form).`];
    doc.push('Modules of usage M are included as they are; U and C modules as Partial: their Type 1 and 2 attributes are required only when the module is present, which a type cannot know.');
    if (sopClasses.length > 0) doc.push(`SOP classes: ${sopClasses.join(', ')}.`);
    doc.push(...coverageDoc(iodCoverage(iod, this.resolver), this.resolver.ir));
    return this.composeIod(`${iod.typeName}${this.suffix()}`, '', doc, bases);
  }

  /**
   * Bases with their top-level attributes, as an intersection. A key that more than one base
   * defines is left out of those bases (`Without<…>`) and declared here: the strictest effective
   * Type (a U/C base counts as optional), the Enumerated Values of every definition intersected.
   */
  private composeIod(name: string, typeParams: string, doc: string[], bases: { ref: string; usage: ModuleUsage; attrs: ResolvedAttribute[]; def: string }[], intern = true): InterfaceModel {
    const places = new Map<string, Place[]>();
    for (const b of bases) {
      for (const a of b.attrs) {
        const k = this.keyId(a);
        places.set(k, [...(places.get(k) ?? []), { a, type: effectiveType(a.type, b.usage), usage: b.usage, def: b.def }]);
      }
    }
    const omit = new Map<string, string[]>();
    const props: PropModel[] = [];
    for (const [k, l] of places) {
      if (new Set(l.map((p) => p.def)).size < 2) continue;
      for (const b of bases) if (l.some((p) => p.def === b.def)) omit.set(b.ref, [...(omit.get(b.ref) ?? []), k]);
      const win = [...l].sort((x, y) => TYPE_RANK[y.type] - TYPE_RANK[x.type])[0]!;
      const { enumeratedValues: _e, definedTerms: _d, ...rest } = win.a;
      const merged: ResolvedAttribute = { ...rest, ...mergedValues(l.map((p) => p.a)) };
      const note = `effective Type ${win.type} from ${win.def} (also in ${[...new Set(l.filter((p) => p !== win).map((p) => p.def))].join(', ')})`;
      props.push(this.prop(merged, win.type, 'item', undefined, note));
    }
    const ext = bases.map((b) => {
      const o = omit.get(b.ref);
      if (o && !b.ref.includes('<')) return this.withoutOf(b.ref, o, b.usage !== 'M');
      const inner = o ? `Without<${b.ref}, ${o.map((k) => tsString(k)).join(' | ')}>` : b.ref;
      if (b.usage === 'M') return inner;
      return o || b.ref.includes('<') ? `Partial<${inner}>` : this.partialOf(b.ref);
    });
    if (!intern) return { name, typeParams, extends: ext.join(' & '), doc: doc.map(docText), props: [...props, VR_MAP], intersection: true };
    return { name, typeParams, extends: [...ext, this.overlapsOf(name, props)].join(' & '), doc: doc.map(docText), props: [], intersection: true };
  }

  /**
   * `Without<X, keys>` (or `Partial<Without<X, keys>>` for usage U/C) declared once in modules.ts
   * and named: the IODs of a family leave the same attributes out of the same modules (892 uses,
   * about 200 distinct on the default), and a reference without type arguments is cheaper for tsc
   * to check than the mapped type instantiation and its key literals in every IOD.
   */
  private withoutOf(ref: string, keys: string[], partial: boolean): string {
    const sorted = [...keys].sort();
    const sig = `without\n${partial}\n${ref}\n${sorted.join('\n')}`;
    const hit = this.shared.get(sig);
    if (hit) return hit.name;
    const name = this.freshName(`${partial ? 'Partial' : ''}${ref}Without`);
    const inner = `Without<${ref}, ${sorted.map((k) => tsString(k)).join(' | ')}>`;
    const doc = `${ref}${partial ? ' as IODs include it with usage U or C (every attribute optional),' : ''} without ${sorted.join(', ')}: attributes another module of the IOD defines too, which the IOD declares once.`;
    this.shared.set(sig, { name, typeParams: '', extends: partial ? `Partial<${inner}>` : inner, doc: [docText(doc)], props: [], intersection: true });
    return name;
  }

  /**
   * The attributes several modules of an IOD define, declared once (strictest Type, Enumerated
   * Values intersected), as one interface in modules.ts shared by every IOD with the same overlaps
   * (the IODs of a family): named after the first IOD (or functional groups item) that has them.
   */
  private overlapsOf(owner: string, props: PropModel[]): string {
    const sig = `overlaps\n${JSON.stringify(props)}`;
    const hit = this.shared.get(sig);
    if (hit) return hit.name;
    const empty = props.length === 0;
    const name = this.freshName(empty ? 'NaturalizedDataset' : `${owner}Overlaps`);
    const doc = empty
      ? 'What an IOD whose modules define no attribute twice adds to them: the `_vrMap` of dcmjs naturalizeDataset.'
      : `Attributes more than one module of ${owner} defines, declared once: the strictest Type, the Enumerated Values of every definition intersected (each attribute says which module won). Every IOD (or functional groups item) with the same overlaps shares this interface; one with more overlaps extends it.`;
    this.shared.set(sig, { name, typeParams: '', extends: '', doc: [docText(doc)], props: [...props, VR_MAP] });
    // Like items, an overlap interface holding every attribute of a smaller one extends it (`inheritItems`).
    this.shapes.set(name, props.map(propSignature));
    return name;
  }

  /** The named `Without<…>` aliases and overlap interfaces the IODs composed so far use, for modules.ts. */
  takeShared(): InterfaceModel[] {
    const list = [...this.shared.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.shared.clear();
    return list;
  }

  /**
   * `Partial<X>` declared once in modules.ts for a module or macro that IODs include with usage U or
   * C: an IOD refers to it by name, a reference without type arguments, cheaper for tsc to check
   * than ~12 `Partial<…>` per IOD (and a hover of its attributes still shows the module's docs).
   */
  private partialOf(ref: string): string {
    let n = this.partials.get(ref);
    if (!n) {
      n = this.freshName(`Partial${ref}`);
      this.partials.set(ref, n);
    }
    return n;
  }

  /** The `Partial<…>` aliases the IODs composed so far use, for modules.ts. */
  takePartials(): InterfaceModel[] {
    const list = [...this.partials].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return list.map(([ref, name]) => ({ name, typeParams: '', extends: `Partial<${ref}>`, doc: [docText(`${ref} as IODs include it with usage U or C: every attribute optional (its Type 1 and 2 attributes are required only when the module is present, which a type cannot know).`)], props: [], intersection: true }));
  }

  /** Items interned while building IOD-level declarations (normally none: modules intern them first). */
  takeItems(): InterfaceModel[] {
    return this.items.splice(0);
  }
}

/**
 * Hover text of the value meanings the standard lists (`Enumerated Values: M = male; F = female`):
 * only for values the type admits where it enumerates them. Backticks would open code spans in a
 * hover's Markdown: they become ˋ (the rest is escaped by `docText`).
 */
export function meaningsDoc(a: Pick<ResolvedAttribute, 'enumeratedValues' | 'definedTerms' | 'valueMeanings'>): string {
  const allowed = a.enumeratedValues?.length ? new Set(a.enumeratedValues) : undefined;
  const shown = (a.valueMeanings ?? []).filter((m) => !allowed || allowed.has(m.value));
  const part = (list: 'enumerated' | 'defined', title: string) => {
    const l = shown.filter((m) => m.list === list);
    return l.length === 0 ? [] : [`${title}: ${l.map((m) => `${m.value} = ${m.meaning}`.replace(/`/g, '\u02CB')).join('; ')}`];
  };
  return [...part('enumerated', 'Enumerated Values'), ...part('defined', 'Defined Terms')].join(' · ');
}

/** A level (module top level or sequence item) that is an SR content item: Value Type is Type 1 and a value-type macro's attribute is there. */
function isContentItemLevel(attrs: ResolvedAttribute[]): boolean {
  const vt = attrs.find((a) => a.tag === VALUE_TYPE_TAG);
  return vt !== undefined && vt.type === '1' && attrs.some((a) => valueTypesOfTag(a.tag).length > 0);
}

/** The Value Types of a content item level: its Enumerated Values where the table lists them, else those whose required attributes it has. */
function valueTypesOf(attrs: ResolvedAttribute[]): string[] {
  const known = SR_VALUE_TYPES.map((v) => v.valueType);
  const listed = attrs.find((a) => a.tag === VALUE_TYPE_TAG)?.enumeratedValues;
  if (listed?.length) return listed.filter((v) => known.includes(v));
  const tags = new Set(attrs.map((a) => a.tag));
  return SR_VALUE_TYPES.filter((v) => v.attributes.some((a) => a.required && tags.has(a.tag))).map((v) => v.valueType);
}
