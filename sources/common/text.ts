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

/** Look-alike characters seen in PDF extractions and some NEMA cells, mapped to ASCII. */
const LOOKALIKES: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"',
  '\uFF08': '(', '\uFF09': ')', '\uFF0C': ',', '\u00D7': 'x',
  '\u0130': 'I', '\u0131': 'i', '\u039F': 'O', '\u041E': 'O', '\u0410': 'A', '\u0412': 'B',
  '\u0415': 'E', '\u041C': 'M', '\u041D': 'H', '\u0420': 'P', '\u0421': 'C', '\u0422': 'T',
  '\u0425': 'X', '\u0430': 'a', '\u0435': 'e', '\u043E': 'o', '\u0440': 'p', '\u0441': 'c',
  '\u0445': 'x', '\u0443': 'y',
};

export function foldLookalikes(text: string): string {
  return text.replace(/[\u2010-\u2014\u2212\u2018\u2019\u201C\u201D\uFF08\uFF09\uFF0C\u00D7\u0130\u0131\u039F\u0400-\u04FF]/g, (c) => LOOKALIKES[c] ?? c);
}
