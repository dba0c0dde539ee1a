/** Private dictionary pages (PS3.5 §7.8.1): creators, and one creator's elements by group and offset. */
import type { Creator, SiteModel } from './model.ts';
import { a, cell, code, ed, txt, type Page, type PageContext } from './page.ts';
import { pagePath } from './paths.ts';
import { withEditions } from './table.ts';

export function creatorIndexPage(ctx: PageContext, m: SiteModel): Page {
  const rows = m.creators.map((c) => ({
    cells: [cell(a(c.creator, ctx.link(pagePath.creator(c.slug)), true)), cell(txt(String(c.elements.length))), cell(...[...new Set(c.elements.map((e) => e.prov.source))].sort().map((s) => ed(ctx.cite(s))))],
  }));
  return {
    path: ctx.path,
    title: 'Private dictionaries',
    lead: `${m.creators.length} private creators.`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Private' }],
    sections: [{ key: 'creators', heading: 'Private creators', table: { caption: 'Private creators and their element counts', columns: ['Creator', 'Elements', 'Editions'], rows } }],
  };
}

function offsetText(e: Creator['elements'][number]): string {
  const g = e.groupLast ? `${e.group}-${e.groupLast}` : e.group;
  const o = e.offsetLast ? `${e.offset}-${e.offsetLast}` : e.offset;
  return `(${g},${e.block ?? 'xx'}${o})`;
}

export function creatorPage(ctx: PageContext, m: SiteModel, c: Creator): Page {
  void m;
  const rows = c.elements.map((e) => ({
    cells: [cell(code(offsetText(e))), cell(code(e.keyword), ...(e.keywordDerived ? [txt(' (derived)')] : [])), cell(txt(e.name)), cell(txt(e.vr.join(' or '))), cell(txt(e.vm)), cell(txt(e.retired ? 'retired' : ''))],
  }));
  return {
    path: ctx.path,
    title: `Private creator ${c.creator}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Private', href: ctx.link(pagePath.creators()) }, { t: c.creator }],
    sections: [
      { key: 'creator', heading: 'Creator', facts: [{ k: 'Private Creator string', v: [code(c.creator)] }, { k: 'Elements', v: [txt(String(c.elements.length))] }] },
      { key: 'elements', heading: 'Elements', table: withEditions(ctx, { caption: `Elements reserved by ${c.creator} (xx = the block the file reserves)`, columns: ['Tag', 'Keyword', 'Name', 'VR', 'VM', 'Retired'], rows }, c.elements.map((e) => e.prov.source)) },
    ],
  };
}
