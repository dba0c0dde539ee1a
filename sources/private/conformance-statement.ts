/**
 * Private attribute tables of vendor DICOM conformance statements, read from the text a PDF
 * extraction gives. Two layouts occur:
 *
 *  1. A reservation row, then rows with block-relative tags (Philips/Elscint style):
 *       Private Creator Data Element <sep> 01F7,00xx <sep> LO <sep> ELSCINT1 …
 *       Elscint Head Body            <sep> 01F7,xxD4 <sep> SH <sep> …
 *  2. The creator written into the tag (Siemens style):
 *       (0029,SIEMENS CT RT Structure Set,01) <sep> Name <sep> VR <sep> VM
 *
 * `<sep>` is a tab or a run of two or more spaces. The usual extraction damage is repaired and
 * reported (info diagnostics), never hidden: look-alike characters (folded), `O`/`l` for `0`/`1`
 * inside tags, names broken across lines or inside a word, the VR merged into the name cell,
 * footnote markers, nested `>` items. Every line of the document is accounted for; a line that
 * looks like a private tag but cannot be read is rejected with a warning, never dropped. Standard
 * (even group) attributes in the same tables are skipped with accounting.
 */
import type { PrivateCreatorDeclaration, PrivateElement } from '../../generator/ir-private.ts';
import { foldLookalikes } from '../common/text.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import { checkPrivateElement, finishAccount, isVm, keywordFromName, KNOWN_VRS, nameKey, parseVr, privateSection, UnitAccount } from './common.ts';

const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g;
const DEFAULT_TABLE = 'text';

/** A tag cell: `01F7,xxCB`, `(0029,1010)`, `0028:0100`, `50xx,0005`; group and element captured. */
const TAG_CELL = /^\(?\s*([0-9A-Fa-fOoIl]{2}[0-9A-Fa-fOoIlxX]{2})\s*[,:]\s*([0-9A-Fa-fOoIlxX]{4})\s*\)?$/;
/** The same anywhere in a line (for merged cells and prose mentions). */
const TAG_ANY = /\(?\b([0-9A-Fa-fOoIl]{2}[0-9A-Fa-fOoIlxX]{2})\s*[,:]\s*([0-9A-Fa-fOoIlxX]{4})(?:\b|(?=[A-Z]{2}\b))\)?/g;
const GLUED_VR = /(\b[0-9A-Fa-f]{4}\s*[,:]\s*[0-9A-Fa-fxX]{4})([A-Z]{2})\b/g;
/** Siemens style: creator inside the tag, optionally quoted (DCMTK writes it that way too). */
/** Something shaped like a creator-in-tag that CREATOR_TAG could not read (reported, never dropped). */
const LOOSE_CREATOR_TAG = /\(\s*[0-9A-Fa-fOoIl]{4}\s*,\s*"?[A-Za-z][^()]*,[^()]*\)/;
const CREATOR_TAG = /\(\s*([0-9A-Fa-fOoIl]{4})\s*,\s*"?([^()"]*?[A-Za-z][^()"]*?)"?\s*,\s*((?:xx|XX|[0-9A-Fa-f]{2})?[0-9A-Fa-f]{2})\s*\)/;

/** A creator-in-tag the extraction broke across lines: `(0019,ACME IMAGING` with the rest below. */
const OPEN_CREATOR_TAG = /\(\s*[0-9A-Fa-fOoIl]{4}\s*,\s*"?[A-Za-z][^()]*$/;
/** A VR (or `OB/OW`, `US or SS`) followed by a VM, as words of a row. */
const VR_VM = /(?<=^|\s)([A-Z]{2}(?:(?:\s*\/\s*|\s+or\s+)[A-Z]{2})*)(?:\s+(\d+(?:-(?:\d+|\d*n))?))?(?=\s|$)/g;
/** How many lines a wrapped row may take (tag, name, VR/VM), beyond its first. */
const MAX_WRAPPED_LINES = 5;

/**
 * Split the text of a creator-in-tag row (everything but the tag) into name, VR, VM and the cells
 * after the VM. The first VR followed by a VM wins (a name may end in a VR-like word only when no
 * VM follows it); a VR alone at the very end is accepted too. Undefined when no VR is found.
 */
export function splitNameVrVm(text: string): { name: string; vr: string[]; vm: string; extras: string[] } | undefined {
  const matches = [...text.matchAll(VR_VM)].filter((m) => m.index > 0 && text.slice(0, m.index).trim() !== '' && parseVr(m[1]!).unknown === undefined);
  const m = matches.find((x) => x[2] !== undefined) ?? matches.find((x) => text.slice(x.index + x[0].length).trim() === '');
  if (!m) return undefined;
  const extras = splitCells(text.slice(m.index + m[0].length)).filter(Boolean);
  return { name: text.slice(0, m.index).replace(/\s+/g, ' ').trim(), vr: parseVr(m[1]!).vr, vm: m[2] ?? '', extras };
}

interface TagText {
  group: string;
  element: string;
  repaired: boolean;
}

/** Normalise a tag read from text: upper-case hex, lower-case `xx`; `O`→`0`, `I`/`l`→`1` when digits show it is a tag. */
function readTag(g: string, e: string): TagText | undefined {
  const fix = (s: string) => s.replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
  const repaired = fix(g) !== g || fix(e) !== e;
  if (repaired && !/[0-9]/.test(g + e)) return undefined;
  const group = fix(g).toUpperCase().replace(/X/g, 'x');
  const element = fix(e).toUpperCase().replace(/X/g, 'x');
  if (!/^[0-9A-F]{2}([0-9A-F]{2}|xx|[0-9A-F]x)$/.test(group) || !/^([0-9A-F]{2}|xx)([0-9A-F]{2}|xx)$/.test(element)) return undefined;
  if (/^[0-9A-F]{2}x$/.test(group.slice(0, 3)) && group[3] !== 'x') return undefined;
  return { group, element, repaired };
}

function isOddGroup(group: string): boolean {
  return /^[0-9A-F]{4}$/.test(group) && parseInt(group, 16) % 2 === 1;
}

/** Looks like a private tag: odd group, or an `xx` block mask in the element high byte. */
function looksPrivate(t: TagText): boolean {
  return isOddGroup(t.group) || t.element.startsWith('xx');
}

function splitCells(line: string): string[] {
  const l = line.replace(/^\s*\|/, '').replace(/\|\s*$/, '');
  const sep = /\|/.test(l) && !/\t/.test(l) ? /\s*\|\s*/ : /\t|\s{2,}/;
  return l.split(sep).map((c) => c.replace(/\s+/g, ' ').trim());
}

const CAPTION = /^table\s+(?:[A-Z]{1,2}[.-]?)?\d[\w.-]*\s*[:.\-–]?\s*/i;
const HEADING = /^\d+(\.\d+)*\.?\s+\S/;

function isHeaderRow(cells: string[]): boolean {
  const lower = cells.map((c) => c.toLowerCase());
  return lower.some((c) => c === 'tag' || c === 'tag number' || c === 'element tag') && lower.some((c) => c === 'vr' || c === 'value representation' || /attribute name|name|description/.test(c));
}

/** Columns of a private attribute table, mapped by header text (positions are a fallback only). */
interface Columns {
  tag: number;
  name?: number;
  vr?: number;
  vm?: number;
  value?: number;
}

const HEADER_FIELDS: [keyof Columns, RegExp][] = [
  ['tag', /^(tag|tag number|element tag|\(?group ?, ?element\)?)$/],
  ['name', /^(attribute name|attribute|name|element name|attribute description|description|data element)$/],
  ['vr', /^(vr|value representation)$/],
  ['vm', /^(vm|value multiplicity)$/],
  ['value', /^(value|values|value\(s\)|content|default value)$/],
];

function headerColumns(cells: string[]): Columns | undefined {
  const cols: Partial<Columns> = {};
  cells.forEach((c, i) => {
    const n = c.toLowerCase().replace(/\s+/g, ' ').trim();
    const hit = HEADER_FIELDS.find(([, re]) => re.test(n));
    if (hit && cols[hit[0]] === undefined) cols[hit[0]] = i;
  });
  return cols.tag === undefined ? undefined : (cols as Columns);
}

/**
 * Repair a name the PDF extraction broke inside a keyword-style name (`ELSCINTCT_MONOCHROMA TIC`,
 * `Spectral_A nnotations`, `Elsclnt _Detectors _Layers`). Only names containing `_` are touched:
 * a space next to `_` goes, and a space inside a word goes when the right part starts lower case
 * or both parts are upper case. Plain-language names are left alone.
 */
export function repairName(name: string): string {
  if (!name.includes('_')) return name;
  let out = name.replace(/\s*_\s*/g, '_');
  out = out.replace(/([A-Za-z0-9]+) ([A-Za-z0-9]+)/g, (m, a: string, b: string) => {
    if (/^[a-z]/.test(b) && /[A-Za-z]$/.test(a) && (a.length === 1 || /[a-z]$/.test(a) || /^[A-Z]$/.test(a.slice(-1)))) return a + b;
    if (/^[A-Z0-9]+$/.test(a) && /^[A-Z0-9]+$/.test(b)) return a + b;
    return m;
  });
  return out;
}

function foldLine(raw: string): string {
  return foldLookalikes(raw.replace(INVISIBLE, ''));
}

/**
 * A creator-in-tag row the extraction wrapped: the tag itself broken (`(0019,ACME IMAGING` /
 * `EXTENSIONS,2A)`) and/or the name, VR and VM on the lines below it. Joins at most
 * MAX_WRAPPED_LINES following lines, none blank or holding another tag, up to the one that
 * completes the tag and gives a VR; undefined when the row is not wrapped or does not complete.
 */
export function joinWrappedCreatorRow(lines: readonly string[], i: number): { folded: string; raw: string; lastLine: number } | undefined {
  let folded = foldLine(lines[i]!);
  let raw = lines[i]!;
  let k = i;
  const hasRow = () => {
    const ct = CREATOR_TAG.exec(folded);
    return ct ? splitNameVrVm(` ${folded.slice(0, ct.index)}\t${folded.slice(ct.index + ct[0].length)}`) !== undefined : false;
  };
  if (!OPEN_CREATOR_TAG.test(folded) && (!CREATOR_TAG.test(folded) || hasRow())) return undefined;
  while (k - i < MAX_WRAPPED_LINES && k + 1 < lines.length) {
    const next = foldLine(lines[k + 1]!);
    if (next.trim() === '' || (CREATOR_TAG.test(folded) && (CREATOR_TAG.test(next) || OPEN_CREATOR_TAG.test(next) || [...next.matchAll(TAG_ANY)].length > 0))) break;
    k++;
    // Inside the tag the break is a space of the creator; after it, a cell boundary.
    folded = `${folded}${CREATOR_TAG.test(folded) ? '\t' : ' '}${next.trim()}`;
    raw = `${raw}\n${lines[k]!}`;
    if (hasRow()) return { folded, raw, lastLine: k + 1 };
  }
  return undefined;
}

/** Cells after VM named by the table header (`Safe from identity leakage: YES`); unnamed cells are reported. */
function namedColumnsOf(extras: readonly string[], header: readonly string[], vmIndex: number | undefined): { named: Record<string, string>; unnamed: string[] } {
  const named: Record<string, string> = {};
  const unnamed: string[] = [];
  extras.forEach((c, j) => {
    const h = vmIndex === undefined ? undefined : header[vmIndex + 1 + j];
    if (h !== undefined && h !== '') named[h] = c;
    else unnamed.push(c);
  });
  return { named, unnamed };
}

function withColumns(e: PrivateElement, columns: Record<string, string> | undefined): PrivateElement {
  return columns && Object.keys(columns).length > 0 ? { ...e, columns } : e;
}

export interface ConformanceOptions {
  /** Document name recorded in every entry (defaults to the source file). */
  document?: string;
}

interface Reservation {
  creator: string;
  line: number;
}

export function scrapeConformanceStatement(text: string, ctx: ScrapeContext, _opts: ConformanceOptions = {}): void {
  const file = ctx.source.file;
  const rawLines = text.split(/\r?\n/);
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();
  const account = new UnitAccount(file, 'private attribute tables', rawLines.map((_, i) => i + 1), 'line');
  const section = privateSection(ctx);
  const declarations: PrivateCreatorDeclaration[] = (section.declarations ??= []);
  const byKey = new Map<string, PrivateElement>();
  /** group → block (`xx` for a 00xx row) → the creator most recently declared there. */
  const reservations = new Map<string, Map<string, Reservation>>();
  let table = DEFAULT_TABLE;
  let columns: Columns | undefined;
  /** Header cell texts of the current table, to name the cells after VM (`columns`). */
  let headerCells: string[] = [];
  /** Lines already read as part of a wrapped row. */
  let skipUntil = 0;
  /** The last line that was a table header or a parsed row (a lone line right after it may begin the next row's name). */
  let lastRowLine = 0;
  let standard = 0;
  let lastEntry: { e: PrivateElement; line: number } | undefined;

  const note = (severity: 'error' | 'warning' | 'info', code: string, line: number, message: string, raw: string) =>
    diagnose(ctx, { severity, code, message: `${file} line ${line}: ${message}`, table, line, raw });
  const reject = (line: number, raw: string, code: string, message: string) => {
    account.rejected(line);
    note('warning', code, line, message, raw);
  };

  const declare = (group: string, block: string, creatorText: string, line: number, raw: string): void => {
    let creator = creatorText.replace(/^["'“]+|["'”]+$/g, '').replace(/ +$/, '');
    const folded = foldLookalikes(creator);
    if (folded !== creator) {
      note('warning', 'creator-lookalike', line, `creator "${creator}" contains look-alike characters; read as "${folded}"`, raw);
      creator = folded;
    }
    let m = reservations.get(group);
    if (!m) reservations.set(group, (m = new Map()));
    m.set(block, { creator, line });
    if (!declarations.some((d) => d.creator === creator && d.group === group && (d.block ?? 'xx') === block && d.prov.source === ctx.source.id)) {
      declarations.push({ creator, group, ...(block !== 'xx' ? { block } : {}), prov: { source: ctx.source.id, table, line }, raw });
    }
  };

  const creatorFor = (group: string, block: string | undefined): Reservation | 'ambiguous' | undefined => {
    const m = reservations.get(group);
    if (!m) return undefined;
    if (block !== undefined && m.has(block)) return m.get(block);
    if (m.has('xx')) return m.get('xx');
    if (m.size === 1) return [...m.values()][0];
    return m.size === 0 ? undefined : 'ambiguous';
  };

  /** Record one private attribute (first occurrence in the document wins; repeats are compared). */
  const addEntry = (e: PrivateElement, line: number, raw: string): void => {
    for (const p of checkPrivateElement(e)) note(p.severity, p.code, line, p.message, raw);
    if (checkPrivateElement(e).some((p) => !p.keep)) {
      account.rejected(line);
      return;
    }
    account.parsed(line);
    const key = `${e.creator}|${e.group}|${e.offset}`;
    const prev = byKey.get(key);
    if (prev) {
      if (prev.vr.join('/') !== e.vr.join('/') && e.vr.length > 0) {
        note('warning', 'private-conflict-in-document', line, `"${e.creator}" (${e.group},xx${e.offset}) VR ${e.vr.join('/') || '(none)'} differs from ${prev.vr.join('/') || '(none)'} at line ${prev.prov.line}; the first is kept`, raw);
      } else if (nameKey(prev.name) !== nameKey(e.name)) {
        note('info', 'private-name-variant', line, `"${e.creator}" (${e.group},xx${e.offset}) is named "${e.name}" here and "${prev.name}" at line ${prev.prov.line}; the first is kept`, raw);
      }
      lastEntry = undefined;
      return;
    }
    byKey.set(key, e);
    section.elements.push(e);
    lastEntry = { e, line };
  };

  const makeEntry = (creator: string, group: string, offset: string, name: string, vr: string[], vm: string, line: number, raw: string, block?: string): PrivateElement => ({
    creator,
    group,
    offset,
    ...(block !== undefined ? { block } : {}),
    keyword: /^[A-Za-z][A-Za-z0-9_]*$/.test(name) ? name : keywordFromName(name),
    keywordDerived: true,
    name,
    vr,
    vm,
    retired: false,
    prov: { source: ctx.source.id, table, line },
    raw,
  });

  const namedColumns = (extras: readonly string[], header: readonly string[], vmIndex: number | undefined, line: number, raw: string): Record<string, string> => {
    const { named, unnamed } = namedColumnsOf(extras, header, vmIndex);
    if (unnamed.length > 0) note('info', 'private-extra-cells', line, `cell(s) after the VM without a column header kept out of the name: ${unnamed.map((c) => `"${c}"`).join(', ')}`, raw);
    return named;
  };

  /** Clean a name cell: nesting `>`, footnote markers, a VR merged in front or behind. */
  const cleanName = (cell: string, vr: string[], line: number, raw: string): string => {
    let name = cell.replace(/^(>\s*)+/, '').replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]+$/u, '').trim();
    for (const v of vr) {
      const m = new RegExp(`^${v}\\s+(.+)$|^(.+?)\\s+${v}$`).exec(name);
      if (m) {
        name = (m[1] ?? m[2])!.trim();
        note('info', 'merged-cells', line, `VR "${v}" merged into the name cell was removed`, raw);
      }
    }
    const repaired = repairName(name);
    if (repaired !== name) {
      note('info', 'name-repaired', line, `name "${name}" broken by the extraction read as "${repaired}"`, raw);
      name = repaired;
    }
    return name;
  };

  for (let i = 0; i < rawLines.length; i++) {
    const line = i + 1;
    if (line <= skipUntil) continue;
    let raw = rawLines[i]!;
    let folded = foldLookalikes(raw.replace(INVISIBLE, ''));
    const wrapped = joinWrappedCreatorRow(rawLines, i);
    if (wrapped) {
      for (let k = line + 1; k <= wrapped.lastLine; k++) account.parsed(k);
      note('info', 'row-joined', line, `row wrapped over lines ${line}-${wrapped.lastLine} read as one`, wrapped.raw);
      skipUntil = wrapped.lastLine;
      raw = wrapped.raw;
      folded = wrapped.folded;
    }
    // A VR glued to the tag by the extraction (`0019,1014DS`): put the cell boundary back.
    const unglued = folded.replace(GLUED_VR, (m, tagText: string, vr: string) => (KNOWN_VRS.has(vr) ? `${tagText}\t${vr}` : m));
    const glued = unglued !== folded;
    folded = unglued;
    if (folded.trim() === '') {
      account.skipped(line, 'blank line');
      continue;
    }
    const lookalikes = foldLookalikes(raw.replace(INVISIBLE, '')) !== raw.replace(INVISIBLE, '');
    const noteLookalikes = (creatorRow: boolean) => {
      if (!lookalikes) return;
      if (creatorRow) note('warning', 'creator-lookalike', line, 'look-alike characters in a reservation row were folded to ASCII; the creator string devices write must be checked', raw);
      else note('info', 'lookalike-folded', line, 'look-alike characters folded to ASCII before reading the row', raw);
    };
    const cells = splitCells(folded).filter((c, j, all) => c !== '' || (j > 0 && j < all.length - 1));
    const first = cells.find((c) => c !== '') ?? '';
    if (CAPTION.test(first) && cells.filter((c) => c !== '').length === 1 && [...first.matchAll(TAG_ANY)].length === 0) {
      table = first.replace(/\s+/g, ' ').trim();
      columns = undefined;
      headerCells = [];
      account.skipped(line, 'table caption');
      lastEntry = undefined;
      continue;
    }
    if (isHeaderRow(cells)) {
      columns = headerColumns(cells);
      headerCells = cells;
      lastRowLine = line;
      account.skipped(line, 'table header');
      lastEntry = undefined;
      continue;
    }

    // Layout 2: creator inside the tag.
    const ct = CREATOR_TAG.exec(folded);
    if (ct) {
      const tag = readTag(ct[1]!, ct[3]!.length === 2 ? `xx${ct[3]!}` : ct[3]!);
      const before = splitCells(folded.slice(0, ct.index)).filter(Boolean);
      const after = splitCells(folded.slice(ct.index + ct[0].length)).filter(Boolean);
      if (!tag || !/^[0-9A-F]{4}$/.test(tag.group)) {
        reject(line, raw, 'private-tag-syntax', `cannot read the tag of "${ct[0]}"`);
        continue;
      }
      const creator = ct[2]!.replace(/\s+/g, ' ').trim();
      const parts = splitNameVrVm(` ${[...before, ...after].join('\t')}`);
      const vr = parts?.vr ?? [];
      const vm = parts?.vm ?? '';
      const name = cleanName(parts?.name ?? [...before, ...after].join(' '), vr, line, raw);
      const cols = parts ? namedColumns(parts.extras, headerCells, columns?.vm, line, raw) : undefined;
      if (name === '' && vr.length === 0) {
        reject(line, raw, 'private-row-unreadable', `private tag ${ct[0]} without a readable name or VR`);
        continue;
      }
      if (tag.repaired) note('info', 'tag-repaired', line, `tag ${ct[0]} read as (${tag.group},${tag.element})`, raw);
      const el = tag.element;
      const block = el.startsWith('xx') ? undefined : el.slice(0, 2);
      if (creator !== foldLookalikes(creator)) note('warning', 'creator-lookalike', line, `creator "${creator}" contains look-alike characters`, raw);
      noteLookalikes(false);
      declare(tag.group, block ?? 'xx', creator, line, raw);
      addEntry(withColumns(makeEntry(creator.replace(/ +$/, ''), tag.group, el.slice(2), name || 'Unknown', vr, vm, line, raw), cols), line, raw);
      lastRowLine = line;
      continue;
    }

    if (LOOSE_CREATOR_TAG.test(folded)) {
      reject(line, raw, 'private-tag-unparsed', `"${LOOSE_CREATOR_TAG.exec(folded)![0]}" looks like a private tag with its creator but its group or element cannot be read`);
      continue;
    }

    // Layout 1: find the tag cell.
    let tagIdx = -1;
    let tag: TagText | undefined;
    for (let k = 0; k < cells.length; k++) {
      const m = TAG_CELL.exec(cells[k]!.replace(/^(>\s*)+/, ''));
      if (m) {
        const t = readTag(m[1]!, m[2]!);
        if (t) {
          tagIdx = k;
          tag = t;
          break;
        }
      }
    }
    let nameCell: string;
    let vrCell: string;
    let valueCell: string;
    let vmCell = '';
    let merged = false;
    let rowColumns: Record<string, string> | undefined;
    if (tag && columns && columns.tag === tagIdx && columns.vr !== undefined) {
      // Columns as the table header names them.
      const at = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? ''));
      nameCell = columns.name !== undefined ? at(columns.name) : cells.slice(0, tagIdx).filter(Boolean).join(' ');
      if (columns.name !== undefined && columns.name > tagIdx && cells[0]!.startsWith('>')) nameCell = `${cells[0]!.match(/^(>\s*)+/)![0]}${nameCell}`;
      vrCell = at(columns.vr);
      vmCell = at(columns.vm);
      const lastFixed = Math.max(columns.vr, columns.vm ?? -1);
      valueCell = columns.value !== undefined ? at(columns.value) : (cells.slice(lastFixed + 1).find((c) => c !== '') ?? '');
      const fixed = new Set([columns.tag, columns.name, columns.vr, columns.vm]);
      rowColumns = Object.fromEntries(headerCells.flatMap((h, k) => (fixed.has(k) || h === '' || at(k) === '' ? [] : [[h, at(k)]])));
    } else if (tag) {
      nameCell = cells.slice(0, tagIdx).filter(Boolean).join(' ');
      vrCell = cells[tagIdx + 1] ?? '';
      valueCell = cells[tagIdx + 2] ?? '';
      if (tagIdx === 0 && cells[0]!.startsWith('>')) nameCell = '';
    } else {
      // Merged cells: a tag somewhere inside a cell.
      const anyTags = [...folded.matchAll(TAG_ANY)].map((m) => ({ m, t: readTag(m[1]!, m[2]!) })).filter((x) => x.t !== undefined);
      const privateMentions = anyTags.filter((x) => looksPrivate(x.t!));
      if (anyTags.length === 0) {
        // Possibly the continuation of a name broken across lines.
        if (lastEntry && cells.length === 1 && first.length <= 40 && !HEADING.test(first) && (/^[a-z]/.test(first) || /[_-]$/.test(lastEntry.e.name))) {
          const joined = /[_-]$/.test(lastEntry.e.name) ? lastEntry.e.name + first : `${lastEntry.e.name} ${first}`;
          note('info', 'name-joined', line, `name continued from line ${lastEntry.line}: "${joined}"`, raw);
          lastEntry.e.name = repairName(joined);
          lastEntry.e.keyword = /^[A-Za-z][A-Za-z0-9_]*$/.test(lastEntry.e.name) ? lastEntry.e.name : keywordFromName(lastEntry.e.name);
          lastEntry.e.raw = `${lastEntry.e.raw}\n${raw}`;
          account.parsed(line);
          lastEntry = undefined;
          lastRowLine = line;
          continue;
        }
        account.skipped(line, 'text without a tag');
        continue;
      }
      const firstTag = anyTags[0]!;
      if (privateMentions.length > 0 && firstTag.m.index !== undefined && looksPrivate(firstTag.t!)) {
        // Merged cells (`Name 01F7,xxCB DS value…`, `01F7,xxCBDS`): name before the tag, VR right after.
        tag = firstTag.t!;
        const idx = firstTag.m.index;
        nameCell = folded.slice(0, idx).replace(/\s+/g, ' ').trim();
        const afterTokens = folded.slice(idx + firstTag.m[0].length).replace(/^\)/, '').trim().split(/\s+/);
        vrCell = afterTokens[0] ?? '';
        if (parseVr(vrCell).unknown !== undefined || vrCell === '') {
          reject(line, raw, 'private-tag-unparsed', `private tag ${firstTag.m[0]} in running text (no VR after it); not read as an entry, check the row`);
          continue;
        }
        valueCell = afterTokens.slice(1).join(' ');
        merged = true;
      } else if (privateMentions.length > 0) {
        reject(line, raw, 'private-tag-unparsed', `private tag ${privateMentions.map((x) => x.m[0]).join(', ')} mentioned outside a tag column; not read as an entry, check the row`);
        continue;
      } else {
        standard++;
        account.skipped(line, 'standard attribute mentioned in text');
        continue;
      }
    }

    const t = tag;
    // Private tags mentioned in other cells of a row are reported, never silently dropped.
    const otherMentions = cells
      .filter((_, k) => k !== tagIdx)
      .flatMap((c) => [...c.matchAll(TAG_ANY)].map((m) => readTag(m[1]!, m[2]!)).filter((x): x is TagText => x !== undefined && looksPrivate(x)));
    if (otherMentions.length > 0 && !merged) {
      note('info', 'private-tag-mentioned', line, `private tag(s) ${otherMentions.map((x) => `(${x.group},${x.element})`).join(', ')} mentioned in the row's text`, raw);
    }

    if (!looksPrivate(t)) {
      standard++;
      account.skipped(line, 'standard attribute');
      lastEntry = undefined;
      continue;
    }
    noteLookalikes(false);
    if (glued) note('info', 'merged-cells', line, 'VR glued to the tag by the extraction was split off', raw);
    if (t.repaired) note('info', 'tag-repaired', line, `tag read as (${t.group},${t.element}) after replacing O/l look-alikes of 0/1`, raw);
    if (merged) note('info', 'merged-cells', line, `cells merged by the extraction: read name "${nameCell}", tag (${t.group},${t.element}), VR "${vrCell}"`, raw);
    if (!isOddGroup(t.group)) {
      reject(line, raw, 'private-group-even', `(${t.group},${t.element}) has a block mask but group ${t.group} is not odd; private groups are odd (PS3.5 §7.8.1)`);
      continue;
    }
    const hi = t.element.slice(0, 2);
    const lo = t.element.slice(2);
    const isCreatorName = /private\s*creator/i.test(nameCell);
    // Reservation rows: (gggg,00xx) or (gggg,0010-00FF).
    if (hi === '00') {
      if (lo !== 'xx' && parseInt(lo, 16) < 0x10) {
        reject(line, raw, 'private-reservation-element', `(${t.group},${t.element}) is below the reservation range (gggg,0010-00FF)`);
        continue;
      }
      const creator = valueCell.trim();
      if (creator === '' || /^(always|anap|vnap|auto|-)$/i.test(creator)) {
        reject(line, raw, 'private-creator-value-missing', `reservation (${t.group},${t.element}) without a creator value`);
        continue;
      }
      noteLookalikes(true);
      declare(t.group, lo === 'xx' ? 'xx' : lo, creator, line, raw);
      account.parsed(line);
      lastEntry = undefined;
      continue;
    }
    if (isCreatorName && hi === 'xx') {
      // A reservation row printed with the tag of a block element (seen: `01F7,xx10`): not an attribute.
      reject(line, raw, 'private-creator-row-misplaced', `"${nameCell}" printed with block tag (${t.group},${t.element}); a reservation is (gggg,00xx): not read as an attribute`);
      continue;
    }
    if (hi !== 'xx' && parseInt(hi, 16) < 0x10) {
      reject(line, raw, 'private-block-range', `(${t.group},${t.element}) lies outside the private blocks (gggg,1000-FFFF)`);
      continue;
    }
    const res = creatorFor(t.group, hi === 'xx' ? undefined : hi);
    if (res === undefined) {
      reject(line, raw, 'private-creator-unknown', `(${t.group},${t.element}) has no Private Creator Data Element for group ${t.group} before it`);
      continue;
    }
    if (res === 'ambiguous') {
      reject(line, raw, 'private-creator-ambiguous', `(${t.group},${t.element}): several creators reserve blocks of group ${t.group}; write the tag with its block`);
      continue;
    }
    if (lo.includes('x')) {
      reject(line, raw, 'private-tag-syntax', `(${t.group},${t.element}) has no element offset`);
      continue;
    }
    const vrParsed = parseVr(vrCell);
    let vr = vrParsed.vr;
    // The VR may have landed at the end of the name cell (merged cells).
    if (vr.length === 0) {
      const tail = /\s([A-Z]{2})$/.exec(nameCell);
      if (tail && KNOWN_VRS.has(tail[1]!)) vr = [tail[1]!];
      else if (vrCell !== '') note('warning', 'private-vr-unknown', line, `VR "${vrCell}" is not a PS3.5 VR; entry kept without a VR`, raw);
    }
    let name = cleanName(nameCell, vr, line, raw);
    // A name broken across lines: the first part may sit alone on the previous line.
    if ((name === '' || /^[a-z]/.test(name) || (lastRowLine === line - 2 && lastRowLine > 0)) && i > 0) {
      const prevRaw = rawLines[i - 1]!;
      const prev = foldLookalikes(prevRaw.replace(INVISIBLE, '')).trim();
      const prevCells = splitCells(prev).filter(Boolean);
      if (prev !== '' && prevCells.length === 1 && prev.length <= 60 && !CAPTION.test(prev) && !HEADING.test(prev) && ![...prev.matchAll(TAG_ANY)].length) {
        const joined = repairName(`${prev.replace(/^(>\s*)+/, '')}${name === '' ? '' : ` ${name}`}`.trim());
        note('info', 'name-joined', line, `name begun on line ${line - 1}: "${joined}"`, raw);
        name = joined;
        account.parsed(line - 1);
      }
    }
    if (name === '') note('warning', 'private-name-missing', line, `(${t.group},${t.element}) has no name`, raw);
    let vm = vmCell.trim();
    if (vm !== '' && !isVm(vm)) {
      note('warning', 'private-vm-syntax', line, `VM "${vm}" is not of the form 1, 1-n, 2-2n; entry kept without a VM`, raw);
      vm = '';
    }
    addEntry(withColumns(makeEntry(res.creator, t.group, lo, name || 'Unknown', vr, vm, line, raw), rowColumns), line, raw);
    lastRowLine = line;
  }

  ctx.report.counts[`private.${ctx.source.id}.standardIgnored`] = standard;
  ctx.report.counts[`private.${ctx.source.id}.creators`] = declarations.filter((d) => d.prov.source === ctx.source.id).length;
  finishAccount(ctx, account, ctx.source.id, byKey.size);
}
