/**
 * Family `dictionary` → `dictionary.ts`: `lookupTag`, `lookupKeyword`, `parseTag` over flat column
 * arrays (pydicom style) that are turned into a Map on the first lookup. Repeating-group elements
 * (`60xx3000`) are matched after an exact miss, most specific mask first.
 */
import type { DataElement, ElementTable } from '../ir.ts';
import { fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';
import { tagString } from './tags.ts';

const TABLES: ElementTable[] = ['data', 'file-meta', 'directory', 'dynamic-rtp', 'command', 'command-retired'];

function strings(list: string[]): string {
  return list.length === 0 ? '[]' : `[\n${list.map((s) => `  ${tsString(s)},`).join('\n')}\n]`;
}

function numbers(list: number[], hex = false): string {
  const items = list.map((n) => (hex ? `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}` : String(n)));
  const lines: string[] = [];
  const per = hex ? 8 : 24;
  for (let i = 0; i < items.length; i += per) lines.push(`  ${items.slice(i, i + per).join(', ')},`);
  return items.length === 0 ? '[]' : `[\n${lines.join('\n')}\n]`;
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

/** JSON text as a single-quoted string literal: only `\\`, `'` and the line separators need escaping. */
export function jsonLiteral(v: unknown): string {
  const json = JSON.stringify(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `'${json}'`;
}

const baseTag = (t: string) => Number.parseInt(t.replace(/x/g, '0'), 16);

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x !== 0; x >>>= 1) c += x & 1;
  return c;
}

/**
 * The lookup indexes, computed here so the package builds nothing on its first call: row by tag
 * number and by `(GGGG,EEEE)` (non-repeating elements; a later row wins, as a Map would), row by
 * keyword (a keyword shared with a retired element resolves to the non-retired one), and the
 * repeating-group rows, most specific mask first.
 */
function lookupIndexes(els: DataElement[]): { byTagString: string; byKeyword: string; repeating: string; repeatingMasks: string } {
  const byTagString: Record<string, number> = {};
  const byKeyword = new Map<string, number>();
  const repeating: { row: number; tag: number; mask: number }[] = [];
  els.forEach((e, row) => {
    const tag = Number.parseInt(e.tag.replace(/x/g, '0'), 16);
    const mask = Number.parseInt(e.tag.replace(/[0-9A-F]/g, 'F').replace(/x/g, '0'), 16);
    if (e.tag.includes('x')) repeating.push({ row, tag, mask });
    else if (Number.isNaN(tag)) throw new Error(`dictionary emitter: refusing tag ${JSON.stringify(e.tag)}`);
    else {
      byTagString[tagString(e.tag)] = row;
    }
    const prev = byKeyword.get(e.keyword);
    if (prev === undefined || (els[prev]!.retired && !e.retired)) byKeyword.set(e.keyword, row);
  });
  repeating.sort((a, b) => popcount(b.mask) - popcount(a.mask) || a.tag - b.tag);
  return { byTagString: jsonLiteral(byTagString), byKeyword: jsonLiteral(Object.fromEntries(byKeyword)), repeating: numbers(repeating.map((r) => r.row)), repeatingMasks: numbers(repeating.map((r) => r.mask), true) };
}

export function emitDictionary(ctx: EmitContext): EmitResult {
  // Rows in tag order (an ordinary tag before a repeating group with the same lowest tag): `lookupTag(number)` bisects.
  const els = [...ctx.ir.dataElements].sort((a, b) => baseTag(a.tag) - baseTag(b.tag) || Number(a.tag.includes('x')) - Number(b.tag.includes('x')));
  for (const e of els) if (!/^[0-9A-Fx]{8}$/.test(e.tag)) throw new Error(`dictionary emitter: refusing tag ${JSON.stringify(e.tag)}`);
  const vr = intern(els.map((e) => e.vr), (v) => v.join('|'));
  const vm = intern(els.map((e) => e.vm), (v) => v);
  const flags = els.map((e) => {
    const t = TABLES.indexOf(e.table);
    if (t < 0) throw new Error(`dictionary emitter: unknown table ${e.table}`);
    return t | (e.retired ? 8 : 0) | (e.vrSeeNote ? 16 : 0) | (e.usage === 'DICOS' ? 32 : 0) | (e.usage === 'DICONDE' ? 64 : 0) | (e.tag.includes('x') ? 128 : 0);
  });
  const content = render('dictionary', {
    header: fileHeader(ctx, sourcesOf(els), 'data element dictionary: lookupTag, lookupKeyword'),
    tags: numbers(els.map((e) => Number.parseInt(e.tag.replace(/x/g, '0'), 16)), true),
    keywords: strings(els.map((e) => e.keyword)),
    names: strings(els.map((e) => e.name)),
    vrSets: `[${vr.distinct.map((v) => `[${v.map((x) => tsString(x)).join(', ')}]`).join(', ')}]`,
    vrIndex: numbers(vr.index),
    vmValues: `[${vm.distinct.map((v) => tsString(v)).join(', ')}]`,
    vmIndex: numbers(vm.index),
    tableValues: `[${TABLES.map((t) => tsString(t)).join(', ')}]`,
    flags: numbers(flags),
    ...lookupIndexes(els),
  });
  return { files: [{ path: 'dictionary.ts', content, preformatted: true }], entry: [{ from: './dictionary.js' }] };
}

export const dictionaryEmitter: Emitter = { family: 'dictionary', needs: ['vrs', 'tags'], emit: emitDictionary };
