/**
 * What one table cell contributes, shared by the two readers of NEMA tables: the DOM walk of
 * document.ts and the event reader of docbook-tables.ts. Both fill a `CellWalk` by the same rules
 * (text, italic text, link targets, paragraphs) and turn it into a `Cell` here.
 */
import { cleanText } from '../common/text.ts';
import type { Cell } from '../common/table.ts';

export interface CellWalk {
  raw: string;
  italic: string;
  links: string[];
  paragraphs: string[];
}

export const PARA_TAGS: ReadonlySet<string> = new Set(['para', 'p']);
/** Elements after which the cell's text gets a line break. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set(['para', 'p', 'br', 'listitem', 'li']);

export function newCellWalk(): CellWalk {
  return { raw: '', italic: '', links: [], paragraphs: [] };
}

/** A closed paragraph's pieces: its cleaned text is one of the cell's paragraphs (when not empty). */
export function closeParagraph(w: CellWalk, pieces: string[]): void {
  const t = cleanText(pieces.length === 1 ? pieces[0]! : pieces.join(''));
  if (t) w.paragraphs.push(t);
}

export function cellOfWalk(w: CellWalk, attribs: Record<string, string>): Cell {
  // One paragraph and nothing else (the usual cell): its cleaned text is the cell's.
  const text = w.paragraphs.length === 1 && w.raw === `${w.paragraphs[0]}\n` ? w.paragraphs[0]! : cleanText(w.raw);
  // Retired rows in PS3.6/PS3.7 are rendered with every cell in italics.
  const italic = text.length > 0 && w.italic !== '' && (w.italic === w.raw || cleanText(w.italic) === text);
  return {
    text,
    raw: w.raw.trim(),
    italic,
    links: w.links,
    colspan: Number(attribs.colspan ?? 1) || 1,
    rowspan: Number(attribs.rowspan ?? 1) || 1,
    paragraphs: w.paragraphs,
  };
}
