/**
 * Family `dictionary` → `dictionary.ts`: `lookupTag`, `lookupKeyword`, `parseTag`, `dataElements`
 * over a compact encoding written here (PS3.6 Table 6-1, 7-1, 8-1, 9-1; PS3.7 Table E.1-1, E.2-1):
 * a handful of string literals that the package decodes per entry on first use, so importing it
 * builds nothing and the first lookup decodes one entry.
 *
 * - `TAGS`: 8 hex digits per row, `x` for repeating-group nibbles, rows in tag order.
 * - `WORDS`: every distinct word of the names (split at spaces), joined by spaces; `KEYWORD_PARTS`: what
 *   each word gives the keyword (`Patient's` → `Patient`), joined the same way; `WORD_AT`, `PART_AT`:
 *   where each word starts in them (the package slices a word per decoded entry). `RECORDS` + `RECORD_AT`:
 *   per row the VR set, VM, flags and word numbers of its name, then `!keyword` only when the
 *   keyword is not the concatenation of its words' parts (`keywordOf`).
 * - `TAG_SLOTS`, `KEYWORD_SLOTS`: open-addressing hash tables (row + 1 per slot, 0 = empty) over the
 *   tag numbers of non-repeating rows and over the keywords; the package hashes the same way.
 * Numbers are fixed-width base 86 with the characters `(` (40) to `}` (125); the package decodes them
 * with inline arithmetic (`decodeExpr` of compact.ts), few operations even before the JIT has seen the code.
 */
import type { DataElement, ElementTable } from '../ir.ts';
import { fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';
import { decodeExpr, fixedDigits, hashTable, keywordHash, offsets, tagHash, widthFor } from './compact.ts';

const TABLES: ElementTable[] = ['data', 'file-meta', 'directory', 'dynamic-rtp', 'command', 'command-retired'];

/** A string literal with only ASCII in it: the module's source stays one byte per character. */
function asciiLiteral(s: string): string {
  return tsString(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Index of each value in a list of distinct values, in first-seen order. */
function intern<T>(values: T[], key: (v: T) => string): { distinct: T[]; index: number[] } {
  const seen = new Map<string, number>();
  const distinct: T[] = [];
  const index = values.map((v) => {
    const k = key(v);
    let i = seen.get(k);
    if (i === undefined) {
      i = distinct.length;
      distinct.push(v);
      seen.set(k, i);
    }
    return i;
  });
  return { distinct, index };
}

/** What one word of a name gives its keyword: a final `'s` and every non-alphanumeric dropped, first letter upper case. */
export function keywordPart(word: string): string {
  const w = word.replace(/'s$/, '').replace(/[^A-Za-z0-9]/g, '');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The keyword most names imply (`Patient's Name` → `PatientName`). */
export function keywordOf(name: string): string {
  return name.split(' ').map(keywordPart).join('');
}

const baseTag = (t: string) => Number.parseInt(t.replace(/x/g, '0'), 16);

/** The rows a keyword resolves to: a keyword shared with a retired element resolves to the non-retired one. */
function keywordRows(els: DataElement[]): Map<string, number> {
  const byKeyword = new Map<string, number>();
  els.forEach((e, row) => {
    const prev = byKeyword.get(e.keyword);
    if (prev === undefined || (els[prev]!.retired && !e.retired)) byKeyword.set(e.keyword, row);
  });
  return byKeyword;
}

/** Non-repeating rows by tag number; with two rows for one tag the first (in tag order) is kept. */
function tagRows(els: DataElement[]): Map<number, number> {
  const byTag = new Map<number, number>();
  els.forEach((e, row) => {
    if (!e.tag.includes('x') && !byTag.has(baseTag(e.tag))) byTag.set(baseTag(e.tag), row);
  });
  return byTag;
}

function flagsOf(e: DataElement): number {
  const t = TABLES.indexOf(e.table);
  if (t < 0) throw new Error(`dictionary emitter: unknown table ${e.table}`);
  return t | (e.retired ? 8 : 0) | (e.vrSeeNote ? 16 : 0) | (e.usage === 'DICOS' ? 32 : 0) | (e.usage === 'DICONDE' ? 64 : 0) | (e.tag.includes('x') ? 128 : 0);
}

/** Rows of the repeating-group entries, most specific mask first (fewest `x` nibbles). */
function repeatingRows(els: DataElement[]): number[] {
  const rows = els.flatMap((e, row) => (e.tag.includes('x') ? [row] : []));
  const xs = (row: number) => els[row]!.tag.replace(/[^x]/g, '').length;
  return rows.sort((a, b) => xs(a) - xs(b) || baseTag(els[a]!.tag) - baseTag(els[b]!.tag));
}

/** `(gggg,eeee)` of the first rows (at most 4, before the last 4 the warm-up takes), written as source literals by the template. */
function warmText(els: DataElement[]): string[] {
  return els.slice(0, Math.max(0, Math.min(4, els.length - 4))).map((e) => `(${e.tag.slice(0, 4)},${e.tag.slice(4)})`);
}

export function emitDictionary(ctx: EmitContext): EmitResult {
  // Rows in tag order (an ordinary tag before a repeating group with the same lowest tag).
  const els = [...ctx.ir.dataElements].sort((a, b) => baseTag(a.tag) - baseTag(b.tag) || Number(a.tag.includes('x')) - Number(b.tag.includes('x')));
  for (const e of els) if (!/^[0-9A-Fx]{8}$/.test(e.tag)) throw new Error(`dictionary emitter: refusing tag ${JSON.stringify(e.tag)}`);
  const vr = intern(els.map((e) => e.vr), (v) => v.join('|'));
  const vm = intern(els.map((e) => e.vm), (v) => v);
  const words = intern(els.flatMap((e) => e.name.split(' ')), (w) => w);
  const w = { vr: widthFor(vr.distinct.length), vm: widthFor(vm.distinct.length), flags: widthFor(256), word: widthFor(words.distinct.length), row: widthFor(els.length + 1) };
  let next = 0;
  const records = els.map((e, row) => {
    const codes = e.name.split(' ').map(() => fixedDigits(words.index[next++]!, w.word));
    const kw = keywordOf(e.name) === e.keyword ? '' : `!${e.keyword}`;
    return fixedDigits(vr.index[row]!, w.vr) + fixedDigits(vm.index[row]!, w.vm) + fixedDigits(flagsOf(e), w.flags) + codes.join('') + kw;
  });
  const recordAt = offsets(records);
  const at = { record: widthFor(recordAt[recordAt.length - 1]! + 1), word: 0 };
  // Each word followed by its space: word w is [start(w), start(w + 1) - 1).
  const parts = words.distinct.map(keywordPart);
  const wordAt = offsets(words.distinct.map((x) => `${x} `));
  const partAt = offsets(parts.map((x) => `${x} `));
  at.word = widthFor(Math.max(wordAt[wordAt.length - 1]!, partAt[partAt.length - 1]!) + 1);
  const head = w.vr + w.vm + w.flags;
  // At most 3/4 full: 8,192 slots for the ~5,000 tags and keywords of PS3.6 instead of 16,384
  // (each table's literal is kept twice on the heap: in the source text and as the string).
  const byTag = hashTable([...tagRows(els)].map(([tag, row]) => ({ row, home: (bits) => tagHash(tag, bits) })), w.row, 0.75);
  const byKeyword = hashTable([...keywordRows(els)].map(([k, row]) => ({ row, home: (bits) => keywordHash(k, bits) })), w.row, 0.75);
  const content = render('dictionary', {
    header: fileHeader(ctx, sourcesOf(els), 'data element dictionary: lookupTag, lookupKeyword'),
    rows: els.length,
    warmRows: Math.min(els.length, 16),
    // The warm-up starts with its last (at most 4) rows: see the template.
    warmShift: Math.min(els.length, 16) - Math.min(els.length, 4),
    warmText: `[${warmText(els).map((t) => tsString(t)).join(', ')}]`,
    tags: asciiLiteral(els.map((e) => e.tag).join('')),
    words: asciiLiteral(words.distinct.join(' ')),
    keywordParts: asciiLiteral(parts.join(' ')),
    wordAt: asciiLiteral(wordAt.map((o) => fixedDigits(o, at.word)).join('')),
    partAt: asciiLiteral(partAt.map((o) => fixedDigits(o, at.word)).join('')),
    records: asciiLiteral(records.join('')),
    recordAt: asciiLiteral(recordAt.map((o) => fixedDigits(o, at.record)).join('')),
    vrSets: `[${vr.distinct.map((v) => `[${v.map((x) => tsString(x)).join(', ')}]`).join(', ')}]`,
    vmValues: `[${vm.distinct.map((v) => tsString(v)).join(', ')}]`,
    tableValues: `[${TABLES.map((t) => tsString(t)).join(', ')}]`,
    repeating: `[${repeatingRows(els).join(', ')}]`,
    tagSlots: asciiLiteral(byTag.slots),
    tagSlotCount: 1 << byTag.bits,
    tagShift: 32 - byTag.bits,
    tagMask: (1 << byTag.bits) - 1,
    keywordSlots: asciiLiteral(byKeyword.slots),
    keywordShift: 32 - byKeyword.bits,
    keywordMask: (1 << byKeyword.bits) - 1,
    widths: w,
    at,
    head,
    decode: {
      recordStart: decodeExpr('RECORD_AT', `row * ${at.record}`, at.record),
      recordEnd: decodeExpr('RECORD_AT', `row * ${at.record} + ${at.record}`, at.record),
      vr: decodeExpr('RECORDS', 'p', w.vr),
      vm: decodeExpr('RECORDS', `p + ${w.vr}`, w.vm),
      flags: decodeExpr('RECORDS', `p + ${w.vr + w.vm}`, w.flags),
      word: decodeExpr('RECORDS', 'q', w.word),
      wordStart: decodeExpr('WORD_AT', `w * ${at.word}`, at.word),
      wordEnd: decodeExpr('WORD_AT', `w * ${at.word} + ${at.word}`, at.word),
      partStart: decodeExpr('PART_AT', `w * ${at.word}`, at.word),
      partEnd: decodeExpr('PART_AT', `w * ${at.word} + ${at.word}`, at.word),
      tagSlot: decodeExpr('TAG_SLOTS', `h * ${w.row}`, w.row),
      keywordSlot: decodeExpr('KEYWORD_SLOTS', `h * ${w.row}`, w.row),
    },
  });
  return { files: [{ path: 'dictionary.ts', content, preformatted: true }], entry: [{ from: './dictionary.js' }] };
}

export const dictionaryEmitter: Emitter = { family: 'dictionary', needs: ['vrs', 'tags'], emit: emitDictionary };
