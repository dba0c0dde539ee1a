/** IR for PS3.16 context groups, coding schemes (Table 8-1) and DICOM controlled terminology (Annex D). */
import type { Prov } from './ir.ts';

export interface CodedConcept {
  codingSchemeDesignator: string;
  /** Exactly one of the three code value forms is set, as in a DICOM code sequence item. */
  codeValue?: string;
  longCodeValue?: string;
  urnCodeValue?: string;
  codeMeaning: string;
  codingSchemeVersion?: string;
}

export interface ContextGroupCode extends CodedConcept {
  /** Extra columns (SNOMED-RT ID, UMLS CUI, …) keyed by normalized header. */
  extra?: Record<string, string>;
  /** CID the code was included from; absent for direct codes. */
  includedFrom?: number;
  /** Stable TS identifier for the constant. */
  identifier: string;
  /** Earlier identifiers kept as deprecated aliases. */
  aliases?: string[];
  prov: Prov;
}

export interface ContextGroup {
  cid: number;
  keyword: string;
  fhirKeyword?: string;
  name: string;
  version?: string;
  extensible: boolean;
  retired: boolean;
  uid?: string;
  /** CIDs included directly, in table order. */
  includes: number[];
  /** Direct codes followed by transitively included codes (deduplicated by designator + value). */
  codes: ContextGroupCode[];
  prov: Prov;
}

export interface CodingScheme {
  designator: string;
  name: string;
  uid?: string;
  organization?: string;
  version?: string;
  prov: Prov;
}

export interface DcmCode {
  codeValue: string;
  codeMeaning: string;
  identifier: string;
  prov: Prov;
}

export interface ContextGroupSection {
  groups: ContextGroup[];
  codingSchemes: CodingScheme[];
  dcmCodes: DcmCode[];
}
