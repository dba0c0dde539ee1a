/**
 * Row/column span expansion for the PS3.5 and PS3.15 tables this project reads: after expansion,
 * cell `i` of every row is the cell under header `i` (a cell spanning rows or columns is repeated
 * in every slot it covers). NEMA's editions so far print Table 6.2-1 and Table E.1-1 without
 * spans, but the renderer can merge equal cells (`not applicable`), so the scrapers must not
 * depend on it.
 */
import type { Cell, Row } from '../common/table.ts';

export interface ExpandedRow extends Row {
  /** True when the row is one cell spanning every column (a heading inside the body). */
  fullWidth: boolean;
}

export function expandSpans(rows: Row[], width: number): ExpandedRow[] {
  const carry: ({ cell: Cell; left: number } | undefined)[] = new Array<undefined>(width).fill(undefined);
  return rows.map((row) => {
    const out: Cell[] = [];
    let src = 0;
    let col = 0;
    while (col < width) {
      const c = carry[col];
      if (c) {
        out.push(c.cell);
        c.left--;
        if (c.left === 0) carry[col] = undefined;
        col++;
        continue;
      }
      const cell = row.cells[src++];
      if (!cell) break;
      for (let k = 0; k < Math.max(1, cell.colspan) && col < width; k++, col++) {
        out.push(cell);
        if (cell.rowspan > 1) carry[col] = { cell, left: cell.rowspan - 1 };
      }
    }
    // Cells beyond the header width are kept so that the caller sees the row is malformed.
    while (src < row.cells.length) out.push(row.cells[src++]!);
    const fullWidth = width > 1 && row.cells.length === 1 && (row.cells[0]?.colspan ?? 1) >= width;
    return { index: row.index, cells: out, fullWidth };
  });
}
