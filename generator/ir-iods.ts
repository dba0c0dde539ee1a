/**
 * IR for PS3.3 IODs, modules and macros and PS3.4 SOP class → IOD mapping.
 * Relational like innolitics' JSON (IOD → module refs, module → attribute rows), so shared
 * modules and macros exist once and are composed by reference.
 */
import type { Prov } from './ir.ts';

export type ModuleUsage = 'M' | 'U' | 'C';
export type AttributeType = '1' | '1C' | '2' | '2C' | '3';

export interface IodModuleRef {
  /** Information Entity (`Patient`, `Study`, `Series`, `Image`, …). */
  ie: string;
  /** Module id (`patient`, `general-image`) — key into `IodSection.modules`. */
  module: string;
  usage: ModuleUsage;
  /** Condition text for usage `C`; omitted in the committed snapshot (prose of the standard). */
  condition?: string;
  prov: Prov;
}

export interface FunctionalGroupRef {
  macro: string;
  usage: ModuleUsage;
  condition?: string;
  /** `shared`, `per-frame` or `either` where the source says; absent otherwise. */
  prov: Prov;
}

export interface Iod {
  /** Stable id (`ct-image`), derived from the IOD name like innolitics does. */
  id: string;
  name: string;
  /** TypeScript interface name (`CTImage`). */
  typeName: string;
  /** PS3.3 table label (`A.3-1`) when known. */
  table?: string;
  modules: IodModuleRef[];
  functionalGroups: FunctionalGroupRef[];
  /** True when one or more modules have no attribute table in the inputs. */
  incomplete: boolean;
  prov: Prov;
}

/** One row of a module or macro attribute table. */
export type ModuleRow = AttributeRow | IncludeRow;

export interface AttributeRow {
  kind: 'attribute';
  /** Nesting depth from the leading `>` characters (0 = top level). */
  depth: number;
  tag: string;
  keyword: string;
  name: string;
  type: AttributeType;
  /** Condition text for 1C/2C (omitted in the committed snapshot). */
  condition?: string;
  enumeratedValues?: string[];
  definedTerms?: string[];
  prov: Prov;
}

export interface IncludeRow {
  kind: 'include';
  depth: number;
  /** Target macro/module id. */
  target: string;
  /** The table the include pointed at (`table_10-11`), for unresolved references. */
  targetTable: string;
  /** `Defined CID`/`Baseline CID` note on the include. */
  cid?: { kind: 'defined' | 'baseline'; cid: number };
  prov: Prov;
}

export interface ModuleDef {
  id: string;
  name: string;
  kind: 'module' | 'macro';
  /** PS3.3 table label (`C.7-1`). */
  table?: string;
  /** Absent when no attribute table was available (innolitics gives only the module list). */
  rows?: ModuleRow[];
  prov: Prov;
}

export interface SopClassIod {
  uid: string;
  sopClass: string;
  iod: string;
  prov: Prov;
}

export interface IodSection {
  iods: Iod[];
  modules: ModuleDef[];
  sopClasses: SopClassIod[];
}
