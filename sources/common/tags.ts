/**
 * The one parser from tag text to the IR tag form: 8 hex digits, upper case, with lower-case `x`
 * for each masked nibble exactly where the source prints it (`(60xx,3000)` → `60xx3000`,
 * `(0028,04X0)` → `002804x0`). Sources differ only in how strict they are about the wrapping:
 * NEMA tables print `(gggg,eeee)`; the mirror, overrides and IR snapshots also use `ggggeeee`.
 */

const PARENTHESIZED = /^\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)$/;
const BARE = /^\(?([0-9A-Fa-fXx]{4}),?([0-9A-Fa-fXx]{4})\)?$/;

export interface IrTagOptions {
  /** Accept only `(gggg,eeee)` (NEMA table cells); otherwise also `gggg,eeee` and `ggggeeee`. */
  parenthesized?: boolean;
}

/** Tag text → IR tag, or undefined when it is not a tag. White space anywhere is ignored (`(0040, 4028)`). */
export function irTag(text: string, opts: IrTagOptions = {}): string | undefined {
  const t = text.replace(/\s+/g, '');
  const m = (opts.parenthesized ? PARENTHESIZED : BARE).exec(t);
  if (!m) return undefined;
  return `${m[1]}${m[2]}`.toUpperCase().replace(/X/g, 'x');
}

/** The text wrote hex digits in lower case (`(0074,100a)`): worth reporting, never a different tag. */
export function hasLowercaseHex(text: string): boolean {
  return /[a-f]/.test(text.replace(/x/gi, ''));
}
