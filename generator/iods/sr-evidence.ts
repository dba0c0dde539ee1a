/**
 * SR evidence (facts of PS3.3): every composite instance an SR or Key Object Selection content
 * tree references must be listed in the document's evidence sequences. SR Document General
 * (Table C.17-2, Section C.17.2.3) has two, Current Requested Procedure Evidence and Pertinent
 * Other Evidence; the Key Object Document module (Table C.17.6-2) has only the first. Which of
 * them an IOD has is read from its module tables (`evidenceRule`), never assumed.
 *
 * Plain data in, plain data out: the run-time engine (generator/runtime/validate-engine.ts
 * `checkEvidence`) walks the content tree with the rule built here.
 */
import { CONTENT_SEQUENCE_TAG, valueTypesOfTag } from './sr-value-types.ts';

/** A sequence by tag (8 hex digits, upper case) and keyword. */
export interface EvidenceSequence {
  t: string;
  k: string;
}

/** The evidence rule of one IOD, as the engine reads it (`IodRules.evidence`). */
export interface EvidenceRuleData {
  /** The module whose table lists the evidence sequences, its PS3.3 table and edition. */
  module: string;
  table: string;
  edition: string;
  /** The evidence sequences the IOD's modules define (Hierarchical SOP Instance Reference Macro items, Table C.17-3). */
  sequences: EvidenceSequence[];
  /** Value Types whose content items reference a composite instance by Referenced SOP Sequence (C.18.3-1, C.18.4-1, C.18.5-1). */
  valueTypes: string[];
  /** Sequences inside a Referenced SOP Sequence item naming accompanying instances (Table C.18.4-1). */
  accompanying: EvidenceSequence[];
}

/** Current Requested Procedure Evidence Sequence and Pertinent Other Evidence Sequence (Tables C.17-2, C.17.6-2). */
export const EVIDENCE_SEQUENCES: readonly EvidenceSequence[] = [
  { t: '0040A375', k: 'CurrentRequestedProcedureEvidenceSequence' },
  { t: '0040A385', k: 'PertinentOtherEvidenceSequence' },
];

/** Referenced SOP Sequence (0008,1199): a content item's reference (C.18.3-1, C.18.4-1, C.18.5-1). */
export const REFERENCED_SOP_SEQUENCE_TAG = '00081199';

/**
 * Image Reference Macro (Table C.18.4-1): inside the Referenced SOP Sequence item, a presentation
 * state (Referenced SOP Sequence again) and real world value maps. C.17.2.3 counts them as
 * referenced from the content item.
 */
export const ACCOMPANYING_REFERENCES: readonly EvidenceSequence[] = [
  { t: '00081199', k: 'ReferencedSOPSequence' },
  { t: '0008114B', k: 'ReferencedRealWorldValueMappingInstanceSequence' },
];

/** A module as the rule builder sees it: id, table, edition and its top-level tags with includes expanded. */
export interface EvidenceModule {
  id: string;
  table: string;
  edition: string;
  usage: 'M' | 'U' | 'C';
  topTags: Set<string>;
}

/**
 * The evidence rule of an IOD: only when a mandatory module lists an evidence sequence and a
 * module holds the content tree (Content Sequence, Table C.17-6). Undefined otherwise.
 */
export function evidenceRule(modules: EvidenceModule[]): EvidenceRuleData | undefined {
  const holder = modules.find((m) => m.usage === 'M' && EVIDENCE_SEQUENCES.some((s) => m.topTags.has(s.t)));
  if (!holder || !modules.some((m) => m.topTags.has(CONTENT_SEQUENCE_TAG))) return undefined;
  return {
    module: holder.id,
    table: holder.table,
    edition: holder.edition,
    sequences: EVIDENCE_SEQUENCES.filter((s) => holder.topTags.has(s.t)).map((s) => ({ ...s })),
    valueTypes: valueTypesOfTag(REFERENCED_SOP_SEQUENCE_TAG),
    accompanying: ACCOMPANYING_REFERENCES.map((s) => ({ ...s })),
  };
}
