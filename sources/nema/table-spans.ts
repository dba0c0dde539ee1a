/**
 * Row/column span expansion for the PS3.5 and PS3.15 tables this project reads: after expansion,
 * cell `i` of every row is the cell under header `i` (a cell spanning rows or columns is repeated
 * in every slot it covers). NEMA's editions so far print Table 6.2-1 and Table E.1-1 without
 * spans, but the renderer can merge equal cells (`not applicable`), so the scrapers must not
 * depend on it.
 */
import { gridOfRows, type Cell, type Row } from '../common/table.ts';

export interface ExpandedRow extends Row {
  /** True when the row is one cell spanning every column (a heading inside the body). */
  fullWidth: boolean;
}

export function expandSpans(rows: Row[], width: number): ExpandedRow[] {
  const grid = gridOfRows(rows, width);
  return rows.map((row, r) => {
    const slots = grid[r]!;
    const cells: Cell[] = [];
    for (const slot of slots) {
      if (!slot) break;
      cells.push(slot.cell);
    }
    // Cells beyond the header width are kept so that the caller sees the row is malformed.
    const placed = new Set(slots.filter((x) => x && x.row === row.index).map((x) => x!.td));
    row.cells.forEach((c, td) => {
      if (!placed.has(td)) cells.push(c);
    });
    const fullWidth = width > 1 && row.cells.length === 1 && (row.cells[0]?.colspan ?? 1) >= width;
    return { index: row.index, cells, fullWidth };
  });
}
