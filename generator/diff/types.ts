/**
 * The release diff's data model: what changed between two IRs, and what each change means for the
 * semantic version of the generated package (rules in generator/diff/semver.ts, docs/diff.md).
 * Plain JSON data, deterministic (no timestamps, no absolute paths), so a diff can be snapshotted.
 */
import type { Prov, SourceRecord } from '../ir.ts';

/** Families the diff compares; also the values `--only` accepts. */
export const CATEGORIES = [
  'elements',
  'uids',
  'vrs',
  'transfer-syntaxes',
  'iods',
  'context-groups',
  'private',
  'deidentification',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_TITLES: Record<Category, string> = {
  elements: 'Data elements',
  uids: 'UIDs',
  vrs: 'Value representations',
  'transfer-syntaxes': 'Transfer syntaxes',
  iods: 'IODs and modules',
  'context-groups': 'Context groups',
  private: 'Private dictionaries',
  deidentification: 'De-identification (PS3.15 E.1-1)',
};

/** Semver impact of one change on the generated package's public API; `none` = no change at all. */
export type Impact = 'major' | 'minor' | 'patch';
export type SemverBump = Impact | 'none';

/**
 * Every kind of change, as one flat list so Markdown sections and JSON consumers see one vocabulary.
 * Order here is the order of sections in the Markdown output.
 */
export const CHANGE_KINDS = [
  // entries of any keyed family
  'added',
  'removed',
  'retired',
  'unretired',
  'keyword-changed',
  'name-changed',
  'mask-changed',
  'vr-changed',
  'vm-changed',
  'type-changed',
  'property-changed',
  // IODs
  'iod-added',
  'iod-removed',
  'iod-renamed',
  'iod-module-added',
  'iod-module-removed',
  'iod-module-usage-changed',
  'iod-module-ie-changed',
  'iod-module-condition-changed',
  'iod-functional-group-added',
  'iod-functional-group-removed',
  'iod-functional-group-usage-changed',
  'module-added',
  'module-removed',
  'module-renamed',
  'module-attribute-added',
  'module-attribute-removed',
  'module-attribute-type-changed',
  'module-include-added',
  'module-include-removed',
  'enumerated-values-added',
  'enumerated-values-removed',
  'defined-terms-added',
  'defined-terms-removed',
  'sop-class-added',
  'sop-class-removed',
  'sop-class-iod-changed',
  // context groups
  'group-added',
  'group-removed',
  'group-version-changed',
  'group-extensible-changed',
  'group-include-added',
  'group-include-removed',
  'code-added',
  'code-removed',
  'code-meaning-changed',
  'code-identifier-changed',
  'coding-scheme-added',
  'coding-scheme-removed',
  'coding-scheme-changed',
  'dcm-code-added',
  'dcm-code-removed',
  'dcm-code-meaning-changed',
  // private dictionaries
  'creator-added',
  'creator-removed',
  // de-identification
  'option-added',
  'option-removed',
  'action-changed',
  'std-comp-iod-changed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** JSON values carried in `before`/`after` (the compared facts, never prose of the standard). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface Change {
  category: Category;
  kind: ChangeKind;
  /** Identity within the category: tag (`00100010`), UID, VR code, `ct-image`, `CID 244`, `SIEMENS CSA HEADER|0029|08`. */
  key: string;
  /** What a reader recognises: keyword, name, `ct-image / patient`. */
  label: string;
  impact: Impact;
  /** Field(s) that changed, for property/action changes (`explicitVr`, `basicProfile`). */
  field?: string;
  before?: JsonValue;
  after?: JsonValue;
  /** Why this impact, in a few words (`removes export PatientName`). */
  reason: string;
  oldProv?: Prov;
  newProv?: Prov;
}

/** A family (or part of one) that only one side supplies: reported, never listed as added/removed. */
export interface NotCompared {
  category: Category;
  what: string;
  reason: string;
  oldCount: number;
  newCount: number;
}

export interface DiffSide {
  /** What the user passed (path as given, relative when possible). */
  label: string;
  kind: 'snapshot' | 'sources' | 'config' | 'ir';
  irVersion: number;
  /** Every source the side was built from: part, edition, format, file, sha256. */
  sources: SourceRecord[];
  /** Entry counts per family (for the header table). */
  counts: Record<string, number>;
}

export interface DiffOptions {
  /** Restrict to these categories (default: all). */
  only?: readonly Category[];
  oldLabel?: string;
  newLabel?: string;
  oldKind?: DiffSide['kind'];
  newKind?: DiffSide['kind'];
}

export interface DiffResult {
  /** Version of this JSON shape. */
  diffFormat: 1;
  old: DiffSide;
  new: DiffSide;
  /** Highest impact over all changes (`none` when nothing changed). */
  semver: SemverBump;
  categories: Category[];
  /** Per category and kind: how many changes. Only non-zero counts are present. */
  counts: Partial<Record<Category, Partial<Record<ChangeKind, number>>>>;
  /** Per impact: how many changes. */
  impactCounts: Record<Impact, number>;
  changes: Change[];
  notCompared: NotCompared[];
  /**
   * Differences that normalization treated as formatting only (`elements.name: 3` = three names
   * that differ only in case, dashes, invisible characters …). Never listed as changes.
   */
  formattingOnly: Record<string, number>;
}
