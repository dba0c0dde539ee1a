/**
 * Look-alike letters that PDF extraction and OCR put into DICOM codes: the shared table of
 * sources/common/text.ts (the scrapers fold the same letters), found and described for lint.
 */
import { LOOKALIKE_LETTERS as MAP } from '../../sources/common/text.ts';

const ANY = new RegExp(`[${Object.keys(MAP).join('')}]`, 'gu');

export function hasLookalike(text: string): boolean {
  ANY.lastIndex = 0;
  return ANY.test(text);
}

/** Latin reading of a text: every look-alike replaced. */
export function foldLatin(text: string): string {
  return text.replace(ANY, (c) => MAP[c] ?? c);
}

/** `U+041C CYRILLIC` style description of the look-alikes in a text, for messages. */
export function describeLookalikes(text: string): string {
  const seen = new Set<string>();
  for (const c of text.match(ANY) ?? []) {
    const cp = c.codePointAt(0)!;
    seen.add(`${c} (U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${cp >= 0x400 && cp <= 0x4ff ? 'Cyrillic' : 'Greek'})`);
  }
  return [...seen].join(', ');
}
