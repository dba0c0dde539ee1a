/** Context group pages (PS3.16 Annex B): the list and one group with its codes, includes as links and included codes marked. */
import type { ContextGroup } from '../ir-context-groups.ts';
import { codeValueOf } from '../ir-context-groups.ts';
import type { SiteModel } from './model.ts';
import { a, cell, code, ed, txt, type Page, type PageContext, type Section } from './page.ts';
import { pagePath } from './paths.ts';
import { cidPart, joined, uidPart, withEditions } from './table.ts';

export function cidIndexPage(ctx: PageContext, m: SiteModel): Page {
  const rows = m.groups.map((g) => ({
    cells: [cell(a(`CID ${g.cid}`, ctx.link(pagePath.cid(g.cid)))), cell(txt(g.name)), cell(code(g.keyword)), cell(txt(String(g.codes.length))), cell(txt(g.retired ? 'retired' : ''))],
  }));
  return {
    path: ctx.path,
    title: 'Context groups',
    lead: `${m.groups.length} context groups (PS3.16).`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Context groups' }],
    sections: [{ key: 'groups', heading: 'Context groups', table: withEditions(ctx, { caption: 'Every context group with its code count (includes expanded)', columns: ['CID', 'Name', 'Keyword', 'Codes', 'Retired'], rows }, m.groups.map((g) => g.prov.source)) }],
  };
}

export function cidPage(ctx: PageContext, m: SiteModel, g: ContextGroup): Page {
  const e = ctx.cite(g.prov.source);
  const sections: Section[] = [
    {
      key: 'group',
      heading: 'Context group',
      facts: [
        { k: 'CID', v: [txt(String(g.cid))], ed: e },
        { k: 'Name', v: [txt(g.name)], ed: e },
        { k: 'Keyword', v: [code(g.keyword), ...(g.keywordDerived ? [txt(' (derived from the name)')] : [])], ed: e },
        { k: 'Extensible', v: [txt(g.extensible === null ? 'not stated by the source' : g.extensible ? 'yes' : 'no')], ed: e },
        { k: 'Version', v: [txt(g.version ?? 'not stated by the source')], ed: e },
        { k: 'Retired', v: [txt(g.retired ? 'yes' : 'no')], ed: e },
        ...(g.uid ? [{ k: 'UID', v: [uidPart(ctx, m, g.uid)], ed: e }] : []),
        { k: 'Includes', v: g.includes.length ? joined(g.includes.map((c) => cidPart(ctx, m, c))) : [txt('none')], ed: e },
        ...(g.unresolvedIncludes?.length ? [{ k: 'Includes no source defines', v: [txt(g.unresolvedIncludes.map((c) => `CID ${c}`).join(', '))] }] : []),
      ],
    },
  ];
  if (g.codes.length === 0) {
    sections.push({ key: 'codes', heading: 'Codes', note: g.includes.length ? 'No codes: the included groups are not in this build.' : 'No codes in the source for this group (its codes are defined outside PS3.16 or it is retired).' });
  } else {
    const rows = g.codes.map((c) => ({
      cells: [
        cell(code(c.codingSchemeDesignator)),
        cell(code(codeValueOf(c))),
        cell(txt(c.codeMeaning)),
        cell(...(c.includedFrom !== undefined ? [txt('via '), ...joined((c.includePath ?? [c.includedFrom]).map((x) => cidPart(ctx, m, x)), ' → ')] : [])),
      ],
    }));
    sections.push({ key: 'codes', heading: 'Codes', table: withEditions(ctx, { caption: `${g.codes.length} codes of CID ${g.cid}, own codes first, then included ones`, columns: ['Scheme', 'Code value', 'Code meaning', 'Included from'], rows }, g.codes.map((c) => c.prov.source)) });
  }
  return {
    path: ctx.path,
    title: `CID ${g.cid} ${g.name}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Context groups', href: ctx.link(pagePath.cids()) }, { t: `CID ${g.cid}` }],
    sections,
  };
}
