/**
 * Everything the page builders read, computed once from the IR: the selected entries of each
 * family, the IOD resolution (module trees with includes expanded, shared with validation), and
 * the reverse index "which module and IOD uses this tag, with which Type" built in one walk over
 * every module and macro tree. Page builders never scan the IR themselves.
 */
import type { DataElement, DeidentificationRow, Ir, SourceRecord, UidEntry } from '../ir.ts';
import { moduleKey, type AttributeType, type FunctionalGroupRef, type Iod, type IodModuleRef, type ModuleDef, type SopClassIod } from '../ir-iods.ts';
import type { ContextGroup } from '../ir-context-groups.ts';
import type { PrivateElement } from '../ir-private.ts';
import { resolveIods, type IodResolver, type ResolvedAttribute } from '../iods/resolve.ts';
import { creatorSlugs, isPageableUid } from './paths.ts';

/** What to build; an absent field means the whole family. */
export interface SiteSelection {
  /** IOD ids: IOD, module and tag pages are limited to what these IODs use. */
  iods?: Set<string>;
  cids?: Set<number>;
  creators?: Set<string>;
}

/** One place a tag occurs in a module or macro tree. */
export interface TagUse {
  def: ModuleDef;
  /** Enclosing sequences, outermost first. */
  path: ResolvedAttribute[];
  attr: ResolvedAttribute;
}

export interface IodUse {
  iod: Iod;
  ref: IodModuleRef | FunctionalGroupRef;
}

export interface Creator {
  creator: string;
  slug: string;
  elements: PrivateElement[];
}

export interface SiteModel {
  ir: Ir;
  sources: Map<string, SourceRecord>;
  resolver: IodResolver;
  iods: Iod[];
  /** Modules and macros with a page, by `moduleKey`. */
  defs: Map<string, ModuleDef>;
  /** IODs that use a module (module list) or a macro (functional groups), by `moduleKey`. */
  iodsByDef: Map<string, IodUse[]>;
  sopClassesByIod: Map<string, SopClassIod[]>;
  iodBySopClass: Map<string, string>;
  /** Data dictionary entries with a page, by tag (one tag may have several rows: data and command tables). */
  elements: Map<string, DataElement[]>;
  tagUses: Map<string, TagUse[]>;
  deidByTag: Map<string, DeidentificationRow>;
  uids: UidEntry[];
  uidByValue: Map<string, UidEntry>;
  groups: ContextGroup[];
  groupByCid: Map<number, ContextGroup>;
  creators: Creator[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildSiteModel(ir: Ir, selection: SiteSelection = {}): SiteModel {
  const resolution = resolveIods(ir);
  const resolver = resolution.resolver;
  const iods = (ir.iods?.iods ?? []).filter((i) => !selection.iods || selection.iods.has(i.id)).sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id));
  const defs = selectedDefs(resolver, iods, Boolean(selection.iods));
  const iodsByDef = new Map<string, IodUse[]>();
  for (const iod of iods) {
    for (const ref of iod.modules) push(iodsByDef, moduleKey('module', ref.module), { iod, ref });
    for (const ref of iod.functionalGroups) push(iodsByDef, moduleKey('macro', ref.macro), { iod, ref });
  }
  const tagUses = reverseIndex(resolver, defs);
  const elements = new Map<string, DataElement[]>();
  for (const e of ir.dataElements) {
    if (!/^[0-9A-Fx]{8}$/.test(e.tag)) continue;
    if (selection.iods && !tagUses.has(e.tag)) continue;
    push(elements, e.tag, e);
  }
  const sopClassesByIod = new Map<string, SopClassIod[]>();
  const iodBySopClass = new Map<string, string>();
  for (const s of resolution.sopClasses) {
    if (!s.iod) continue;
    push(sopClassesByIod, s.iod, s);
    if (!iodBySopClass.has(s.uid)) iodBySopClass.set(s.uid, s.iod);
  }
  const groups = (ir.contextGroups?.groups ?? []).filter((g) => !selection.cids || selection.cids.has(g.cid)).sort((a, b) => a.cid - b.cid);
  const uids = ir.uids.filter((u) => isPageableUid(u.uid) && keepUid(u, selection, iodBySopClass, iods, groups));
  const names = [...new Set((ir.privateDictionaries?.elements ?? []).map((e) => e.creator))].filter((c) => !selection.creators || selection.creators.has(c)).sort(byText);
  const slugs = creatorSlugs(names);
  const byCreator = new Map<string, PrivateElement[]>();
  for (const e of ir.privateDictionaries?.elements ?? []) if (slugs.has(e.creator)) push(byCreator, e.creator, e);
  return {
    ir,
    sources: new Map(ir.sources.map((s) => [s.id, s])),
    resolver,
    iods,
    defs,
    iodsByDef,
    sopClassesByIod,
    iodBySopClass,
    elements,
    tagUses,
    deidByTag: new Map(ir.deidentification.map((d) => [d.tag, d])),
    uids,
    uidByValue: new Map(uids.map((u) => [u.uid, u])),
    groups,
    groupByCid: new Map(groups.map((g) => [g.cid, g])),
    creators: names.map((c) => ({ creator: c, slug: slugs.get(c)!, elements: byCreator.get(c) ?? [] })),
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Every module/macro (one definition per key, the one with rows), or only those the selected IODs reach. */
function selectedDefs(resolver: IodResolver, iods: Iod[], limited: boolean): Map<string, ModuleDef> {
  const all = resolver.allDefs();
  const out = new Map<string, ModuleDef>();
  if (!limited) {
    for (const d of [...all].sort((a, b) => byText(moduleKey(a.kind, a.id), moduleKey(b.kind, b.id)))) out.set(moduleKey(d.kind, d.id), d);
    return out;
  }
  const want = new Set<string>();
  for (const iod of iods) {
    for (const r of iod.modules) want.add(moduleKey('module', r.module));
    for (const g of iod.functionalGroups) want.add(moduleKey('macro', g.macro));
  }
  for (const d of all) {
    const k = moduleKey(d.kind, d.id);
    if (want.has(k)) out.set(k, d);
  }
  // Macros reached through includes get their pages too.
  for (const d of [...out.values()]) for (const a of d.rows ? resolver.flatten(d) : []) collectMacros(a, resolver, out);
  return new Map([...out.entries()].sort(([a], [b]) => byText(a, b)));
}

function collectMacros(a: ResolvedAttribute, resolver: IodResolver, out: Map<string, ModuleDef>): void {
  if (a.origin.kind === 'macro') {
    const k = moduleKey('macro', a.origin.def);
    const d = resolver.def('macro', a.origin.def);
    if (d && !out.has(k)) out.set(k, d);
  }
  for (const i of a.items ?? []) collectMacros(i, resolver, out);
}

/** tag → every place it occurs in the selected definitions' trees (one walk, reused by every tag page). */
function reverseIndex(resolver: IodResolver, defs: Map<string, ModuleDef>): Map<string, TagUse[]> {
  const out = new Map<string, TagUse[]>();
  const walk = (def: ModuleDef, list: ResolvedAttribute[], path: ResolvedAttribute[]) => {
    for (const a of list) {
      push(out, a.tag, { def, path, attr: a });
      if (a.items) walk(def, a.items, [...path, a]);
    }
  };
  for (const d of defs.values()) if (d.rows) walk(d, resolver.flatten(d), []);
  return out;
}

function keepUid(u: UidEntry, sel: SiteSelection, iodBySopClass: Map<string, string>, iods: Iod[], groups: ContextGroup[]): boolean {
  if (!sel.iods && !sel.cids) return true;
  if (u.type === 'Transfer Syntax') return true;
  if (u.cid !== undefined) return groups.some((g) => g.cid === u.cid);
  const iod = iodBySopClass.get(u.uid);
  return iod !== undefined && iods.some((i) => i.id === iod);
}

/** Strictest first, for summaries of one tag's Types (`1, 3`). */
export const TYPE_ORDER: AttributeType[] = ['1', '1C', '2', '2C', '3'];
