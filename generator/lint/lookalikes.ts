/**
 * Look-alike letters that PDF extraction and OCR put into DICOM codes: Cyrillic and Greek capitals
 * and small letters that render like Latin ones. Wider than `foldLookalikes` (sources/common/text.ts),
 * which the scrapers use: lint must find Greek `Μ` in a usage column too.
 */
const MAP: Record<string, string> = {
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J', Ѕ: 'S',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', і: 'i', ј: 'j', ѕ: 's', д: 'g',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o', ν: 'v',
};
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
