/**
 * Attribute pages (PS3.6 Table 6-1 and friends): the group index, one group, and one tag with its
 * dictionary entry, de-identification actions (PS3.15 Table E.1-1) and every module, macro and IOD
 * that uses it, with its Type in each (from the reverse index built once in model.ts).
 */
import type { DataElement } from '../ir.ts';
import { moduleKey } from '../ir-iods.ts';
import type { SiteModel, TagUse } from './model.ts';
import { TYPE_ORDER } from './model.ts';
import { a, cell, code, ed, txt, type Fact, type Page, type PageContext, type Part, type Row, type Section } from './page.ts';
import { pagePath, tagText } from './paths.ts';
import { joined, rowAnchor, withEditions } from './table.ts';

/** At most this many places per module are listed on a tag page; the rest are counted (Code Value occurs hundreds of times in one module). */
export const PLACES_PER_DEF = 3;

const TABLES: Record<DataElement['table'], string> = {
  data: 'PS3.6 Table 6-1 (data elements)',
  'file-meta': 'PS3.6 Table 7-1 (file meta elements)',
  directory: 'PS3.6 Table 8-1 (directory structuring elements)',
  'dynamic-rtp': 'PS3.6 Table 9-1',
  command: 'PS3.7 Table E.1-1 (command fields)',
  'command-retired': 'PS3.7 Table E.2-1 (retired command fields)',
};

export function groupOf(tag: string): string {
  return tag.slice(0, 4);
}

function elementRow(ctx: PageContext, e: DataElement): Row {
  return {
    cells: [
      cell(a(tagText(e.tag), ctx.link(pagePath.tag(e.tag)), true)),
      cell(code(e.keyword)),
      cell(txt(e.name)),
      cell(txt(e.vr.join(' or ') || (e.vrSeeNote ? 'see note' : ''))),
      cell(txt(e.vm)),
      cell(txt(e.retired ? 'retired' : '')),
    ],
  };
}

const ELEMENT_COLUMNS = ['Tag', 'Keyword', 'Name', 'VR', 'VM', 'Retired'];

export function tagIndexPage(ctx: PageContext, m: SiteModel): Page {
  const groups = new Map<string, number>();
  for (const tag of m.elements.keys()) groups.set(groupOf(tag), (groups.get(groupOf(tag)) ?? 0) + 1);
  const sorted = [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : 1));
  return {
    path: ctx.path,
    title: 'Attributes by group',
    lead: `${m.elements.size} tags in ${sorted.length} groups.`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Attributes' }],
    sections: [{ key: 'groups', heading: 'Groups', links: sorted.map(([g, n]) => [a(`Group ${g}`, ctx.link(pagePath.tagGroup(g))), txt(` (${n})`)]) }],
  };
}

export function tagGroupPage(ctx: PageContext, m: SiteModel, group: string, tags: string[]): Page {
  const entries = tags.flatMap((t) => m.elements.get(t)!);
  const rows = entries.map((e) => elementRow(ctx, e));
  return {
    path: ctx.path,
    title: `Group ${group}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Attributes', href: ctx.link(pagePath.tags()) }, { t: `Group ${group}` }],
    sections: [{ key: 'elements', heading: 'Attributes', table: withEditions(ctx, { caption: `Attributes of group ${group}`, columns: ELEMENT_COLUMNS, rows }, entries.map((e) => e.prov.source)) }],
  };
}

/** The edition of one field of an entry: a field a lower layer filled cites that layer's source. */
function fieldEd(ctx: PageContext, e: { prov: { source: string }; fieldProv?: Record<string, { source: string }> }, field: string): string {
  return ctx.cite(e.fieldProv?.[field]?.source ?? e.prov.source);
}

function entryFacts(ctx: PageContext, e: DataElement): Fact[] {
  return [
    { k: 'Tag', v: [code(tagText(e.tag))], ed: fieldEd(ctx, e, 'tag') },
    { k: 'Keyword', v: [code(e.keyword)], ed: fieldEd(ctx, e, 'keyword') },
    { k: 'Name', v: [txt(e.name)], ed: fieldEd(ctx, e, 'name') },
    { k: 'VR', v: [txt(e.vr.join(' or ') || (e.vrSeeNote ? 'see note in the standard' : 'none'))], ed: fieldEd(ctx, e, 'vr') },
    { k: 'VM', v: [txt(e.vm || 'none')], ed: fieldEd(ctx, e, 'vm') },
    { k: 'Retired', v: [txt(e.retired ? 'yes' : 'no')], ed: fieldEd(ctx, e, 'retired') },
    { k: 'Table', v: [txt(TABLES[e.table])], ed: ctx.cite(e.prov.source) },
    ...(e.usage ? [{ k: 'Usage', v: [txt(e.usage)] }] : []),
  ];
}

/** Where in a definition's tree: the enclosing sequences (the attribute itself is the page's subject). */
function placeText(u: TagUse): string {
  return u.path.length === 0 ? 'top level' : `in ${u.path.map((p) => p.name).join(' > ')}`;
}

/** One row per module or macro: Types, up to PLACES_PER_DEF places (linked to the row), and how many more. */
function usesByDef(ctx: PageContext, m: SiteModel, uses: TagUse[]): Row[] {
  const byDef = new Map<string, TagUse[]>();
  for (const u of uses) {
    const k = moduleKey(u.def.kind, u.def.id);
    byDef.set(k, [...(byDef.get(k) ?? []), u]);
  }
  return [...byDef.values()].map((list) => {
    const d = list[0]!.def;
    const types = TYPE_ORDER.filter((t) => list.some((u) => u.attr.type === t));
    const places: Part[] = joined(
      list.slice(0, PLACES_PER_DEF).map((u) => a(`${placeText(u)} (Type ${u.attr.type})`, ctx.link(pagePath.module(d.kind, d.id), rowAnchor(u.path.map((p) => p.tag), u.attr.tag)))),
      '; ',
    );
    if (list.length > PLACES_PER_DEF) places.push(txt(`; and ${list.length - PLACES_PER_DEF} more places in this table`));
    return { cells: [cell(a(d.name, ctx.link(pagePath.module(d.kind, d.id)))), cell(txt(d.kind)), cell(txt(types.join(', '))), { parts: places }] };
  });
}

/**
 * One row per IOD: the modules of that IOD whose tree contains the tag, with the module's usage;
 * a module is linked to the attribute's row on the module-in-IOD page where it is a top-level
 * attribute there (nested places are on the module's own page, listed in the table above).
 */
function usesByIod(ctx: PageContext, m: SiteModel, uses: TagUse[]): Row[] {
  const first = new Map<string, TagUse>();
  for (const u of uses) if (u.def.kind === 'module' && !first.has(u.def.id)) first.set(u.def.id, u);
  const top = new Set(uses.filter((u) => u.def.kind === 'module' && u.path.length === 0).map((u) => u.def.id));
  const byIod = new Map<string, Part[]>();
  for (const id of first.keys()) {
    for (const { iod, ref } of m.iodsByDef.get(moduleKey('module', id)) ?? []) {
      const parts = byIod.get(iod.id) ?? [];
      byIod.set(iod.id, parts);
      if (parts.length > 0) parts.push(txt(', '));
      const label = `${first.get(id)!.def.name} (${ref.usage})`;
      parts.push(top.has(id) ? a(label, ctx.link(pagePath.iodModule(iod.id, id), first.get(id)!.attr.tag)) : txt(label));
    }
  }
  return m.iods.filter((i) => byIod.has(i.id)).map((i) => ({ cells: [cell(a(i.name, ctx.link(pagePath.iod(i.id)))), { parts: byIod.get(i.id)! }] }));
}

export function tagPage(ctx: PageContext, m: SiteModel, tag: string): Page {
  const entries = m.elements.get(tag)!;
  const first = entries[0]!;
  const sections: Section[] = entries.map((e, i) => ({ key: `entry-${i + 1}`, heading: entries.length > 1 ? `Dictionary entry ${i + 1}` : 'Dictionary entry', facts: entryFacts(ctx, e) }));
  const deid = m.deidByTag.get(tag);
  if (deid) {
    const options = m.ir.deidentificationOptions;
    sections.push({
      key: 'deidentification',
      heading: 'De-identification (PS3.15 Table E.1-1)',
      table: {
        caption: `Actions for ${first.name} by profile and option (${ctx.cite(deid.prov.source)})`,
        columns: ['Profile or option', 'Action'],
        rows: options.filter((o) => deid.actions[o.id] !== undefined).map((o) => ({ cells: [cell(txt(o.header)), cell(code(deid.actions[o.id]!))] })),
      },
    });
  }
  const uses = m.tagUses.get(tag) ?? [];
  if (uses.length > 0) {
    for (const s of new Set(uses.map((u) => u.def.rows?.[0]?.prov.source ?? u.def.prov.source))) ctx.cite(s);
    sections.push({ key: 'modules', heading: 'Modules and macros that contain it', table: { caption: `Where ${first.name} occurs, with its Type`, columns: ['Module or macro', 'Kind', 'Types', 'Places'], rows: usesByDef(ctx, m, uses) } });
    const iodRows = usesByIod(ctx, m, uses);
    if (iodRows.length > 0) sections.push({ key: 'iods', heading: 'IODs that use it', table: { caption: `IODs whose modules contain ${first.name}, with each module's usage (M, C, U); Types are in the table above`, columns: ['IOD', 'Modules (usage)'], rows: iodRows } });
  } else {
    sections.push({ key: 'modules', heading: 'Modules and macros that contain it', note: 'No module or macro table of this build contains this tag.' });
  }
  return {
    path: ctx.path,
    title: `${tagText(tag)} ${first.name}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Attributes', href: ctx.link(pagePath.tags()) }, { t: `Group ${groupOf(tag)}`, href: ctx.link(pagePath.tagGroup(groupOf(tag))) }, { t: first.keyword || tagText(tag) }],
    sections,
  };
}
