/**
 * The format-neutral table model. DocBook (`<table xml:id="table_6-1">`) and NEMA's HTML
 * rendering (`<div class="table"><a id="table_6-1">`) both reduce to this, so every part
 * scraper is written once and runs on both formats.
 */
import { inputError } from './errors.ts';
import type { TableAccount } from '../../generator/ir.ts';

export interface Cell {
  /** Cleaned text (ZWSP/soft hyphen removed, whitespace collapsed). */
  text: string;
  /** Raw text before cleaning, to report what was removed. */
  raw: string;
  /** Whole cell rendered in italics: how PS3.6/PS3.7 mark retired entries. */
  italic: boolean;
  /** Targets of `<xref linkend>` / `<olink targetptr>` / `<a href="#…">` inside the cell. */
  links: string[];
  colspan: number;
  rowspan: number;
  /** Text of each paragraph, for cells whose structure matters (enumerated values lists). */
  paragraphs: string[];
}

export interface Row {
  /** 1-based index among the body rows (header rows are not counted). */
  index: number;
  cells: Cell[];
}

export interface SourceTable {
  /** File name the table came from (for errors). */
  file: string;
  /** `table_6-1` */
  id: string;
  /** `6-1` — the label the standard prints ("Table 6-1"). */
  label: string;
  caption: string;
  /** Header texts of the (last) header row, cleaned. */
  headers: string[];
  headerRows: number;
  rows: Row[];
}

export function tableName(t: Pick<SourceTable, 'label'>): string {
  return `Table ${t.label}`;
}

/** Location prefix used in every error and diagnostic: `part06.xml Table 6-1 row 17`. */
export function where(t: Pick<SourceTable, 'file' | 'label'>, row?: number): string {
  return `${t.file} ${tableName(t)}${row === undefined ? '' : ` row ${row}`}`;
}

export interface ColumnSpec<F extends string> {
  field: F;
  /** Header texts (compared case-insensitively, punctuation-insensitive) that map to this field. */
  headers: string[];
  required?: boolean;
}

function normHeader(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Map columns by header text, never by position. Any header the spec does not know fails loudly
 * (a changed table shape must stop the build, naming file and table), as does a missing required one.
 * An empty header is allowed only if the spec has a field with header `''`.
 */
export function mapColumns<F extends string>(t: SourceTable, spec: ColumnSpec<F>[]): Map<F, number> {
  const out = new Map<F, number>();
  t.headers.forEach((h, i) => {
    const n = normHeader(h);
    const hit = spec.find((s) => s.headers.some((x) => normHeader(x) === n));
    if (!hit) {
      throw inputError(
        where(t),
        `unknown column header "${h}" (column ${i + 1}; known: ${spec.map((s) => s.headers[0] || '(empty)').join(', ')})`,
        'The table shape changed in this edition: teach the scraper the new column before generating',
      );
    }
    if (!out.has(hit.field)) out.set(hit.field, i);
  });
  for (const s of spec) {
    if (s.required && !out.has(s.field)) {
      throw inputError(
        where(t),
        `required column "${s.headers[0]}" is missing (headers: ${t.headers.map((h) => `"${h}"`).join(', ')})`,
        'The table shape changed in this edition: teach the scraper the new column before generating',
      );
    }
  }
  return out;
}

/** Convenience: the cell of a mapped field, or undefined when the column is absent or the row short. */
export function cellOf<F extends string>(row: Row, cols: Map<F, number>, field: F): Cell | undefined {
  const i = cols.get(field);
  return i === undefined ? undefined : row.cells[i];
}

export function textOf<F extends string>(row: Row, cols: Map<F, number>, field: F): string {
  return cellOf(row, cols, field)?.text ?? '';
}

/**
 * Row accounting for one table: each body row ends up parsed, rejected (with a diagnostic) or
 * skipped (with a reason). `finish()` checks that nothing fell through the cracks.
 */
export class RowAccount {
  private parsedRows = new Set<number>();
  private rejectedRows = new Set<number>();
  private skippedRows = new Set<number>();
  constructor(
    private readonly table: SourceTable,
    private readonly source: string,
  ) {}
  parsed(row: Row): void {
    this.parsedRows.add(row.index);
  }
  rejected(row: Row): void {
    this.rejectedRows.add(row.index);
  }
  skipped(row: Row): void {
    this.skippedRows.add(row.index);
  }
  finish(): TableAccount {
    const lost = this.table.rows.filter(
      (r) => !this.parsedRows.has(r.index) && !this.rejectedRows.has(r.index) && !this.skippedRows.has(r.index),
    );
    if (lost.length > 0) {
      throw inputError(where(this.table, lost[0]!.index), `${lost.length} row(s) neither parsed nor reported`, 'This is a scraper bug: please report it with the file');
    }
    return {
      source: this.source,
      table: tableName(this.table),
      totalRows: this.table.headerRows + this.table.rows.length,
      headerRows: this.table.headerRows,
      bodyRows: this.table.rows.length,
      parsed: this.parsedRows.size,
      rejected: this.rejectedRows.size,
      skipped: this.skippedRows.size,
    };
  }
}

/** The raw text of a row, for diagnostics: cells joined by ` | `. */
export function rowRaw(row: Row): string {
  return row.cells.map((c) => c.text).join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Row and column spans

export interface GridSlot {
  cell: Cell;
  /** Index of the cell among its row's cells (`row.cells`), i.e. the `<td>` position in its `<tr>`. */
  td: number;
  /** Body row (1-based) the cell belongs to; differs from the slot's row when carried down by rowspan. */
  row: number;
  /** The cell spans this column from an earlier column (colspan). */
  spanned: boolean;
}

/**
 * Expand rowspan/colspan so that slot `i` of each row is the cell under header `i` (a cell that
 * spans rows or columns fills every slot it covers). The one span mechanism of every scraper.
 */
export function tableGrid(t: Pick<SourceTable, 'headers' | 'rows'>): (GridSlot | undefined)[][] {
  return gridOfRows(t.rows, Math.max(t.headers.length, 1));
}

export function gridOfRows(rows: Row[], width: number): (GridSlot | undefined)[][] {
  const carry: ({ slot: GridSlot; left: number } | undefined)[] = new Array(width).fill(undefined);
  const out: (GridSlot | undefined)[][] = [];
  for (const r of rows) {
    const slots: (GridSlot | undefined)[] = new Array(width).fill(undefined);
    let col = 0;
    let td = 0;
    const place = (): void => {
      while (col < width && carry[col] && carry[col]!.left > 0) {
        slots[col] = { ...carry[col]!.slot, spanned: false };
        carry[col]!.left--;
        col++;
      }
    };
    for (const cell of r.cells) {
      place();
      const slot: GridSlot = { cell, td, row: r.index, spanned: false };
      for (let k = 0; k < cell.colspan; k++) {
        if (col + k < width) {
          slots[col + k] = k === 0 ? slot : { ...slot, spanned: true };
          carry[col + k] = cell.rowspan > 1 ? { slot: k === 0 ? slot : { ...slot, spanned: true }, left: cell.rowspan - 1 } : undefined;
        }
      }
      col += cell.colspan;
      td++;
    }
    place();
    out.push(slots);
  }
  return out;
}
