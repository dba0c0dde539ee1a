/**
 * PS3.16 Annex B/C context groups. Each group is a section labelled `CID n` (DocBook
 * `<section label="CID n" xml:id="sect_CID_n">`, NEMA HTML `<div class="section">` titled by
 * `<a id="sect_CID_n">`) holding a title, a variablelist of metadata (Keyword, FHIR Keyword, Type,
 * Version, UID, Resources) and one table whose header names its columns. Include rows carry an
 * empty `<xref linkend="sect_CID_m"/>` (or an `<olink targetptr>`), so the CID is read from the link.
 */
import type { NemaDocument } from './document.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { cleanText, hadInvisible } from '../common/text.ts';
import { inputError } from '../common/errors.ts';
import { mapColumns, RowAccount, rowRaw, where, type Cell, type ColumnSpec, type Row, type SourceTable } from '../common/table.ts';
import type { Ir, Report, UidEntry } from '../../generator/ir.ts';
import {
  assignContextGroupIdentifiers,
  codeKey,
  codeMeaningIdentifier,
  codeValueForm,
  codeValueOf,
  ensureContextGroupSection,
  finalizeContextGroups,
  loadIdentifierAliasTable,
  resolveContextGroupIncludes,
  type ContextGroup,
  type ContextGroupCode,
} from '../../generator/ir-context-groups.ts';

/** One `CID n` section as read from the document, before any interpretation. */
export interface CidSection {
  cid: number;
  /** `sect_CID_7151` */
  id: string;
  title: string;
  /** The section's `status` attribute (DocBook), when present. */
  status?: string;
  /** Metadata terms (without the trailing colon) → cleaned value, in document order. */
  meta: { term: string; value: string; raw: string }[];
  /** Ids of the tables that belong to this section (not to a nested one). */
  tableIds: string[];
}

const CID_LABEL = /^CID\s*(\d+)$/i;
/** `(Retired)` / `[RETIRED]` / ` - Retired` in a section title. */
const RETIRED_MARK = /\s*[(\[]\s*retired\s*[)\]]\s*|\s+-\s+retired\s*$/i;

/**
 * `prov.table` of a group (its codes name their own `CID n` table and row): one name for all
 * groups, so per-table counts and provenance read "Annex B", not 1,500 lines.
 */
export const GROUP_TABLE = 'Annex B';

/** Every `CID n` section of the document, DocBook or NEMA HTML, in document order. */
export function readCidSections(doc: NemaDocument): CidSection[] {
  const $ = doc.$;
  const out: CidSection[] = [];
  if (doc.format === 'docbook') {
    $('section').each((_, sec) => {
      const label = cleanText($(sec).attr('label') ?? '');
      const id = $(sec).attr('xml:id') ?? '';
      const m = CID_LABEL.exec(label) ?? /^sect_CID_(\d+)$/.exec(id);
      if (!m) return;
      const meta: CidSection['meta'] = [];
      $(sec)
        .children('variablelist')
        .children('varlistentry')
        .each((_, e) => {
          const raw = $(e).children('listitem').text();
          meta.push({ term: cleanText($(e).children('term').text()).replace(/:$/, ''), value: cleanText(raw), raw });
        });
      // Older editions write the metadata in paragraphs, several to one: `Type: Extensible Version: 20100317`.
      $(sec)
        .children('para')
        .each((_, p) => {
          const t = cleanText($(p).text());
          if (!/^(FHIR Keyword|Keyword|Type|Version|UID)\s*:/i.test(t)) return;
          const marks = [...t.matchAll(/(FHIR Keyword|Keyword|Type|Version|UID)\s*:\s*/gi)];
          marks.forEach((mm, i) => {
            const value = t.slice(mm.index! + mm[0].length, marks[i + 1]?.index ?? t.length).trim();
            meta.push({ term: mm[1]!, value, raw: value });
          });
        });
      // Tables are direct children of the section; search deeper only when there is none.
      let tables = $(sec).children('table').toArray();
      if (tables.length === 0) tables = $(sec).find('table').toArray().filter((t) => $(t).closest('section').get(0) === sec);
      const tableIds = tables.map((t) => $(t).attr('xml:id') ?? '');
      const status = $(sec).attr('status');
      out.push({
        cid: Number(m[1]),
        id: id || `sect_CID_${m[1]}`,
        title: cleanText($(sec).children('title').first().text()),
        ...(status !== undefined ? { status } : {}),
        meta,
        tableIds,
      });
    });
  } else {
    $('div.section').each((_, sec) => {
      const $title = $(sec).children('div.titlepage').find('.title').first();
      const anchor = $title.find('a[id]').first().attr('id') ?? '';
      const m = /^sect_CID_(\d+)$/.exec(anchor);
      if (!m) return;
      const meta: CidSection['meta'] = [];
      const $dl = $(sec).children('div.variablelist').children('dl').first();
      $dl.children('dt').each((_, dt) => {
        const dd = $(dt).next('dd');
        const raw = dd.text();
        meta.push({ term: cleanText($(dt).text()).replace(/:$/, ''), value: cleanText(raw), raw });
      });
      const tableIds = $(sec)
        .find('div.table')
        .toArray()
        .filter((t) => $(t).parent().closest('div.section').get(0) === sec)
        .map((t) => $(t).children('a[id]').first().attr('id') ?? '');
      const title = cleanText($title.text()).replace(/^CID\s*\d+\s*/i, '');
      out.push({ cid: Number(m[1]), id: anchor, title, meta, tableIds });
    });
  }
  return out;
}

type CodeField = 'designator' | 'value' | 'longValue' | 'urnValue' | 'meaning' | 'version' | 'snomedRt' | 'umls';

/** Columns of a context group table (PS3.16 Annex B), matched by header text. */
export const CID_COLUMNS: ColumnSpec<CodeField>[] = [
  { field: 'designator', headers: ['Coding Scheme Designator', 'Coding Scheme Designator (0008,0102)', 'Coding Scheme Designator (CSD)', 'CSD'], required: true },
  { field: 'value', headers: ['Code Value', 'Code Value (0008,0100)', 'Code Value (CV)'] },
  { field: 'longValue', headers: ['Long Code Value', 'Long Code Value (0008,0119)'] },
  { field: 'urnValue', headers: ['URN Code Value', 'URN Code Value (0008,0120)'] },
  { field: 'meaning', headers: ['Code Meaning', 'Code Meaning (0008,0104)', 'Code Meaning (CM)'], required: true },
  { field: 'version', headers: ['Coding Scheme Version', 'Coding Scheme Version (0008,0103)'] },
  { field: 'snomedRt', headers: ['SNOMED-RT ID', 'SNOMED RT ID', 'Legacy SNOMED-RT ID'] },
  { field: 'umls', headers: ['UMLS Concept Unique ID', 'UMLS CUI', 'UMLS Concept Unique Identifier'] },
];

/** Keys of `ContextGroupCode.extra` for the optional columns. */
const EXTRA_KEYS: Partial<Record<CodeField, string>> = { snomedRt: 'snomedRtId', umls: 'umlsCui' };

const DESIGNATOR = /^[A-Za-z0-9][A-Za-z0-9_.\-]*$/;
const UID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** CID numbers named by an Include row: from its links first, from visible text as a fallback (HTML). */
function includeTargets(cells: Cell[]): number[] {
  const out: number[] = [];
  for (const c of cells) {
    for (const l of c.links) {
      const m = /(?:^|[_#/])CID_(\d+)(?:\.html)?$/i.exec(l);
      if (m) out.push(Number(m[1]));
    }
  }
  if (out.length === 0) {
    for (const c of cells) for (const m of c.text.matchAll(/\bCID\s*(\d+)\b/gi)) out.push(Number(m[1]));
  }
  return [...new Set(out)];
}

function cell(row: Row, cols: Map<CodeField, number>, f: CodeField): string {
  const i = cols.get(f);
  return i === undefined ? '' : (row.cells[i]?.text ?? '');
}

interface ParsedTable {
  codes: ContextGroupCode[];
  includes: number[];
}

/** Read one group table; every body row ends up a code, an include, or a reported rejection. */
function readGroupTable(t: SourceTable, cid: number, ctx: ScrapeContext): ParsedTable {
  const table = `CID ${cid}`;
  const cols = mapColumns(t, CID_COLUMNS);
  if (!cols.has('value') && !cols.has('longValue') && !cols.has('urnValue')) {
    throw inputError(where(t), `no code value column (headers: ${t.headers.map((h) => `"${h}"`).join(', ')})`, 'The table shape changed in this edition: teach the scraper the new column before generating');
  }
  const account = new RowAccount(t, ctx.source.id);
  const codes: ContextGroupCode[] = [];
  const includes: number[] = [];
  const seen = new Set<string>();
  const reject = (row: Row, code: string, message: string, severity: 'error' | 'warning' = 'warning') => {
    account.rejected(row);
    diagnose(ctx, { severity, code, message: `${where(t, row.index)}: ${message}`, table, row: row.index, raw: rowRaw(row) });
  };
  for (const row of t.rows) {
    const texts = row.cells.map((c) => c.text);
    if (texts.every((x) => x === '') && row.cells.every((c) => c.links.length === 0)) {
      account.skipped(row);
      diagnose(ctx, { severity: 'info', code: 'empty-row', message: `${where(t, row.index)}: empty row skipped`, table, row: row.index });
      continue;
    }
    const first = texts.find((x) => x !== '') ?? '';
    if (/^include\b/i.test(first)) {
      const targets = includeTargets(row.cells);
      if (targets.length === 0) {
        reject(row, 'include-without-cid', 'Include row names no CID (no sect_CID_ link and no "CID n" text)');
        continue;
      }
      for (const n of targets) if (!includes.includes(n)) includes.push(n);
      account.parsed(row);
      continue;
    }
    const designator = cell(row, cols, 'designator');
    const meaning = cell(row, cols, 'meaning');
    const values: [CodeField, string][] = (['value', 'longValue', 'urnValue'] as const).map((f): [CodeField, string] => [f, cell(row, cols, f)]).filter(([, v]) => v !== '');
    if (row.cells.length < t.headers.length && row.cells.some((c) => c.colspan > 1)) {
      reject(row, 'cid-row-unrecognized', 'row is neither a code nor an Include (a spanning cell that is not an Include)');
      continue;
    }
    if (designator === '' || meaning === '' || values.length === 0) {
      const missing = [designator === '' ? 'Coding Scheme Designator' : '', values.length === 0 ? 'code value' : '', meaning === '' ? 'Code Meaning' : ''].filter(Boolean);
      reject(row, 'malformed-code-row', `code row without ${missing.join(', ')}`);
      continue;
    }
    if (values.length > 1) {
      reject(row, 'malformed-code-row', `code row with more than one code value form (${values.map(([f]) => f).join(', ')})`);
      continue;
    }
    if (!DESIGNATOR.test(designator)) {
      reject(row, 'malformed-code-row', `"${designator}" is not a coding scheme designator`);
      continue;
    }
    const [field, value] = values[0]!;
    let form: ReturnType<typeof codeValueForm>;
    if (field === 'value') {
      form = codeValueForm(value);
      if (form.codeValue === undefined) {
        diagnose(ctx, { severity: 'info', code: 'code-value-form', message: `${where(t, row.index)}: "${value}" in the Code Value column is ${form.urnCodeValue ? 'a URN Code Value' : 'a Long Code Value (over 16 characters)'}`, table, row: row.index });
      }
    } else {
      form = field === 'longValue' ? { longCodeValue: value } : { urnCodeValue: value };
    }
    const i = cols.get(field)!;
    if (hadInvisible(row.cells[i]?.raw ?? '')) {
      diagnose(ctx, { severity: 'info', code: 'invisible-characters', message: `${where(t, row.index)}: zero-width or soft-hyphen characters removed from code value "${value}"`, table, row: row.index });
    }
    const code: ContextGroupCode = { codingSchemeDesignator: designator, ...form, codeMeaning: meaning, identifier: '', prov: { source: ctx.source.id, table, row: row.index } };
    const version = cell(row, cols, 'version');
    if (version) code.codingSchemeVersion = version;
    const extra: Record<string, string> = {};
    for (const [f, key] of Object.entries(EXTRA_KEYS) as [CodeField, string][]) {
      const v = cell(row, cols, f);
      if (v && v !== '-' && !/^n\/?a$/i.test(v)) extra[key] = v;
    }
    if (Object.keys(extra).length > 0) code.extra = extra;
    const k = codeKey(code);
    if (seen.has(k)) {
      reject(row, 'duplicate-code', `${designator} ${codeValueOf(code)} listed twice in CID ${cid}; the first row is kept`);
      continue;
    }
    seen.add(k);
    codes.push(code);
    account.parsed(row);
  }
  addAccount(ctx, account.finish());
  return { codes, includes };
}

/** Interpret one section's metadata and table as an IR group. */
function readGroup(doc: NemaDocument, s: CidSection, ctx: ScrapeContext): ContextGroup {
  const table = `CID ${s.cid}`;
  const note = (severity: 'error' | 'warning' | 'info', code: string, message: string) => diagnose(ctx, { severity, code, message: `${doc.file} ${table}: ${message}`, table });
  const retiredByTitle = RETIRED_MARK.test(s.title);
  const retired = retiredByTitle || /retired/i.test(s.status ?? '');
  const name = s.title.replace(RETIRED_MARK, ' ').trim();
  const group: ContextGroup = { cid: s.cid, keyword: '', name, extensible: null, retired, includes: [], codes: [], prov: { source: ctx.source.id, table: GROUP_TABLE } };
  for (const { term, value, raw } of s.meta) {
    switch (term.toLowerCase()) {
      case 'keyword':
        if (/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) group.keyword = value;
        else note('warning', 'invalid-keyword', `keyword "${value}" is not an identifier; derived from the name instead`);
        break;
      case 'fhir keyword':
        if (value) group.fhirKeyword = value;
        break;
      case 'type':
        if (/^non[-\s]?extensible$/i.test(value)) group.extensible = false;
        else if (/^extensible$/i.test(value)) group.extensible = true;
        else note('warning', 'invalid-group-type', `Type "${value}" is neither Extensible nor Non-extensible`);
        break;
      case 'version':
        if (!/^\d{8}$/.test(value)) note('warning', 'invalid-group-version', `Version "${value}" is not yyyymmdd`);
        if (value) group.version = value;
        break;
      case 'uid':
        if (hadInvisible(raw)) note('info', 'invisible-characters', `zero-width or soft-hyphen characters removed from UID "${value}"`);
        if (UID.test(value)) group.uid = value;
        else if (value) note('error', 'invalid-uid', `UID "${value}" is not a valid UID`);
        break;
      case 'resources':
        break;
      case 'status':
        if (/retired/i.test(value)) group.retired = true;
        break;
      default:
        note('info', 'unknown-metadata', `metadata entry "${term}" not recognised; ignored`);
    }
  }
  if (group.keyword === '') {
    group.keyword = codeMeaningIdentifier(name);
    group.keywordDerived = true;
    note('info', 'keyword-derived', `no Keyword entry; "${group.keyword}" derived from the name`);
  }
  if (group.extensible === null && !group.retired) note('warning', 'missing-group-type', 'no Type (Extensible / Non-extensible) entry');
  const ids = s.tableIds.filter(Boolean);
  if (s.tableIds.length > ids.length) note('warning', 'table-without-id', 'a table without an id was ignored');
  if (ids.length === 0) {
    if (!group.retired) note('warning', 'group-without-table', 'no table; the group has no codes');
    return group;
  }
  if (ids.length > 1) note('warning', 'several-tables', `${ids.length} tables; only the first (${ids[0]}) is read`);
  const t0 = doc.requireTable(ids[0]!);
  // Label the table as the standard names the group, so accounts read `Table CID 7151`.
  const t: SourceTable = { ...t0, label: `CID ${s.cid}` };
  const parsed = readGroupTable(t, s.cid, ctx);
  group.codes = parsed.codes;
  group.includes = parsed.includes;
  return group;
}

/**
 * PS3.16 Annex B/C: every `CID n` section into `ir.contextGroups.groups`, includes resolved
 * within the document and identifiers assigned (both are re-run by `finalizeContextGroups` after
 * sources are merged).
 */
export function scrapeContextGroups(doc: NemaDocument, ctx: ScrapeContext): void {
  const section = ensureContextGroupSection(ctx.ir);
  const sections = readCidSections(doc);
  if (sections.length === 0) {
    throw inputError(`${doc.file} (${doc.part} ${doc.edition})`, 'no sections labelled "CID n"', 'Is this PS3.16? Context groups are sections labelled "CID n" in Annex B');
  }
  const known = new Set(section.groups.map((g) => g.cid));
  for (const s of sections) {
    if (known.has(s.cid)) {
      diagnose(ctx, { severity: 'error', code: 'duplicate-cid', message: `${doc.file}: CID ${s.cid} defined twice; the first is kept`, table: `CID ${s.cid}` });
      continue;
    }
    known.add(s.cid);
    section.groups.push(readGroup(doc, s, ctx));
  }
  const report = (d: Parameters<typeof diagnose>[1]) => diagnose(ctx, d);
  resolveContextGroupIncludes(section, report);
  assignContextGroupIdentifiers(section, report);
  ctx.report.counts['context groups'] = section.groups.length;
}

// ---------------------------------------------------------------------------------------------
// PS3.6 Table A-3 against PS3.16

/**
 * PS3.6 Table A-3 (context group UIDs, `ir.uids` entries of type `Context Group Name` with a
 * `cid`; also Table A-1 rows of a registry that names the CID, such as fo-dicom's) must agree
 * with the UIDs PS3.16 states: a different UID for a CID, one UID for two CIDs, or a UID one side
 * lacks is reported. Groups without a UID take the registry's (reported as info). Where the group
 * comes from a third-party scrape of PS3.16 (the JSON mirror) and disagrees, the registry's UID
 * replaces it (warning): the mirror repeats one group's UID for its neighbours.
 */
export function crossCheckContextGroupUids(ir: Ir, report: Report): void {
  const groups = ir.contextGroups?.groups ?? [];
  const a3 = ir.uids.filter((u): u is UidEntry & { cid: number } => u.type === 'Context Group Name' && u.cid !== undefined);
  const push = (severity: 'error' | 'warning' | 'info', code: string, message: string, source?: string, table?: string) =>
    report.diagnostics.push({ severity, code, message, ...(source ? { source } : {}), ...(table ? { table } : {}) });
  if (a3.length === 0) {
    if (groups.some((g) => g.uid)) push('info', 'context-group-uids-unchecked', 'no PS3.6 Table A-3 among the sources; context group UIDs not cross-checked');
    return;
  }
  const scraped = new Set(ir.sources.filter((s) => s.format === 'ps316-mirror').map((s) => s.id));
  const byCid = new Map<number, UidEntry & { cid: number }>();
  for (const u of a3) if (!byCid.has(u.cid)) byCid.set(u.cid, u);
  for (const g of groups) {
    const u = byCid.get(g.cid);
    if (!u) {
      if (g.uid && !g.retired) push('warning', 'context-group-uid-not-in-ps36', `CID ${g.cid} has UID ${g.uid} in PS3.16 but no row in PS3.6 Table A-3`, g.prov.source, `CID ${g.cid}`);
      continue;
    }
    if (!g.uid) {
      g.uid = u.uid;
      push('info', 'context-group-uid-from-ps36', `CID ${g.cid} states no UID in PS3.16; ${registryRow(u)} gives ${u.uid}`, u.prov.source, u.prov.table);
    } else if (g.uid !== u.uid && scraped.has(g.prov.source)) {
      push('warning', 'context-group-uid-corrected', `CID ${g.cid}: the PS3.16 mirror states UID ${g.uid} but ${registryRow(u)} gives ${u.uid}; the registry's UID is used`, g.prov.source, `CID ${g.cid}`);
      g.uid = u.uid;
    } else if (g.uid !== u.uid) {
      push('error', 'context-group-uid-mismatch', `CID ${g.cid}: PS3.16 states UID ${g.uid} but ${registryRow(u)} gives ${u.uid}`, g.prov.source, `CID ${g.cid}`);
    }
    if (u.retired !== g.retired) {
      push('warning', 'context-group-retired-mismatch', `CID ${g.cid} is ${g.retired ? '' : 'not '}retired in PS3.16 but ${u.retired ? '' : 'not '}retired in PS3.6 Table A-3`, g.prov.source, `CID ${g.cid}`);
    }
  }
  const groupByUid = new Map<string, number>();
  for (const g of groups) {
    if (!g.uid) continue;
    const other = groupByUid.get(g.uid);
    if (other !== undefined && other !== g.cid) push('error', 'context-group-uid-duplicate', `CID ${g.cid} and CID ${other} both state UID ${g.uid} in PS3.16`, g.prov.source, `CID ${g.cid}`);
    groupByUid.set(g.uid, g.cid);
  }
  const cids = new Set(groups.map((g) => g.cid));
  const absent = a3.filter((u) => !cids.has(u.cid) && !u.retired);
  if (absent.length > 0 && groups.length > 0) {
    push('info', 'context-groups-not-in-ps316', `${absent.length} context group(s) of PS3.6 Table A-3 are not in the PS3.16 sources (e.g. CID ${absent.slice(0, 5).map((u) => u.cid).join(', CID ')})`);
  }
}

/** `PS3.6 Table A-3 row 12`, or the registry source and row for a registry that is not a PS3.6 table. */
function registryRow(u: UidEntry): string {
  const row = u.prov.row ?? '?';
  return u.prov.table.startsWith('Table ') ? `PS3.6 ${u.prov.table} row ${row}` : `the UID registry (${u.prov.source} row ${row})`;
}

/**
 * The whole post-merge step for this family, for the pipeline: one group per CID, includes
 * resolved across sources, identifiers with deprecated aliases (from the previous edition's IR or
 * an alias table file), then the PS3.6 Table A-3 cross-check.
 */
export function finishContextGroups(ir: Ir, report: Report, opts: { previousIr?: Ir; aliasTable?: string } = {}): void {
  if (!ir.contextGroups) return;
  const push = (d: Report['diagnostics'][number]) => report.diagnostics.push(d);
  finalizeContextGroups(ir.contextGroups, push, {
    ...(opts.previousIr?.contextGroups ? { previous: opts.previousIr.contextGroups } : {}),
    ...(opts.aliasTable ? { aliasTable: loadIdentifierAliasTable(opts.aliasTable) } : {}),
  });
  crossCheckContextGroupUids(ir, report);
}
