/**
 * The prebuilt search index: one small JS file (`assets/search-index.js`, loaded on the first
 * focus of the search box, so pages stay light) with compact arrays per family. URLs are not
 * stored: the browser script derives them from the key (docs/site.md). Ranking lives in
 * templates/site/assets/search.js, shared by the browser, the tests and the bench.
 */
import type { SiteModel } from './model.ts';
import { jsJson } from './html.ts';

export interface SearchIndex {
  v: 1;
  /** Tags: [tag, keyword, name, retired 0/1]. */
  t: [string, string, string, number][];
  /** UIDs: [uid, keyword, name, index into `ut`, retired 0/1]. */
  u: [string, string, string, number, number][];
  /** UID types (`SOP Class`, …), each once. */
  ut: string[];
  /** Context groups: [cid, name, keyword, retired 0/1]. */
  c: [number, string, string, number][];
  /** IODs: [id, name]. */
  i: [string, string][];
  /** Modules and macros: [kind m|M, id, name] (m = module, M = macro). */
  m: [string, string, string][];
  /** Private creators: [slug, creator]. */
  p: [string, string][];
}

export function buildSearchIndex(m: SiteModel): SearchIndex {
  const ut = [...new Set(m.uids.map((u) => u.type))].sort();
  const typeIndex = new Map(ut.map((t, i) => [t, i]));
  return {
    v: 1,
    t: [...m.elements.entries()].map(([tag, es]) => [tag, es[0]!.keyword, es[0]!.name, es.every((e) => e.retired) ? 1 : 0]),
    u: m.uids.map((u) => [u.uid, u.keyword, u.name, typeIndex.get(u.type)!, u.retired ? 1 : 0]),
    ut,
    c: m.groups.map((g) => [g.cid, g.name, g.keyword, g.retired ? 1 : 0]),
    i: m.iods.map((i) => [i.id, i.name]),
    m: [...m.defs.values()].map((d) => [d.kind === 'module' ? 'm' : 'M', d.id, d.name]),
    p: m.creators.map((c) => [c.slug, c.creator]),
  };
}

/** The index as a script that assigns it to `window.DICTGEN_INDEX` (works from `file://`, where fetching JSON does not). */
export function searchIndexScript(index: SearchIndex): string {
  return `window.DICTGEN_INDEX=${jsJson(index)};\n`;
}
