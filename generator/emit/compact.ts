/**
 * The compact encoding shared by the dictionary and uids emitters (and decoded by the code they
 * emit): fixed-width base-86 numbers with the characters `(` (40) to `}` (125), decoded with
 * inline arithmetic (`decodeExpr`); open-addressing hash tables (row + 1 per slot, 0 = empty,
 * linear probing) whose slot functions the emitted package repeats; offsets of concatenated parts.
 */

/** Base of the digit alphabet: 40 `(` … 125 `}`. */
export const BASE = 86;
const ZERO = 40;

function digit(v: number): string {
  return String.fromCharCode(v + ZERO);
}

/** Code that decodes `width` digits of string constant `str` at the index expression `at`. */
export function decodeExpr(str: string, at: string, width: number): string {
  const terms: string[] = [];
  let bias = 0;
  for (let k = 0; k < width; k++) {
    const weight = BASE ** (width - 1 - k);
    bias += ZERO * weight;
    const pos = k === 0 ? at : `${at} + ${k}`;
    terms.push(weight === 1 ? `${str}.charCodeAt(${pos})` : `${str}.charCodeAt(${pos}) * ${weight}`);
  }
  return `(${terms.join(' + ')} - ${bias})`;
}

/** `v` as `width` base-86 digits, most significant first. */
export function fixedDigits(v: number, width: number): string {
  if (!Number.isInteger(v) || v < 0 || v >= BASE ** width) throw new Error(`compact encoding: ${v} does not fit ${width} digits`);
  let s = '';
  for (let k = 0, x = v; k < width; k++, x = Math.floor(x / BASE)) s = digit(x % BASE) + s;
  return s;
}

/** Digits needed to write every value below `limit`. */
export function widthFor(limit: number): number {
  let w = 1;
  while (BASE ** w < limit) w++;
  return w;
}

/** A single-quoted string literal with only ASCII in it (JSON text keeps its double quotes unescaped). */
export function singleQuotedAscii(s: string): string {
  const body = s.replace(/[\\']/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${body}'`;
}

/** Slot of a tag number: Fibonacci hashing, the top `bits` bits. */
export function tagHash(n: number, bits: number): number {
  return Math.imul(n, 0x9e3779b1) >>> (32 - bits);
}

/** Slot of a keyword: FNV-1a over its UTF-16 code units, the top `bits` bits. */
export function keywordHash(k: string, bits: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  return h >>> (32 - bits);
}

export interface HashTable {
  bits: number;
  slots: string;
}

/**
 * Open addressing with linear probing; `home` gives a key's first slot. At most `maxLoad` full
 * (default half; a fuller table is a shorter literal, at a slot or two more per probe).
 */
export function hashTable(rows: { row: number; home: (bits: number) => number }[], rowWidth: number, maxLoad = 0.5): HashTable {
  if (!(maxLoad > 0 && maxLoad < 1)) throw new Error(`compact encoding: load factor ${maxLoad} is not between 0 and 1`);
  let bits = 4;
  while ((1 << bits) * maxLoad < rows.length) bits++;
  const size = 1 << bits;
  const slot = new Array<number>(size).fill(0);
  for (const { row, home } of rows) {
    let h = home(bits);
    while (slot[h] !== 0) h = (h + 1) & (size - 1);
    slot[h] = row + 1;
  }
  return { bits, slots: slot.map((v) => fixedDigits(v, rowWidth)).join('') };
}
export function offsets(parts: string[]): number[] {
  const at = [0];
  for (const p of parts) at.push(at[at.length - 1]! + p.length);
  return at;
}
