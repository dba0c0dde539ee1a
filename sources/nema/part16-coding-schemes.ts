/**
 * PS3.16 Table 8-1, the coding schemes a DICOM Coding Scheme Designator may name: designator,
 * name, UID, FHIR system URI, responsible organisation and version, mapped by header text.
 */
import type { NemaDocument } from './document.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { mapColumns, RowAccount, rowRaw, textOf, where, type ColumnSpec } from '../common/table.ts';
import { ensureContextGroupSection, type CodingScheme } from '../../generator/ir-context-groups.ts';

type Field = 'designator' | 'uid' | 'fhirUri' | 'name' | 'organization' | 'version' | 'ignored';

export const CODING_SCHEME_COLUMNS: ColumnSpec<Field>[] = [
  { field: 'designator', headers: ['Coding Scheme Designator', 'Coding Scheme Designator (0008,0102)'], required: true },
  { field: 'uid', headers: ['Coding Scheme UID', 'UID', 'Coding Scheme UID (0008,010C)'] },
  { field: 'fhirUri', headers: ['FHIR Coding System URI', 'HL7 FHIR Coding System URI', 'FHIR Code System URI', 'HL7 Code System URI', 'Coding System URI'] },
  { field: 'name', headers: ['Coding Scheme Name', 'Coding Scheme Name / Description', 'Description', 'Coding Scheme Description', 'Name'], required: true },
  { field: 'organization', headers: ['Responsible Organization', 'Responsible Organisation', 'Coding Scheme Responsible Organization'] },
  { field: 'version', headers: ['Version', 'Coding Scheme Version'] },
  { field: 'ignored', headers: ['Notes', 'Note', 'Comments'] },
];

const DESIGNATOR = /^[A-Za-z0-9][A-Za-z0-9_.\-]*$/;
const UID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** PS3.16 Table 8-1 → `ir.contextGroups.codingSchemes`. */
export function scrapeCodingSchemes(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.requireTable('table_8-1');
  const cols = mapColumns(t, CODING_SCHEME_COLUMNS);
  const account = new RowAccount(t, ctx.source.id);
  const section = ensureContextGroupSection(ctx.ir);
  const seen = new Set(section.codingSchemes.map((c) => c.designator));
  const table = 'Table 8-1';
  for (const row of t.rows) {
    const designator = textOf(row, cols, 'designator');
    const name = textOf(row, cols, 'name');
    const bad = (code: string, message: string) => {
      account.rejected(row);
      diagnose(ctx, { severity: 'warning', code, message: `${where(t, row.index)}: ${message}`, table, row: row.index, raw: rowRaw(row) });
    };
    if (row.cells.every((c) => c.text === '')) {
      account.skipped(row);
      diagnose(ctx, { severity: 'info', code: 'empty-row', message: `${where(t, row.index)}: empty row skipped`, table, row: row.index });
      continue;
    }
    if (!DESIGNATOR.test(designator) || name === '') {
      bad('malformed-coding-scheme-row', `row without a designator or a name`);
      continue;
    }
    if (seen.has(designator)) {
      bad('duplicate-coding-scheme', `designator ${designator} listed twice; the first row is kept`);
      continue;
    }
    seen.add(designator);
    const scheme: CodingScheme = { designator, name, prov: { source: ctx.source.id, table, row: row.index } };
    const uid = textOf(row, cols, 'uid');
    if (uid && UID.test(uid)) scheme.uid = uid;
    else if (uid && uid !== '-') diagnose(ctx, { severity: 'warning', code: 'invalid-uid', message: `${where(t, row.index)}: UID "${uid}" of ${designator} is not a valid UID; omitted`, table, row: row.index });
    const fhirUri = textOf(row, cols, 'fhirUri');
    if (/^(https?|urn):/i.test(fhirUri)) scheme.fhirUri = fhirUri;
    const organization = textOf(row, cols, 'organization');
    if (organization) scheme.organization = organization;
    const version = textOf(row, cols, 'version');
    if (version && version !== '-') scheme.version = version;
    section.codingSchemes.push(scheme);
    account.parsed(row);
  }
  addAccount(ctx, account.finish());
  ctx.report.counts['coding schemes'] = section.codingSchemes.length;
}
