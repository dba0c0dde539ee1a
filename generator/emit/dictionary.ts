/**
 * Family `dictionary` → `dictionary.ts`: `lookupTag`, `lookupKeyword`, `parseTag` over flat column
 * arrays (pydicom style) that are turned into a Map on the first lookup. Repeating-group elements
 * (`60xx3000`) are matched after an exact miss, most specific mask first.
 */
import type { ElementTable } from '../ir.ts';
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

export function emitDictionary(ctx: EmitContext): EmitResult {
  const els = ctx.ir.dataElements;
  for (const e of els) if (!/^[0-9A-Fx]{8}$/.test(e.tag)) throw new Error(`dictionary emitter: refusing tag ${JSON.stringify(e.tag)}`);
  const vr = intern(els.map((e) => e.vr), (v) => v.join('|'));
  const vm = intern(els.map((e) => e.vm), (v) => v);
  const flags = els.map((e) => {
    const t = TABLES.indexOf(e.table);
    if (t < 0) throw new Error(`dictionary emitter: unknown table ${e.table}`);
    return t | (e.retired ? 8 : 0) | (e.vrSeeNote ? 16 : 0) | (e.usage === 'DICOS' ? 32 : 0) | (e.usage === 'DICONDE' ? 64 : 0);
  });
  const content = render('dictionary', {
    header: fileHeader(ctx, sourcesOf(els), 'data element dictionary: lookupTag, lookupKeyword'),
    tags: numbers(els.map((e) => Number.parseInt(e.tag.replace(/x/g, '0'), 16)), true),
    masks: numbers(els.map((e) => Number.parseInt(e.tag.replace(/[0-9A-F]/g, 'F').replace(/x/g, '0'), 16)), true),
    tagStrings: strings(els.map((e) => tagString(e.tag))),
    keywords: strings(els.map((e) => e.keyword)),
    names: strings(els.map((e) => e.name)),
    vrSets: `[${vr.distinct.map((v) => `[${v.map((x) => tsString(x)).join(', ')}]`).join(', ')}]`,
    vrIndex: numbers(vr.index),
    vmValues: `[${vm.distinct.map((v) => tsString(v)).join(', ')}]`,
    vmIndex: numbers(vm.index),
    tableValues: `[${TABLES.map((t) => tsString(t)).join(', ')}]`,
    flags: numbers(flags),
  });
  return { files: [{ path: 'dictionary.ts', content, preformatted: true }], entry: [{ from: './dictionary.js' }] };
}

export const dictionaryEmitter: Emitter = { family: 'dictionary', needs: ['vrs', 'tags'], emit: emitDictionary };
