import { describe, expect, it } from 'vitest';
import { irTag, hasLowercaseHex } from '../sources/common/tags.ts';

describe('irTag: the one tag-text parser', () => {
  it('keeps masks where the source prints them, upper-cases hex, lower-cases x', () => {
    expect(irTag('(0010,0010)')).toBe('00100010');
    expect(irTag('(60xx,3000)')).toBe('60xx3000');
    expect(irTag('(0028,04X0)')).toBe('002804x0');
    expect(irTag('(1000,xxx0)')).toBe('1000xxx0');
    expect(irTag('(0074,100a)')).toBe('0074100A');
    expect(irTag('(0040, 4028)')).toBe('00404028');
  });
  it('accepts bare forms unless parentheses are required', () => {
    expect(irTag('00100010')).toBe('00100010');
    expect(irTag('0010,0010')).toBe('00100010');
    expect(irTag('00100010', { parenthesized: true })).toBeUndefined();
    expect(irTag('(0010,0010)', { parenthesized: true })).toBe('00100010');
  });
  it('refuses what is not a tag', () => {
    for (const bad of ['(gggg,eeee)', '(0010,001)', '(0010,0010,0)', 'PatientName', '']) expect(irTag(bad)).toBeUndefined();
  });
  it('says when hex digits were lower case (a reported formatting defect, not a different tag)', () => {
    expect(hasLowercaseHex('(0074,100a)')).toBe(true);
    expect(hasLowercaseHex('(60xx,3000)')).toBe(false);
  });
});
