/**
 * Findings of `dicom-dictgen lint`: one DICOM fact in a document (conformance statement, handbook)
 * that disagrees with the dictionary, or text damage that hides one. Plain data (docs/lint.md).
 */
export type LintSeverity = 'error' | 'warning' | 'note';

/** Rule ids, with their severity and a one-line description (SARIF `rules`, docs/lint.md). */
export const LINT_RULES = {
  'tag-unknown': { severity: 'error', text: 'a tag the data dictionary does not define' },
  'tag-damaged': { severity: 'error', text: 'a tag with letters read for digits (O, I, l) or a malformed group or element' },
  'tag-name-mismatch': { severity: 'error', text: 'the name next to a tag is another attribute\'s or unrelated to it' },
  'name-misspelled': { severity: 'warning', text: 'the name next to a tag is a near miss of the dictionary name (typo, word order)' },
  'vr-mismatch': { severity: 'error', text: 'a VR (code or spelled out) the dictionary does not give the attribute' },
  'vm-mismatch': { severity: 'error', text: 'a VM the dictionary does not give the attribute' },
  'attribute-retired': { severity: 'warning', text: 'a retired attribute' },
  'type-mismatch': { severity: 'warning', text: 'an attribute Type that differs from the module\'s table in PS3.3' },
  'usage-mismatch': { severity: 'warning', text: 'a module usage (M/C/U) that differs from the IOD\'s table in PS3.3' },
  'uid-unknown': { severity: 'error', text: 'a UID under the DICOM root (1.2.840.10008) that the registry does not define' },
  'uid-damaged': { severity: 'error', text: 'a UID with spaces, hyphens or letters inside it' },
  'uid-retired': { severity: 'warning', text: 'a retired UID' },
  'uid-wrong-role': { severity: 'error', text: 'a UID in a column for another kind (a transfer syntax listed as a SOP class, or the reverse)' },
  'uid-name-mismatch': { severity: 'warning', text: 'the name next to a transfer syntax UID is another one\'s' },
  'lookalike-character': { severity: 'warning', text: 'Cyrillic or Greek look-alike letters inside a VR, Type, usage code, tag or UID' },
} as const satisfies Record<string, { severity: LintSeverity; text: string }>;

export type LintRule = keyof typeof LINT_RULES;

export interface LintFinding {
  file: string;
  /** 1-based line and column of the fact in the document. */
  line: number;
  column: number;
  severity: LintSeverity;
  rule: LintRule;
  message: string;
  /** The text the finding is about, as written. */
  text: string;
  /** The most likely intended value, only when one candidate clearly wins. */
  suggestion?: string;
}
