/**
 * Family `private` → `private/lookup.ts` (types and `createPrivateLookup`, no data),
 * `private/<creator-slug>.ts` (one tree-shakable module per private creator) and
 * `private/index.ts` (`lookupPrivate`, `privateCreators()`, `privateDictionary()` over all creators).
 * Creator strings, names and keywords come from vendor files and are untrusted: they only ever
 * reach the output through `tsString` / `docText`.
 */
import type { PrivateElement } from '../ir-private.ts';
import { normalizeCreator, privateKey } from '../ir-private.ts';
import { emptyReport } from '../ir.ts';
import { mergePrivateDictionaries } from '../../sources/private/merge-private.ts';
import { comparePrivate } from '../../sources/private/merge-private.ts';
import { sha256 } from '../../sources/common/hash.ts';
import { fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter, type EmittedFile, type SubpathExport } from './context.ts';

const HEX4 = /^[0-9A-F]{4}$/;
const HEX2 = /^[0-9A-F]{2}$/;

/**
 * File name for a creator: lower-case letters and digits joined by `-` (at most 60 characters).
 * Creators whose slugs collide (case or spacing variants, punctuation-only differences) all get
 * the first 8 hex digits of the creator's SHA-256 appended, so every module name is unique.
 */
export function creatorSlug(creator: string): string {
  const s = creator
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return s === '' ? 'creator' : s;
}

export function creatorSlugs(creators: readonly string[]): Map<string, string> {
  const bySlug = new Map<string, string[]>();
  for (const c of creators) {
    const s = creatorSlug(c);
    bySlug.set(s, [...(bySlug.get(s) ?? []), c]);
  }
  const out = new Map<string, string>();
  for (const [s, cs] of bySlug) {
    for (const c of cs) out.set(c, cs.length === 1 && s !== 'index' && s !== 'lookup' ? s : `${s}-${sha256(c).slice(0, 8)}`);
  }
  return out;
}

function hex(s: string, width: 2 | 4, what: string, e: PrivateElement): string {
  if (!(width === 4 ? HEX4 : HEX2).test(s)) throw new Error(`private emitter: ${e.prov.source} ${e.prov.table}: refusing ${what} ${JSON.stringify(s)}`);
  return `0x${s}`;
}

function entryLiteral(e: PrivateElement): string {
  const sources = entrySources(e);
  const parts = [
    `group: ${hex(e.group, 4, 'group', e)}`,
    ...(e.groupLast !== undefined ? [`groupLast: ${hex(e.groupLast, 4, 'group', e)}`] : []),
    `offset: ${hex(e.offset, 2, 'offset', e)}`,
    ...(e.offsetLast !== undefined ? [`offsetLast: ${hex(e.offsetLast, 2, 'offset', e)}`] : []),
    ...(e.block !== undefined ? [`block: ${hex(e.block, 2, 'block', e)}`] : []),
    `keyword: ${tsString(e.keyword)}`,
    `name: ${tsString(e.name)}`,
    `vr: [${e.vr.map(tsString).join(', ')}]`,
    `vm: ${tsString(e.vm)}`,
    `retired: ${e.retired ? 'true' : 'false'}`,
    `sources: [${sources.map(tsString).join(', ')}]`,
  ];
  return `{ ${parts.join(', ')} }`;
}

/** Sources of an entry: where it came from, then every source that filled a field. */
function entrySources(e: PrivateElement): string[] {
  return [...new Set([e.prov.source, ...Object.values(e.fieldProv ?? {}).map((p) => p.source)])];
}

const hexNum = (s: string | undefined, width: 2 | 4, what: string, e: PrivateElement) => (s === undefined ? -1 : Number(hex(s, width, what, e)));

/** Every creator as one JSON table (see templates/private-index.hbs for the row layout). */
function compactTable(creators: string[], byCreator: Map<string, { entries: PrivateElement[]; groups: Set<string> }>): string {
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const idx = (s: string) => {
    let i = sourceIndex.get(s);
    if (i === undefined) sourceIndex.set(s, (i = sources.push(s) - 1));
    return i;
  };
  const c = creators.map((creator) => {
    const { entries, groups } = byCreator.get(creator)!;
    const rows = entries.map((e) => [hexNum(e.group, 4, 'group', e), hexNum(e.offset, 2, 'offset', e), e.keyword, e.name, e.vr.join('/'), e.vm, e.retired ? 1 : 0, entrySources(e).map(idx), hexNum(e.groupLast, 4, 'group', e), hexNum(e.offsetLast, 2, 'offset', e), hexNum(e.block, 2, 'block', e)]);
    return [creator, [...groups].sort().map((g) => Number.parseInt(g, 16)), rows];
  });
  return tsString(JSON.stringify({ s: sources, c }));
}

export function emitPrivate(ctx: EmitContext): EmitResult {
  const section = ctx.ir.privateDictionaries;
  if (!section || (section.elements.length === 0 && (section.declarations ?? []).length === 0)) return { files: [] };
  // The pipeline normally merged already; merge again when keys repeat so output never depends on it.
  const keys = new Set(section.elements.map((e) => privateKey({ ...e, creator: normalizeCreator(e.creator) })));
  const merged = keys.size === section.elements.length ? section : mergePrivateDictionaries([section], emptyReport());
  const wanted = ctx.selection.creators ? new Set([...ctx.selection.creators].map(normalizeCreator)) : undefined;

  const byCreator = new Map<string, { entries: PrivateElement[]; groups: Set<string> }>();
  const slot = (c: string) => {
    let s = byCreator.get(c);
    if (!s) byCreator.set(c, (s = { entries: [], groups: new Set() }));
    return s;
  };
  for (const e of merged.elements) {
    const c = normalizeCreator(e.creator);
    if (wanted && !wanted.has(c)) continue;
    const s = slot(c);
    s.entries.push(e);
    s.groups.add(e.group);
  }
  for (const d of merged.declarations ?? []) {
    const c = normalizeCreator(d.creator);
    if (wanted && !wanted.has(c)) continue;
    if (HEX4.test(d.group)) slot(c).groups.add(d.group);
  }
  const creators = [...byCreator.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const slugs = creatorSlugs(creators);
  const files: EmittedFile[] = [];
  const subpaths: SubpathExport[] = [
    { subpath: './private', file: 'private/index.ts' },
    { subpath: './private/lookup', file: 'private/lookup.ts' },
  ];
  files.push({
    path: 'private/lookup.ts',
    content: render('private-lookup', { header: fileHeader(ctx, [], 'private dictionary lookup (no data)') }),
  });
  creators.forEach((creator) => {
    const { entries, groups } = byCreator.get(creator)!;
    entries.sort(comparePrivate);
    const slug = slugs.get(creator)!;
    files.push({
      path: `private/${slug}.ts`,
      preformatted: true,
      content: render('private-creator', {
        header: fileHeader(ctx, sourcesOf(entries), `private dictionary of creator ${JSON.stringify(creator)}`),
        creator,
        creatorDoc: JSON.stringify(creator),
        count: entries.length,
        groups: [...groups].sort().map((g) => `0x${g}`).join(', '),
        entries: entries.map(entryLiteral),
      }),
    });
    subpaths.push({ subpath: `./private/${slug}`, file: `private/${slug}.ts` });
  });
  files.push({
    path: 'private/index.ts',
    content: render('private-index', {
      header: fileHeader(ctx, sourcesOf(merged.elements.filter((e) => !wanted || wanted.has(normalizeCreator(e.creator)))), `private dictionaries (${creators.length} creators)`),
      table: compactTable(creators, byCreator),
    }),
  });
  // `./private` only, not the root (issue 13): its source text (≈ 0.29 MB) stayed on the heap of every importer.
  return { files, entry: [], subpaths };
}

export const privateEmitter: Emitter = { family: 'private', emit: emitPrivate };
