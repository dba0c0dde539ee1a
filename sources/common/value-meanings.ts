/**
 * Meanings of the values PS3.3 lists for an attribute ("Enumerated Values:" / "Defined Terms:",
 * each value with a short explanation: Patient's Sex `M` → `male`, PS3.3 Table C.7-1).
 *
 * What is kept is a fact: a short, label-like meaning, like a Code Meaning. An explanation in
 * sentences is prose of the standard, which the project does not commit (docs/types-conformance.md):
 * it is dropped and counted, never shortened (a cut sentence would be our words in the standard's name).
 */
import type { ValueMeaning } from '../../generator/ir-iods.ts';
import type { ScrapeContext } from '../types.ts';
import { cleanText } from './text.ts';

/** A label is at most this long and this many words (a Code Meaning is 64 characters at most, PS3.5 LO). */
export const MAX_MEANING_LENGTH = 60;
export const MAX_MEANING_WORDS = 9;

/** Why a listed value got no meaning: the source gives none, or only prose. */
export interface MeaningTally {
  kept: number;
  empty: number;
  prose: number;
}

export function newMeaningTally(): MeaningTally {
  return { kept: 0, empty: 0, prose: 0 };
}

/** One tally per scrape, for a scraper that counts row by row and reports once: `of` creates it, `get` reads it. */
export function meaningTallies(): { of: (ctx: ScrapeContext) => MeaningTally; get: (ctx: ScrapeContext) => MeaningTally | undefined } {
  const byScrape = new WeakMap<ScrapeContext, MeaningTally>();
  return {
    of: (ctx) => {
      let t = byScrape.get(ctx);
      if (!t) byScrape.set(ctx, (t = newMeaningTally()));
      return t;
    },
    get: (ctx) => byScrape.get(ctx),
  };
}

/**
 * The meaning as a fact, or undefined: empty, longer than a label, more than one sentence or
 * clause, or a condition that names another attribute by tag (`Unspecified if Modality (0008,0060) …`).
 */
export function shortMeaning(raw: string): string | undefined {
  const text = cleanText(raw).replace(/\.$/, '').trim();
  if (text === '') return undefined;
  if (text.length > MAX_MEANING_LENGTH || text.split(' ').length > MAX_MEANING_WORDS) return undefined;
  if (/[.;:!?]\s/.test(text) || /\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)/.test(text)) return undefined;
  return text;
}

/** Pairs of listed value and source text → the meanings that are facts, counted in `tally`. */
export function valueMeanings(list: ValueMeaning['list'], pairs: { value: string; text: string }[], tally: MeaningTally): ValueMeaning[] {
  const out: ValueMeaning[] = [];
  const seen = new Set<string>();
  for (const { value, text } of pairs) {
    if (seen.has(value)) continue;
    seen.add(value);
    const meaning = shortMeaning(text);
    if (meaning !== undefined) {
      out.push({ value, meaning, list });
      tally.kept++;
    } else if (cleanText(text) === '') tally.empty++;
    else tally.prose++;
  }
  return out;
}

/** One line for the report: how many meanings were kept and how many dropped as prose. */
export function meaningTallyMessage(tally: MeaningTally): string {
  return `value meanings: ${tally.kept} kept as facts (short labels), ${tally.prose} dropped as prose (longer than ${MAX_MEANING_LENGTH} characters or ${MAX_MEANING_WORDS} words, or more than one sentence), ${tally.empty} values listed without a meaning`;
}
