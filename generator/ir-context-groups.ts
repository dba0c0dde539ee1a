/**
 * IR for PS3.16 context groups (Annex B/C), coding schemes (Table 8-1) and DICOM controlled
 * terminology (Annex D), plus the IR-level steps every source of this family shares: resolving
 * `Include CID n` rows transitively, and giving every code a stable TypeScript identifier
 * (rules in docs/identifiers.md).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Diagnostic, Prov } from './ir.ts';
import { inputError } from '../sources/common/errors.ts';
import { RESERVED_WORDS } from './reserved-words.ts';

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
  /** Extra columns (SNOMED-RT ID, UMLS CUI, …) keyed by normalized header (`snomedRtId`, `umlsCui`). */
  extra?: Record<string, string>;
  /** CID whose table lists the code directly; absent for the group's own (direct) codes. */
  includedFrom?: number;
  /** For included codes: the chain of CIDs from this group's Include row to `includedFrom`. */
  includePath?: number[];
  /** Stable TS identifier for the constant (unique within the group). */
  identifier: string;
  /** Earlier identifiers kept as deprecated aliases (from the previous edition or an alias table). */
  aliases?: string[];
  prov: Prov;
}

export interface ContextGroup {
  cid: number;
  keyword: string;
  /** The keyword was not in the source (older editions) and was derived from the name. */
  keywordDerived?: boolean;
  fhirKeyword?: string;
  name: string;
  /** `yyyymmdd` as the group's metadata states it. */
  version?: string;
  /** `null` when the source does not say (NEMA's FHIR ValueSets carry no Extensible/Non-extensible). */
  extensible: boolean | null;
  retired: boolean;
  uid?: string;
  /** CIDs included directly, in table order. */
  includes: number[];
  /** Included CIDs that no source defines (reported; their codes are missing). */
  unresolvedIncludes?: number[];
  /** Direct codes in table order, followed by transitively included codes (deduplicated by designator + value). */
  codes: ContextGroupCode[];
  /** Set when the source gives neither codes nor includes: why the group is empty (our words). */
  emptyReason?: string;
  prov: Prov;
}

export interface CodingScheme {
  designator: string;
  name: string;
  uid?: string;
  /** HL7 FHIR code system URI, where Table 8-1 gives one. */
  fhirUri?: string;
  organization?: string;
  version?: string;
  prov: Prov;
}

export interface DcmCode {
  codeValue: string;
  codeMeaning: string;
  /** Annex D definition text. Prose of the standard: never written to committed snapshots. */
  definition?: string;
  retired?: boolean;
  identifier: string;
  aliases?: string[];
  prov: Prov;
}

export interface ContextGroupSection {
  groups: ContextGroup[];
  codingSchemes: CodingScheme[];
  dcmCodes: DcmCode[];
}

export function ensureContextGroupSection(ir: { contextGroups?: ContextGroupSection }): ContextGroupSection {
  ir.contextGroups ??= { groups: [], codingSchemes: [], dcmCodes: [] };
  return ir.contextGroups;
}

// ---------------------------------------------------------------------------------------------
// Codes

/** The code value whatever its form (Code Value, Long Code Value or URN Code Value). */
export function codeValueOf(c: CodedConcept): string {
  return c.codeValue ?? c.longCodeValue ?? c.urnCodeValue ?? '';
}

/** Identity of a code: designator + value, never the meaning (meanings are reworded between editions). */
export function codeKey(c: CodedConcept): string {
  return `${c.codingSchemeDesignator}\u0000${codeValueOf(c)}`;
}

/** The longest value a Code Value (SH) may hold; longer values are Long Code Values (PS3.3 Section 8.8). */
export const CODE_VALUE_MAX = 16;

/** Put a value from a single "Code Value" cell or FHIR `code` into the right one of the three forms. */
export function codeValueForm(value: string): Pick<CodedConcept, 'codeValue' | 'longCodeValue' | 'urnCodeValue'> {
  if (/^(urn|https?):/i.test(value)) return { urnCodeValue: value };
  if (value.length > CODE_VALUE_MAX) return { longCodeValue: value };
  return { codeValue: value };
}

// ---------------------------------------------------------------------------------------------
// Include resolution

type Report = (d: Diagnostic) => void;

/**
 * Resolve `Include CID n` transitively for every group: drop previously included codes (so the
 * step can be re-run after merging sources), then append each included group's codes in include
 * order, depth first, keeping the first occurrence of every designator + value. Cycles are cut at
 * the edge that closes them and reported once; includes of CIDs no source defines are reported.
 */
export function resolveContextGroupIncludes(section: ContextGroupSection, report: Report): void {
  const byCid = new Map<number, ContextGroup>();
  for (const g of section.groups) if (!byCid.has(g.cid)) byCid.set(g.cid, g);
  const direct = new Map<number, ContextGroupCode[]>();
  for (const g of section.groups) direct.set(g.cid, g.codes.filter((c) => c.includedFrom === undefined));
  const reportedCycles = new Set<string>();
  const reportedMissing = new Set<string>();
  // Memoized only when computed without cutting a cycle (a cut result depends on the entry point).
  const memo = new Map<number, ContextGroupCode[]>();

  const expand = (cid: number, stack: number[]): { codes: ContextGroupCode[]; cut: boolean } => {
    const hit = memo.get(cid);
    if (hit) return { codes: hit, cut: false };
    const g = byCid.get(cid)!;
    const out: ContextGroupCode[] = [...(direct.get(cid) ?? [])];
    let cut = false;
    for (const inc of g.includes) {
      const path = [...stack, cid];
      if (path.includes(inc)) {
        cut = true;
        const cycle = [...path.slice(path.indexOf(inc)), inc];
        const key = [...new Set(cycle)].sort((a, b) => a - b).join(',');
        if (!reportedCycles.has(key)) {
          reportedCycles.add(key);
          report({
            severity: 'error',
            code: 'include-cycle',
            message: `context group include cycle ${cycle.map((c) => `CID ${c}`).join(' → ')}; the edge CID ${cid} → CID ${inc} is ignored`,
            source: g.prov.source,
            table: `CID ${cid}`,
          });
        }
        continue;
      }
      const target = byCid.get(inc);
      if (!target) {
        const key = `${cid}>${inc}`;
        if (!reportedMissing.has(key)) {
          reportedMissing.add(key);
          report({
            severity: 'warning',
            code: 'include-missing',
            message: `CID ${cid} includes CID ${inc}, which no source defines; its codes are missing from CID ${cid}`,
            source: g.prov.source,
            table: `CID ${cid}`,
          });
        }
        continue;
      }
      const sub = expand(inc, [...stack, cid]);
      if (sub.cut) cut = true;
      for (const c of sub.codes) {
        out.push({
          ...c,
          includedFrom: c.includedFrom ?? inc,
          includePath: [inc, ...(c.includePath ?? [])],
        });
      }
    }
    if (!cut) memo.set(cid, out);
    return { codes: out, cut };
  };

  for (const g of section.groups) {
    if (byCid.get(g.cid) !== g) continue;
    const all = expand(g.cid, []).codes;
    // Names are per group: keep the ones this group already gave its codes (re-runs are stable).
    const before = new Map(g.codes.map((c) => [codeKey(c), c]));
    const seen = new Set<string>();
    const codes: ContextGroupCode[] = [];
    for (const c of all) {
      const k = codeKey(c);
      if (seen.has(k)) continue;
      seen.add(k);
      const copy: ContextGroupCode = { ...c };
      const old = before.get(k);
      copy.identifier = old?.identifier ?? '';
      if (old?.aliases) copy.aliases = [...old.aliases];
      else delete copy.aliases;
      codes.push(copy);
    }
    g.codes = codes;
    const missing = g.includes.filter((i) => !byCid.has(i));
    if (missing.length > 0) g.unresolvedIncludes = missing;
    else delete g.unresolvedIncludes;
  }
}

// ---------------------------------------------------------------------------------------------
// Identifiers (docs/identifiers.md)


/** Symbols that carry meaning in code meanings ("> 50 %", "T1 & T2") spelled as words. */
const SYMBOL_WORDS: [RegExp, string][] = [
  [/<=|≤/g, ' LessThanOrEqual '],
  [/>=|≥/g, ' GreaterThanOrEqual '],
  [/</g, ' LessThan '],
  [/>/g, ' GreaterThan '],
  [/=/g, ' Equals '],
  [/&/g, ' And '],
  [/\+/g, ' Plus '],
  [/%/g, ' Percent '],
  [/±/g, ' PlusMinus '],
  [/°/g, ' Degrees '],
  [/µ|μ/g, 'Micro'],
  [/#/g, ' Number '],
];

/**
 * A PascalCase identifier for a code meaning: symbols with a meaning become words, apostrophes
 * vanish inside a word (`Crohn's` → `Crohns`), accents are folded, every other non-alphanumeric
 * character splits words, each word gets an upper-case first letter (the rest is kept:
 * `CT`, `mm`), a leading digit gets a `_` prefix, and an empty result is `Unnamed`.
 */
export function codeMeaningIdentifier(meaning: string): string {
  let s = meaning.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  for (const [re, word] of SYMBOL_WORDS) s = s.replace(re, word);
  s = s.replace(/(\w)['’](\w)/g, '$1$2');
  const words = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (id === '') id = 'Unnamed';
  if (/^[0-9]/.test(id)) id = `_${id}`;
  if (RESERVED_WORDS.has(id)) id = `${id}_`;
  return id;
}

/** The collision suffix: `_` + the code value with every non-alphanumeric run turned into `_`. */
export function valueSuffix(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'X';
}

/**
 * Identifiers unique within one namespace (a group, or all DCM codes). Entries are visited in
 * order (direct codes in table order first); the first to claim a name keeps it, later ones get
 * `_<CodeValue>`, then `_<Designator>_<CodeValue>`, then a counter. `reserved` names (aliases
 * already promised) are never claimed.
 */
export function assignIdentifiers<T>(items: T[], meaning: (t: T) => string, designator: (t: T) => string, value: (t: T) => string, reserved: Set<string> = new Set()): string[] {
  const taken = new Set<string>(reserved);
  return items.map((t) => {
    const base = codeMeaningIdentifier(meaning(t));
    const candidates = [base, `${base}_${valueSuffix(value(t))}`, `${base}_${valueSuffix(designator(t))}_${valueSuffix(value(t))}`];
    let id = candidates.find((c) => !taken.has(c));
    for (let n = 2; id === undefined; n++) if (!taken.has(`${candidates[2]}_${n}`)) id = `${candidates[2]}_${n}`;
    taken.add(id);
    return id;
  });
}

/**
 * Explicit alias table (JSON file): names to keep as deprecated aliases, for editions whose IR is
 * not at hand. `code` is `DESIGNATOR:VALUE`; `cid` absent means the DCM constants.
 */
export interface IdentifierAliasTable {
  aliases: { cid?: number; code: string; alias: string }[];
}

/** Read and check an alias table file (`{ "aliases": [{ "cid": 7151, "code": "SCT:85756007", "alias": "Tissue" }] }`). */
export function loadIdentifierAliasTable(path: string): IdentifierAliasTable {
  const file = basename(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw inputError(file, `not a readable alias table (${(e as Error).message})`, 'Write {"aliases": [{"cid": 7151, "code": "SCT:85756007", "alias": "OldName"}]}');
  }
  const list = (json as { aliases?: unknown })?.aliases;
  if (!Array.isArray(list)) throw inputError(file, 'no "aliases" array', 'Write {"aliases": [{"cid": 7151, "code": "SCT:85756007", "alias": "OldName"}]}');
  return {
    aliases: list.map((a: unknown, i: number) => {
      const e = a as { cid?: unknown; code?: unknown; alias?: unknown };
      const ok = (e.cid === undefined || (typeof e.cid === 'number' && Number.isInteger(e.cid))) && typeof e.code === 'string' && /^[^:]+:.+$/.test(e.code) && typeof e.alias === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(e.alias);
      if (!ok) throw inputError(`${file} entry ${i + 1}`, `expected {cid?: number, code: "DESIGNATOR:VALUE", alias: identifier}, got ${JSON.stringify(a)}`, 'Fix the entry');
      return { ...(e.cid !== undefined ? { cid: e.cid as number } : {}), code: e.code as string, alias: e.alias as string };
    }),
  };
}

export interface IdentifierOptions {
  /** The previous edition's section: identifiers that changed are kept as deprecated aliases. */
  previous?: ContextGroupSection;
  aliasTable?: IdentifierAliasTable;
}

function aliasKey(cid: number | undefined, designator: string, value: string): string {
  return `${cid ?? 'DCM'}\u0000${designator}\u0000${value}`;
}

/**
 * Give every group code and DCM code its identifier; names from the previous edition (and the
 * alias table) that differ from the new name stay as deprecated aliases, and each rename is
 * reported (`identifier-renamed`), so a reworded meaning never silently breaks user code.
 */
export function assignContextGroupIdentifiers(section: ContextGroupSection, report: Report, opts: IdentifierOptions = {}): void {
  const prevNames = new Map<string, string[]>();
  const remember = (k: string, names: string[]) => {
    const cur = prevNames.get(k) ?? [];
    for (const n of names) if (!cur.includes(n)) cur.push(n);
    prevNames.set(k, cur);
  };
  if (opts.previous) {
    for (const g of opts.previous.groups) {
      for (const c of g.codes) remember(aliasKey(g.cid, c.codingSchemeDesignator, codeValueOf(c)), [c.identifier, ...(c.aliases ?? [])]);
    }
    for (const d of opts.previous.dcmCodes) remember(aliasKey(undefined, 'DCM', d.codeValue), [d.identifier, ...(d.aliases ?? [])]);
  }
  for (const a of opts.aliasTable?.aliases ?? []) {
    const i = a.code.indexOf(':');
    if (i <= 0) continue;
    remember(aliasKey(a.cid, a.code.slice(0, i), a.code.slice(i + 1)), [a.alias]);
  }

  /** Shared by groups and DCM codes: names given before (previous edition, alias table, this IR) survive as aliases. */
  const assign = <T extends { identifier: string; aliases?: string[] }>(
    items: T[],
    key: (t: T) => string,
    meaning: (t: T) => string,
    designator: (t: T) => string,
    value: (t: T) => string,
    where: string,
    source: (t: T) => string,
  ) => {
    const ids = assignIdentifiers(items, meaning, designator, value);
    const taken = new Set(ids);
    items.forEach((t, i) => {
      const id = ids[i]!;
      // This IR's own names count as former names too, so re-running keeps aliases (e.g. from a snapshot).
      const own = [t.identifier, ...(t.aliases ?? [])].filter((n) => n !== '');
      const had = new Set(t.aliases ?? []);
      const old = [...new Set([...(prevNames.get(key(t)) ?? []), ...own])].filter((n) => n !== id);
      t.identifier = id;
      delete t.aliases;
      const kept: string[] = [];
      for (const n of old) {
        if (taken.has(n)) {
          report({ severity: 'warning', code: 'identifier-alias-clash', message: `${where}: former name ${n} of ${designator(t)} ${value(t)} is now used by another code; no alias kept`, source: source(t), table: where });
          continue;
        }
        taken.add(n);
        kept.push(n);
      }
      if (kept.length > 0) t.aliases = kept;
      const added = kept.filter((n) => !had.has(n));
      if (added.length > 0) {
        report({ severity: 'info', code: 'identifier-renamed', message: `${where}: ${designator(t)} ${value(t)} is now ${id} (meaning "${meaning(t)}"); ${added.join(', ')} kept as deprecated alias`, source: source(t), table: where });
      }
    });
  };

  for (const g of section.groups) {
    assign(
      g.codes,
      (c) => aliasKey(g.cid, c.codingSchemeDesignator, codeValueOf(c)),
      (c) => c.codeMeaning,
      (c) => c.codingSchemeDesignator,
      codeValueOf,
      `CID ${g.cid}`,
      (c) => c.prov.source,
    );
  }
  assign(
    section.dcmCodes,
    (d) => aliasKey(undefined, 'DCM', d.codeValue),
    (d) => d.codeMeaning,
    () => 'DCM',
    (d) => d.codeValue,
    'DCM codes',
    (d) => d.prov.source,
  );
}

/**
 * Everything after the sources of one run are merged: includes resolved across sources, then
 * identifiers (with aliases from the previous edition or the alias table).
 */
export function finalizeContextGroups(section: ContextGroupSection, report: Report, opts: IdentifierOptions = {}): void {
  dedupeContextGroupSection(section, report);
  resolveContextGroupIncludes(section, report);
  assignContextGroupIdentifiers(section, report, opts);
}

/**
 * One entry per CID, designator and DCM code value after sources of one layer were concatenated
 * (PS3.16 and FHIR ValueSets side by side): the first is kept, an unknown extensibility is taken
 * from the other, and each duplicate is reported.
 */
export function dedupeContextGroupSection(section: ContextGroupSection, report: Report): void {
  const groups = new Map<number, ContextGroup>();
  section.groups = section.groups.filter((g) => {
    const first = groups.get(g.cid);
    if (!first) {
      groups.set(g.cid, g);
      return true;
    }
    if (first.extensible === null && g.extensible !== null) first.extensible = g.extensible;
    report({ severity: 'info', code: 'duplicate-cid', message: `CID ${g.cid} read from ${first.prov.source} and ${g.prov.source}; the first is kept`, source: g.prov.source, table: `CID ${g.cid}` });
    return false;
  });
  const schemes = new Set<string>();
  section.codingSchemes = section.codingSchemes.filter((c) => !schemes.has(c.designator) && !!schemes.add(c.designator));
  const dcm = new Set<string>();
  section.dcmCodes = section.dcmCodes.filter((d) => !dcm.has(d.codeValue) && !!dcm.add(d.codeValue));
}
