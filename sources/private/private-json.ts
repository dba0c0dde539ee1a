/**
 * The native private dictionary format: what `dicom-dictgen private extract --json` writes and
 * what a team keeps for its own private creators. Documented in docs/private-dictionary-format.md;
 * `validatePrivateJson` gives one clear message per problem (JSON path, what is wrong, the fix).
 */
import { parseJsonInput } from '../common/json.ts';
import type { Diagnostic, SourceRecord } from '../../generator/ir.ts';
import type { PrivateElement, PrivateSection } from '../../generator/ir-private.ts';
import { privateKey } from '../../generator/ir-private.ts';
import { inputError } from '../common/errors.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import { addPrivateElement, finishAccount, isVm, keywordFromName, isPlaceholderName, parseVr, privateSection, UnitAccount } from './common.ts';

export const PRIVATE_JSON_FORMAT = 'dicom-dictgen-private-dictionary';
export const PRIVATE_JSON_VERSION = 1;

export interface PrivateJsonElement {
  /** `(gggg,xxee)`; `(gggg,bbee)` pins block bb; `(gggg-gggg,xxee)` odd group range; `(gggg,xxee-xxee)` offset range. */
  tag: string;
  name: string;
  keyword?: string;
  /** `DS`, `OB/OW`, or empty when unknown. */
  vr: string;
  /** `1`, `1-n`; empty or absent when unknown. */
  vm?: string;
  retired?: boolean;
  /** Where the entry came from (the extractor fills it; optional for hand-written files). */
  source?: { document: string; line?: number; table?: string; raw?: string; columns?: Record<string, string> };
}

export interface PrivateJsonCreator {
  creator: string;
  /** Groups the source declares reservations in (informational). */
  groups?: string[];
  elements: PrivateJsonElement[];
}

export interface PrivateJsonDocument {
  format: typeof PRIVATE_JSON_FORMAT;
  version: typeof PRIVATE_JSON_VERSION;
  /** Free text: what this dictionary is (device, software version). */
  description?: string;
  creators: PrivateJsonCreator[];
  /** Review notes written by the extractor; ignored (only counted) when the file is loaded. */
  problems?: { severity: string; code: string; message: string; line?: number; raw?: string }[];
}

const TAG = /^\(\s*([0-9A-Fa-f]{4})(?:-([0-9A-Fa-f]{4}))?\s*,\s*(xx|[0-9A-Fa-f]{2})([0-9A-Fa-f]{2})(?:-(?:xx|[0-9A-Fa-f]{2})([0-9A-Fa-f]{2}))?\s*\)$/i;

export interface ParsedPrivateTag {
  group: string;
  groupLast?: string;
  block?: string;
  offset: string;
  offsetLast?: string;
}

export function parsePrivateJsonTag(tag: string): ParsedPrivateTag | undefined {
  const m = TAG.exec(tag.trim());
  if (!m) return undefined;
  const block = m[3]!.toLowerCase() === 'xx' ? undefined : m[3]!.toUpperCase();
  return {
    group: m[1]!.toUpperCase(),
    ...(m[2] !== undefined ? { groupLast: m[2].toUpperCase() } : {}),
    ...(block !== undefined ? { block } : {}),
    offset: m[4]!.toUpperCase(),
    ...(m[5] !== undefined ? { offsetLast: m[5].toUpperCase() } : {}),
  };
}

export function formatPrivateJsonTag(e: ParsedPrivateTag): string {
  const g = e.groupLast ? `${e.group}-${e.groupLast}` : e.group;
  const b = e.block ?? 'xx';
  return `(${g},${b}${e.offset}${e.offsetLast ? `-${b}${e.offsetLast}` : ''})`;
}

/** Property names the validator accepts (kept in step with private-dictionary.schema.json by a test). */
export const DOCUMENT_KEYS = ['$schema', 'format', 'version', 'description', 'creators', 'problems'] as const;
export const CREATOR_KEYS = ['creator', 'groups', 'elements'] as const;
export const ELEMENT_KEYS = ['tag', 'name', 'keyword', 'vr', 'vm', 'retired', 'source'] as const;

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Check a parsed JSON value against the format. Returns every problem as `path: problem. fix`;
 * an empty list means the document is valid.
 */
export function validatePrivateJson(value: unknown): string[] {
  const errors: string[] = [];
  const err = (path: string, problem: string, fix: string) => errors.push(`${path}: ${problem}. ${fix}`);
  if (typeOf(value) !== 'object') {
    err('$', `expected an object, got ${typeOf(value)}`, `Start the file with {"format": "${PRIVATE_JSON_FORMAT}", "version": 1, "creators": []}`);
    return errors;
  }
  const doc = value as Record<string, unknown>;
  const known = new Set<string>(DOCUMENT_KEYS);
  for (const k of Object.keys(doc)) if (!known.has(k)) err(`$.${k}`, 'unknown property', `Remove it (known: ${[...known].join(', ')})`);
  if (doc.format !== PRIVATE_JSON_FORMAT) err('$.format', `expected "${PRIVATE_JSON_FORMAT}", got ${JSON.stringify(doc.format)}`, 'Set the format marker');
  if (doc.version !== PRIVATE_JSON_VERSION) err('$.version', `expected ${PRIVATE_JSON_VERSION}, got ${JSON.stringify(doc.version)}`, 'This generator reads version 1 files');
  if (doc.description !== undefined && typeof doc.description !== 'string') err('$.description', 'expected a string', 'Use plain text');
  if (doc.problems !== undefined && !Array.isArray(doc.problems)) err('$.problems', 'expected an array', 'Remove it or keep the extractor output');
  if (!Array.isArray(doc.creators)) {
    err('$.creators', `expected an array, got ${typeOf(doc.creators)}`, 'List one object per private creator');
    return errors;
  }
  doc.creators.forEach((c, i) => {
    const p = `$.creators[${i}]`;
    if (typeOf(c) !== 'object') return err(p, `expected an object, got ${typeOf(c)}`, 'Write {"creator": "…", "elements": []}');
    const co = c as Record<string, unknown>;
    for (const k of Object.keys(co)) if (!(CREATOR_KEYS as readonly string[]).includes(k)) err(`${p}.${k}`, 'unknown property', `Remove it (known: ${CREATOR_KEYS.join(', ')})`);
    if (typeof co.creator !== 'string' || co.creator.trim() === '') err(`${p}.creator`, 'expected a non-empty string', 'Write the private creator exactly as the device does');
    else if (co.creator.length > 64) err(`${p}.creator`, `${co.creator.length} characters; a creator is an LO value of at most 64`, 'Check the creator string');
    if (co.groups !== undefined) {
      if (!Array.isArray(co.groups)) err(`${p}.groups`, 'expected an array of 4-digit hex groups', 'Write ["0029"]');
      else co.groups.forEach((g, j) => {
        if (typeof g !== 'string' || !/^[0-9A-Fa-f]{4}$/.test(g)) err(`${p}.groups[${j}]`, `${JSON.stringify(g)} is not a 4-digit hex group`, 'Write "0029"');
      });
    }
    if (!Array.isArray(co.elements)) return err(`${p}.elements`, `expected an array, got ${typeOf(co.elements)}`, 'List the creator\'s private elements');
    co.elements.forEach((e, j) => {
      const q = `${p}.elements[${j}]`;
      if (typeOf(e) !== 'object') return err(q, `expected an object, got ${typeOf(e)}`, 'Write {"tag": "(0029,xx10)", "name": "…", "vr": "OB"}');
      const eo = e as Record<string, unknown>;
      for (const k of Object.keys(eo)) if (!(ELEMENT_KEYS as readonly string[]).includes(k)) err(`${q}.${k}`, 'unknown property', `Remove it (known: ${ELEMENT_KEYS.join(', ')})`);
      if (typeof eo.tag !== 'string' || !parsePrivateJsonTag(eo.tag)) err(`${q}.tag`, `${JSON.stringify(eo.tag)} is not a private tag`, 'Write "(gggg,xxee)" with the block as xx, e.g. "(01F7,xxCB)"');
      if (typeof eo.name !== 'string') err(`${q}.name`, 'expected a string', 'Give the attribute name ("Unknown" if none)');
      if (eo.keyword !== undefined && typeof eo.keyword !== 'string') err(`${q}.keyword`, 'expected a string', 'Remove it or give a keyword');
      if (typeof eo.vr !== 'string') err(`${q}.vr`, 'expected a string', 'Write the VR ("DS", "OB/OW", or "" when unknown)');
      else if (parseVr(eo.vr).unknown !== undefined) err(`${q}.vr`, `"${eo.vr}" is not a PS3.5 VR`, 'Use two upper-case letters such as DS; separate alternatives with /');
      if (eo.vm !== undefined && (typeof eo.vm !== 'string' || (eo.vm !== '' && !isVm(eo.vm)))) err(`${q}.vm`, `${JSON.stringify(eo.vm)} is not a VM`, 'Write 1, 2, 1-n, 2-2n (or "" when unknown)');
      if (eo.retired !== undefined && typeof eo.retired !== 'boolean') err(`${q}.retired`, 'expected true or false', 'Remove it or use a boolean');
      if (eo.source !== undefined) {
        const s = eo.source as Record<string, unknown>;
        if (typeOf(s) !== 'object' || typeof s.document !== 'string') err(`${q}.source`, 'expected {"document": "…", "line": n, "raw": "…"}', 'Fix or remove the source');
        else if (s.line !== undefined && !(typeof s.line === 'number' && Number.isInteger(s.line) && s.line > 0)) err(`${q}.source.line`, 'expected a positive integer', 'Fix or remove the line');
      }
    });
  });
  return errors;
}

export function scrapePrivateJson(text: string, ctx: ScrapeContext): void {
  const file = ctx.source.file;
  const value = parseJsonInput(text, file, 'Fix the JSON syntax (see docs/private-dictionary-format.md)', { refuseMachineryKeys: true });
  const errors = validatePrivateJson(value);
  // Document-level errors stop the build; element-level ones reject just that element.
  const structural = errors.filter((e) => !/^\$\.creators\[\d+\]\.elements\[\d+\]/.test(e));
  if (structural.length > 0) {
    throw inputError(file, `${structural[0]}${structural.length > 1 ? ` (and ${structural.length - 1} more problem(s))` : ''}`, 'See docs/private-dictionary-format.md');
  }
  const doc = value as PrivateJsonDocument;
  const table = 'private dictionary JSON';
  const rows: { c: number; e: number }[] = [];
  doc.creators.forEach((c, ci) => c.elements.forEach((_, ei) => rows.push({ c: ci, e: ei })));
  const account = new UnitAccount(file, table, rows.map((_, i) => i + 1), 'row');
  const seen = new Map<string, PrivateElement>();
  const section = privateSection(ctx);
  doc.creators.forEach((c) => {
    for (const g of c.groups ?? []) {
      (section.declarations ??= []).push({ creator: c.creator.replace(/ +$/, ''), group: g.toUpperCase(), prov: { source: ctx.source.id, table } });
    }
  });
  rows.forEach(({ c, e }, i) => {
    const row = i + 1;
    const path = `$.creators[${c}].elements[${e}]`;
    const own = errors.filter((x) => x.startsWith(`${path}.`) || x.startsWith(`${path}:`));
    const je = doc.creators[c]!.elements[e]!;
    const raw = JSON.stringify(je).slice(0, 300);
    if (own.length > 0) {
      account.rejected(row);
      for (const o of own) diagnose(ctx, { severity: 'warning', code: 'private-json-invalid', message: `${file} ${o}`, table, row, raw });
      return;
    }
    const tag = parsePrivateJsonTag(je.tag)!;
    const name = je.name.trim();
    const entry: PrivateElement = {
      creator: doc.creators[c]!.creator.replace(/ +$/, ''),
      ...tag,
      keyword: je.keyword ?? (isPlaceholderName(name) ? '' : keywordFromName(name)),
      ...(je.keyword === undefined ? { keywordDerived: true } : {}),
      name,
      vr: parseVr(je.vr).vr,
      vm: je.vm ?? '',
      retired: je.retired ?? false,
      prov: { source: ctx.source.id, table: `creators[${c}]`, row: e + 1, ...(je.source?.line !== undefined ? { line: je.source.line } : {}) },
      ...(je.source?.raw !== undefined ? { raw: je.source.raw } : {}),
    };
    if (addPrivateElement(ctx, entry, seen, privateKey(entry))) account.parsed(row);
    else account.rejected(row);
  });
  if (doc.problems && doc.problems.length > 0) {
    diagnose(ctx, { severity: 'info', code: 'private-json-review-notes', message: `${file}: ${doc.problems.length} review note(s) from the extraction are carried in "problems" and were not re-checked` });
  }
  finishAccount(ctx, account, ctx.source.id, seen.size);
}

/** Build the native document from a private section (what `private extract --json` prints). */
export function toPrivateJson(section: PrivateSection, sources: SourceRecord[], problems: Diagnostic[] = [], description?: string): PrivateJsonDocument {
  const fileOf = new Map(sources.map((s) => [s.id, s.file]));
  const byCreator = new Map<string, PrivateJsonCreator>();
  const creatorOf = (creator: string) => {
    let c = byCreator.get(creator);
    if (!c) byCreator.set(creator, (c = { creator, elements: [] }));
    return c;
  };
  for (const d of section.declarations ?? []) {
    const c = creatorOf(d.creator);
    const groups = (c.groups ??= []);
    if (!groups.includes(d.group)) groups.push(d.group);
  }
  for (const e of section.elements) {
    const c = creatorOf(e.creator);
    const el: PrivateJsonElement = {
      tag: formatPrivateJsonTag(e),
      name: e.name,
      ...(e.keyword && !e.keywordDerived ? { keyword: e.keyword } : {}),
      vr: e.vr.join('/'),
      ...(e.vm !== '' ? { vm: e.vm } : {}),
      ...(e.retired ? { retired: true } : {}),
      source: {
        document: fileOf.get(e.prov.source) ?? e.prov.source,
        ...(e.prov.line !== undefined ? { line: e.prov.line } : {}),
        table: e.prov.table,
        ...(e.raw !== undefined ? { raw: e.raw } : {}),
        ...(e.columns !== undefined ? { columns: e.columns } : {}),
      },
    };
    c.elements.push(el);
  }
  const creators = [...byCreator.values()]
    .sort((a, b) => (a.creator < b.creator ? -1 : a.creator > b.creator ? 1 : 0))
    .map((c) => ({
      creator: c.creator,
      ...(c.groups ? { groups: [...c.groups].sort() } : {}),
      elements: [...c.elements].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    }));
  return {
    format: PRIVATE_JSON_FORMAT,
    version: PRIVATE_JSON_VERSION,
    ...(description !== undefined ? { description } : {}),
    creators,
    ...(problems.length > 0
      ? {
          problems: problems.map((p) => ({
            severity: p.severity,
            code: p.code,
            message: p.message,
            ...(p.line !== undefined ? { line: p.line } : {}),
            ...(p.raw !== undefined ? { raw: p.raw } : {}),
          })),
        }
      : {}),
  };
}
