import { describe, expect, it } from 'vitest';
import { decodeExpr, fixedDigits, hashTable, keywordHash, offsets, widthFor } from '../generator/emit/compact.ts';

describe('compact encoding shared by the dictionary and uids emitters', () => {
  it('decodes what fixedDigits wrote, with the emitted arithmetic', () => {
    const width = widthFor(100_000);
    const values = [0, 1, 85, 86, 7395, 99_999];
    const DIGITS = values.map((v) => fixedDigits(v, width)).join('');
    const decode = new Function('DIGITS', 'i', `return ${decodeExpr('DIGITS', `i * ${width}`, width)};`) as (d: string, i: number) => number;
    expect(values.map((_, i) => decode(DIGITS, i))).toEqual(values);
    expect(() => fixedDigits(86 ** width, width)).toThrow(/does not fit/);
  });

  it('finds every row of a hash table by probing from its home slot', () => {
    const keys = ['1.2.840.10008.1.1', '1.2.840.10008.1.2', '1.2.840.10008.1.2.1', 'PatientName', 'PatientID'];
    const width = widthFor(keys.length + 1);
    const table = hashTable(keys.map((k, row) => ({ row, home: (bits) => keywordHash(k, bits) })), width);
    const decodeSlot = new Function('SLOTS', 'h', `return ${decodeExpr('SLOTS', `h * ${width}`, width)};`) as (s: string, h: number) => number;
    const slot = (h: number) => decodeSlot(table.slots, h);
    keys.forEach((k, row) => {
      let h = keywordHash(k, table.bits);
      while (slot(h) !== row + 1) {
        expect(slot(h)).not.toBe(0);
        h = (h + 1) & ((1 << table.bits) - 1);
      }
    });
    expect(offsets(['ab', '', 'cde'])).toEqual([0, 2, 2, 5]);
  });

  it('fills a table up to the load factor asked for, every row still found', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `Keyword${i}`);
    const width = widthFor(keys.length + 1);
    const rows = keys.map((k, row) => ({ row, home: (bits: number) => keywordHash(k, bits) }));
    expect(hashTable(rows, width).bits).toBe(5); // at most half full: 32 slots
    const full = hashTable(rows, width, 0.75);
    expect(full.bits).toBe(4); // 12 of 16 slots
    const decodeSlot = new Function('SLOTS', 'h', `return ${decodeExpr('SLOTS', `h * ${width}`, width)};`) as (s: string, h: number) => number;
    keys.forEach((k, row) => {
      let h = keywordHash(k, full.bits);
      for (let probes = 0; decodeSlot(full.slots, h) !== row + 1; probes++) {
        expect(probes).toBeLessThan(16);
        h = (h + 1) & 15;
      }
    });
    expect(() => hashTable(rows, width, 1)).toThrow(/load factor/);
  });
});
