/** IR for private data element dictionaries (PS3.5 §7.8 private data elements). */
import type { FieldProv, Prov } from './ir.ts';

export interface PrivateElement {
  /** Private creator string exactly as registered (trailing spaces trimmed). */
  creator: string;
  /** Odd group as 4 hex digits upper case; `x` nibbles for group ranges (`60xx`) are not allowed here. */
  group: string;
  /** Element offset within the block, `10`–`FF` as 2 hex digits upper case. */
  offset: string;
  keyword: string;
  name: string;
  vr: string[];
  vm: string;
  retired: boolean;
  prov: Prov;
  fieldProv?: FieldProv;
  /** Raw text of the source line or row (conformance statements, DCMTK). */
  raw?: string;
}

export interface PrivateSection {
  elements: PrivateElement[];
}
