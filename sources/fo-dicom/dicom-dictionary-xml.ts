/**
 * fo-dicom's public dictionary XML (`DICOM/Dictionaries/DICOM Dictionary.xml`), the data dictionary
 * and UID registry of one edition of PS3.6 (and PS3.7 command elements) with official keywords:
 *
 *   <dictionary version="2024c">
 *     <tag group="0010" element="0010" keyword="PatientName" vr="PN" vm="1">Patient's Name</tag>
 *     <uid uid="1.2.840.10008.1.1" keyword="Verification" type="SOP Class">Verification SOP Class</uid>
 *
 *   scrapeFoDicomDictionary(path, { ir, report, layer? }): SourceRecord
 *
 * - The edition is the root's `version` attribute (a file without one is refused: the layer would
 *   have no edition to say). A file that does not end with `</dictionary>` is truncated: refused.
 * - Tags: `x` masks as written (`60xx3000`, `1000xxx0`); a missing `vr` is PS3.6's `See Note`
 *   (Item, Item Delimitation); `OB/OW` is the VR list OB or OW. Group 0000 is PS3.7 (retired ones
 *   Table E.2-1), 0002 PS3.6 Table 7-1, 0004 Table 8-1, everything else Table 6-1.
 * - UIDs: the `type` text is normalized like PS3.6 Table A-1's; a context group's CID is read from
 *   its name (`Laterality (244)`), so the PS3.16 groups can be checked against this registry.
 *   Keywords are written by the source, never derived.
 * Every `<tag>` and `<uid>` element is one accounted row (parsed, or rejected with file and line).
 * The element readers (`loadXml`, `lineIndex`) are the private fo-dicom reader's.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Element } from 'domhandler';
import type { DataElement, ElementTable, Ir, Report, SourceRecord, UidEntry } from '../../generator/ir.ts';
import { inputError } from '../common/errors.ts';
import { sha256 } from '../common/hash.ts';
import { cleanText } from '../common/text.ts';
import { irTag } from '../common/tags.ts';
import { parseVrCell, uidProblem } from '../common/dictionary-cells.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { UnitAccount } from '../private/common.ts';
import { lineIndex, loadXml, type XmlDoc } from '../private/fo-dicom-private-xml.ts';
import { normalizeUidType, splitRetired } from '../nema/part06-uids.ts';

export const TAG_TABLE = 'fo-dicom dictionary <tag>';
export const UID_TABLE = 'fo-dicom dictionary <uid>';

const KEYWORD = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The edition the file states (`<dictionary version="2024c">`), or undefined. */
export function foDicomDictionaryEdition($: XmlDoc): string | undefined {
  const v = cleanText($('dictionary').first().attr('version') ?? '');
  return /^\d{4}[a-z]?$/i.test(v) ? v.toLowerCase() : undefined;
}

/** PS3.6/PS3.7 table of a tag, by group (the file does not say). */
export function elementTableOfTag(tag: string, retired: boolean): ElementTable {
  if (tag.startsWith('0000')) return retired ? 'command-retired' : 'command';
  if (tag.startsWith('0002')) return 'file-meta';
  if (tag.startsWith('0004')) return 'directory';
  return 'data';
}

/** `Laterality (244)` → 244 (PS3.6 Table A-1 names a context group with its CID). */
export function cidFromContextGroupName(name: string): number | undefined {
  const m = /\((\d+)\)\s*$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

interface RowCtx {
  ctx: ScrapeContext;
  table: string;
  row: number;
  line: number | undefined;
  raw: string;
}

function reject(r: RowCtx, severity: 'error' | 'warning', code: string, problem: string): void {
  const at = `${r.ctx.source.file} line ${r.line ?? '?'}`;
  diagnose(r.ctx, { severity, code, message: `${at}: ${problem}`, table: r.table, row: r.row, ...(r.line !== undefined ? { line: r.line } : {}), raw: r.raw });
}

/** One `<tag>` element → a data element, or undefined after reporting why not. */
export function dataElementFromTag(node: Element, $: XmlDoc, r: RowCtx): DataElement | undefined {
  const a = node.attribs;
  const tag = irTag(`${a.group ?? ''}${a.element ?? ''}`);
  if (!tag) return void reject(r, 'error', 'invalid-tag', `group "${a.group ?? ''}" element "${a.element ?? ''}" is not a tag (4 hex digits each, x for masked nibbles)`);
  const keyword = cleanText(a.keyword ?? '');
  const name = cleanText($(node).text());
  if (keyword === '' && name === '') return void reject(r, 'warning', 'reserved-row', `(${tag.slice(0, 4)},${tag.slice(4)}) has neither keyword nor name (a reserved row); not an entry`);
  if (!KEYWORD.test(keyword)) return void reject(r, 'error', 'invalid-keyword', `keyword "${keyword}" is not an identifier`);
  const vrText = a.vr ?? '';
  const vr = vrText === '' ? { vr: [], seeNote: true } : parseVrCell(vrText);
  if (!vr) return void reject(r, 'error', 'invalid-vr', `VR "${vrText}" is not a list of two-letter VRs`);
  const retired = a.retired === 'true';
  const e: DataElement = {
    tag,
    keyword,
    name,
    vr: vr.vr,
    ...(vr.seeNote ? { vrSeeNote: true } : {}),
    vm: cleanText(a.vm ?? ''),
    retired,
    table: elementTableOfTag(tag, retired),
    prov: { source: r.ctx.source.id, table: r.table, row: r.row, ...(r.line !== undefined ? { line: r.line } : {}) },
  };
  return e;
}

/** One `<uid>` element → a UID registry entry, or undefined after reporting why not. */
export function uidEntryFromUid(node: Element, $: XmlDoc, r: RowCtx): UidEntry | undefined {
  const a = node.attribs;
  const uid = cleanText(a.uid ?? '');
  const problem = uidProblem(uid);
  if (problem) return void reject(r, 'error', 'invalid-uid', `UID "${a.uid ?? ''}" is not valid (${problem})`);
  const keyword = cleanText(a.keyword ?? '');
  if (!KEYWORD.test(keyword)) return void reject(r, 'error', 'invalid-keyword', `keyword "${keyword}" of ${uid} is not an identifier`);
  const typeText = cleanText(a.type ?? '');
  const type = normalizeUidType(typeText);
  if (!type) return void reject(r, 'error', 'unknown-uid-type', `UID type "${typeText}" of ${uid} is not a PS3.6 Table A-1 type`);
  const split = splitRetired(cleanText($(node).text()));
  if (split.name === '') return void reject(r, 'error', 'empty-name', `${uid} has no name`);
  const cid = type === 'Context Group Name' ? cidFromContextGroupName(split.name) : undefined;
  const e: UidEntry = {
    uid,
    name: split.name,
    keyword,
    type,
    typeText,
    retired: a.retired === 'true' || split.retired,
    ...(cid !== undefined ? { cid } : {}),
    prov: { source: r.ctx.source.id, table: r.table, row: r.row, ...(r.line !== undefined ? { line: r.line } : {}) },
  };
  return e;
}

/** Read every element named `name` into entries keyed by `key`; duplicates are rejected. */
function readRows<T>(
  $: XmlDoc,
  text: string,
  ctx: ScrapeContext,
  name: 'tag' | 'uid',
  table: string,
  read: (node: Element, $: XmlDoc, r: RowCtx) => T | undefined,
  key: (e: T) => string,
): T[] {
  const lineOf = lineIndex(text);
  const nodes = $(name).toArray() as Element[];
  const account = new UnitAccount(ctx.source.file, table, nodes.map((_, i) => i + 1), 'row');
  const seen = new Map<string, number>();
  const out: T[] = [];
  nodes.forEach((node, i) => {
    const r: RowCtx = { ctx, table, row: i + 1, line: lineOf(node.startIndex), raw: ($.xml(node) ?? '').slice(0, 300) };
    const e = read(node, $, r);
    if (e === undefined) return account.rejected(r.row);
    const k = key(e);
    const first = seen.get(k);
    if (first !== undefined) {
      reject(r, 'error', 'duplicate-key', `${k} is already defined by row ${first}; the first is kept`);
      return account.rejected(r.row);
    }
    seen.set(k, r.row);
    out.push(e);
    account.parsed(r.row);
  });
  addAccount(ctx, account.finish(ctx.source.id));
  return out;
}

/** Scrape already-read file text into `ctx.ir` (dataElements and uids). */
export function scrapeFoDicomDictionaryText(text: string, ctx: ScrapeContext, $: XmlDoc = loadXml(text)): void {
  ctx.ir.dataElements.push(...readRows($, text, ctx, 'tag', TAG_TABLE, dataElementFromTag, (e) => e.tag));
  ctx.ir.uids.push(...readRows($, text, ctx, 'uid', UID_TABLE, uidEntryFromUid, (e) => e.uid));
}

/** Read, check and register the file; then scrape it. Returns its SourceRecord. */
export function scrapeFoDicomDictionary(path: string, target: { ir: Ir; report: Report; layer?: string }): SourceRecord {
  const data = readFileSync(path);
  const text = data.toString('utf8');
  const file = basename(path);
  if (!/<\/dictionary>\s*$/.test(text)) {
    throw inputError(path, 'does not end with </dictionary>: the file is truncated', 'Copy the whole fo-dicom DICOM dictionary XML again');
  }
  const $ = loadXml(text);
  const edition = foDicomDictionaryEdition($);
  if (!edition) {
    throw inputError(path, 'the root <dictionary> has no version attribute of the form 2024c', 'Use fo-dicom\'s public dictionary, whose root states the edition (<dictionary version="2024c">)');
  }
  const source: SourceRecord = {
    id: `fo-dicom-${edition}-dicom-dictionary`,
    part: 'fo-dicom public dictionary (PS3.6, PS3.7)',
    edition,
    format: 'fo-dicom',
    file,
    sha256: sha256(data),
    bytes: statSync(path).size,
    ...(target.layer !== undefined ? { layer: target.layer } : {}),
  };
  if (!target.ir.sources.some((s) => s.id === source.id)) target.ir.sources.push(source);
  scrapeFoDicomDictionaryText(text, { ir: target.ir, report: target.report, source }, $);
  return source;
}
