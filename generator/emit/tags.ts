/**
 * Family `tags` → `tags.ts`: one `export const` statement with a declarator `<Keyword> = 0xGGGGEEEE`
 * (and its doc comment) per non-repeating data element (PS3.6 Tables 6-1, 7-1, 8-1, 9-1; PS3.7
 * E.1-1, E.2-1); one statement is less for a consumer's `tsc` to parse and bind (issue 13).
 * Re-exported as the namespace `Tag` so that bundlers drop what a program does not use; and the `Keyword` union of every element.
 * Retired elements carry `@deprecated`. Where a retired element shares its keyword with another
 * (reported by generator/validate.ts), `Tag` keeps the non-retired one, else the first in tag order.
 */
import type { DataElement, Ir } from '../ir.ts';
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';

/**
 * Where an entry's retirement is stated, for `@deprecated Retired in PS3.6 2013`. A mirror of the
 * standard (innolitics) is named as the carrier of PS3.6: `Retired in PS3.6 (innolitics … 2024b)`.
 */
export function statedIn(ir: Ir, e: { prov: { source: string } }): string {
  const s = ir.sources.find((x) => x.id === e.prov.source);
  if (!s) return e.prov.source;
  if (s.format === 'docbook' || s.format === 'html') return `${s.part} ${s.edition}`;
  return `PS3.6 (${s.part} ${s.edition})`;
}

export function editionsOf(ir: Ir, entries: { prov: { source: string } }[]): string {
  const ids = sourcesOf(entries);
  const list = ir.sources.filter((s) => ids.has(s.id)).map((s) => `${s.part} ${s.edition}`);
  return [...new Set(list)].join(', ') || 'no sources';
}

export function isRepeating(e: DataElement): boolean {
  return e.tag.includes('x');
}

export function tagString(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/** The elements `Tag` exports: non-repeating, one per keyword (non-retired first, then tag order). */
export function tagConstants(ir: Ir): DataElement[] {
  const chosen = new Map<string, DataElement>();
  for (const e of ir.dataElements) {
    if (isRepeating(e)) continue;
    const prev = chosen.get(e.keyword);
    if (prev === undefined || (prev.retired && !e.retired)) chosen.set(e.keyword, e);
  }
  return ir.dataElements.filter((e) => !isRepeating(e) && chosen.get(e.keyword) === e);
}

export function keywordUnion(keywords: Iterable<string>): string {
  const list = [...new Set(keywords)];
  return list.length === 0 ? ' never' : list.map((k) => `\n  | ${tsString(assertIdentifier(k, 'data element keyword'))}`).join('');
}

/** ` | 'OverlayData' | …`: keywords of repeating-group elements that no constant carries. */
function repeatingOnly(ir: Ir, constants: { keyword: string }[]): string {
  const have = new Set(constants.map((t) => t.keyword));
  const rest = [...new Set(ir.dataElements.map((e) => e.keyword))].filter((k) => !have.has(k));
  return rest.length === 0 ? '' : keywordUnion(rest);
}

export function emitTags(ctx: EmitContext): EmitResult {
  const { ir } = ctx;
  const tags = tagConstants(ir).map((e) => ({
    keyword: e.keyword,
    tag: Number.parseInt(e.tag, 16),
    tagString: tagString(e.tag),
    name: e.name,
    vr: e.vr.length > 0 ? e.vr.join(' or ') : 'See Note',
    vm: e.vm || 'none',
    retired: e.retired,
    retiredIn: statedIn(ir, e),
    usage: e.usage ?? '',
  }));
  for (const t of tags) if (!Number.isInteger(t.tag)) throw new Error(`tags emitter: tag ${t.tagString} is not a number`);
  const content = render('tags', {
    header: fileHeader(ctx, sourcesOf(ir.dataElements), 'data element tags by keyword'),
    editions: editionsOf(ir, ir.dataElements),
    repeatingUnion: repeatingOnly(ir, tags),
    tags,
  });
  const object = tagObject(fileHeader(ctx, sourcesOf(ir.dataElements), 'data element tags as one object, for Node'), tags);
  return {
    files: [
      { path: 'tags.ts', content, preformatted: true },
      { path: 'tag-object.ts', content: object, preformatted: true },
    ],
    // Node's root entry (`index.node.ts`) takes `Tag` from tag-object.ts instead (see there).
    entry: [{ from: './tags.js', as: 'Tag', node: './tag-object.js' }],
    // esbuild cannot tree-shake `export * as Tag` (evanw/esbuild#1420); `import * as Tag from '<pkg>/tags'` can.
    subpaths: [{ subpath: './tags', file: 'tags.ts' }],
  };
}

/**
 * `tag-object.ts`: the same constants as one frozen object with no prototype, the root's `Tag` in
 * Node (issue 13, heap after import). V8 keeps about 270 bytes per export of a module namespace
 * (accessor, cell, scope and export entries) for as long as the program runs: 1.5 MiB for tags.ts.
 * An object costs its property table. Node does not tree-shake, so it loses nothing; bundlers match
 * the `module` condition first and keep the namespace they shake. Typed as that namespace.
 */
function tagObject(header: string, tags: { keyword: string; tag: number }[]): string {
  const sorted = [...tags].sort((a, b) => (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0)); // a namespace's key order
  const lines = sorted.map((t) => `  ${assertIdentifier(t.keyword, 'data element keyword')}: 0x${t.tag.toString(16).toUpperCase().padStart(8, '0')},\n`);
  return `${header}
// The root's \`Tag\` in Node (export condition \`node\`): the constants of tags.ts as one frozen object,
// because a module namespace costs V8 far more heap per constant. Bundlers get the namespace of
// tags.ts (condition \`module\`), which they tree-shake.

import type * as Tags from './tags.js';

export const Tag: typeof Tags = Object.freeze({
  __proto__: null,
${lines.join('')}} as unknown as typeof Tags);
`;
}

export const tagsEmitter: Emitter = { family: 'tags', emit: emitTags };
