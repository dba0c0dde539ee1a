/**
 * PS3.5 Table 6.2-1 (DICOM Value Representations) → `ir.valueRepresentations`.
 *
 * The table gives the code and name (one cell, two paragraphs: `AE` / `Application Entity`) and
 * the length of value (`16 bytes maximum`, `4 bytes fixed`, `64 chars maximum`, `2^32-2 bytes
 * maximum`). Everything else about a VR is prose and comes from part05-vr-overlay.ts; a VR the
 * overlay does not classify stops the build.
 */
import { inputError } from '../common/errors.ts';
import { mapColumns, RowAccount, cellOf, rowRaw, where, type Cell, type Row, type SourceTable } from '../common/table.ts';
import { cleanText, hadInvisible } from '../common/text.ts';
import type { ValueRepresentation } from '../../generator/ir.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import type { NemaDocument } from './document.ts';
import { VR_OVERLAY, type VrOverlayEntry } from './part05-vr-overlay.ts';
import { expandSpans } from './table-spans.ts';

export const VR_TABLE_ID = 'table_6.2-1';

type VrField = 'vrName' | 'definition' | 'repertoire' | 'length';

const COLUMNS = [
  { field: 'vrName' as const, headers: ['VR Name'], required: true },
  { field: 'definition' as const, headers: ['Definition'] },
  { field: 'repertoire' as const, headers: ['Character Repertoire'] },
  { field: 'length' as const, headers: ['Length of Value'], required: true },
];

export interface ParsedLength {
  maxLength?: number;
  maxLengthUnit?: 'bytes' | 'chars';
  fixed: boolean;
}

/**
 * Parse the first statement of a "Length of Value" cell. `2^32-n` is printed with a superscript,
 * which reads as `232-n` once flattened; `see Transfer Syntax definition`, `not applicable` and
 * `Any length …` have no number (undefined maximum).
 */
export function parseLengthOfValue(text: string): ParsedLength {
  const t = cleanText(text);
  const pow = /^2\s*\^?\s*32\s*-\s*(\d+)\s+(bytes|chars)\s+maximum/i.exec(t);
  if (pow) return { maxLength: 2 ** 32 - Number(pow[1]), maxLengthUnit: pow[2]!.toLowerCase() as 'bytes' | 'chars', fixed: false };
  const m = /^(\d+)\s+(bytes|chars)\s+(maximum|fixed)/i.exec(t);
  if (m) return { maxLength: Number(m[1]), maxLengthUnit: m[2]!.toLowerCase() as 'bytes' | 'chars', fixed: m[3]!.toLowerCase() === 'fixed' };
  return { fixed: false };
}

/** Code and name from the first cell: two paragraphs in DocBook/HTML, or `AE Application Entity` flattened. */
function codeAndName(cell: Cell): { vr: string; name: string } | undefined {
  const paras = cell.paragraphs.length > 0 ? cell.paragraphs : [cell.text];
  const first = paras[0] ?? '';
  const m = /^([A-Z]{2})(?:\s+(.*))?$/.exec(first);
  if (!m) return undefined;
  const name = cleanText([m[2] ?? '', ...paras.slice(1)].join(' '));
  return { vr: m[1]!, name };
}

export function scrapeValueRepresentations(doc: NemaDocument, ctx: ScrapeContext): void {
  const t = doc.requireTable(VR_TABLE_ID);
  const out = readVrTable(t, ctx);
  // The edition read last replaces an earlier one VR by VR (same rule as the transfer syntaxes).
  const byVr = new Map(ctx.ir.valueRepresentations.map((v) => [v.vr, v]));
  for (const v of out) byVr.set(v.vr, v);
  ctx.ir.valueRepresentations = [...byVr.values()].sort((a, b) => (a.vr < b.vr ? -1 : a.vr > b.vr ? 1 : 0));
  ctx.report.counts[`PS3.5 ${ctx.source.edition} Table 6.2-1 VRs`] = out.length;
}

/** Read the table into IR entries (exported for tests that build tables from fixtures). */
export function readVrTable(t: SourceTable, ctx: ScrapeContext, overlay: Readonly<Record<string, VrOverlayEntry>> = VR_OVERLAY): ValueRepresentation[] {
  const cols = mapColumns<VrField>(t, COLUMNS);
  const account = new RowAccount(t, ctx.source.id);
  const out: ValueRepresentation[] = [];
  const seen = new Map<string, number>();
  for (const row of expandSpans(t.rows, t.headers.length)) {
    if (row.fullWidth) {
      diagnose(ctx, { severity: 'info', code: 'heading-row', message: `${where(t, row.index)}: a full-width heading row, not a VR`, table: t.label, row: row.index, raw: rowRaw(row) });
      account.skipped(row);
      continue;
    }
    const parsed = readRow(t, row, cols, ctx, overlay);
    if (!parsed) {
      account.rejected(row);
      continue;
    }
    const dup = seen.get(parsed.vr);
    if (dup !== undefined) {
      diagnose(ctx, { severity: 'error', code: 'duplicate-vr', message: `${where(t, row.index)}: VR ${parsed.vr} already defined in row ${dup}`, table: t.label, row: row.index, raw: rowRaw(row) });
      account.rejected(row);
      continue;
    }
    seen.set(parsed.vr, row.index);
    out.push(parsed);
    account.parsed(row);
  }
  addAccount(ctx, account.finish());
  const invisible = t.rows.reduce((n, r) => n + r.cells.filter((c) => hadInvisible(c.raw)).length, 0);
  if (invisible > 0) {
    diagnose(ctx, { severity: 'info', code: 'invisible-characters-removed', message: `${where(t)}: zero-width spaces / soft hyphens removed from ${invisible} cell(s)`, table: t.label });
  }
  return out;
}

function readRow(t: SourceTable, row: Row, cols: Map<VrField, number>, ctx: ScrapeContext, overlay: Readonly<Record<string, VrOverlayEntry>>): ValueRepresentation | undefined {
  const nameCell = cellOf(row, cols, 'vrName');
  const lengthCell = cellOf(row, cols, 'length');
  if (!nameCell || !lengthCell || row.cells.length !== t.headers.length) {
    diagnose(ctx, {
      severity: 'error',
      code: 'malformed-row',
      message: `${where(t, row.index)}: expected ${t.headers.length} cells (spans expanded), got ${row.cells.length}`,
      table: t.label,
      row: row.index,
      raw: rowRaw(row),
    });
    return undefined;
  }
  const cn = codeAndName(nameCell);
  if (!cn) {
    diagnose(ctx, { severity: 'error', code: 'invalid-vr', message: `${where(t, row.index)}: no two-letter VR code in "${nameCell.text}"`, table: t.label, row: row.index, raw: rowRaw(row) });
    return undefined;
  }
  const o = overlay[cn.vr];
  if (!o) {
    throw inputError(
      where(t, row.index),
      `VR ${cn.vr} (${cn.name}) is not classified by the VR overlay`,
      'Add it to sources/nema/part05-vr-overlay.ts (kind, padding, explicit length field, repertoire, single-valued) per PS3.5 §6.2 and §7.1.2',
    );
  }
  const len = parseLengthOfValue(lengthCell.paragraphs[0] ?? lengthCell.text);
  const vr: ValueRepresentation = {
    vr: cn.vr,
    name: cn.name,
    kind: o.kind,
    ...(len.maxLength !== undefined ? { maxLength: len.maxLength, maxLengthUnit: len.maxLengthUnit } : {}),
    ...(len.fixed && len.maxLength !== undefined ? { fixedSize: len.maxLength } : {}),
    padding: o.padding,
    explicitLengthField: o.explicitLengthField,
    repertoire: o.repertoire,
    singleValued: o.singleValued,
    retired: false,
    prov: { source: ctx.source.id, table: `Table ${t.label}`, row: row.index },
  };
  return vr;
}
