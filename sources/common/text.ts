/**
 * Text cleaning shared by every scraper. NEMA sources carry zero-width spaces (U+200B) inside
 * keywords, names and UIDs (the DocBook uses them as line-break hints) and soft hyphens (U+00AD);
 * neither is ever part of a DICOM value.
 */

const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g;

/** Remove invisible break hints and collapse every whitespace run (incl. NBSP) to one space. */
export function cleanText(raw: string): string {
  return raw.replace(INVISIBLE, '').replace(/[\s\u00A0]+/g, ' ').trim();
}

/** True when the raw text contained characters `cleanText` removes (reported as diagnostics). */
export function hadInvisible(raw: string): boolean {
  return /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/.test(raw);
}

/**
 * Cyrillic and Greek letters that render like Latin ones (PDF extraction, OCR). One table for the
 * scrapers' `foldLookalikes` and for lint, which reports them (generator/lint/lookalikes.ts).
 */
export const LOOKALIKE_LETTERS: Readonly<Record<string, string>> = {
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J', Ѕ: 'S',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', і: 'i', ј: 'j', ѕ: 's', д: 'g',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o', ν: 'v',
};

/** Look-alike characters seen in PDF extractions and some NEMA cells, mapped to ASCII. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"',
  '\uFF08': '(', '\uFF09': ')', '\uFF0C': ',', '\u00D7': 'x',
  '\u0130': 'I', '\u0131': 'i',
  ...LOOKALIKE_LETTERS,
};
const ANY_LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');

export function foldLookalikes(text: string): string {
  return text.replace(ANY_LOOKALIKE, (c) => LOOKALIKES[c] ?? c);
}
