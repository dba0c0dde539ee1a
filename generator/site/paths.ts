/**
 * Stable, readable page paths (docs/site.md): `iods/ct-image/`, `iods/ct-image/patient/`,
 * `modules/patient/`, `macros/code-sequence/`, `tags/00100010/`, `uids/1.2.840.10008.1.2/`,
 * `cid/244/`, `private/elscint1/`. Every page is `<dir>/index.html` so the site works from
 * `file://` (links name `index.html`) and from any static host (the directory URL serves it).
 */
import { createHash } from 'node:crypto';
import { dicomId } from '../ir-iods.ts';
import { safeId } from './html.ts';

export const pagePath = {
  home: () => 'index.html',
  iods: () => 'iods/index.html',
  iod: (id: string) => `iods/${safeId(id)}/index.html`,
  iodModule: (iod: string, module: string) => `iods/${safeId(iod)}/${safeId(module)}/index.html`,
  modules: () => 'modules/index.html',
  module: (kind: 'module' | 'macro', id: string) => `${kind === 'module' ? 'modules' : 'macros'}/${safeId(id)}/index.html`,
  tags: () => 'tags/index.html',
  tagGroup: (group: string) => `tags/groups/${safeId(group)}/index.html`,
  tag: (tag: string) => `tags/${safeId(tag)}/index.html`,
  uids: () => 'uids/index.html',
  uidType: (slug: string) => `uids/types/${safeId(slug)}/index.html`,
  uid: (uid: string) => `uids/${safeUidSegment(uid)}/index.html`,
  cids: () => 'cid/index.html',
  cid: (cid: number) => `cid/${cid}/index.html`,
  creators: () => 'private/index.html',
  creator: (slug: string) => `private/${safeId(slug)}/index.html`,
  changelog: () => 'changelog/index.html',
  search: () => 'search/index.html',
};

function safeUidSegment(uid: string): string {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(uid) || uid.length > 64) throw new Error(`refusing a UID path segment ${JSON.stringify(uid)}`);
  return uid;
}

/** A UID that can be a path segment (validated IR UIDs always can; anything else gets no page). */
export function isPageableUid(uid: string): boolean {
  return /^[0-9]+(\.[0-9]+)*$/.test(uid) && uid.length <= 64;
}

/** Link from one root-relative page path to another (`tags/x/index.html` → `../../iods/y/index.html`). */
export function relLink(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}

/** The prefix that leads from a page back to the site root (`../../`). */
export function rootOf(from: string): string {
  return '../'.repeat(from.split('/').length - 1);
}

/**
 * Slugs for private creators: the `dicomId` of the creator string; creators whose slugs collide
 * (`SIEMENS CSA HEADER` vs `SIEMENS CSA HEADER ` can't, but `A.B` vs `A B` can) all get a short
 * hash of the exact creator string appended, so each slug depends only on its own creator.
 */
export function creatorSlugs(creators: string[]): Map<string, string> {
  const base = new Map<string, string[]>();
  for (const c of creators) {
    const s = dicomId(c) || 'creator';
    base.set(s, [...(base.get(s) ?? []), c]);
  }
  const out = new Map<string, string>();
  for (const [s, cs] of base) {
    for (const c of cs) out.set(c, cs.length === 1 ? s : `${s}-${createHash('sha256').update(c).digest('hex').slice(0, 6)}`);
  }
  return out;
}

/** `00100010` → `(0010,0010)`; masks keep their lower-case `x`. */
export function tagText(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}
