/**
 * The site stage: IR → every page of the static reference (docs/site.md) as `EmittedFile`s for the
 * write stage. Pure and deterministic: the same IR and options give byte-identical files. Page
 * builders (pages-*.ts) turn the model into plain page data; templates/site/ lays it out with the
 * escaping helpers of html.ts.
 */
import type { Ir } from '../ir.ts';
import type { TreeFile } from '../write.ts';
import { diffIr } from '../diff/index.ts';
import { buildSiteModel, type SiteModel, type SiteSelection } from './model.ts';
import { PageContext, renderPage, type Page } from './page.ts';
import { pagePath } from './paths.ts';
import { siteAsset } from './html.ts';
import { iodListPage, iodModulePage, iodPage, IodModuleTables } from './pages-iods.ts';
import { moduleListPage, modulePage } from './pages-modules.ts';
import { groupOf, tagGroupPage, tagIndexPage, tagPage } from './pages-tags.ts';
import { uidIndexPage, uidPage, uidTypePage, uidTypes } from './pages-uids.ts';
import { cidIndexPage, cidPage } from './pages-cids.ts';
import { creatorIndexPage, creatorPage } from './pages-private.ts';
import { changelogPage, homePage } from './pages-home.ts';
import { buildSearchIndex, searchIndexScript } from './search-index.ts';

export interface SiteOptions {
  generatorVersion: string;
  selection?: SiteSelection;
  /** IR of the previous edition: adds the changelog page. */
  previousIr?: Ir;
}

export const SITE_ASSETS = ['site.css', 'search.js', 'theme.js'];

type Builder = (ctx: PageContext) => Page;

export interface SiteFile extends TreeFile {
  /** UTF-8 bytes: pages leave the JS heap as soon as they are rendered (most of the build's time was garbage collection of page strings). */
  content: Buffer;
}

export function buildSite(ir: Ir, opts: SiteOptions): SiteFile[] {
  const m = buildSiteModel(ir, opts.selection ?? {});
  const files: SiteFile[] = [];
  const add = (path: string, build: Builder) => {
    const ctx = new PageContext(path, m.sources);
    files.push({ path, content: Buffer.from(renderPage(build(ctx), ctx, { generatorVersion: opts.generatorVersion })) });
  };
  add(pagePath.home(), (c) => homePage(c, m, opts.previousIr !== undefined));
  if (opts.previousIr) {
    const diff = diffIr(opts.previousIr, ir, { oldLabel: 'previous IR', newLabel: 'this build' });
    add(pagePath.changelog(), (c) => changelogPage(c, m, diff));
  }
  addIodPages(m, add);
  add(pagePath.modules(), (c) => moduleListPage(c, m));
  for (const d of m.defs.values()) add(pagePath.module(d.kind, d.id), (c) => modulePage(c, m, d));
  addTagPages(m, add);
  add(pagePath.uids(), (c) => uidIndexPage(c, m));
  for (const t of uidTypes(m)) add(pagePath.uidType(t.slug), (c) => uidTypePage(c, m, t.type, t.uids));
  for (const u of dedupeBy(m.uids, (u) => u.uid)) add(pagePath.uid(u.uid), (c) => uidPage(c, m, u));
  add(pagePath.cids(), (c) => cidIndexPage(c, m));
  for (const g of m.groups) add(pagePath.cid(g.cid), (c) => cidPage(c, m, g));
  add(pagePath.creators(), (c) => creatorIndexPage(c, m));
  for (const cr of m.creators) add(pagePath.creator(cr.slug), (c) => creatorPage(c, m, cr));
  for (const a of SITE_ASSETS) files.push({ path: `assets/${a}`, content: Buffer.from(siteAsset(a)) });
  files.push({ path: 'assets/search-index.js', content: Buffer.from(searchIndexScript(buildSearchIndex(m))) });
  return files;
}

function addIodPages(m: SiteModel, add: (path: string, b: Builder) => void): void {
  add(pagePath.iods(), (c) => iodListPage(c, m));
  const tables = new IodModuleTables();
  for (const iod of m.iods) {
    add(pagePath.iod(iod.id), (c) => iodPage(c, m, iod));
    for (const ref of dedupeBy(iod.modules, (r) => r.module)) add(pagePath.iodModule(iod.id, ref.module), (c) => iodModulePage(c, m, iod, ref, tables));
  }
}

function addTagPages(m: SiteModel, add: (path: string, b: Builder) => void): void {
  add(pagePath.tags(), (c) => tagIndexPage(c, m));
  const groups = new Map<string, string[]>();
  for (const tag of [...m.elements.keys()].sort()) groups.set(groupOf(tag), [...(groups.get(groupOf(tag)) ?? []), tag]);
  for (const [g, tags] of groups) add(pagePath.tagGroup(g), (c) => tagGroupPage(c, m, g, tags));
  for (const tag of [...m.elements.keys()].sort()) add(pagePath.tag(tag), (c) => tagPage(c, m, tag));
}

function dedupeBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && !!seen.add(key(x)));
}
