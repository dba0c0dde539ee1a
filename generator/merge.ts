/**
 * Layered sources: merge one IR per layer into one IR.
 *
 *   mergeLayers(layers: { name: string; ir: Ir }[], report: Report, { handOver }?: MergeOptions): Ir
 *   summarizeConflicts(report: Report, examples?: number): string   // '' when there is none
 *
 * `layers` is in precedence order: the first layer wins. Each family is merged by its natural key
 * (data element tag, UID, VR code, transfer syntax UID, de-identification tag, IOD id, module
 * kind + id, SOP class UID, context group CID, coding scheme designator, DCM code value), FIELD
 * by field: the winning entry keeps `prov` (its layer's row) and
 * every field a lower layer filled in (because the higher one lacked it: absent, or an empty
 * string or list) gets `fieldProv[field]` = that layer's row. Where two layers both have a field
 * and disagree, `report.conflicts` gets one FieldConflict per (family, key, field): the winning
 * layer and value, and every losing layer and what it said.
 *
 * A keyword marked `keywordDerived` (derived from the name because the source has none) is beaten by
 * a written keyword of any lower layer; when they differ the conflict names the written one winner.
 *
 * Formatting-only differences are not conflicts: whitespace and invisible characters, the case of
 * hex digits, the order and spelling of VR lists (`US or SS` ≡ ['SS','US']), the case of `n` in a
 * VM. Prov, fieldProv and raw source text are never compared. `Iod.incomplete` is derived and
 * recomputed after the merge (an IOD is incomplete when a module or macro it uses has no rows).
 *
 * Entries that come from an overrides layer (sources/overrides.ts) may be partial (only the patched
 * fields): they are completed from lower layers; one that still misses a required field (an
 * override for an entry no layer has) is dropped with an error diagnostic. Overrides keyed by a
 * keyword (no tag / UID) are resolved against the other layers' keywords.
 *
 * Private dictionaries are merged by the private family's own merge (sources/private/merge-private.ts,
 * key: creator, group or group range, offset or offset range, pinned block) with the layers in the
 * same precedence; its conflicts have family `private`.
 *
 * Duplicate keys inside one layer are kept apart (`key#2`, `key#3`, in layer order) with an info
 * diagnostic. Output order is deterministic (sorted by key), whatever the input order.
 */
import { cleanText } from '../sources/common/text.ts';
import { mergePrivateDictionaries, type PrivateMergeInput, type PrivateMergeOptions } from '../sources/private/merge-private.ts';
import { normalizeCreator, privateKey, type PrivateElement } from './ir-private.ts';
import { emptyIr, type Diagnostic, type FieldConflict, type FieldProv, type Ir, type Prov, type Report, type SourceRecord } from './ir.ts';
import { irTag } from '../sources/common/tags.ts';

type Entry = Record<string, unknown> & { prov: Prov; fieldProv?: FieldProv };

interface Family {
  /** Family name used in conflicts (`dataElements`, `iods.modules`, …). */
  name: string;
  get(ir: Ir): unknown[] | undefined;
  set(ir: Ir, entries: unknown[]): void;
  /** Canonical natural key; `kw:<keyword>` for keyword-keyed overrides; undefined = no key (dropped with a diagnostic). */
  key(e: Entry): string | undefined;
  /** Sort order of keys. */
  order(a: string, b: string): number;
  /** A string per key whose plain string order is `order` (computed once per key, not per comparison). */
  sortKey?: (k: string) => string;
  /** Fields that move and compare together; the first is the one named in conflicts. */
  groups?: string[][];
  /** Record-valued fields merged key by key (`actions.retainUids`). */
  subRecords?: string[];
  /** Fields never compared nor filled (provenance-like or derived). */
  ignore?: string[];
  /** Per-field canonical form for comparison (default: `canon`). */
  canon?: Record<string, (v: unknown) => unknown>;
  /** Fields an entry must have after the merge (checked for entries that came from an overrides layer). */
  required: string[];
}

// ---------------------------------------------------------------------------------------------
// Canonical forms

const IR_TAG = /^[0-9A-Fx]{8}$/;

/** `(0028,04X0)` / `002804x0` → `002804x0`; anything else (the `ggggeeee` row) → trimmed lower case. */
export function canonicalTag(t: string): string {
  if (IR_TAG.test(t)) return t; // already the IR's form: the common case, kept cheap
  const s = cleanText(t);
  return irTag(s) ?? s.replace(/[()\s,]/g, '').toLowerCase();
}

const PLAIN_UID = /^[0-9.]+$/;

function canonicalUid(u: string): string {
  if (PLAIN_UID.test(u)) return u; // digits and dots only: already canonical (the common case, kept cheap)
  return cleanText(u).replace(/\s+/g, '');
}

/** Tags sort as numbers with `x` nibbles as 0, exact before masked; other keys after, as strings. */
function compareTagKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.includes('x') && !b.includes('x')) return a < b ? -1 : 1;
  return compareStrings(tagSortKey(a), tagSortKey(b));
}

/**
 * generator/normalize.ts `compareUids` without splitting: numeric components compare by length,
 * then digit by digit; a UID sorts before its extensions.
 */
function compareUids(a: string, b: string): number {
  if (a === b) return 0;
  // The first differing character lies in the first differing component (both start it at the same index).
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  const ea = a.indexOf('.', p) < 0 ? a.length : a.indexOf('.', p);
  const eb = b.indexOf('.', p) < 0 ? b.length : b.indexOf('.', p);
  if (ea !== eb) return ea - eb; // that component is shorter in one of them
  if (p === a.length) return -1; // a ends where b goes on with another component
  if (p === b.length) return 1;
  return a.charCodeAt(p) - b.charCodeAt(p);
}


/**
 * `compareTagKeys` as one string: the tag with `x` as 0, then (masked tags only) the tag itself,
 * so an exact tag sorts before the masks that cover it. Exact tags are their own sort key.
 */
function tagSortKey(k: string): string {
  return k.includes('x') ? `${k.replace(/x/g, '0')}\u0000${k}` : k;
}

/**
 * `compareUids` as one string: each component as its length (one character) then its digits, so
 * that plain string order is numeric component order and a UID sorts before its extensions.
 */
function uidSortKey(k: string): string {
  let out = '';
  let start = 0;
  for (;;) {
    const dot = k.indexOf('.', start);
    const end = dot < 0 ? k.length : dot;
    out += String.fromCharCode(0x21 + end - start) + k.slice(start, end);
    if (dot < 0) return out;
    start = dot + 1;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumberKeys(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || compareStrings(a, b);
}

/** Deep canonical form: strings cleaned, objects without provenance and with sorted keys. */
export function canon(v: unknown): unknown {
  if (typeof v === 'string') return cleanText(v);
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k === 'prov' || k === 'fieldProv' || k === 'raw') continue;
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      out[k] = canon(x);
    }
    return out;
  }
  return v;
}

/** VR lists: `US or SS`, ['SS','US'] → 'SS|US'. */
function canonVr(v: unknown): unknown {
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+or\s+|,|\//i) : [];
  return list
    .map((x) => cleanText(x).toUpperCase())
    .filter((x) => x !== '')
    .sort()
    .join('|');
}

function canonVm(v: unknown): unknown {
  return typeof v === 'string' ? cleanText(v).replace(/\s+/g, '').toLowerCase() : v;
}

function canonUpper(v: unknown): unknown {
  return typeof v === 'string' ? cleanText(v).toUpperCase() : v;
}

/** Module references compare by IE, module and usage (condition text and prov are not facts compared here). */
function canonRefs(field: 'module' | 'macro'): (v: unknown) => unknown {
  return (v) =>
    Array.isArray(v)
      ? v.map((r: Record<string, unknown>) => `${cleanText(String(r.ie ?? ''))}|${String(r[field] ?? '')}|${String(r.usage ?? '')}|${String(r.placement ?? '')}`)
      : v;
}

/** A value as a conflict reports it: as the layer had it, minus provenance inside lists of records. */
function reportValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reportValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'prov' && k !== 'fieldProv') out[k] = reportValue(x);
    return out;
  }
  return v;
}

/** Printable ASCII words with one space between them: a string `cleanText` leaves as it is. */
const CLEAN_TEXT = /^[!-~]+(?: [!-~]+)*$/;

function sameValue(a: unknown, b: unknown, c: (v: unknown) => unknown): boolean {
  if (a === b) return true;
  // Two different strings `canon` (cleanText) leaves as they are: they stay different.
  if (c === canon && typeof a === 'string' && typeof b === 'string' && CLEAN_TEXT.test(a) && CLEAN_TEXT.test(b)) return false;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i] && (x === null || typeof x !== 'object'))) return true;
  const ca = c(a);
  const cb = c(b);
  if (ca === null || cb === null || typeof ca !== 'object' || typeof cb !== 'object') return ca === cb;
  return JSON.stringify(ca) === JSON.stringify(cb);
}

/** Only blanks and the invisible characters `cleanText` removes. */
const BLANK = /^[\s\u00A0\u200B\u200C\u200D\u2060\uFEFF\u00AD]*$/;

/** A field a lower layer may fill: absent, an empty string, an empty list. */
function lacking(v: unknown): boolean {
  if (typeof v === 'string') return !startsVisible(v) && BLANK.test(v);
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

/** Starts with a printable ASCII character other than space: not blank (the common case, without the regular expression). */
function startsVisible(v: string): boolean {
  const c = v.charCodeAt(0);
  return c > 0x20 && c < 0x7f;
}

// ---------------------------------------------------------------------------------------------
// Families

const str = (e: Entry, k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : '');

/** `kw:<keyword>` for an entry without its natural key (a keyword-keyed override), else undefined. */
const keywordKey = (e: Entry): string | undefined => (typeof e.keyword === 'string' && e.keyword !== '' ? `kw:${e.keyword}` : undefined);

const iodSection = (ir: Ir) => (ir.iods ??= { iods: [], modules: [], sopClasses: [] });
const cgSection = (ir: Ir) => (ir.contextGroups ??= { groups: [], codingSchemes: [], dcmCodes: [] });

const FAMILIES: Family[] = [
  {
    name: 'dataElements',
    get: (ir) => ir.dataElements,
    set: (ir, e) => void (ir.dataElements = e as Ir['dataElements']),
    key: (e) => (typeof e.tag === 'string' && e.tag !== '' ? canonicalTag(e.tag) : keywordKey(e)),
    order: compareTagKeys,
    sortKey: tagSortKey,
    groups: [
      ['vr', 'vrSeeNote'],
      ['keyword', 'keywordDerived'],
    ],
    canon: { tag: (v) => canonicalTag(String(v)), vr: canonVr, vm: canonVm },
    required: ['tag', 'name', 'vr', 'vm', 'retired', 'table'],
  },
  {
    name: 'uids',
    get: (ir) => ir.uids,
    set: (ir, e) => void (ir.uids = e as Ir['uids']),
    key: (e) => (typeof e.uid === 'string' && e.uid !== '' ? canonicalUid(e.uid) : keywordKey(e)),
    order: compareUids,
    sortKey: uidSortKey,
    groups: [['keyword', 'keywordDerived']],
    required: ['uid', 'name', 'keyword', 'type', 'typeText', 'retired'],
  },
  {
    name: 'valueRepresentations',
    get: (ir) => ir.valueRepresentations,
    set: (ir, e) => void (ir.valueRepresentations = e as Ir['valueRepresentations']),
    key: (e) => (str(e, 'vr') ? cleanText(str(e, 'vr')).toUpperCase() : undefined),
    order: compareStrings,
    canon: { vr: canonUpper },
    required: ['vr', 'name', 'kind', 'padding', 'explicitLengthField', 'repertoire', 'singleValued', 'retired'],
  },
  {
    name: 'transferSyntaxes',
    get: (ir) => ir.transferSyntaxes,
    set: (ir, e) => void (ir.transferSyntaxes = e as Ir['transferSyntaxes']),
    key: (e) => (typeof e.uid === 'string' && e.uid !== '' ? canonicalUid(e.uid) : undefined),
    order: compareUids,
    sortKey: uidSortKey,
    required: ['uid', 'keyword', 'name', 'explicitVr', 'byteOrder', 'encapsulated', 'deflated', 'compression', 'retired'],
  },
  {
    name: 'deidentification',
    get: (ir) => ir.deidentification,
    set: (ir, e) => void (ir.deidentification = e as Ir['deidentification']),
    key: (e) => (typeof e.tag === 'string' && e.tag !== '' ? canonicalTag(e.tag) : undefined),
    order: compareTagKeys,
    sortKey: tagSortKey,
    subRecords: ['actions'],
    canon: { tag: (v) => canonicalTag(String(v)), actions: (v) => (typeof v === 'string' ? cleanText(v).replace(/\s+/g, '').toUpperCase() : v) },
    required: ['tag', 'name', 'retired', 'actions'],
  },
  {
    name: 'iods.iods',
    get: (ir) => ir.iods?.iods,
    set: (ir, e) => void (iodSection(ir).iods = e as NonNullable<Ir['iods']>['iods']),
    key: (e) => (str(e, 'id') ? str(e, 'id') : undefined),
    order: compareStrings,
    ignore: ['incomplete', 'withoutTable'],
    canon: { modules: canonRefs('module'), functionalGroups: canonRefs('macro') },
    required: ['id', 'name', 'typeName'],
  },
  {
    name: 'iods.modules',
    get: (ir) => ir.iods?.modules,
    set: (ir, e) => void (iodSection(ir).modules = e as NonNullable<Ir['iods']>['modules']),
    key: (e) => (str(e, 'id') ? `${str(e, 'kind') || 'module'}:${str(e, 'id')}` : undefined),
    order: compareStrings,
    required: ['id', 'name', 'kind'],
  },
  {
    name: 'iods.sopClasses',
    get: (ir) => ir.iods?.sopClasses,
    set: (ir, e) => void (iodSection(ir).sopClasses = e as NonNullable<Ir['iods']>['sopClasses']),
    key: (e) => (typeof e.uid === 'string' && e.uid !== '' ? canonicalUid(e.uid) : undefined),
    order: compareUids,
    sortKey: uidSortKey,
    required: ['uid', 'sopClass'],
  },
  {
    name: 'contextGroups.groups',
    get: (ir) => ir.contextGroups?.groups,
    set: (ir, e) => void (cgSection(ir).groups = e as NonNullable<Ir['contextGroups']>['groups']),
    key: (e) => (typeof e.cid === 'number' ? String(e.cid) : undefined),
    order: compareNumberKeys,
    required: ['cid', 'keyword', 'name'],
  },
  {
    name: 'contextGroups.codingSchemes',
    get: (ir) => ir.contextGroups?.codingSchemes,
    set: (ir, e) => void (cgSection(ir).codingSchemes = e as NonNullable<Ir['contextGroups']>['codingSchemes']),
    key: (e) => (str(e, 'designator') ? cleanText(str(e, 'designator')) : undefined),
    order: compareStrings,
    required: ['designator', 'name'],
  },
  {
    name: 'contextGroups.dcmCodes',
    get: (ir) => ir.contextGroups?.dcmCodes,
    set: (ir, e) => void (cgSection(ir).dcmCodes = e as NonNullable<Ir['contextGroups']>['dcmCodes']),
    key: (e) => (str(e, 'codeValue') ? cleanText(str(e, 'codeValue')) : undefined),
    order: (a, b) => compareStrings(a.padStart(12, '0'), b.padStart(12, '0')) || compareStrings(a, b),
    required: ['codeValue', 'codeMeaning', 'identifier'],
  },
];

/** Separates a key from its occurrence number when a layer has the key more than once. */
const DUP = '\u0001';

/** The key as a person reads it in conflicts and diagnostics. */
function displayKey(family: string, key: string): string {
  const i = key.indexOf(DUP);
  if (i < 0) return key;
  const j = key.indexOf(DUP, i + 1);
  return `${key.slice(0, i)}#${key.slice(i + 1, j < 0 ? key.length : j)}`;
}

// ---------------------------------------------------------------------------------------------
// Merge

interface Contribution {
  layer: string;
  entry: Entry;
  /** The entry came from an overrides source (may be partial). */
  override: boolean;
}

function provOfField(e: Entry, field: string): Prov {
  return e.fieldProv?.[field] ?? e.prov;
}

/** Rename a source id inside every prov / fieldProv of an IR (in place). */
function renameSource(node: unknown, from: string, to: string): void {
  if (Array.isArray(node)) {
    for (const x of node) renameSource(x, from, to);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'prov' && v && typeof v === 'object' && (v as Prov).source === from) (v as Prov).source = to;
    else if (k === 'fieldProv' && v && typeof v === 'object') {
      for (const p of Object.values(v as FieldProv)) if (p.source === from) p.source = to;
    } else if (k !== 'sources') renameSource(v, from, to);
  }
}

/** Deep copy of plain JSON data (the IR): much cheaper than structuredClone per entry. */
export function cloneData<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneData) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = cloneData((v as Record<string, unknown>)[k]);
  return out as T;
}

function diag(report: Report, d: Diagnostic): void {
  report.diagnostics.push(d);
}

export interface MergeOptions {
  /**
   * The caller hands the layers over and never reads them again (the pipeline does): the merged
   * IR then reuses the layers' nested data (rows, codes, lists) instead of copying it, and a
   * renamed source is renamed in place. The merged IR is the same; only the copying is saved.
   * Without it, every input layer stays untouched and the output shares no object with it.
   */
  handOver?: boolean;
  /**
   * Every family through the keyed merge and every entry more than one layer has through the
   * field-by-field merge, without the shortcuts (sorted runs, entries stated the same or only
   * filled in, a private section already in merged order): the reference those shortcuts are tested
   * against. The merged IR and the report are the same either way.
   */
  exhaustive?: boolean;
}

const keepData = <T>(v: T): T => v;

export function mergeLayers(layers: { name: string; ir: Ir }[], report: Report, how: MergeOptions = {}): Ir {
  const copy = how.handOver ? keepData : cloneData;
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new Error(`mergeLayers: two layers are named "${l.name}"; layer names must be unique`);
    names.add(l.name);
  }
  // The layers' IRs stay as the scrapers made them (unless handed over): entries are copied one
  // by one as they are merged (linear), and a layer is copied whole only when one of its sources
  // must be renamed.
  const work = layers.map((l) => ({ name: l.name, ir: l.ir }));
  const out = emptyIr();

  // Sources: the union; the same file in two layers is one source; a different file under an id
  // already taken is renamed `<id>@<layer>` (its entries' prov follows).
  const sourceById = new Map<string, SourceRecord>();
  const overrideSources = new Set<string>();
  for (const l of work) {
    let copied = false;
    for (let i = 0; i < l.ir.sources.length; i++) {
      const id = l.ir.sources[i]!.id;
      const prior = sourceById.get(id);
      if (prior && prior.sha256 !== l.ir.sources[i]!.sha256) {
        const to = `${id}@${l.name}`;
        if (!copied) l.ir = copy(l.ir);
        copied = true;
        renameSource(l.ir, id, to);
        diag(report, { severity: 'info', code: 'source-renamed', message: `layer ${l.name}: source ${id} differs from the one of layer ${prior.layer ?? '?'}; recorded as ${to}`, source: to, file: l.ir.sources[i]!.file });
        l.ir.sources[i]!.id = to;
      }
      const s = l.ir.sources[i]!;
      if (!sourceById.has(s.id)) sourceById.set(s.id, { ...s, layer: s.layer ?? l.name });
      if (s.format === 'overrides') overrideSources.add(s.id);
    }
  }
  out.sources = [...sourceById.values()].sort((a, b) => compareStrings(a.id, b.id));

  const conflicts: ConflictLog = { byId: new Map(), list: [], sortIds: [] };
  const exhaustive = how.exhaustive === true;
  for (const fam of FAMILIES) mergeFamily(fam, work, out, report, { conflicts, overrideSources, copy, exhaustive });
  mergePrivate(work, out, report, overrideSources, { handOver: how.handOver === true, exhaustive });

  // De-identification option columns: the union by id, the first layer's order first.
  const options = new Map<string, string>();
  for (const l of work) for (const o of l.ir.deidentificationOptions) if (!options.has(o.id)) options.set(o.id, o.header);
  out.deidentificationOptions = [...options].map(([id, header]) => ({ id, header }));

  if (out.iods) recomputeIncomplete(out);
  report.conflicts.push(...sortConflicts(conflicts));
  return out;
}

/**
 * The field conflicts found, in the order they were found, each with its sort id (family, key as
 * displayed and field joined by U+0000); `byId` indexes those the field-by-field merge may add
 * losers to, by family, key as merged and field.
 */
interface ConflictLog {
  byId: Map<string, FieldConflict>;
  list: FieldConflict[];
  sortIds: string[];
}

/** A conflict found, under its sort id. */
function logConflict(log: ConflictLog, c: FieldConflict): void {
  log.list.push(c);
  log.sortIds.push(`${c.family}\u0000${c.key}\u0000${c.field}`);
}

/**
 * Conflicts by family, key (as displayed) and field: sorted as one string per conflict with the
 * built-in comparison (the parts joined by U+0000, below every character they hold), or by the
 * comparator should a part hold U+0000 or two conflicts give the same string.
 */
function sortConflicts(log: ConflictLog): FieldConflict[] {
  const { list, sortIds } = log;
  const byId = new Map<string, FieldConflict>();
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c.family.includes('\u0000') || c.key.includes('\u0000') || c.field.includes('\u0000')) break;
    byId.set(sortIds[i]!, c);
  }
  if (byId.size === list.length) return [...byId.keys()].sort().map((id) => byId.get(id)!);
  return list.sort((a, b) => compareStrings(a.family, b.family) || compareStrings(a.key, b.key) || compareStrings(a.field, b.field));
}

/** What every family's merge shares. */
interface MergeRun {
  conflicts: ConflictLog;
  overrideSources: Set<string>;
  /** `cloneData`, or the identity when the layers are handed over. */
  copy: <T>(v: T) => T;
  /** No shortcut (`MergeOptions.exhaustive`). */
  exhaustive: boolean;
}

function mergeFamily(fam: Family, work: { name: string; ir: Ir }[], out: Ir, report: Report, run: MergeRun): void {
  const runs = run.overrideSources.size === 0 && !run.exhaustive ? sortedRuns(fam, work) : undefined;
  if (runs !== undefined) {
    if (runs.any) fam.set(out, mergeSortedRuns(fam, runs.layers, run));
    return;
  }
  const index = indexLayers(fam, work, report, run);
  if (index === undefined) return;
  if (index.keywordKeys) resolveKeywordKeys(fam, index.perLayer, report);
  const sorted = sortKeysOf(fam, unionOfKeys(index.perLayer), index.duplicates);
  fam.set(out, mergeKeys(fam, sorted, index.perLayer, report, run));
}

/** A layer's entries of the family with their keys, in strictly increasing key order. */
interface SortedRun {
  layer: string;
  entries: Entry[];
  keys: string[];
}

/**
 * Every layer's entries in strictly increasing key order (no duplicate, no missing or keyword key):
 * what a normalized IR or an earlier merge holds. Undefined when a layer is not, for the keyed
 * merge (`indexLayers`) to handle with its diagnostics. `any`: some layer has the family.
 */
function sortedRuns(fam: Family, work: { name: string; ir: Ir }[]): { any: boolean; layers: SortedRun[] } | undefined {
  const layers: SortedRun[] = [];
  let any = false;
  for (const l of work) {
    const list = fam.get(l.ir) as Entry[] | undefined;
    if (list === undefined) continue;
    any = true;
    if (list.length === 0) continue;
    const keys = new Array<string>(list.length);
    for (let from = 0; from < list.length; from += CHUNK) if (!sortedKeys(fam, list, keys, from, Math.min(from + CHUNK, list.length))) return undefined;
    layers.push({ layer: l.name, entries: list, keys });
  }
  return { any, layers };
}

/**
 * Entries per call of the functions that walk a family's entries in chunks. A one-shot merge gains
 * nothing from V8 compiling a long loop while it runs (on-stack replacement: a second, larger
 * compile of the same function, on threads that take CPU from the merge); a function called once
 * per chunk is compiled once, in the background, and reused by every family.
 */
const CHUNK = 128;

/** `keys[from..to)` of the entries, each strictly after the one before: false at the first that is not (or has no natural key). */
function sortedKeys(fam: Family, list: Entry[], keys: string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const k = fam.key(list[i]!);
    if (k === undefined || k.startsWith('kw:') || (i > 0 && !(fam.order(keys[i - 1]!, k) < 0))) return false;
    keys[i] = k;
  }
  return true;
}

/** The sorted runs merged in one pass (the union of keys in order): the same entries as the keyed merge. */
function mergeSortedRuns(fam: Family, layers: SortedRun[], run: MergeRun): Entry[] {
  if (layers.length === 1) return soleEntries(layers[0]!.entries, run);
  if (layers.length === 2) return mergeTwoRuns(fam, layers[0]!, layers[1]!, run);
  const merged: Entry[] = [];
  const at = new Array<number>(layers.length).fill(0);
  for (;;) {
    let key: string | undefined;
    for (let j = 0; j < layers.length; j++) {
      const k = layers[j]!.keys[at[j]!];
      if (k !== undefined && (key === undefined || (k !== key && fam.order(k, key) < 0))) key = k;
    }
    if (key === undefined) return merged;
    let first = -1;
    let contributions: Contribution[] | undefined;
    for (let j = 0; j < layers.length; j++) {
      const r = layers[j]!;
      if (r.keys[at[j]!] !== key) continue;
      if (first < 0) first = j;
      else {
        const w = layers[first]!;
        contributions ??= [{ layer: w.layer, entry: w.entries[at[first]!]!, override: false }];
        contributions.push({ layer: r.layer, entry: r.entries[at[j]!]!, override: false });
      }
    }
    merged.push(contributions === undefined ? soleEntry(layers[first]!.entries[at[first]!]!, run) : mergeContributions(fam, key, contributions, run));
    for (let j = first; j < layers.length; j++) if (layers[j]!.keys[at[j]!] === key) at[j]!++;
  }
}

/** One layer's run: each entry as an entry only one layer has. */
function soleEntries(entries: Entry[], run: MergeRun): Entry[] {
  const merged = new Array<Entry>(entries.length);
  for (let from = 0; from < entries.length; from += CHUNK) soleEntriesOf(entries, merged, from, Math.min(from + CHUNK, entries.length), run);
  return merged;
}

function soleEntriesOf(entries: Entry[], merged: Entry[], from: number, to: number, run: MergeRun): void {
  for (let i = from; i < to; i++) merged[i] = soleEntry(entries[i]!, run);
}

/**
 * Two runs, as `mergeSortedRuns` merges them: the smaller key first (the first layer's when
 * neither is smaller), an entry both have merged with the first layer's as the winner.
 */
function mergeTwoRuns(fam: Family, a: SortedRun, b: SortedRun, run: MergeRun): Entry[] {
  // At most one entry per key of either run: allocated once, cut to the merged length at the end.
  const at: TwoRunsAt = { i: 0, j: 0, n: 0, merged: new Array<Entry>(a.keys.length + b.keys.length) };
  while (at.i < a.keys.length && at.j < b.keys.length) twoRunsChunk(fam, a, b, at, run);
  while (at.i < a.keys.length) at.merged[at.n++] = soleEntry(a.entries[at.i++]!, run);
  while (at.j < b.keys.length) at.merged[at.n++] = soleEntry(b.entries[at.j++]!, run);
  at.merged.length = at.n;
  return at.merged;
}

/** Where `mergeTwoRuns` is: the next entry of each run, and the merged entries so far. */
interface TwoRunsAt {
  i: number;
  j: number;
  n: number;
  merged: Entry[];
}

/** Up to `CHUNK` merged entries, while both runs have entries left. */
function twoRunsChunk(fam: Family, a: SortedRun, b: SortedRun, at: TwoRunsAt, run: MergeRun): void {
  const ka = a.keys;
  const kb = b.keys;
  const merged = at.merged;
  let { i, j, n } = at;
  const end = n + CHUNK;
  while (n < end && i < ka.length && j < kb.length) {
    const x = ka[i]!;
    const y = kb[j]!;
    if (x === y) merged[n++] = mergePair(fam, x, a.layer, a.entries[i++]!, b.layer, b.entries[j++]!, run);
    else if (fam.order(y, x) < 0) merged[n++] = soleEntry(b.entries[j++]!, run);
    else merged[n++] = soleEntry(a.entries[i++]!, run);
  }
  at.i = i;
  at.j = j;
  at.n = n;
}

/** Each layer's entries of the family by key; undefined when no layer has the family. */
interface LayerIndex {
  perLayer: Map<string, Contribution>[];
  /** Some key is `kw:<keyword>` (resolved against the other layers before the merge). */
  keywordKeys: boolean;
  /** Some layer has a key more than once (`key#2`). */
  duplicates: boolean;
}

function indexLayers(fam: Family, work: { name: string; ir: Ir }[], report: Report, run: MergeRun): LayerIndex | undefined {
  const overrideSources = run.overrideSources.size > 0 ? run.overrideSources : undefined;
  const perLayer: Map<string, Contribution>[] = [];
  let any = false;
  let keywordKeys = false;
  let duplicates = false;
  for (const l of work) {
    const map = new Map<string, Contribution>();
    const list = fam.get(l.ir);
    if (list) any = true;
    /** Occurrences of the keys this layer has more than once. */
    let count: Map<string, number> | undefined;
    const entries = (list ?? []) as Entry[];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      let k = fam.key(e);
      if (k === undefined) {
        diag(report, { severity: 'error', code: 'merge-no-key', message: `layer ${l.name}: a ${fam.name} entry has no key; dropped`, source: e.prov?.source, raw: JSON.stringify(canon(e)) });
        continue;
      }
      if (k.startsWith('kw:')) keywordKeys = true;
      if (map.has(k)) {
        count ??= new Map();
        const n = (count.get(k) ?? 1) + 1;
        count.set(k, n);
        duplicates = true;
        if (n === 2) {
          diag(report, { severity: 'info', code: 'duplicate-key-in-layer', message: `layer ${l.name}: ${fam.name} ${displayKey(fam.name, k)} occurs more than once; occurrences are merged with the same occurrence in other layers`, source: e.prov.source });
        }
        k = `${k}${DUP}${n}`;
      }
      map.set(k, { layer: l.name, entry: e, override: overrideSources !== undefined && overrideSources.has(e.prov.source) });
    }
    perLayer.push(map);
  }
  return any ? { perLayer, keywordKeys, duplicates } : undefined;
}

/** The merged entries of the sorted keys: one layer's entry as it is, or the field-by-field merge. */
function mergeKeys(fam: Family, sorted: string[], perLayer: Map<string, Contribution>[], report: Report, run: MergeRun): Entry[] {
  const merged: Entry[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    const contributions: Contribution[] = [];
    for (let j = 0; j < perLayer.length; j++) {
      const c = perLayer[j]!.get(key);
      if (c !== undefined) contributions.push(c);
    }
    const entry = contributions.length === 1 ? soleEntry(contributions[0]!.entry, run) : mergeContributions(fam, key, contributions, run);
    if (run.overrideSources.size > 0 && contributions.some((c) => c.override) && !completeAfterOverride(fam, key, entry, contributions[0]!, report)) continue;
    merged.push(entry);
  }
  return merged;
}

/** An entry an override patched must have every required field after the merge; else it is dropped with an error. */
function completeAfterOverride(fam: Family, key: string, entry: Entry, winner: Contribution, report: Report): boolean {
  const missing = fam.required.filter((f) => lacking(entry[f]) && !(f === 'vr' && entry.vrSeeNote === true));
  if (missing.length === 0) return true;
  diag(report, {
    severity: 'error',
    code: 'override-without-base',
    message: `layer ${winner.layer}: ${fam.name} ${displayKey(fam.name, key)} lacks ${missing.join(', ')} after the merge (an override for an entry no lower layer defines); dropped — give every field or add the layer that defines it`,
    source: entry.prov.source,
    line: entry.prov.line,
  });
  return false;
}

/** Keyword-keyed overrides: find the tag / UID by keyword in the other layers. */
function resolveKeywordKeys(fam: Family, perLayer: Map<string, Contribution>[], report: Report): void {
  const byKeyword = new Map<string, string>();
  for (const map of perLayer) {
    for (const [k, c] of map) {
      const kw = str(c.entry, 'keyword');
      if (!k.startsWith('kw:') && kw && !byKeyword.has(kw)) byKeyword.set(kw, k);
    }
  }
  for (const map of perLayer) {
    for (const [k, c] of [...map]) {
      if (!k.startsWith('kw:')) continue;
      map.delete(k);
      const target = byKeyword.get(k.slice(3));
      if (!target) {
        diag(report, { severity: 'error', code: 'override-unresolved', message: `layer ${c.layer}: ${fam.name} keyword ${k.slice(3)} is not defined by any layer; the override is dropped`, source: c.entry.prov.source, line: c.entry.prov.line });
        continue;
      }
      if (map.has(target)) {
        diag(report, { severity: 'error', code: 'override-duplicate', message: `layer ${c.layer}: ${fam.name} ${target} is patched twice (by key and by keyword ${k.slice(3)}); the keyword patch is dropped`, source: c.entry.prov.source, line: c.entry.prov.line });
        continue;
      }
      const keyField = fam.name === 'dataElements' ? 'tag' : 'uid';
      const other = perLayer.map((m) => m.get(target)).find((x) => x !== undefined);
      // A copy: the layer's own entry keeps its keyword-only key.
      map.set(target, { ...c, entry: { ...c.entry, [keyField]: other?.entry[keyField] ?? target } });
    }
  }
}

/** Every layer's keys once, in first-seen order. */
function unionOfKeys(perLayer: Map<string, Contribution>[]): string[] {
  const keys = [...perLayer[0]!.keys()];
  for (let i = 1; i < perLayer.length; i++) {
    for (const k of perLayer[i]!.keys()) {
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = perLayer[j]!.has(k);
      if (!seen) keys.push(k);
    }
  }
  return keys;
}

/**
 * Keys in the family's order, occurrences (`key#2`) after their key. The keys arrive as a few
 * sorted runs (one per layer), which the sort merges in about one comparison per key.
 */
function sortKeysOf(fam: Family, keys: string[], duplicates: boolean): string[] {
  if (!duplicates) return fam.sortKey ? sortBySortKey(keys, fam.sortKey) : fam.order === compareStrings ? keys.sort() : keys.sort(fam.order);
  const split = keys.map((k) => {
    const i = k.indexOf(DUP);
    const base = i < 0 ? k : k.slice(0, i);
    return { k, base, n: i < 0 ? 1 : Number(k.slice(i + 1)), s: fam.sortKey?.(base) ?? base };
  });
  const by = fam.sortKey ? compareStrings : fam.order;
  return split.sort((a, b) => by(a.s, b.s) || a.n - b.n).map((x) => x.k);
}

/**
 * Keys sorted by their sort keys in plain string order, with the built-in comparison (no comparator
 * call per pair). Sort keys are one-to-one, so each maps back to its key.
 */
function sortBySortKey(keys: string[], sortKey: (k: string) => string): string[] {
  const keyOf = new Map<string, string>();
  const sortKeys = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const s = sortKey(k);
    if (s !== k) keyOf.set(s, k);
    sortKeys[i] = s;
  }
  sortKeys.sort();
  if (keyOf.size > 0) for (let i = 0; i < sortKeys.length; i++) sortKeys[i] = keyOf.get(sortKeys[i]!) ?? sortKeys[i]!;
  return sortKeys;
}

/** The state of one entry's merge, passed to the helpers below (no closures per entry). */
interface EntryMerge {
  fam: Family;
  key: string;
  winner: Contribution;
  /** The winner's entry until a lower layer changes something (`own`), then the merge's own copy. */
  result: Entry;
  fieldProv: FieldProv;
  /** `result` and `fieldProv` are the merge's own (copied on the first change). */
  owned: boolean;
  conflicts: ConflictLog;
  copy: <T>(v: T) => T;
}

/** Before the first change: the result becomes a copy of the winner's fields, with its own fieldProv. */
function own(m: EntryMerge): void {
  if (m.owned) return;
  const w = m.winner.entry;
  const result = {} as Entry;
  for (const k in w) if (k !== 'fieldProv') result[k] = m.copy(w[k]);
  m.result = result;
  m.fieldProv = { ...(w.fieldProv ?? {}) };
  m.owned = true;
}

function conflictAt(m: EntryMerge, field: string, holderC: Contribution, value: unknown, loser: Contribution, loserValue: unknown, loserProv: Prov): void {
  const id = `${m.fam.name}\u0000${m.key}\u0000${field}`;
  let fc = m.conflicts.byId.get(id);
  if (!fc) {
    const wp = provOfField(holderC.entry, field);
    fc = { family: m.fam.name, key: displayKey(m.fam.name, m.key), field, winner: { layer: holderC.layer, source: wp.source, value: reportValue(value) }, losers: [] };
    m.conflicts.byId.set(id, fc);
    logConflict(m.conflicts, fc);
  }
  fc.losers.push({ layer: loser.layer, source: loserProv.source, value: reportValue(loserValue) });
}

/**
 * `conflictAt` for an entry two layers have, settled by `fillsOnly`, where the field differs
 * beyond formatting: each field conflicts once, and no other entry has the key, so the conflict is
 * new and nothing adds to it (it is not indexed).
 */
function pairConflict(fam: Family, key: string, field: string, wl: string, we: Entry, ll: string, le: Entry, log: ConflictLog): void {
  if (sameValue(we[field], le[field], fam.canon?.[field] ?? canon)) return;
  const wp = provOfField(we, field);
  const lp = provOfField(le, field);
  logConflict(log, { family: fam.name, key: displayKey(fam.name, key), field, winner: { layer: wl, source: wp.source, value: reportValue(we[field]) }, losers: [{ layer: ll, source: lp.source, value: reportValue(le[field]) }] });
}

/** A unit is lacking when its main field is, and its flags (vrSeeNote, keywordDerived) say nothing. */
function unitLacking(unit: string[], e: Entry): boolean {
  if (!lacking(e[unit[0]!])) return false;
  for (let i = 1; i < unit.length; i++) if (!(lacking(e[unit[i]!]) || e[unit[i]!] === false)) return false;
  return true;
}

/** `keywordDerived`: the value is our derivation, not the source's word; a written one beats it. */
function derived(unit: string[], e: Entry): boolean {
  for (let i = 0; i < unit.length; i++) if (unit[i]!.endsWith('Derived')) return e[unit[i]!] === true;
  return false;
}

/** Every field of the unit moves together. */
function take(m: EntryMerge, unit: string[], c: Contribution): void {
  own(m);
  for (let i = 0; i < unit.length; i++) {
    const f = unit[i]!;
    if (c.entry[f] === undefined) delete m.result[f];
    else m.result[f] = m.copy(c.entry[f]);
    if (c.entry[f] !== undefined && c !== m.winner) m.fieldProv[f] = provOfField(c.entry, f);
    else delete m.fieldProv[f];
  }
}

function sameUnit(m: EntryMerge, unit: string[], c: Contribution, c0: (v: unknown) => unknown): boolean {
  if (!sameValue(m.result[unit[0]!], c.entry[unit[0]!], c0)) return false;
  for (let i = 1; i < unit.length; i++) {
    const f = unit[i]!;
    if (!f.endsWith('Derived') && Boolean(m.result[f]) !== Boolean(c.entry[f])) return false;
  }
  return true;
}

function mergeUnit(m: EntryMerge, unit: string[], contributions: Contribution[]): void {
  const primary = unit[0]!;
  const c0 = m.fam.canon?.[primary] ?? canon;
  /** The contribution whose value the unit currently holds. */
  let h = unitLacking(unit, m.result) ? undefined : m.winner;
  for (let i = 1; i < contributions.length; i++) {
    const c = contributions[i]!;
    if (unitLacking(unit, c.entry)) continue;
    if (!h) {
      take(m, unit, c);
      h = c;
      continue;
    }
    const mine = m.result[primary];
    const theirs = c.entry[primary];
    const same = sameUnit(m, unit, c, c0);
    if (derived(unit, m.result) && !derived(unit, c.entry)) {
      const earlier = m.conflicts.byId.get(`${m.fam.name}\u0000${m.key}\u0000${primary}`);
      if (earlier) {
        // Derived keywords already disagreed: the written one becomes the winner of that conflict.
        earlier.losers.unshift(earlier.winner);
        earlier.winner = { layer: c.layer, source: provOfField(c.entry, primary).source, value: reportValue(theirs) };
      } else if (!same) conflictAt(m, primary, c, theirs, h, mine, provOfField(h.entry, primary));
      take(m, unit, c);
      h = c;
      continue;
    }
    if (!same) conflictAt(m, primary, h, mine, c, theirs, provOfField(c.entry, primary));
  }
}

/** The units of an entry: its fields in first-seen order, grouped fields (`vr` + `vrSeeNote`) together. */
function unitsOf(fam: Family, contributions: Contribution[]): string[][] {
  const units: string[][] = [];
  const seenField: string[] = [];
  for (let i = 0; i < contributions.length; i++) {
    for (const f in contributions[i]!.entry) {
      if (f === 'prov' || f === 'fieldProv' || seenField.includes(f) || fam.ignore?.includes(f)) continue;
      const g = unitOfField(fam, f);
      for (let j = 0; j < g.length; j++) seenField.push(g[j]!);
      units.push(g);
    }
  }
  return units;
}

/** A field's unit (its group, or the field alone), one array per family and field for the whole run. */
const unitCache = new WeakMap<Family, Map<string, string[]>>();
function unitOfField(fam: Family, f: string): string[] {
  let byField = unitCache.get(fam);
  if (!byField) unitCache.set(fam, (byField = new Map()));
  let unit = byField.get(f);
  if (!unit) byField.set(f, (unit = fam.groups?.find((x) => x.includes(f)) ?? [f]));
  return unit;
}

/** Key order: the entry's fields, then prov, then fieldProv (sorted), as an unpatched entry serializes. */
function finishEntry(result: Entry, template: Entry, fieldProv: FieldProv): Entry {
  const ordered = {} as Entry;
  for (const k in template) if (k !== 'prov' && k in result) ordered[k] = result[k];
  for (const k in result) if (k !== 'prov' && !(k in ordered)) ordered[k] = result[k];
  ordered.prov = result.prov;
  if (Object.keys(fieldProv).length > 0) ordered.fieldProv = sortKeys(fieldProv);
  return ordered;
}

/**
 * An entry only one layer has: its fields in its own order, then prov, then fieldProv (sorted),
 * as `finishEntry` writes it. A handed-over entry already in that shape is taken as it is.
 */
function soleEntry(e: Entry, run: MergeRun): Entry {
  const copy = run.copy;
  if (copy === keepData && inFinalShape(e)) return e;
  const out = {} as Entry;
  for (const k in e) if (k !== 'prov' && k !== 'fieldProv') out[k] = copy(e[k]);
  out.prov = copy(e.prov);
  if (e.fieldProv !== undefined && Object.keys(e.fieldProv).length > 0) out.fieldProv = sortKeys(e.fieldProv);
  return out;
}

/**
 * Fields first, then `prov`, then (if any) a non-empty `fieldProv` with its keys sorted: `prov` is
 * the last key, or the one before a last `fieldProv`. The keys are walked, not copied
 * (`Object.keys` allocates an array per entry: on this VM fresh memory costs a page fault per
 * 4 KiB, more than the walk).
 */
function inFinalShape(e: Entry): boolean {
  let last: string | undefined;
  let before: string | undefined;
  for (const k in e) {
    before = last;
    last = k;
  }
  if (last === 'prov') return !('fieldProv' in e);
  if (last !== 'fieldProv' || before !== 'prov' || e.fieldProv === undefined || e.fieldProv === null) return false;
  let prev: string | undefined;
  for (const f in e.fieldProv) {
    if (prev !== undefined && !(prev < f)) return false;
    prev = f;
  }
  return prev !== undefined;
}

/** An entry more than one layer has: the cheap cases first, else the field-by-field merge. */
function mergeContributions(fam: Family, key: string, contributions: Contribution[], run: MergeRun): Entry {
  if (run.exhaustive) return mergeEntry(fam, key, contributions, run);
  if (contributions.length === 2) {
    const [w, c] = contributions as [Contribution, Contribution];
    if (w.override || c.override) return mergeEntry(fam, key, contributions, run);
    return fillsOnly(fam, key, w.layer, w.entry, c.layer, c.entry, run) ?? mergeEntry(fam, key, contributions, run);
  }
  return saysTheSame(fam, contributions) ? soleEntry(contributions[0]!.entry, run) : mergeEntry(fam, key, contributions, run);
}

/** An entry two layers' sorted runs have (no override): `we` the winner's, of layer `wl`. */
function mergePair(fam: Family, key: string, wl: string, we: Entry, ll: string, le: Entry, run: MergeRun): Entry {
  const settled = run.exhaustive ? undefined : fillsOnly(fam, key, wl, we, ll, le, run);
  return settled ?? mergeEntry(fam, key, [{ layer: wl, entry: we, override: false }, { layer: ll, entry: le, override: false }], run);
}

/**
 * Every lower layer states exactly the winner's facts: the same fields (prov, fieldProv and ignored
 * fields aside), each strictly equal, a list or record of the same plain values. Then nothing is
 * filled, taken or in conflict, and the merged entry is the winner's as `soleEntry` writes it. The
 * common case (most entries of two editions agree), checked without allocating.
 */
function saysTheSame(fam: Family, contributions: Contribution[]): boolean {
  const w = contributions[0]!;
  if (w.override || !plainSubRecords(fam, w.entry)) return false;
  const fields = factCount(fam, w.entry);
  for (let i = 1; i < contributions.length; i++) {
    const c = contributions[i]!;
    if (c.override || !plainSubRecords(fam, c.entry)) return false;
    const e = c.entry;
    const keys = Object.keys(e);
    let n = 0;
    for (let j = 0; j < keys.length; j++) {
      const f = keys[j]!;
      if (f === 'prov' || f === 'fieldProv') continue;
      const v = e[f];
      if (v === undefined || (fam.ignore !== undefined && fam.ignore.includes(f))) continue;
      if (!samePlain(w.entry[f], v)) return false;
      n++;
    }
    if (n !== fields) return false;
  }
  return true;
}

/**
 * Two layers where the lower one only fills in: every field both state is the same (strictly), and
 * the lower one has fields the winner lacks (absent, or an empty string or list). That is the entry
 * `mergeEntry` makes, without its per-unit bookkeeping: the winner's fields with the filled ones in
 * place or after them in the lower layer's order, then prov, then fieldProv (the winner's, plus the
 * lower layer's row for each filled field), sorted. Undefined for anything else (a conflict, a
 * formatting difference, a grouped or record field that differs, an override).
 */
function fillsOnly(fam: Family, key: string, wl: string, we: Entry, ll: string, le: Entry, run: MergeRun): Entry | undefined {
  const groups = fam.groups;
  const records = fam.subRecords;
  if (records !== undefined && (!plainSubRecords(fam, we) || !plainSubRecords(fam, le))) return undefined;
  // Fields both state differently are conflicts (unless they differ only in formatting), logged as
  // found; should the entry turn out to need the field-by-field merge, they are taken back.
  const log = run.conflicts;
  const mark = log.list.length;
  if (groups !== undefined) {
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      let same = true;
      for (let i = 0; i < g.length && same; i++) same = samePlain(we[g[i]!], le[g[i]!]);
      if (same) continue;
      // A written keyword (the winner's) stays whatever the lower layer says: only the keywords may conflict.
      if (derivedFlag(g) && we[g[1]!] !== true && !lacking(we[g[0]!]) && !lacking(le[g[0]!])) pairConflict(fam, key, g[0]!, wl, we, ll, le, log);
      else return takeBack(log, mark);
    }
  }
  if (records !== undefined) for (let i = 0; i < records.length; i++) if (!samePlain(we[records[i]!], le[records[i]!])) return takeBack(log, mark);
  const settled = settledFields(fam);
  let filled: string[] | undefined;
  for (const f in le) {
    const v = le[f];
    const mine = we[f];
    // The same value, or provenance, an ignored, grouped or record field (settled above): nothing to fill or report here.
    if (v === mine || settled.has(f) || samePlain(mine, v) || lacking(v)) continue;
    if (lacking(mine)) (filled ??= []).push(f);
    else if (f.endsWith('Derived')) return takeBack(log, mark);
    else pairConflict(fam, key, f, wl, we, ll, le, log);
  }
  if (filled === undefined) return soleEntry(we, run);
  const out = {} as Entry;
  for (const k in we) if (k !== 'prov' && k !== 'fieldProv') out[k] = run.copy(we[k]);
  const fieldProv: FieldProv = { ...(we.fieldProv ?? {}) };
  for (let i = 0; i < filled.length; i++) {
    out[filled[i]!] = run.copy(le[filled[i]!]);
    fieldProv[filled[i]!] = provOfField(le, filled[i]!);
  }
  out.prov = run.copy(we.prov);
  out.fieldProv = sortKeys(fieldProv);
  return out;
}

/** A group of a field and its `…Derived` flag (`keyword`, `keywordDerived`), tested without building the flag's name. */
function derivedFlag(g: string[]): boolean {
  return g.length === 2 && g[1]!.length === g[0]!.length + 7 && g[1]!.endsWith('Derived') && g[1]!.startsWith(g[0]!);
}

/** The conflicts logged since `mark` taken back (the entry goes to the field-by-field merge). */
function takeBack(log: ConflictLog, mark: number): undefined {
  log.list.length = mark;
  log.sortIds.length = mark;
  return undefined;
}

/**
 * Fields `fillsOnly` neither fills nor reports one by one: prov, fieldProv, the ignored ones, and
 * those of the family's groups and records (they move or merge together, settled before).
 */
const SETTLED = new Map<Family, Set<string>>(FAMILIES.map((fam) => [fam, new Set(['prov', 'fieldProv', ...(fam.ignore ?? []), ...(fam.groups ?? []).flat(), ...(fam.subRecords ?? [])])]));
function settledFields(fam: Family): Set<string> {
  return SETTLED.get(fam)!;
}

/** Record-valued fields (`actions`) are absent or records: `mergeSubRecord` would make one of anything else. */
function plainSubRecords(fam: Family, e: Entry): boolean {
  if (fam.subRecords === undefined) return true;
  for (const f of fam.subRecords) {
    if (!(f in e)) continue;
    const v = e[f];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  }
  return true;
}

/** The fields `saysTheSame` compares: defined, not prov, fieldProv or ignored. */
function factCount(fam: Family, e: Entry): number {
  const keys = Object.keys(e);
  let n = 0;
  for (let j = 0; j < keys.length; j++) {
    const f = keys[j]!;
    if (f !== 'prov' && f !== 'fieldProv' && e[f] !== undefined && !(fam.ignore !== undefined && fam.ignore.includes(f))) n++;
  }
  return n;
}

/** Strictly equal, or lists / records of the same strictly equal plain values (stricter than `sameValue`). */
function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || (a[i] !== null && typeof a[i] === 'object')) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const k in ra) {
    const x = ra[k];
    if (x !== rb[k] || (x !== null && typeof x === 'object')) return false;
    n++;
  }
  for (const _ in rb) n--;
  return n === 0;
}

function mergeEntry(fam: Family, key: string, contributions: Contribution[], run: MergeRun): Entry {
  const winner = contributions[0]!;
  // The winner's entry is read as it is; a new object is made only when a lower layer fills or wins a field.
  const m: EntryMerge = { fam, key, winner, result: winner.entry, fieldProv: winner.entry.fieldProv ?? {}, owned: false, conflicts: run.conflicts, copy: run.copy };
  const units = unitsOf(fam, contributions);
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (fam.subRecords?.includes(unit[0]!)) mergeSubRecord(m, unit[0]!, contributions);
    else mergeUnit(m, unit, contributions);
  }
  // As a complete (non-override) source writes the entry.
  const template = contributions.find((c) => !c.override)?.entry ?? winner.entry;
  // Only conflicts (or nothing): the winner's entry, as an entry only one layer has.
  if (!m.owned && template === winner.entry) return soleEntry(winner.entry, run);
  own(m);
  return finishEntry(m.result, template, m.fieldProv);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => compareStrings(a, b)));
}

/** `actions`: each option is its own field (`actions.retainUids`). */
function mergeSubRecord(m: EntryMerge, field: string, contributions: Contribution[]): void {
  const c0 = m.fam.canon?.[field] ?? canon;
  const mine = m.result[field];
  const rec: Record<string, unknown> = { ...((mine as Record<string, unknown> | undefined) ?? {}) };
  /** The record the result holds changes (anything but a plain record is replaced by one). */
  let changed = mine === null || typeof mine !== 'object' || Array.isArray(mine);
  const holder = new Map<string, Contribution>();
  for (const k of Object.keys(rec)) if (!lacking(rec[k])) holder.set(k, contributions[0]!);
  for (const c of contributions.slice(1)) {
    const theirs = (c.entry[field] as Record<string, unknown> | undefined) ?? {};
    for (const [k, v] of Object.entries(theirs)) {
      if (lacking(v)) continue;
      const sub = `${field}.${k}`;
      const h = holder.get(k);
      if (!h) {
        own(m);
        rec[k] = v;
        m.fieldProv[sub] = provOfField(c.entry, sub);
        holder.set(k, c);
        changed = true;
      } else if (!sameValue(rec[k], v, c0)) {
        conflictAt(m, sub, h, rec[k], c, v, provOfField(c.entry, sub));
      }
    }
  }
  // Keep the option columns in a stable order: the winner's first, then the filled ones.
  if (!changed) return;
  own(m);
  m.result[field] = rec;
}

/**
 * Private dictionaries go through the private family's own merge (sources/private/merge-private.ts:
 * ranges and pinned blocks in the key, creator variants, "a written name beats a derived one",
 * "a specific VR beats UN"), which takes sections lowest priority first: the layers reversed.
 * A private override patch is completed first from the highest lower layer with the same key, so
 * that only the fields it patches can differ.
 */
function mergePrivate(work: { name: string; ir: Ir }[], out: Ir, report: Report, overrideSources: Set<string>, how: PrivateMergeOptions): void {
  if (!work.some((l) => l.ir.privateDictionaries)) return;
  const keyOf = (e: PrivateElement) => privateKey({ ...e, creator: normalizeCreator(e.creator) });
  const inputs: PrivateMergeInput[] = [];
  work.forEach((l, i) => {
    const section = l.ir.privateDictionaries;
    if (!section) return;
    if (overrideSources.size === 0) {
      inputs.push({ layer: l.name, section });
      return;
    }
    const elements: PrivateElement[] = [];
    for (const e of section.elements) {
      if (!overrideSources.has(e.prov.source)) {
        elements.push(e);
        continue;
      }
      const base = work
        .slice(i + 1)
        .flatMap((x) => x.ir.privateDictionaries?.elements ?? [])
        .find((b) => !overrideSources.has(b.prov.source) && keyOf(b) === keyOf(e));
      const filled = { ...(base ?? {}), ...e } as PrivateElement;
      if (base) filled.prov = e.prov;
      delete filled.fieldProv;
      delete filled.raw;
      const missing = (['keyword', 'name', 'vr', 'vm', 'retired'] as const).filter((f) => filled[f] === undefined);
      if (missing.length > 0) {
        diag(report, {
          severity: 'error',
          code: 'override-without-base',
          message: `layer ${l.name}: private element ${keyOf(e)} lacks ${missing.join(', ')} (an override for an element no lower layer defines); dropped — give every field or add the layer that defines it`,
          source: e.prov.source,
          line: e.prov.line,
        });
        continue;
      }
      elements.push(filled);
    }
    inputs.push({ layer: l.name, section: { ...section, elements } });
  });
  out.privateDictionaries = mergePrivateDictionaries(inputs.reverse(), report, how);
}

/** An IOD is incomplete when a module or functional group macro it uses has no attribute rows; `withoutTable` lists them. */
function recomputeIncomplete(ir: Ir): void {
  const s = ir.iods!;
  // Ids with rows, one set per kind (no `kind:id` string per reference).
  const modulesWithRows = new Set<string>();
  const macrosWithRows = new Set<string>();
  for (const m of s.modules) if (m.rows !== undefined) (m.kind === 'module' ? modulesWithRows : m.kind === 'macro' ? macrosWithRows : undefined)?.add(m.id);
  for (const iod of s.iods) {
    const modules = (iod.modules ??= []);
    const groups = (iod.functionalGroups ??= []);
    let lacking: Set<string> | undefined;
    for (let i = 0; i < modules.length; i++) if (!modulesWithRows.has(modules[i]!.module)) (lacking ??= new Set()).add(`module:${modules[i]!.module}`);
    for (let i = 0; i < groups.length; i++) if (!macrosWithRows.has(groups[i]!.macro)) (lacking ??= new Set()).add(`macro:${groups[i]!.macro}`);
    iod.incomplete = lacking !== undefined;
    if (lacking !== undefined) iod.withoutTable = [...lacking];
    else delete iod.withoutTable;
  }
}

// ---------------------------------------------------------------------------------------------
// Summary

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A few lines for stderr: how many field conflicts, per family and per winning/losing layer pair,
 * and the first `examples` conflicts. Empty string when there is none.
 */
export function summarizeConflicts(report: Report, examples = 3): string {
  const cs = report.conflicts;
  if (cs.length === 0) return '';
  const byFamily = new Map<string, number>();
  const byPair = new Map<string, number>();
  for (const c of cs) {
    byFamily.set(c.family, (byFamily.get(c.family) ?? 0) + 1);
    for (const l of c.losers) {
      const pair = `${c.winner.layer} over ${l.layer}`;
      byPair.set(pair, (byPair.get(pair) ?? 0) + 1);
    }
  }
  const lines = [
    `${cs.length} field conflict${cs.length === 1 ? '' : 's'} between layers (first layer wins): ${[...byFamily].map(([f, n]) => `${f} ${n}`).join(', ')}`,
    `  by layer: ${[...byPair].map(([p, n]) => `${p} ${n}`).join(', ')}`,
  ];
  for (const c of cs.slice(0, examples)) {
    lines.push(`  ${c.family} ${c.key} ${c.field}: ${c.winner.layer} ${show(c.winner.value)} over ${c.losers.map((l) => `${l.layer} ${show(l.value)}`).join(', ')}`);
  }
  if (cs.length > examples) lines.push(`  … ${cs.length - examples} more in the report's "conflicts"`);
  return lines.join('\n');
}
