/**
 * IR for private data element dictionaries (PS3.5 §7.8.1 private data elements).
 *
 * A private element is identified by (private creator string, odd group, element offset `xx`):
 * the creator reserves a block `bb` of its group by writing its string into the reservation
 * element (gggg,00bb), bb = 10–FF, and the element then lives at (gggg,bbxx) for whatever block the
 * file happened to reserve. Offsets are therefore stored block-relative; `block` is set only when a
 * source pins the element to one block (DCMTK's `eeee` form, fo-dicom's `1010` element form).
 */
import type { FieldProv, Prov } from './ir.ts';

export interface PrivateElement {
  /** Private creator string exactly as registered (trailing spaces trimmed, nothing else touched). */
  creator: string;
  /** Odd group as 4 hex digits upper case (first group of a range when `groupLast` is set). */
  group: string;
  /** DCMTK `gggg-o-gggg`: the entry applies to every odd group from `group` to `groupLast`. */
  groupLast?: string;
  /** Element offset within the block, 2 hex digits upper case (`00`–`FF`; `10`–`FF` expected). */
  offset: string;
  /** Element range (DCMTK `ee-ee`): the entry applies to every offset from `offset` to `offsetLast`. */
  offsetLast?: string;
  /** Block `bb` (2 hex digits) when the source pins the element to (gggg,bbxx) for one block only. */
  block?: string;
  /** Keyword-style name (`DataDictionaryVersion`); derived from `name` when `keywordDerived`. */
  keyword: string;
  keywordDerived?: boolean;
  /** Human-readable name (`Data Dictionary Version`); `Unknown` or empty when the source has none. */
  name: string;
  nameDerived?: boolean;
  /** VRs; empty when the source does not say. */
  vr: string[];
  /** VM as written (`1`, `1-n`); empty when the source does not say (conformance statements). */
  vm: string;
  retired: boolean;
  prov: Prov;
  fieldProv?: FieldProv;
  /** Raw text of the source line or row (conformance statements, DCMTK). */
  raw?: string;
  /** Conformance statements: the row's other cells (after VM), keyed by their column header. Never emitted. */
  columns?: Record<string, string>;
}

/**
 * A private creator reservation a document declares (`Private Creator Data Element 01F7,00xx LO
 * ELSCINT1`): which groups the creator reserves blocks in. Kept for review and for `privateCreators()`.
 */
export interface PrivateCreatorDeclaration {
  creator: string;
  group: string;
  /** Block (2 hex digits) when the source names the reservation element (gggg,00bb); absent for `00xx`. */
  block?: string;
  prov: Prov;
  raw?: string;
}

export interface PrivateSection {
  elements: PrivateElement[];
  /** Reservations declared explicitly by the sources (conformance statements, native JSON). */
  declarations?: PrivateCreatorDeclaration[];
}

/** The merge key: (creator, group or group range, offset or offset range, pinned block). */
export function privateKey(e: Pick<PrivateElement, 'creator' | 'group' | 'groupLast' | 'offset' | 'offsetLast' | 'block'>): string {
  const g = e.groupLast ? `${e.group}-${e.groupLast}` : e.group;
  const o = e.offsetLast ? `${e.offset}-${e.offsetLast}` : e.offset;
  return `${e.creator}|${g}|${e.block ? `${e.block}${o}` : `xx${o}`}`;
}

/** Creator strings compare exactly as PS3.5 requires, except for the trailing space padding of LO. */
export function normalizeCreator(creator: string): string {
  return creator.replace(/[ \u0000]+$/, '');
}
