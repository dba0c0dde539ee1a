/**
 * PS3.16 Annex D, DICOM Controlled Terminology (coding scheme designator DCM): Table D-1's code
 * value, code meaning and definition. Retired codes are marked by a `(Retired)` meaning or an
 * all-italic row.
 */
import type { NemaDocument } from './document.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { mapColumns, RowAccount, rowRaw, textOf, where, type ColumnSpec } from '../common/table.ts';
import { assignIdentifiers, ensureContextGroupSection, type DcmCode } from '../../generator/ir-context-groups.ts';

type Field = 'value' | 'meaning' | 'definition' | 'notes';

export const DCM_COLUMNS: ColumnSpec<Field>[] = [
  { field: 'value', headers: ['Code Value'], required: true },
  { field: 'meaning', headers: ['Code Meaning'], required: true },
  { field: 'definition', headers: ['Definition'] },
  { field: 'notes', headers: ['Notes', 'Note'] },
];

const RETIRED = /\s*\(\s*retired\s*\)\s*$/i;

/** PS3.16 Table D-1 → `ir.contextGroups.dcmCodes` (identifiers assigned; aliases by `finalizeContextGroups`). */
export function scrapeDcmCodes(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.requireTable('table_D-1');
  const cols = mapColumns(t, DCM_COLUMNS);
  const account = new RowAccount(t, ctx.source.id);
  const section = ensureContextGroupSection(ctx.ir);
  const seen = new Set(section.dcmCodes.map((c) => c.codeValue));
  const table = 'Table D-1';
  for (const row of t.rows) {
    if (row.cells.every((c) => c.text === '')) {
      account.skipped(row);
      diagnose(ctx, { severity: 'info', code: 'empty-row', message: `${where(t, row.index)}: empty row skipped`, table, row: row.index });
      continue;
    }
    const value = textOf(row, cols, 'value');
    let meaning = textOf(row, cols, 'meaning');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.\-]*$/.test(value) || meaning === '') {
      account.rejected(row);
      diagnose(ctx, { severity: 'warning', code: 'malformed-dcm-row', message: `${where(t, row.index)}: row without a code value or a code meaning`, table, row: row.index, raw: rowRaw(row) });
      continue;
    }
    if (seen.has(value)) {
      account.rejected(row);
      diagnose(ctx, { severity: 'warning', code: 'duplicate-code', message: `${where(t, row.index)}: DCM ${value} listed twice; the first row is kept`, table, row: row.index, raw: rowRaw(row) });
      continue;
    }
    seen.add(value);
    const retired = RETIRED.test(meaning) || row.cells.filter((c) => c.text !== '').every((c) => c.italic);
    meaning = meaning.replace(RETIRED, '');
    const code: DcmCode = { codeValue: value, codeMeaning: meaning, identifier: '', prov: { source: ctx.source.id, table, row: row.index } };
    const definition = textOf(row, cols, 'definition');
    if (definition) code.definition = definition;
    if (retired) code.retired = true;
    section.dcmCodes.push(code);
    account.parsed(row);
  }
  addAccount(ctx, account.finish());
  const ids = assignIdentifiers(section.dcmCodes, (d) => d.codeMeaning, () => 'DCM', (d) => d.codeValue);
  section.dcmCodes.forEach((d, i) => (d.identifier = ids[i]!));
  ctx.report.counts['DCM codes'] = section.dcmCodes.length;
}
