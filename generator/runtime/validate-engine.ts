/**
 * The validator's engine: one self-contained module (no imports) that the generator copies into
 * the generated package as `validate/engine.ts` and that the CLI runs directly. Rules are data
 * (`IodRules`, one file per IOD and per module/macro in the package); this module walks a dataset
 * — DICOM JSON model (PS3.18 F.2) or dcmjs' naturalized form — against them.
 *
 * Checks: module usage with conditions (PS3.3 §7.3), attribute presence and emptiness per Type
 * with conditions (PS3.5 §7.4), enumerated values (error) and defined terms (warning), value syntax
 * and length per VR (PS3.5 §6.2, Table 6.2-1), value multiplicity, functional groups per frame
 * (PS3.3 C.7.6.16), SR evidence (instances the content tree references listed in the evidence
 * sequences, PS3.3 C.17.2.3) and attributes outside the IOD (warning: standard extended SOP
 * classes may hold them); on request, the Type 1 keys of the DICOMDIR records (PS3.3 F.5).
 */

export type Requirement = '1' | '1C' | '2' | '2C' | '3';

/** A condition (the IR's condition AST, generator/ir-conditions.ts). */
export type Condition =
  | { op: 'present' | 'absent' | 'has-value'; tag: string; keyword: string; valueNumber?: number; in?: { tag: string; keyword: string }[] }
  | { op: 'equals' | 'not-equals'; values: string[]; tag: string; keyword: string; valueNumber?: number; in?: { tag: string; keyword: string }[] }
  | { op: 'greater-than' | 'less-than'; value: number; tag: string; keyword: string; valueNumber?: number; in?: { tag: string; keyword: string }[] }
  | { op: 'module-present'; module: string }
  | { op: 'and' | 'or'; of: Condition[] }
  | { op: 'not-parsed' }
  | { op: 'module-absent'; module: string }
  | { op: 'contains-code'; codes: { value: string; scheme: string }[]; tag: string; keyword: string; valueNumber?: number; in?: { tag: string; keyword: string }[] }
  /** A fact outside the dataset the standard's sentence names: never evaluated. */
  | { op: 'depends-on'; fact: string };

export interface ConditionRule {
  test: Condition;
  otherwise?: 'may-be-present' | 'shall-not-be-present';
}

/** One attribute row: tag, keyword, Type, VR (`US|SS` when several), VM, condition, value lists, items. */
export interface AttrRule {
  t: string;
  k: string;
  r: Requirement;
  v: string;
  m: string;
  c?: ConditionRule;
  /** Enumerated Values / Defined Terms. */
  e?: string[];
  d?: string[];
  /** Rows of each sequence item. */
  i?: RuleRow[];
  /** The items hold the IOD's functional group macros. */
  g?: 'shared' | 'per-frame';
}

/** An included macro (a thunk, so that files that include each other load in any order). */
export interface IncludeRule {
  inc: () => DefRules;
  /** The include applies only when this holds (an SR content item's Value Type). */
  c?: ConditionRule;
}

export type RuleRow = AttrRule | IncludeRule;

/** A module or macro: PS3.3 table and the edition it was read from. */
export interface DefRules {
  id: string;
  table: string;
  edition: string;
  rows: RuleRow[];
  /** Shared sequence item rows: findings name the definition that includes them. */
  transparent?: boolean;
}

export interface ModuleUse {
  def: () => DefRules;
  usage: 'M' | 'U' | 'C';
  c?: ConditionRule;
}

/**
 * SR and Key Object Selection documents: composite instances referenced from the content tree are
 * listed in the evidence sequences (PS3.3 C.17.2.3, Tables C.17-2 and C.17.6-2), as the IOD's
 * module tables define them (generator/iods/sr-evidence.ts).
 */
export interface EvidenceRule {
  /** The module whose table lists the evidence sequences, its table and edition. */
  module: string;
  table: string;
  edition: string;
  sequences: { t: string; k: string }[];
  /** Value Types whose content items reference an instance by Referenced SOP Sequence (0008,1199). */
  valueTypes: string[];
  /** Sequences in a Referenced SOP Sequence item naming accompanying instances (presentation state, real world value map). */
  accompanying: { t: string; k: string }[];
}

/** A DICOMDIR directory record type and its Type 1 keys (PS3.3 F.5; generator/iods/dicomdir-keys.ts). */
export interface DirectoryRecordRule {
  record: string;
  table: string;
  keys: { t: string; k: string }[];
}

/** Options of `validateWith`. */
export interface ValidateOptions {
  /** Also warn about Type 1 keys of the DICOMDIR records (PS3.3 F.5) the dataset cannot fill. */
  dicomdir?: boolean;
}

/** Everything needed to validate one IOD. `T` is the dataset type the guard narrows to. */
export interface IodRules<T = unknown> {
  id: string;
  name: string;
  table: string;
  edition: string;
  sopClasses: string[];
  modules: ModuleUse[];
  functionalGroups: ModuleUse[];
  /** Modules of the IOD whose attribute tables were not in the generator's inputs: not validated. */
  unchecked: string[];
  /** Functional group macros of the IOD without an attribute table: not validated. */
  uncheckedGroups: string[];
  evidence?: EvidenceRule;
  /** DICOMDIR records of the IOD's instances (absent: not filed under PATIENT). */
  dicomdir?: DirectoryRecordRule[];
  /** Phantom: the type `isConformant` narrows to. */
  readonly __type?: T;
}

export type Severity = 'error' | 'warning' | 'info';

export type FindingRule =
  | 'missing'
  | 'empty'
  | 'not-allowed'
  | 'condition-not-evaluated'
  | 'module-missing'
  | 'enumerated-value'
  | 'defined-term'
  | 'vr-syntax'
  | 'vr-length'
  | 'vm'
  | 'functional-groups'
  | 'sr-evidence'
  | 'dicomdir'
  | 'not-in-iod'
  | 'module-not-checked'
  | 'unknown-iod';

export interface Finding {
  severity: Severity;
  /** Keywords through sequences with item indices: `SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing`. */
  path: string;
  /** `(gggg,eeee)`; empty for dataset-level findings. */
  tag: string;
  keyword: string;
  /** Module or macro id the rule comes from (`ct-image`, `code-sequence-macro`). */
  module: string;
  rule: FindingRule;
  message: string;
  /** PS3.3 table of the rule (`C.8-3`) and the edition it was read from. */
  table: string;
  edition: string;
}

export interface ValidationResult {
  iod: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

// ---------------------------------------------------------------------------------------------
// Dataset access: one view over both input forms.

interface Element {
  vr?: string;
  /** Values (strings, numbers, PN objects, items); empty for an empty element. */
  values: unknown[];
  /** Bulk data (InlineBinary / BulkDataURI / ArrayBuffer): not a value list. */
  bulk?: boolean;
}

interface Item {
  get(tag: string, keyword: string): Element | undefined;
  /** Every key of the item as `{ tag?, keyword?, key }` for the "outside the IOD" check. */
  keys(): { key: string; tag?: string }[];
}

const JSON_KEY = /^[0-9A-Fa-f]{8}$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function jsonItem(obj: Record<string, unknown>): Item {
  return {
    get(tag) {
      const e = obj[tag.replace(/x/g, '0')] ?? obj[tag.toLowerCase().replace(/x/g, '0')];
      if (!isRecord(e)) return undefined;
      const vr = typeof e.vr === 'string' ? e.vr : undefined;
      if ('InlineBinary' in e || 'BulkDataURI' in e) return { vr, values: [], bulk: true };
      const v = e.Value;
      return { vr, values: Array.isArray(v) ? v : [] };
    },
    keys: () => Object.keys(obj).map((k) => ({ key: k, tag: k.toUpperCase() })),
  };
}

function naturalItem(obj: Record<string, unknown>): Item {
  return {
    get(_tag, keyword) {
      if (!(keyword in obj)) return undefined;
      const v = obj[keyword];
      if (v === undefined) return undefined;
      if (v === null || v === '') return { values: [] };
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return { values: [], bulk: true };
      if (Array.isArray(v)) {
        if (v.some((x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x))) return { values: [], bulk: true };
        return { values: v.filter((x) => x !== null && x !== undefined && x !== '') };
      }
      if (isRecord(v) && ('InlineBinary' in v || 'BulkDataURI' in v)) return { values: [], bulk: true };
      return { values: [v] };
    },
    // dcmjs keeps elements it has no keyword for (private, unknown) under their `ggggeeee` key.
    keys: () => Object.keys(obj).filter((k) => !k.startsWith('_')).map((k) => (JSON_KEY.test(k) ? { key: k, tag: k.toUpperCase() } : { key: k })),
  };
}

/** The DICOM JSON model keys every attribute by `ggggeeee` with `{ vr }`; anything else is the naturalized form. */
export function datasetForm(x: unknown): 'json' | 'natural' {
  if (!isRecord(x)) return 'natural';
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => JSON_KEY.test(k)) && keys.every((k) => isRecord(x[k]) && 'vr' in (x[k] as object)) ? 'json' : 'natural';
}

// ---------------------------------------------------------------------------------------------
// Value syntax per VR (PS3.5 §6.2).

/** Maximum length in characters per VR (PS3.5 Table 6.2-1). */
const MAX_LENGTH: Record<string, number> = { AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, LT: 10240, SH: 16, ST: 1024, TM: 14, UI: 64 };
const INT_RANGE: Record<string, [number, number]> = { US: [0, 65535], SS: [-32768, 32767], UL: [0, 4294967295], SL: [-2147483648, 2147483647] };
const TEXT_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UC', 'UT', 'PN', 'AE']);

function validDate(y: string, m: string, d: string): boolean {
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = [31, Number(y) % 4 === 0 && (Number(y) % 100 !== 0 || Number(y) % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!;
  return dd <= days;
}

function checkTime(s: string): string | undefined {
  const m = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(s.trimEnd());
  if (!m) return /^\d{2}:\d{2}/.test(s) ? 'HH:MM:SS is the retired ACR-NEMA form; HHMMSS.FFFFFF expected' : 'HHMMSS.FFFFFF expected';
  if (Number(m[1]) > 23 || (m[2] !== undefined && Number(m[2]) > 59) || (m[3] !== undefined && Number(m[3]) > 60)) return 'hour, minute or second out of range';
  return undefined;
}

/** `undefined` when the string value is valid for the VR, else why not. */
export function checkStringValue(vr: string, s: string): string | undefined {
  if (vr === 'PN') return checkPersonName(s);
  const syntax = checkSyntax(vr, s);
  if (syntax) return syntax;
  const max = MAX_LENGTH[vr];
  return max !== undefined && s.length > max ? `longer than ${max} characters (${s.length})` : undefined;
}

/** The character and format rules of a VR (length aside). */
function checkSyntax(vr: string, s: string): string | undefined {
  if (vr !== 'LT' && vr !== 'ST' && vr !== 'UT' && s.includes('\\')) return 'backslash is the value delimiter';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/.test(s)) return 'control character';
  if (!TEXT_VRS.has(vr) && vr !== 'UR' && /[\n\r\f]/.test(s)) return 'line break';
  switch (vr) {
    case 'CS':
      return /^[A-Z0-9 _]*$/.test(s) ? undefined : 'only upper-case letters, digits, space and underscore';
    case 'DA': {
      const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s.trimEnd());
      if (!m) return 'YYYYMMDD expected';
      return validDate(m[1]!, m[2]!, m[3]!) ? undefined : 'not a calendar date';
    }
    case 'TM':
      return checkTime(s);
    case 'DT': {
      const m = /^(\d{4})(?:(\d{2})(?:(\d{2})(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/.exec(s.trimEnd());
      if (!m) return 'YYYYMMDDHHMMSS.FFFFFF&ZZXX expected';
      if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) return 'month out of range';
      if (m[3] !== undefined && !validDate(m[1]!, m[2]!, m[3])) return 'not a calendar date';
      return m[4] ? checkTime(m[4]) : undefined;
    }
    case 'AS':
      return /^\d{3}[DWMY]$/.test(s) ? undefined : 'nnnD, nnnW, nnnM or nnnY expected';
    case 'DS':
      return /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/.test(s) ? undefined : 'not a decimal string';
    case 'IS': {
      if (!/^ *[+-]?\d+ *$/.test(s)) return 'not an integer string';
      const n = Number(s);
      return n < -2147483648 || n > 2147483647 ? 'outside -2^31..2^31-1' : undefined;
    }
    case 'UI':
      return checkUid(s);
    case 'AE':
      return s.trim() === '' ? 'only spaces' : undefined;
    default:
      return undefined;
  }
}

/** UI (PS3.5 §9.1): digits and dots, at most 64 characters, no empty component, no leading zero, a root arc 0, 1 or 2 and at least two components. */
export function checkUid(s: string): string | undefined {
  const u = s.replace(/\0+$/, '');
  if (u.length > 64) return `longer than 64 characters (${u.length})`;
  if (!/^[0-9.]+$/.test(u)) return 'only digits and dots';
  const parts = u.split('.');
  if (parts.some((p) => p === '')) return 'empty component';
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return 'leading zero in a component';
  if (!['0', '1', '2'].includes(parts[0]!)) return 'root arc is not 0, 1 or 2';
  if (parts.length < 2) return 'a single component';
  return undefined;
}

/** PN (PS3.5 §6.2.1): at most three component groups (`=`) of five components (`^`), 64 characters each. */
export function checkPersonName(s: string): string | undefined {
  const groups = s.split('=');
  if (groups.length > 3) return 'more than three component groups';
  for (const g of groups) {
    if (g.length > 64) return `component group longer than 64 characters (${g.length})`;
    if (g.split('^').length > 5) return 'more than five components';
  }
  return undefined;
}

function pnText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isRecord(v)) return undefined;
  return ['Alphabetic', 'Ideographic', 'Phonetic'].map((k) => (typeof v[k] === 'string' ? (v[k] as string) : '')).join('=').replace(/=+$/, '');
}

/** Why one value is invalid for its VR; undefined when valid. */
function checkValue(vr: string, v: unknown): string | undefined {
  if (vr === 'SQ') return isRecord(v) ? undefined : 'a sequence item must be an object';
  if (vr === 'PN') {
    const t = pnText(v);
    return t === undefined ? 'not a person name' : checkPersonName(t);
  }
  if (vr in INT_RANGE) {
    const [lo, hi] = INT_RANGE[vr]!;
    return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? undefined : `not an integer in ${lo}..${hi}`;
  }
  if (vr === 'FL' || vr === 'FD') return typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? undefined : 'not a number';
  if (vr === 'SV' || vr === 'UV') return typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? undefined : 'not an integer';
  if (vr === 'AT') return typeof v === 'string' && /^[0-9A-Fa-f]{8}$/.test(v) ? undefined : typeof v === 'number' ? undefined : 'not a tag (8 hex digits)';
  if ((vr === 'DS' || vr === 'IS') && typeof v === 'number') {
    if (!Number.isFinite(v)) return 'not finite';
    return vr === 'IS' && !Number.isInteger(v) ? 'not an integer' : undefined;
  }
  if (typeof v !== 'string') return typeof v === 'number' && !MAX_LENGTH[vr] ? undefined : `a ${vr} value is a string`;
  return checkStringValue(vr, v);
}

/** VM (`1`, `1-n`, `2-2n`, `1-3`, `6`) allows `n` values. */
export function vmAllows(vm: string, n: number): boolean {
  const m = /^(\d+)(?:-(\d+)?(n)?)?$/.exec(vm.trim());
  if (!m) return true;
  const min = Number(m[1]);
  if (m[2] === undefined && m[3] === undefined) return n === min;
  if (m[3] !== undefined) {
    const step = m[2] !== undefined ? Number(m[2]) : 1;
    return n >= min && (step <= 1 || n % step === 0);
  }
  return n >= min && n <= Number(m[2]);
}

// ---------------------------------------------------------------------------------------------
// Conditions: three-valued (true, false, unknown = not evaluated).

type Tri = true | false | undefined;

interface Scope {
  item: Item;
  /** Items a lookup also searches one sequence level down (the current frame's functional groups). */
  frame?: Item[];
}

function lookup(scopes: Scope[], tag: string, keyword: string, inSeq?: { tag: string; keyword: string }[]): Element | undefined {
  for (let s = scopes.length - 1; s >= 0; s--) {
    const sc = scopes[s]!;
    if (inSeq && inSeq.length > 0) {
      const seq = sc.item.get(inSeq[0]!.tag, inSeq[0]!.keyword);
      if (seq) {
        for (const it of seq.values) {
          if (!isRecord(it)) continue;
          const hit = itemOf(it).get(tag, keyword);
          if (hit) return hit;
        }
      }
      continue;
    }
    const hit = sc.item.get(tag, keyword);
    if (hit) return hit;
    for (const f of sc.frame ?? []) {
      for (const k of f.keys()) {
        const seq = k.tag ? f.get(k.tag, '') : naturalValue(f, k.key);
        const first = seq?.values[0];
        if (isRecord(first)) {
          const nested = itemOf(first).get(tag, keyword);
          if (nested) return nested;
        }
      }
    }
  }
  return undefined;
}

function naturalValue(item: Item, key: string): Element | undefined {
  return item.get('', key);
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return pnText(v) ?? '';
}

function matches(v: unknown, want: string): boolean {
  const t = valueText(v);
  if (t === want) return true;
  const a = Number(t);
  const b = Number(want);
  return t !== '' && want !== '' && !Number.isNaN(a) && !Number.isNaN(b) && a === b;
}

/** A value against an entry of Enumerated Values / Defined Terms: text, or a number written in hex (`0001H`, PS3.3 for US values). */
function listMatch(v: unknown, entry: string): boolean {
  if (/^[0-9A-Fa-f]+H$/.test(entry) && typeof v === 'number') return v === parseInt(entry.slice(0, -1), 16);
  return matches(v, entry);
}

/** A code sequence holding an item with one of the codes (Code Value or Long/URN Code Value, and Coding Scheme Designator; PS3.3 §8.1). */
function containsCode(seq: Element | undefined, codes: { value: string; scheme: string }[]): boolean {
  for (const it of seq?.values ?? []) {
    if (!isRecord(it)) continue;
    const item = itemOf(it);
    const text = (tag: string, keyword: string) => valueText(item.get(tag, keyword)?.values[0] ?? '');
    const value = text('00080100', 'CodeValue') || text('00080119', 'LongCodeValue') || text('00080120', 'URNCodeValue');
    const scheme = text('00080102', 'CodingSchemeDesignator');
    if (codes.some((c) => c.value === value && c.scheme === scheme)) return true;
  }
  return false;
}

/**
 * `siblings`: tags of the rows of the item the conditioned attribute belongs to. A condition naming
 * one of them ("and Referenced Segment Number is not present" in an Image SOP Instance Reference
 * item) means that item, not an enclosing one that happens to hold the same attribute.
 */
function evaluate(c: Condition, scopes: Scope[], modulePresent: (id: string) => boolean, siblings?: Set<string>): Tri {
  switch (c.op) {
    case 'not-parsed':
    case 'depends-on':
      return undefined;
    case 'module-present':
      return modulePresent(c.module);
    case 'module-absent':
      return !modulePresent(c.module);
    case 'contains-code':
      return containsCode(lookup(scopes, c.tag, c.keyword, c.in), c.codes);
    case 'and': {
      let unknown = false;
      for (const x of c.of) {
        const r = evaluate(x, scopes, modulePresent, siblings);
        if (r === false) return false;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const x of c.of) {
        const r = evaluate(x, scopes, modulePresent, siblings);
        if (r === true) return true;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    default: {
      const el = siblings?.has(c.tag) && !c.in?.length ? scopes[scopes.length - 1]!.item.get(c.tag, c.keyword) : lookup(scopes, c.tag, c.keyword, c.in);
      if (c.op === 'present') return el !== undefined;
      if (c.op === 'absent') return el === undefined;
      if (c.op === 'has-value') return el !== undefined && (el.values.length > 0 || el.bulk === true);
      if (!el) return false;
      const vals = c.valueNumber !== undefined ? el.values.slice(c.valueNumber - 1, c.valueNumber) : el.values;
      if (vals.length === 0) return false;
      if (c.op === 'equals') return vals.some((v) => c.values.some((w) => matches(v, w)));
      if (c.op === 'not-equals') return vals.every((v) => !c.values.some((w) => matches(v, w)));
      const nums = vals.map((v) => Number(valueText(v))).filter((n) => !Number.isNaN(n));
      if (nums.length === 0 || (c.op !== 'greater-than' && c.op !== 'less-than')) return undefined;
      const limit = c.value;
      return c.op === 'greater-than' ? nums.some((n) => n > limit) : nums.some((n) => n < limit);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The walk.

const items = new WeakMap<object, Item>();
let currentForm: 'json' | 'natural' = 'json';

function itemOf(obj: Record<string, unknown>): Item {
  let it = items.get(obj);
  if (!it) {
    it = currentForm === 'json' ? jsonItem(obj) : naturalItem(obj);
    items.set(obj, it);
  }
  return it;
}

interface Ctx {
  /** True once a module row holding the functional groups (`g`) was walked. */
  groupsWalked?: boolean;
  rules: IodRules;
  findings: Finding[];
  seen: Set<string>;
  modulePresent: (id: string) => boolean;
}

function tagText(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

function add(ctx: Ctx, def: DefRules, path: string, a: AttrRule | undefined, severity: Severity, rule: FindingRule, message: string): void {
  const key = `${path}|${rule}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  ctx.findings.push({ severity, path, tag: a ? tagText(a.t) : '', keyword: a?.k ?? '', module: def.id, rule, message, table: def.table, edition: def.edition });
}

/** An attribute row with the definition it comes from and the conditions of the includes that brought it. */
interface Placed {
  a: AttrRule;
  def: DefRules;
  when?: ConditionRule[];
}

/** Rows of a definition with includes expanded (a definition already being expanded is not re-entered). */
function expandRows(rows: RuleRow[], owner: DefRules, out: Placed[], stack: DefRules[], when?: ConditionRule[]): Placed[] {
  for (const r of rows) {
    if ('inc' in r) {
      const d = r.inc();
      if (stack.includes(d)) continue;
      expandRows(d.rows, d.transparent ? owner : d, out, [...stack, d], r.c ? [...(when ?? []), r.c] : when);
    } else out.push(when ? { a: r, def: owner, when } : { a: r, def: owner });
  }
  return out;
}

const expanded = new WeakMap<RuleRow[], Placed[]>();
/**
 * The expanded rows of a definition (`rows === owner.rows`) or of a sequence item. An item is a
 * new data level, so an item may include the macro that declares the sequence (SR Content
 * Sequence): recursion is then bounded by the dataset's depth.
 */
function rowsOf(rows: RuleRow[], owner: DefRules): Placed[] {
  let hit = expanded.get(rows);
  if (!hit) {
    hit = expandRows(rows, owner, [], rows === owner.rows ? [owner] : []);
    expanded.set(rows, hit);
  }
  return hit;
}

function describe(c: Condition): string {
  switch (c.op) {
    case 'and':
    case 'or':
      return c.of.map(describe).join(` ${c.op} `);
    case 'not-parsed':
      return 'a condition this validator does not evaluate';
    case 'depends-on':
      return `depends on ${c.fact}`;
    case 'module-present':
      return `module ${c.module} present`;
    case 'module-absent':
      return `module ${c.module} absent`;
    case 'contains-code':
      return `${c.keyword} has an item coded ${c.codes.map((x) => `(${x.value}, ${x.scheme})`).join(' or ')}`;
    default: {
      const who = `${c.valueNumber ? `value ${c.valueNumber} of ` : ''}${c.keyword}`;
      if (c.op === 'equals') return `${who} is ${c.values.join(' or ')}`;
      if (c.op === 'not-equals') return `${who} is not ${c.values.join(' or ')}`;
      if (c.op === 'greater-than') return `${who} > ${c.value}`;
      if (c.op === 'less-than') return `${who} < ${c.value}`;
      return `${who} ${c.op === 'has-value' ? 'has a value' : `is ${c.op}`}`;
    }
  }
}

/** Facts outside the dataset a condition names (`depends-on` nodes), in order. */
function outsideFacts(c: Condition, out: string[] = []): string[] {
  if (c.op === 'depends-on' && !out.includes(c.fact)) out.push(c.fact);
  if (c.op === 'and' || c.op === 'or') for (const x of c.of) outsideFacts(x, out);
  return out;
}

/** "condition not evaluated: depends on <fact>" when the condition names facts outside the dataset, else why it was not evaluated. */
function notEvaluated(c: Condition | undefined): string {
  if (!c) return 'condition not evaluated (no condition text)';
  const facts = outsideFacts(c);
  return facts.length > 0 ? `condition not evaluated: depends on ${facts.join(', ')} (${describe(c)})` : `condition not evaluated (${describe(c)})`;
}

/** Validate one item (the dataset or a sequence item) against definition rows. */
const siblingTags = new WeakMap<Placed[], Set<string>>();

function walkRows(ctx: Ctx, rows: Placed[], scopes: Scope[], path: string, known: Set<string>): void {
  const item = scopes[scopes.length - 1]!.item;
  let siblings = siblingTags.get(rows);
  if (!siblings) siblingTags.set(rows, (siblings = new Set(rows.map((r) => r.a.t))));
  for (const { a, def, when } of rows) {
    const el = item.get(a.t, a.k);
    if (when) {
      const holds = when.map((w) => evaluate(w.test, scopes, ctx.modulePresent));
      if (holds.includes(false)) continue;
      known.add(a.t);
      known.add(a.k);
      if (holds.includes(undefined)) continue;
    }
    known.add(a.t);
    known.add(a.k);
    const p = path ? `${path}.${a.k}` : a.k;
    let req: Requirement = a.r;
    if (a.r === '1C' || a.r === '2C') {
      const holds = a.c ? evaluate(a.c.test, scopes, ctx.modulePresent, siblings) : undefined;
      if (holds === true) req = a.r === '1C' ? '1' : '2';
      else if (holds === false) {
        if (el && a.c?.otherwise === 'shall-not-be-present') add(ctx, def, p, a, 'error', 'not-allowed', `Type ${a.r}: present although the condition (${describe(a.c.test)}) does not hold; the standard says it shall not be present otherwise`);
      } else if (!el) {
        // Reported whatever the otherwise clause says: the condition may hold, and then the attribute is required.
        add(ctx, def, p, a, 'info', 'condition-not-evaluated', `Type ${a.r} attribute absent; ${notEvaluated(a.c?.test)}`);
      }
    }
    if (!el) {
      if (req === '1' || req === '2') add(ctx, def, p, a, 'error', 'missing', `missing Type ${a.r} attribute${req !== a.r ? ` (condition holds: ${describe(a.c!.test)})` : ''}`);
      continue;
    }
    const empty = el.values.length === 0 && !el.bulk;
    if (empty) {
      if (req === '1' || a.r === '1C') add(ctx, def, p, a, 'error', 'empty', `Type ${a.r} attribute is empty`);
      continue;
    }
    checkElement(ctx, def, a, el, p);
    if (a.i && el.values.length > 0) {
      el.values.forEach((it, n) => {
        if (!isRecord(it)) return;
        const ip = `${p}[${n}]`;
        const sub = itemOf(it);
        if (a.g) {
          ctx.groupsWalked = true;
          walkFunctionalGroups(ctx, a.g, sub, scopes, ip, n);
        }
        else walkItem(ctx, rowsOf(a.i!, def), [...scopes, { item: sub }], ip);
      });
    }
  }
}

function walkItem(ctx: Ctx, rows: Placed[], scopes: Scope[], path: string): void {
  const known = new Set<string>();
  walkRows(ctx, rows, scopes, path, known);
  outsideIod(ctx, scopes[scopes.length - 1]!.item, known, path);
}

/** VR syntax and length, VM, enumerated values and defined terms of a present, non-empty element (once per path). */
function checkElement(ctx: Ctx, def: DefRules, a: AttrRule, el: Element, p: string): void {
  const key = `${p}|values`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  if (el.bulk) return;
  const vrs = a.v.split('|');
  // The JSON model names the VR of a multi-VR attribute (`US or SS`); the naturalized form does not: any of them may hold.
  const candidates = el.vr && vrs.includes(el.vr) ? [el.vr] : vrs;
  const vr = candidates[0]!;
  if (vr !== 'SQ' && !vmAllows(a.m, el.values.length)) add(ctx, def, p, a, 'error', 'vm', `${el.values.length} values; VM is ${a.m}`);
  el.values.forEach((v, n) => {
    const why = candidates.every((c) => checkValue(c, v) !== undefined) ? checkValue(vr, v) : undefined;
    if (why) add(ctx, def, `${p}[${n}]`, a, 'error', why.startsWith('longer') ? 'vr-length' : 'vr-syntax', `value ${n + 1} ${JSON.stringify(valueText(v) || v)} is not a valid ${vr}: ${why}`);
    const t = valueText(v);
    if (a.e && !a.e.some((w) => listMatch(v, w))) add(ctx, def, `${p}[${n}]`, a, 'error', 'enumerated-value', `value ${n + 1} ${JSON.stringify(t)} is not an enumerated value (${a.e.join(', ')})`);
    else if (a.d && !a.d.some((w) => listMatch(v, w))) add(ctx, def, `${p}[${n}]`, a, 'warning', 'defined-term', `value ${n + 1} ${JSON.stringify(t)} is not a defined term`);
  });
}

function isStandardKey(k: { key: string; tag?: string }): boolean {
  if (!k.tag) return k.key !== 'DataSetTrailingPadding';
  const group = parseInt(k.tag.slice(0, 4), 16);
  // Private groups, group lengths, file meta, command groups and trailing padding (PS3.10) are not IOD attributes.
  return group % 2 === 0 && group !== 0x0002 && group !== 0x0000 && k.tag.slice(4) !== '0000' && k.tag !== 'FFFCFFFC';
}

function outsideIod(ctx: Ctx, item: Item, known: Set<string>, path: string): void {
  for (const k of item.keys()) {
    if (!isStandardKey(k) || known.has(k.tag ?? k.key) || k.key === 'SpecificCharacterSet' || k.tag === '00080005') continue;
    const name = k.tag ? tagText(k.tag) : k.key;
    const p = path ? `${path}.${name}` : name;
    const key = `${p}|not-in-iod`;
    if (ctx.seen.has(key)) continue;
    ctx.seen.add(key);
    const maybe = ctx.rules.unchecked.length > 0 ? ` or in ${ctx.rules.unchecked.join(', ')} (no attribute table in the inputs)` : '';
    ctx.findings.push({ severity: 'warning', path: p, tag: k.tag ? tagText(k.tag) : '', keyword: k.tag ? '' : k.key, module: '', rule: 'not-in-iod', message: `attribute is not in the IOD's module tables${maybe}; allowed in a standard extended SOP class`, table: ctx.rules.table, edition: ctx.rules.edition });
  }
}

/** Items of the Shared / Per-frame Functional Groups Sequence hold the IOD's functional group macros (PS3.3 C.7.6.16). */
function walkFunctionalGroups(ctx: Ctx, kind: 'shared' | 'per-frame', item: Item, scopes: Scope[], path: string, frame: number): void {
  const root = scopes[0]!.item;
  const shared = root.get('52009229', 'SharedFunctionalGroupsSequence');
  const sharedItem = shared && isRecord(shared.values[0]) ? itemOf(shared.values[0] as Record<string, unknown>) : undefined;
  const perFrame = root.get('52009230', 'PerFrameFunctionalGroupsSequence');
  const frameItem = kind === 'per-frame' ? item : perFrame && isRecord(perFrame.values[0]) ? itemOf(perFrame.values[0] as Record<string, unknown>) : undefined;
  const frameScope: Scope = { item, frame: [sharedItem, frameItem].filter((x): x is Item => x !== undefined) };
  const known = new Set<string>();
  for (const use of ctx.rules.functionalGroups) {
    const def = use.def();
    const rows = rowsOf(def.rows, def);
    const here = rows.some(({ a }) => item.get(a.t, a.k));
    const other = kind === 'shared' ? frameItem : sharedItem;
    const elsewhere = other ? rows.some(({ a }) => other.get(a.t, a.k)) : false;
    for (const { a } of rows) {
      known.add(a.t);
      known.add(a.k);
    }
    if (!here) {
      // A macro belongs in the shared item or in every per-frame item: report it once, on the per-frame side.
      if (kind === 'per-frame' && !elsewhere && use.usage === 'M') {
        const a0 = rows[0]?.a;
        add(ctx, def, `${path}.${a0?.k ?? def.id}`, a0, 'error', 'missing', `functional group ${def.id} (Type M) is neither in the shared item nor in frame ${frame + 1}'s item`);
      }
      continue;
    }
    walkRows(ctx, rows, [...scopes, frameScope], path, known);
  }
  // A functional group macro without an attribute table may hold any of the item's attributes.
  if (ctx.rules.uncheckedGroups.length === 0) outsideIod(ctx, item, known, path);
}

/**
 * A module is present when one of its top-level attributes is, counting only attributes no
 * mandatory module of the IOD also defines (Pixel Spacing in a Secondary Capture does not make
 * the optional Image Plane module present).
 */
const mandatoryTags = new WeakMap<IodRules, Set<string>>();

function modulePresence(rules: IodRules, root: Item): (id: string) => boolean {
  const cache = new Map<string, boolean>();
  let mandatory = mandatoryTags.get(rules);
  if (!mandatory) {
    mandatory = new Set<string>();
    for (const m of rules.modules) if (m.usage === 'M') for (const { a } of rowsOf(m.def().rows, m.def())) mandatory.add(a.t);
    mandatoryTags.set(rules, mandatory);
  }
  const required = mandatory;
  return (id) => {
    let hit = cache.get(id);
    if (hit === undefined) {
      const use = rules.modules.find((m) => m.def().id === id);
      const own = (a: AttrRule) => use?.usage === 'M' || !required.has(a.t);
      hit = use ? rowsOf(use.def().rows, use.def()).some(({ a }) => own(a) && root.get(a.t, a.k) !== undefined) : false;
      cache.set(id, hit);
    }
    return hit;
  };
}

/** Validate a dataset (DICOM JSON model or naturalized) against one IOD's rules. */
export function validateWith(rules: IodRules, dataset: unknown, options: ValidateOptions = {}): ValidationResult {
  const findings: Finding[] = [];
  if (!isRecord(dataset)) {
    findings.push({ severity: 'error', path: '', tag: '', keyword: '', module: '', rule: 'unknown-iod', message: 'the dataset is not an object', table: rules.table, edition: rules.edition });
    return summarize(rules.id, findings);
  }
  currentForm = datasetForm(dataset);
  const root = itemOf(dataset);
  const ctx: Ctx = { rules, findings, seen: new Set(), modulePresent: modulePresence(rules, root) };
  const scopes: Scope[] = [{ item: root }];
  const known = new Set<string>();
  for (const use of rules.modules) {
    const def = use.def();
    const rows = rowsOf(def.rows, def);
    const present = ctx.modulePresent(def.id);
    if (use.usage === 'U' && !present) {
      for (const { a } of rows) known.add(a.t), known.add(a.k);
      continue;
    }
    if (use.usage === 'C') {
      const holds = use.c ? evaluate(use.c.test, scopes, ctx.modulePresent) : undefined;
      if (holds !== true && !present) {
        if (holds === undefined && use.c) add(ctx, def, '', undefined, 'info', 'condition-not-evaluated', `conditional module ${def.id} absent; ${notEvaluated(use.c.test)}`);
        for (const { a } of rows) known.add(a.t), known.add(a.k);
        continue;
      }
      if (holds === false && present && use.c?.otherwise === 'shall-not-be-present') add(ctx, def, '', undefined, 'error', 'not-allowed', `module ${def.id} is present although its condition (${describe(use.c.test)}) does not hold`);
    }
    walkRows(ctx, rows, scopes, '', known);
  }
  if (!ctx.groupsWalked && rules.functionalGroups.length > 0) {
    walkGroupSequences(ctx, root, scopes);
    known.add('52009229'), known.add('52009230'), known.add('SharedFunctionalGroupsSequence'), known.add('PerFrameFunctionalGroupsSequence');
  }
  checkFrames(ctx, root);
  checkEvidence(ctx, root);
  if (options.dicomdir) checkDicomdir(ctx, root);
  for (const id of [...rules.unchecked, ...rules.uncheckedGroups]) {
    findings.push({ severity: 'info', path: '', tag: '', keyword: '', module: id, rule: 'module-not-checked', message: `module ${id} had no attribute table in the generator's inputs: not validated`, table: rules.table, edition: rules.edition });
  }
  outsideIod(ctx, root, known, '');
  return summarize(rules.id, findings);
}

/** The IOD's functional group macros in the Shared / Per-frame sequences when no module table of the inputs declared those sequences. */
function walkGroupSequences(ctx: Ctx, root: Item, scopes: Scope[]): void {
  for (const [tag, keyword, kind] of [['52009229', 'SharedFunctionalGroupsSequence', 'shared'], ['52009230', 'PerFrameFunctionalGroupsSequence', 'per-frame']] as const) {
    root.get(tag, keyword)?.values.forEach((it, n) => {
      if (isRecord(it)) walkFunctionalGroups(ctx, kind, itemOf(it), scopes, `${keyword}[${n}]`, n);
    });
  }
}

/** Per-frame item count against Number of Frames; one shared item (PS3.3 C.7.6.16). */
function checkFrames(ctx: Ctx, root: Item): void {
  const perFrame = root.get('52009230', 'PerFrameFunctionalGroupsSequence');
  const shared = root.get('52009229', 'SharedFunctionalGroupsSequence');
  const frames = root.get('00280008', 'NumberOfFrames');
  const def: DefRules = { id: 'multi-frame-functional-groups', table: 'C.7.6.16-1', edition: ctx.rules.edition, rows: [] };
  if (shared && shared.values.length > 1) add(ctx, def, 'SharedFunctionalGroupsSequence', { t: '52009229', k: 'SharedFunctionalGroupsSequence', r: '1', v: 'SQ', m: '1' }, 'error', 'functional-groups', `${shared.values.length} items; exactly one is allowed`);
  if (!perFrame) return;
  const n = frames ? Number(valueText(frames.values[0])) : NaN;
  if (perFrame.values.length !== n) {
    const said = Number.isNaN(n) ? 'Number of Frames (0028,0008) is absent or not a number' : `Number of Frames is ${n}`;
    add(ctx, def, 'PerFrameFunctionalGroupsSequence', { t: '52009230', k: 'PerFrameFunctionalGroupsSequence', r: '1', v: 'SQ', m: '1' }, 'error', 'functional-groups', `${perFrame.values.length} items but ${said}: one item per frame`);
  }
}

// ---------------------------------------------------------------------------------------------
// SR evidence (PS3.3 C.17.2.3; Key Object Document, Table C.17.6-2).

const SOP_INSTANCE_ROW: AttrRule = { t: '00081155', k: 'ReferencedSOPInstanceUID', r: '1', v: 'UI', m: '1' };
const SOP_CLASS_ROW: AttrRule = { t: '00081150', k: 'ReferencedSOPClassUID', r: '1', v: 'UI', m: '1' };

interface ListedInstance {
  sopClass: string;
  sequence: string;
}

interface EvidenceWalk {
  ctx: Ctx;
  def: DefRules;
  rule: EvidenceRule;
  listed: Map<string, ListedInstance>;
}

function uidOf(el: Element | undefined): string {
  const v = el?.values[0];
  return typeof v === 'string' ? v.replace(/\0+$/, '').trim() : '';
}

function itemsIn(el: Element | undefined): Item[] {
  return (el?.values ?? []).filter(isRecord).map(itemOf);
}

/** SOP Instance UID → SOP Class UID and sequence, from the Hierarchical SOP Instance Reference items (Table C.17-3). */
function listedEvidence(rule: EvidenceRule, root: Item): Map<string, ListedInstance> {
  const listed = new Map<string, ListedInstance>();
  for (const s of rule.sequences) {
    for (const study of itemsIn(root.get(s.t, s.k))) {
      for (const series of itemsIn(study.get('00081115', 'ReferencedSeriesSequence'))) {
        for (const ref of itemsIn(series.get('00081199', 'ReferencedSOPSequence'))) {
          const uid = uidOf(ref.get(SOP_INSTANCE_ROW.t, SOP_INSTANCE_ROW.k));
          if (uid && !listed.has(uid)) listed.set(uid, { sopClass: uidOf(ref.get(SOP_CLASS_ROW.t, SOP_CLASS_ROW.k)), sequence: s.k });
        }
      }
    }
  }
  return listed;
}

/** One reference of a content item: listed, and listed with the same SOP Class (an absent or empty UID is the attribute rows' finding). */
function checkReference(w: EvidenceWalk, ref: Item, path: string, what: string): void {
  const uid = uidOf(ref.get(SOP_INSTANCE_ROW.t, SOP_INSTANCE_ROW.k));
  if (!uid) return;
  const sopClass = uidOf(ref.get(SOP_CLASS_ROW.t, SOP_CLASS_ROW.k));
  const hit = w.listed.get(uid);
  if (!hit) {
    const names = w.rule.sequences.map((s) => s.k).join(' or ');
    add(w.ctx, w.def, `${path}.${SOP_INSTANCE_ROW.k}`, SOP_INSTANCE_ROW, 'error', 'sr-evidence', `SOP Instance ${uid} referenced from ${what} is not listed in ${names}`);
  } else if (sopClass && hit.sopClass && sopClass !== hit.sopClass) {
    add(w.ctx, w.def, `${path}.${SOP_CLASS_ROW.k}`, SOP_CLASS_ROW, 'error', 'sr-evidence', `SOP Instance ${uid} referenced from ${what} as SOP Class ${sopClass} is listed in ${hit.sequence} as SOP Class ${hit.sopClass}`);
  }
}

/** Content items of a Content Sequence, to any depth: each referencing Value Type's Referenced SOP Sequence items and their accompanying instances. */
function walkEvidence(w: EvidenceWalk, tree: Element, path: string): void {
  tree.values.forEach((v, n) => {
    if (!isRecord(v)) return;
    const item = itemOf(v);
    const ip = `${path}ContentSequence[${n}]`;
    const vt = valueText(item.get('0040A040', 'ValueType')?.values[0]);
    if (w.rule.valueTypes.includes(vt)) {
      item.get('00081199', 'ReferencedSOPSequence')?.values.forEach((r, k) => {
        if (!isRecord(r)) return;
        const rp = `${ip}.ReferencedSOPSequence[${k}]`;
        const ref = itemOf(r);
        checkReference(w, ref, rp, `${vt} content item ${ip}`);
        for (const acc of w.rule.accompanying) {
          ref.get(acc.t, acc.k)?.values.forEach((x, j) => {
            if (isRecord(x)) checkReference(w, itemOf(x), `${rp}.${acc.k}[${j}]`, `${vt} content item ${ip} (its ${acc.k})`);
          });
        }
      });
    }
    const sub = item.get('0040A730', 'ContentSequence');
    if (sub) walkEvidence(w, sub, `${ip}.`);
  });
}

/** Only for IODs whose modules have the rule, and only where the dataset has a content tree. */
function checkEvidence(ctx: Ctx, root: Item): void {
  const rule = ctx.rules.evidence;
  const tree = rule ? root.get('0040A730', 'ContentSequence') : undefined;
  if (!rule || !tree) return;
  const def: DefRules = { id: rule.module, table: rule.table, edition: rule.edition, rows: [] };
  walkEvidence({ ctx, def, rule, listed: listedEvidence(rule, root) }, tree, '');
}

// ---------------------------------------------------------------------------------------------
// DICOMDIR readiness (opt-in; PS3.3 F.5): the Type 1 keys a File-set Creator copies into the records.

const FOUR_LEVEL = ['PATIENT', 'STUDY', 'SERIES'];

/** A value a record can copy: bulk data, an item, or a value that is not only spaces. */
function holdsValue(el: Element): boolean {
  const first = el.values[0];
  return el.bulk === true || (el.values.length > 0 && !(typeof first === 'string' && first.trim() === ''));
}

function checkDicomdir(ctx: Ctx, root: Item): void {
  const records = ctx.rules.dicomdir ?? [];
  const note = (message: string): void => void ctx.findings.push({ severity: 'info', path: '', tag: '', keyword: '', module: '', rule: 'dicomdir', message, table: 'F.5', edition: '' });
  if (records.length === 0) return note(`IOD ${ctx.rules.id} has no DICOMDIR records in the rules (no mandatory Patient module): DICOMDIR keys not checked`);
  for (const r of records) {
    for (const key of r.keys) {
      const el = root.get(key.t, key.k);
      if (el && holdsValue(el)) continue;
      const message = `${el ? 'empty' : 'missing'}: a Type 1 key of the ${r.record} directory record; a DICOMDIR could not be built for this instance`;
      ctx.findings.push({ severity: 'warning', path: key.k, tag: tagText(key.t), keyword: key.k, module: '', rule: 'dicomdir', message, table: r.table, edition: '' });
    }
  }
  if (records.every((r) => FOUR_LEVEL.includes(r.record))) note(`no directory record type known for ${ctx.rules.id} instances: only the PATIENT, STUDY and SERIES keys were checked`);
}

function summarize(iod: string, findings: Finding[]): ValidationResult {
  return { iod, findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
}

/** True when the dataset has no error against the IOD: narrows it to the IOD's type. */
export function isConformant<T>(rules: IodRules<T>, dataset: unknown): dataset is T {
  return validateWith(rules, dataset).errors === 0;
}

/** One line per finding, for terminals. */
export function formatFinding(f: Finding): string {
  const where = [f.path || '(dataset)', f.tag].filter(Boolean).join(' ');
  const from = f.table ? ` [${f.module ? `${f.module}, ` : ''}PS3.3 ${f.table}${f.edition ? ` ${f.edition}` : ''}]` : '';
  return `${f.severity}: ${where}: ${f.rule}: ${f.message}${from}`;
}

/** The SOP Class UID of a dataset in either form. */
export function sopClassOf(dataset: unknown): string | undefined {
  if (!isRecord(dataset)) return undefined;
  const form = datasetForm(dataset);
  const el = (form === 'json' ? jsonItem(dataset) : naturalItem(dataset)).get('00080016', 'SOPClassUID');
  const v = el?.values[0];
  return typeof v === 'string' ? v.replace(/\0+$/, '').trim() : undefined;
}

// ---------------------------------------------------------------------------------------------
// Hydration of the generated rule files (JSON text: compact, and JSON.parse is fast).

type IncJson = { inc: string; c?: ConditionRule };
type RowJson = Omit<AttrRule, 'i'> & { i?: (RowJson | IncJson)[] };

function hydrateRows(rows: (RowJson | IncJson)[], links: Record<string, () => DefRules>): RuleRow[] {
  return rows.map((r) => {
    if ('inc' in r) {
      const target = links[r.inc];
      if (!target) throw new Error(`validate: rule data links to ${r.inc}, which is not imported`);
      return r.c ? { inc: target, c: r.c } : { inc: target };
    }
    return r.i ? { ...r, i: hydrateRows(r.i, links) } : (r as AttrRule);
  });
}

/** A module or macro from its generated JSON text; `links` resolve its includes. */
export function defRules(json: string, links: Record<string, () => DefRules>): DefRules {
  const d = JSON.parse(json) as Omit<DefRules, 'rows'> & { rows: (RowJson | IncJson)[] };
  return { ...d, rows: hydrateRows(d.rows, links) };
}

/** An IOD from its generated JSON text; `links` resolve its modules and functional group macros. */
export function iodRules<T>(json: string, links: Record<string, () => DefRules>): IodRules<T> {
  type UseJson = { def: string; usage: 'M' | 'U' | 'C'; c?: ConditionRule };
  const d = JSON.parse(json) as Omit<IodRules<T>, 'modules' | 'functionalGroups'> & { modules: UseJson[]; functionalGroups: UseJson[] };
  const use = (u: UseJson): ModuleUse => {
    const def = links[u.def];
    if (!def) throw new Error(`validate: IOD ${d.id} uses ${u.def}, which is not imported`);
    return { def, usage: u.usage, ...(u.c ? { c: u.c } : {}) };
  };
  return { ...d, modules: d.modules.map(use), functionalGroups: d.functionalGroups.map(use) };
}
