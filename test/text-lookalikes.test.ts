/** One look-alike table for the scrapers and for lint (sources/common/text.ts). */
import { describe, expect, it } from 'vitest';
import { foldLookalikes, LOOKALIKE_LETTERS } from '../sources/common/text.ts';
import { foldLatin, hasLookalike } from '../generator/lint/lookalikes.ts';

describe('look-alike letters', () => {
  it('the scrapers fold every letter lint reports, Greek capitals included', () => {
    for (const [c, latin] of Object.entries(LOOKALIKE_LETTERS)) {
      expect(foldLookalikes(`x${c}x`), c).toBe(`x${latin}x`);
      expect(foldLatin(c)).toBe(latin);
      expect(hasLookalike(c)).toBe(true);
    }
    expect(foldLookalikes('\u039C\u0391\u0399\u039D')).toBe('MAIN'); // Greek capitals
  });

  it('keeps punctuation folding and leaves other letters alone', () => {
    expect(foldLookalikes('Type\u20131C \u201Cx\u201D \u00D7 \uFF08a\uFF09')).toBe('Type-1C "x" x (a)');
    expect(foldLookalikes('\u0416\u03A9 \u00E9')).toBe('\u0416\u03A9 \u00E9');
    expect(hasLookalike('Patient Name')).toBe(false);
  });
});
