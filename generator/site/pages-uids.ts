/** UID registry pages (PS3.6 Annex A): types, one type, one UID (with its IOD, transfer syntax facts or context group). */
import type { UidEntry } from '../ir.ts';
import { dicomId } from '../ir-iods.ts';
import type { SiteModel } from './model.ts';
import { a, cell, code, txt, type Fact, type Page, type PageContext, type Section } from './page.ts';
import { pagePath } from './paths.ts';
import { cidPart, iodPart, withEditions } from './table.ts';

export function uidTypes(m: SiteModel): { type: string; slug: string; uids: UidEntry[] }[] {
  const by = new Map<string, UidEntry[]>();
  for (const u of m.uids) by.set(u.type, [...(by.get(u.type) ?? []), u]);
  return [...by.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([type, uids]) => ({ type, slug: dicomId(type), uids }));
}

export function uidIndexPage(ctx: PageContext, m: SiteModel): Page {
  const types = uidTypes(m);
  return {
    path: ctx.path,
    title: 'UID registry',
    lead: `${m.uids.length} UIDs by type.`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'UIDs' }],
    sections: [{ key: 'types', heading: 'Types', links: types.map((t) => [a(t.type, ctx.link(pagePath.uidType(t.slug))), txt(` (${t.uids.length})`)]) }],
  };
}

export function uidTypePage(ctx: PageContext, m: SiteModel, type: string, uids: UidEntry[]): Page {
  const rows = uids.map((u) => ({
    cells: [cell(a(u.uid, ctx.link(pagePath.uid(u.uid)), true)), cell(txt(u.name)), cell(code(u.keyword)), cell(txt(u.retired ? 'retired' : ''))],
  }));
  return {
    path: ctx.path,
    title: `${type} UIDs`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'UIDs', href: ctx.link(pagePath.uids()) }, { t: type }],
    sections: [{ key: 'uids', heading: type, table: withEditions(ctx, { caption: `${uids.length} UIDs of type ${type}`, columns: ['UID', 'Name', 'Keyword', 'Retired'], rows }, uids.map((u) => u.prov.source)) }],
  };
}

function fieldEd(ctx: PageContext, u: UidEntry, field: string): string {
  return ctx.cite(u.fieldProv?.[field]?.source ?? u.prov.source);
}

export function uidPage(ctx: PageContext, m: SiteModel, u: UidEntry): Page {
  const facts: Fact[] = [
    { k: 'UID', v: [code(u.uid)], ed: ctx.cite(u.prov.source) },
    { k: 'Name', v: [txt(u.name)], ed: fieldEd(ctx, u, 'name') },
    { k: 'Keyword', v: [code(u.keyword), ...(u.keywordDerived ? [txt(' (derived from the name: the source has no keyword)')] : [])], ed: fieldEd(ctx, u, 'keyword') },
    { k: 'Type', v: [a(u.type, ctx.link(pagePath.uidType(dicomId(u.type)))), ...(u.typeText !== u.type ? [txt(` (${u.typeText})`)] : [])], ed: fieldEd(ctx, u, 'type') },
    { k: 'Retired', v: [txt(u.retired ? 'yes' : 'no')], ed: fieldEd(ctx, u, 'retired') },
    ...(u.part ? [{ k: 'Defined in', v: [txt(u.part)] }] : []),
    ...(u.cid !== undefined ? [{ k: 'Context group', v: [cidPart(ctx, m, u.cid)] }] : []),
  ];
  const iod = m.iodBySopClass.get(u.uid);
  if (iod) facts.push({ k: 'IOD', v: [iodPart(ctx, m, iod)] });
  const sections: Section[] = [{ key: 'uid', heading: 'Registry entry', facts }];
  const ts = m.ir.transferSyntaxes.find((t) => t.uid === u.uid);
  if (ts) {
    const e = ctx.cite(ts.prov.source);
    sections.push({
      key: 'transfer-syntax',
      heading: 'Transfer syntax',
      facts: [
        { k: 'Value representation', v: [txt(ts.explicitVr ? 'explicit' : 'implicit')], ed: e },
        { k: 'Byte order', v: [txt(ts.byteOrder === 'little' ? 'little endian' : 'big endian')], ed: e },
        { k: 'Pixel data', v: [txt(ts.encapsulated ? 'encapsulated' : 'native')], ed: e },
        { k: 'Compression', v: [txt(ts.compression)], ed: e },
        ...(ts.deflated ? [{ k: 'Deflated', v: [txt('yes')], ed: e }] : []),
        ...(ts.section ? [{ k: 'PS3.5 section', v: [txt(ts.section)], ed: e }] : []),
      ],
    });
  }
  const group = [...m.groups].find((g) => g.uid === u.uid);
  if (group && u.cid === undefined) sections.push({ key: 'group', heading: 'Context group', links: [[cidPart(ctx, m, group.cid)]] });
  return {
    path: ctx.path,
    title: u.name,
    lead: u.uid,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'UIDs', href: ctx.link(pagePath.uids()) }, { t: u.type, href: ctx.link(pagePath.uidType(dicomId(u.type))) }, { t: u.keyword || u.uid }],
    sections,
  };
}
