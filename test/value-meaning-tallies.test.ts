import { describe, expect, it } from 'vitest';
import { meaningTallies, valueMeanings } from '../sources/common/value-meanings.ts';
import type { ScrapeContext } from '../sources/types.ts';

describe('meaningTallies: one tally per scrape', () => {
  it('counts into the same tally for one context and keeps contexts apart', () => {
    const tallies = meaningTallies();
    const a = { source: { id: 'a' } } as unknown as ScrapeContext;
    const b = { source: { id: 'b' } } as unknown as ScrapeContext;
    expect(tallies.get(a)).toBeUndefined();
    valueMeanings('enumerated', [{ value: 'M', text: 'male' }, { value: 'O', text: '' }], tallies.of(a));
    valueMeanings('enumerated', [{ value: 'F', text: 'female' }], tallies.of(a));
    expect(tallies.get(a)).toEqual({ kept: 2, empty: 1, prose: 0 });
    expect(tallies.get(b)).toBeUndefined();
    expect(meaningTallies().get(a)).toBeUndefined();
  });
});
