/**
 * The registry of known defects in published editions, and the only place where a scraper may
 * correct a source. Each workaround names the edition, part, table and row (by a key cell) it
 * fixes, the defective cell value and its correction, and why. Applying one emits a
 * `workaround-applied` diagnostic (nothing is fixed silently); a workaround whose edition matches
 * but whose row no longer has the defect emits `workaround-unused`. test/workarounds.test.ts loads
 * the real file for every entry and fails once `stillNeeded` turns false, so no fix outlives its
 * defect unnoticed.
 *
 * A correction is registered only when the same edition proves it: the malformed 2013 UID
 * `11.2.840.10008.5.1.4.1.1.82.1` is corrected rather than excluded because PS3.4 2013 Table B.5-1
 * states `1.2.840.10008.5.1.4.1.1.82.1` for the same SOP class; without this entry the validator
 * reports it (outside the DICOM root) and blocks generation.
 *
 * Only real defects go here. Defects that do not have a single evident correction (the two empty
 * reserved rows of PS3.6 2013 Table 6-1, the empty row of Table A-3) are rejected and reported by
 * the scrapers instead.
 */
import type { NemaDocument } from './nema/document.ts';
import type { Row, SourceTable } from './common/table.ts';
import { rowRaw, tableName } from './common/table.ts';
import { cleanText } from './common/text.ts';
import type { ScrapeContext } from './types.ts';
import { diagnose } from './types.ts';

export interface Workaround {
  id: string;
  /** Edition as the document states it (`2013`). */
  edition: string;
  /** `PS3.6` */
  part: string;
  /** Table id (`table_A-1`). */
  tableId: string;
  /** The row: the cell under header `header` reads `text`. */
  rowKey: { header: string; text: string };
  /** The defective cell and its correction. */
  fix: { header: string; from: string; to: string };
  why: string;
  /** True while the document still has the defect (always checks the real row). */
  stillNeeded(doc: NemaDocument): boolean;
}

function normHeader(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

function columnIndex(t: SourceTable, header: string): number {
  return t.headers.findIndex((h) => normHeader(h) === normHeader(header));
}

/** The row of `t` the workaround designates, if any. */
export function findWorkaroundRow(t: SourceTable, w: Pick<Workaround, 'rowKey'>): Row | undefined {
  const k = columnIndex(t, w.rowKey.header);
  if (k < 0) return undefined;
  return t.rows.find((r) => r.cells[k]?.text === w.rowKey.text);
}

/** Default `stillNeeded`: the designated row exists and its cell still reads the defective value. */
function defectPresent(this: Workaround, doc: NemaDocument): boolean {
  if (doc.edition !== this.edition || doc.part !== this.part) return false;
  const t = doc.table(this.tableId);
  if (!t) return false;
  const row = findWorkaroundRow(t, this);
  const f = columnIndex(t, this.fix.header);
  return row !== undefined && f >= 0 && row.cells[f]?.text === this.fix.from;
}

function cellFix(w: Omit<Workaround, 'stillNeeded'>): Workaround {
  const out: Workaround = { ...w, stillNeeded: defectPresent };
  return out;
}

export const workarounds: Workaround[] = [
  cellFix({
    id: 'ps36-2013-corneal-topography-uid',
    edition: '2013',
    part: 'PS3.6',
    tableId: 'table_A-1',
    rowKey: { header: 'UID Name', text: 'Corneal Topography Map Storage' },
    fix: { header: 'UID Value', from: '11.2.840.10008.5.1.4.1.1.82.1', to: '1.2.840.10008.5.1.4.1.1.82.1' },
    why:
      'stray leading digit: the UID is outside the DICOM root; PS3.4 2013 Table B.5-1 and later editions of PS3.6 give 1.2.840.10008.5.1.4.1.1.82.1',
  }),
  cellFix({
    id: 'ps36-2013-color-palette-storage-type',
    edition: '2013',
    part: 'PS3.6',
    tableId: 'table_A-1',
    rowKey: { header: 'UID Value', text: '1.2.840.10008.5.1.4.39.1' },
    fix: { header: 'UID Type', from: 'Transfer', to: 'SOP Class' },
    why: 'truncated UID type: Color Palette Storage is a SOP class (PS3.4 2013 Table B.5-1; later editions of PS3.6)',
  }),
  ...['2', '3', '4'].map((n) =>
    cellFix({
      id: `ps36-2013-color-palette-qr-type-${n}`,
      edition: '2013',
      part: 'PS3.6',
      tableId: 'table_A-1',
      rowKey: { header: 'UID Value', text: `1.2.840.10008.5.1.4.39.${n}` },
      fix: { header: 'UID Type', from: 'Query/Retrieve', to: 'SOP Class' },
      why: 'UID type names the service instead of the type: the Color Palette information models are SOP classes (PS3.4 2013 Annex X; later editions of PS3.6)',
    }),
  ),
];

/**
 * Workarounds of one table of one document: `texts(row)` gives the cleaned cell texts with every
 * applicable correction applied (and reported); `finish()` reports workarounds that found no row.
 */
export class TableWorkarounds {
  private readonly active: { w: Workaround; key: number; fix: number }[];
  private readonly used = new Set<string>();
  constructor(
    private readonly ctx: ScrapeContext,
    private readonly doc: NemaDocument,
    private readonly t: SourceTable,
    registry: Workaround[] = workarounds,
  ) {
    this.active = registry
      .filter((w) => w.edition === doc.edition && w.part === doc.part && w.tableId === t.id)
      .map((w) => ({ w, key: columnIndex(t, w.rowKey.header), fix: columnIndex(t, w.fix.header) }));
  }

  texts(row: Row): string[] {
    const out = row.cells.map((c) => c.text);
    for (const { w, key, fix } of this.active) {
      if (key < 0 || fix < 0 || out[key] !== w.rowKey.text) continue;
      if (cleanText(out[fix] ?? '') !== w.fix.from) continue;
      out[fix] = w.fix.to;
      this.used.add(w.id);
      diagnose(this.ctx, {
        severity: 'warning',
        code: 'workaround-applied',
        message: `workaround ${w.id}: ${w.fix.header} "${w.fix.from}" corrected to "${w.fix.to}" (${w.why})`,
        table: tableName(this.t),
        row: row.index,
        raw: rowRaw(row),
      });
    }
    return out;
  }

  finish(): void {
    for (const { w } of this.active) {
      if (this.used.has(w.id)) continue;
      diagnose(this.ctx, {
        severity: 'warning',
        code: 'workaround-unused',
        message: `workaround ${w.id} is registered for ${w.part} ${w.edition} ${tableName(this.t)} but no row had the defect; remove it from sources/workarounds.ts`,
        table: tableName(this.t),
      });
    }
  }
}
