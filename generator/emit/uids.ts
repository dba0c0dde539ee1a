/**
 * Family `uids` → `uids/<category>.ts` (one module per UID category of generator/uid-categories.ts,
 * re-exported as namespaces `SopClass`, `TransferSyntax`, …, keyed by keyword, retired ones
 * `@deprecated`, with `Uid` and `Keyword` unions) and `uids/lookup.ts` (`lookupUid` over flat
 * arrays, the `<Namespace>Uid` union types). Where a retired UID shares its keyword with another of
 * its category (reported by generator/validate.ts), the namespace keeps the non-retired one, else
 * the first in UID order; `lookupUid` finds every UID.
 */
import type { UidEntry, UidType } from '../ir.ts';
import { allUidCategories, uidCategory, type UidCategory } from '../uid-categories.ts';
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';
import { statedIn } from './tags.ts';

function union(list: string[]): string {
  const u = [...new Set(list)];
  return u.length === 0 ? ' never' : u.map((s) => `\n  | ${tsString(s)}`).join('');
}

function strings(list: string[]): string {
  return list.length === 0 ? '[]' : `[\n${list.map((s) => `  ${tsString(s)},`).join('\n')}\n]`;
}

function numbers(list: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < list.length; i += 24) lines.push(`  ${list.slice(i, i + 24).join(', ')},`);
  return list.length === 0 ? '[]' : `[\n${lines.join('\n')}\n]`;
}

/** The UIDs a category module exports: one per keyword (non-retired first, then UID order). */
export function categoryConstants(uids: UidEntry[], cat: UidCategory): UidEntry[] {
  const mine = uids.filter((u) => uidCategory(u.type).namespace === cat.namespace);
  const chosen = new Map<string, UidEntry>();
  for (const u of mine) {
    const prev = chosen.get(u.keyword);
    if (prev === undefined || (prev.retired && !u.retired)) chosen.set(u.keyword, u);
  }
  return mine.filter((u) => chosen.get(u.keyword) === u);
}

/**
 * Context group UIDs (one per PS3.16 group, 1,200+) grow with the data: a subpath only, neither a
 * root namespace nor named by the root's lookup types, so neither the root's import nor a
 * consumer's tsc grows with them (issue 13; lookupUid still knows them). Added by root-entry.
 */
const SUBPATH_ONLY = 'ContextGroupUid';

export function emitUids(ctx: EmitContext): EmitResult {
  const { ir } = ctx;
  const files: EmitResult['files'] = [];
  const entry: NonNullable<EmitResult['entry']> = [];
  const subpaths: NonNullable<EmitResult['subpaths']> = [];
  const cats = allUidCategories().filter((c) => ir.uids.some((u) => uidCategory(u.type).namespace === c.namespace));
  for (const cat of cats) {
    const list = categoryConstants(ir.uids, cat);
    const content = render('uids-category', {
      header: fileHeader(ctx, sourcesOf(list), `UIDs: ${cat.label}`),
      label: cat.label,
      uids: list.map((u) => ({
        keyword: assertIdentifier(u.keyword, `UID keyword of ${u.uid}`),
        uid: u.uid,
        name: u.name,
        typeText: u.typeText,
        derived: u.keywordDerived === true,
        retired: u.retired,
        retiredIn: statedIn(ir, u),
      })),
      uidUnion: union(list.map((u) => u.uid)),
      keywordUnion: union(list.map((u) => u.keyword)),
    });
    files.push({ path: `${cat.module}.ts`, content, preformatted: true });
    if (cat.namespace !== SUBPATH_ONLY) entry.push({ from: `./${cat.module}.js`, as: cat.namespace });
    subpaths.push({ subpath: `./${cat.module}`, file: `${cat.module}.ts` });
  }
  const all = ir.uids;
  const types: UidType[] = [...new Set(all.map((u) => u.type))];
  const parts = [...new Set(all.map((u) => u.part).filter((p): p is string => p !== undefined))];
  const content = render('uids-lookup', {
    header: fileHeader(ctx, sourcesOf(all), 'UID registry: lookupUid'),
    categories: cats.filter((c) => c.namespace !== SUBPATH_ONLY).map((c) => ({ namespace: c.namespace, label: c.label, file: c.module.replace(/^uids\//, '') })),
    typeUnion: union(types),
    uids: strings(all.map((u) => u.uid)),
    keywords: strings(all.map((u) => u.keyword)),
    names: strings(all.map((u) => u.name)),
    types: `[${types.map((t) => tsString(t)).join(', ')}]`,
    typeIndex: numbers(all.map((u) => types.indexOf(u.type))),
    parts: `[${parts.map((p) => tsString(p)).join(', ')}]`,
    partIndex: numbers(all.map((u) => (u.part === undefined ? -1 : parts.indexOf(u.part)))),
    cids: numbers(all.map((u) => u.cid ?? -1)),
    retired: numbers(all.map((u) => (u.retired ? 1 : 0))),
  });
  files.push({ path: 'uids/lookup.ts', content, preformatted: true });
  entry.push({ from: './uids/lookup.js' });
  return { files, entry, subpaths };
}

export const uidsEmitter: Emitter = { family: 'uids', emit: emitUids };
