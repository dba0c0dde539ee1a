/**
 * IR for PS3.3 IODs, modules and macros and PS3.4 SOP class → IOD mapping.
 * Relational like innolitics' JSON (IOD → module refs, module → attribute rows), so shared
 * modules and macros exist once and are composed by reference.
 *
 * Prose of the standard: the `condition` fields below are condition texts (prose). They are kept
 * while generating from sources (doc comments cite them) and stripped by `irWithoutProse` before
 * an IR snapshot is committed.
 */
import type { FieldProv, Prov } from './ir.ts';
import type { ConditionRule } from './ir-conditions.ts';

export type ModuleUsage = 'M' | 'U' | 'C';
export type AttributeType = '1' | '1C' | '2' | '2C' | '3';
export type ModuleKind = 'module' | 'macro';

export interface IodModuleRef {
  /** Information Entity (`Patient`, `Study`, `Series`, `Image`, …). */
  ie: string;
  /** Module id (`patient`, `general-image`) — key (with kind `module`) into `IodSection.modules`. */
  module: string;
  usage: ModuleUsage;
  /** PROSE. Condition text for usage `C`; stripped by `irWithoutProse`. */
  condition?: string;
  /** The condition parsed (generator/conditions/): a fact, kept in snapshots. */
  when?: ConditionRule;
  prov: Prov;
}

export interface FunctionalGroupRef {
  /** Macro id (`pixel-measures`) — key (with kind `macro`) into `IodSection.modules`. */
  macro: string;
  usage: ModuleUsage;
  /** PROSE. Condition text for usage `C`; stripped by `irWithoutProse`. */
  condition?: string;
  /** The condition parsed (generator/conditions/): a fact, kept in snapshots. */
  when?: ConditionRule;
  /** `shared`, `per-frame` or `either` where the source says (`M - May not be used as a Shared Functional Group`); absent otherwise. */
  placement?: 'shared' | 'per-frame' | 'either';
  prov: Prov;
}

export interface Iod {
  /** Stable id (`ct-image`), derived from the IOD name like innolitics does (see `dicomId`). */
  id: string;
  name: string;
  /** TypeScript interface name (`CTImage`). */
  typeName: string;
  /** PS3.3 table label (`A.3-1`) when known. */
  table?: string;
  /** PS3.3 section label of the IOD (`A.3`) when known: PS3.4 Table B.5-1 links IODs by section. */
  section?: string;
  modules: IodModuleRef[];
  functionalGroups: FunctionalGroupRef[];
  /** True when one or more modules have no attribute table in the inputs. */
  incomplete: boolean;
  /** After a layered merge: the modules and functional group macros without a table (`module:general-acquisition`, `macro:pixel-measures`). */
  withoutTable?: string[];
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

/** One row of a module or macro attribute table. */
export type ModuleRow = AttributeRow | IncludeRow;

export interface AttributeRow {
  kind: 'attribute';
  /** Nesting depth from the leading `>` characters (0 = top level). */
  depth: number;
  /** 8 hex digits, upper case, `x` for masked nibbles (`60xx3000`), as in `DataElement.tag`. */
  tag: string;
  /** Keyword from the data dictionary (`ir.dataElements`) by tag; empty when the scraper had none (filled by resolve). */
  keyword: string;
  name: string;
  type: AttributeType;
  /** PROSE. Condition text for 1C/2C; stripped by `irWithoutProse`. */
  condition?: string;
  /** The condition parsed (generator/conditions/): a fact, kept in snapshots. */
  when?: ConditionRule;
  /** Enumerated Values that apply to every value of the attribute. */
  enumeratedValues?: string[];
  /** Defined Terms that apply to every value of the attribute. */
  definedTerms?: string[];
  /** Section label the values were read from when the description referenced one (`C.7.6.1.1.2`). */
  valuesFrom?: string;
  /** Short meanings of listed values (`M` → `male`), facts kept in snapshots; from the row's source (`prov`, `valuesFrom`). */
  valueMeanings?: ValueMeaning[];
  prov: Prov;
}

/**
 * A value PS3.3 lists for an attribute with its meaning, where the meaning is a short label (like
 * a Code Meaning); longer explanations are prose and are not kept (sources/common/value-meanings.ts).
 */
export interface ValueMeaning {
  value: string;
  meaning: string;
  /** The list the value is in: Enumerated Values or Defined Terms. */
  list: 'enumerated' | 'defined';
}

export interface IncludeRow {
  kind: 'include';
  depth: number;
  /** Target macro/module id; empty when the target table is not in the inputs (unresolved). */
  target: string;
  targetKind?: ModuleKind;
  /** The table the include pointed at (`table_10-11`), for unresolved references; empty for `functionalGroups` rows. */
  targetTable: string;
  /**
   * `>Include one or more Functional Group Macros` (PS3.3 C.7.6.16): the IOD's own functional group
   * macro table decides what the item holds. `shared` or `per-frame` names the sequence.
   */
  functionalGroups?: 'shared' | 'per-frame';
  /** `Defined CID`/`Baseline CID` notes on the include, in row order. */
  cids?: { kind: 'defined' | 'baseline'; cid: number }[];
  prov: Prov;
}

export interface ModuleDef {
  id: string;
  name: string;
  kind: ModuleKind;
  /** PS3.3 table label (`C.7-1`). */
  table?: string;
  /** PS3.3 section label (`C.7.1.1`) the table sits in. */
  section?: string;
  /** Absent when no attribute table was available (innolitics gives only the module list). */
  rows?: ModuleRow[];
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

export interface SopClassIod {
  uid: string;
  sopClass: string;
  /** IOD id (`ct-image`); empty when only the PS3.3 section is known (resolved by `iodSection`). */
  iod: string;
  /** PS3.3 section of the IOD specification as PS3.4 links it (`A.3`). */
  iodSection?: string;
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

export interface IodSection {
  iods: Iod[];
  modules: ModuleDef[];
  sopClasses: SopClassIod[];
}

/** Key of a module or macro in lookups: modules and macros are separate namespaces (`module:cardiac-synchronization`). */
export function moduleKey(kind: ModuleKind, id: string): string {
  return `${kind}:${id}`;
}

/**
 * The id convention innolitics uses for IODs, modules and macros: lower case, every run of
 * characters other than letters and digits becomes one `-` (`Plane Position (Patient)` →
 * `plane-position-patient`, `XA/XRF Acquisition` → `xa-xrf-acquisition`).
 */
export function dicomId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Fill `SopClassIod.iod` from `iodSection` where an IOD of the section has that PS3.3 section (`A.3` → `ct-image`). */
export function linkSopClasses(section: IodSection): void {
  const bySection = new Map(section.iods.filter((i) => i.section).map((i) => [i.section!, i.id]));
  for (const s of section.sopClasses) {
    if (!s.iod && s.iodSection && bySection.has(s.iodSection)) s.iod = bySection.get(s.iodSection)!;
  }
}

/** A copy of the section without prose (condition texts): what a committed IR snapshot may contain. */
export function iodSectionWithoutProse(s: IodSection): IodSection {
  return {
    iods: s.iods.map((iod) => ({
      ...iod,
      modules: iod.modules.map(({ condition: _c, ...m }) => m),
      functionalGroups: iod.functionalGroups.map(({ condition: _c, ...g }) => g),
    })),
    modules: s.modules.map((m) =>
      m.rows === undefined
        ? m
        : { ...m, rows: m.rows.map((r) => (r.kind === 'attribute' ? (({ condition: _c, ...rest }) => rest)(r) : r)) },
    ),
    sopClasses: s.sopClasses,
  };
}

/** The IR with every prose field of the IOD section removed (see the file comment); other sections untouched. */
export function irWithoutProse<T extends { iods?: IodSection }>(ir: T): T {
  return ir.iods === undefined ? ir : { ...ir, iods: iodSectionWithoutProse(ir.iods) };
}
