/**
 * The one place that maps IR entries to table rows and links: attribute trees (module and macro
 * tables, with includes expanded) and the link parts every page uses for tags, UIDs, CIDs, IODs
 * and modules. A link is made only when the target has a page in this build.
 */
import type { ModuleDef, ModuleUsage } from '../ir-iods.ts';
import { moduleKey } from '../ir-iods.ts';
import { effectiveType, type ResolvedAttribute } from '../iods/resolve.ts';
import type { SiteModel } from './model.ts';
import { a, cell, code, ed, txt, type Cell, type PageContext, type Part, type Row, type Table } from './page.ts';
import { pagePath, tagText } from './paths.ts';

export function tagPart(ctx: PageContext, m: SiteModel, tag: string, fragment?: string): Part {
  return m.elements.has(tag) ? a(tagText(tag), ctx.link(pagePath.tag(tag), fragment), true) : code(tagText(tag));
}

export function uidPart(ctx: PageContext, m: SiteModel, uid: string, label = uid): Part {
  return m.uidByValue.has(uid) ? a(label, ctx.link(pagePath.uid(uid)), label === uid) : label === uid ? code(uid) : txt(label);
}

export function cidPart(ctx: PageContext, m: SiteModel, cid: number): Part {
  const g = m.groupByCid.get(cid);
  return g ? a(`CID ${cid} ${g.name}`, ctx.link(pagePath.cid(cid))) : txt(`CID ${cid}`);
}

export function defPart(ctx: PageContext, m: SiteModel, kind: 'module' | 'macro', id: string, fragment?: string): Part {
  const d = m.defs.get(moduleKey(kind, id));
  return d ? a(d.name, ctx.link(pagePath.module(kind, id), fragment)) : txt(id);
}

export function iodPart(ctx: PageContext, m: SiteModel, id: string): Part {
  const iod = m.iods.find((i) => i.id === id);
  return iod ? a(iod.name, ctx.link(pagePath.iod(id))) : txt(id);
}

/** Parts separated by `, `. */
export function joined(parts: Part[], sep = ', '): Part[] {
  return parts.flatMap((p, i) => (i === 0 ? [p] : [txt(sep), p]));
}

/** Where the rows of a definition came from (the table the rows were read from). */
export function rowsSource(def: ModuleDef): string {
  return def.rows?.find((r) => r.prov.source)?.prov.source ?? def.fieldProv?.rows?.source ?? def.prov.source;
}

/** Row anchor of an attribute: the tags of its enclosing sequences and its own, joined by `-` (`00081115-00081150`). */
export function rowAnchor(path: string[], tag: string): string {
  return [...path, tag].join('-');
}

interface FlatRow {
  a: ResolvedAttribute;
  depth: number;
  anchor: string;
}

function flatten(tree: ResolvedAttribute[], depth: number, path: string[], out: FlatRow[]): FlatRow[] {
  for (const x of tree) {
    out.push({ a: x, depth, anchor: rowAnchor(path, x.tag) });
    if (x.items) flatten(x.items, depth + 1, [...path, x.tag], out);
  }
  return out;
}

function valuesParts(x: ResolvedAttribute): Part[] {
  const parts: Part[] = [];
  if (x.enumeratedValues?.length) parts.push(txt('Enumerated: '), ...joined(x.enumeratedValues.map(code)));
  if (x.definedTerms?.length) parts.push(txt(parts.length ? '; Defined terms: ' : 'Defined terms: '), ...joined(x.definedTerms.map(code)));
  if (x.functionalGroups) parts.push(txt(`${parts.length ? '; ' : ''}holds the IOD's ${x.functionalGroups} functional group macros`));
  return parts;
}

/** The cells every attribute table shares: name (linked, `>` per level), tag, keyword, Type, VR, VM, values. */
export function attributeCells(ctx: PageContext, m: SiteModel, x: ResolvedAttribute, depth: number, type: string): Cell[] {
  const entries = m.elements.get(x.tag);
  return [
    { parts: [txt('>'.repeat(depth)), entries ? a(x.name, ctx.link(pagePath.tag(x.tag))) : txt(x.name), ...(entries?.every((e) => e.retired) ? [ed('retired')] : [])], depth },
    cell(code(tagText(x.tag))),
    cell(code(x.keyword)),
    cell(txt(type)),
    cell(txt(x.vr.join(' or '))),
    cell(txt(x.vm)),
    { parts: valuesParts(x) },
  ];
}

function countNested(x: ResolvedAttribute): number {
  return (x.items ?? []).reduce((n, i) => n + 1 + countNested(i), 0);
}

/**
 * A module's top-level attributes as one IOD uses them: the Type in this IOD (a Type 1 or 2
 * attribute of a module with usage C or U is conditional, PS3.3 §5.4) next to the module's own
 * Type; a sequence links to its nested rows in the module table (they are not repeated per IOD).
 */
export function iodModuleTable(ctx: PageContext, m: SiteModel, def: ModuleDef, usage: ModuleUsage): Table {
  const tree = def.rows ? m.resolver.flatten(def) : [];
  const rows: Row[] = tree.map((x) => {
    const cells = attributeCells(ctx, m, x, 0, effectiveType(x.type, usage));
    cells.splice(4, 0, cell(txt(x.type)));
    const n = countNested(x);
    if (n > 0) cells[cells.length - 1]!.parts.push(txt(cells[cells.length - 1]!.parts.length ? '; ' : ''), a(`${n} ${n === 1 ? 'attribute' : 'attributes'} in its items`, ctx.link(pagePath.module(def.kind, def.id), rowAnchor([], x.tag))));
    return { id: x.tag, cells };
  });
  const rowSources = new Set(tree.map((x) => m.resolver.def(x.origin.kind, x.origin.def)).map((d) => (d ? rowsSource(d) : def.prov.source)));
  const vrSources = new Set(tree.map((x) => m.resolver.element(x.tag)?.prov.source).filter((s): s is string => s !== undefined));
  const caption = `${def.name} attributes in this IOD: Types from ${[...rowSources].map((s) => ctx.cite(s)).join(', ') || 'no source'}; VR and VM from ${[...vrSources].map((s) => ctx.cite(s)).join(', ') || 'no source'}`;
  return { caption, columns: ['Attribute', 'Tag', 'Keyword', 'Type in this IOD', 'Module Type', 'VR', 'VM', 'Values and nested attributes'], rows };
}

/**
 * The attribute tree of a module or macro as one table: name (with `>` per nesting level, as the
 * standard prints it), tag, keyword, Type, VR, VM, values; the condition column only when the IR
 * carries condition texts; a source column only when the rows came from more than one table source.
 */
export function attributeTable(ctx: PageContext, m: SiteModel, def: ModuleDef): { table: Table; sources: Set<string> } {
  const rows = flatten(def.rows ? m.resolver.flatten(def) : [], 0, [], []);
  const rowSource = (r: FlatRow) => {
    const d = m.resolver.def(r.a.origin.kind, r.a.origin.def);
    return d ? rowsSource(d) : def.prov.source;
  };
  const vrSource = (r: FlatRow) => m.resolver.element(r.a.tag)?.prov.source;
  const rowSources = new Set(rows.map(rowSource));
  const vrSources = new Set(rows.map(vrSource).filter((s): s is string => s !== undefined));
  const withCondition = rows.some((r) => r.a.condition);
  const withSource = rowSources.size > 1 || vrSources.size > 1;
  const columns = ['Attribute', 'Tag', 'Keyword', 'Type', 'VR', 'VM', 'Values', ...(withCondition ? ['Condition'] : []), ...(withSource ? ['Edition'] : [])];
  const out: Row[] = rows.map((r) => {
    const cells = attributeCells(ctx, m, r.a, r.depth, r.a.type);
    if (withCondition) cells.push(cell(txt(r.a.condition ?? '')));
    if (withSource) {
      const vs = vrSource(r);
      cells.push(cell(txt(ctx.cite(rowSource(r))), ...(vs ? [txt(` / ${ctx.cite(vs)}`)] : [])));
    }
    return { id: r.anchor, cells };
  });
  const sources = new Set([...rowSources, ...vrSources]);
  ctx.citeAll(sources);
  const caption = `${def.name} attributes: Type and values from ${[...rowSources].map((s) => ctx.cite(s)).join(', ') || 'no source'}; VR and VM from ${[...vrSources].map((s) => ctx.cite(s)).join(', ') || 'no source'}`;
  return { table: { caption, columns, rows: out }, sources };
}

/**
 * The edition of every row of a list table: said once in the caption when every row came from one
 * source, else as an Edition column (keeps big lists such as CID 7480's 2,694 codes small).
 */
export function withEditions(ctx: PageContext, t: Table, rowSources: string[]): Table {
  const distinct = [...new Set(rowSources)];
  if (distinct.length === 1) return { ...t, caption: `${t.caption} (edition: ${ctx.cite(distinct[0]!)})` };
  if (distinct.length === 0) return t;
  return { ...t, columns: [...t.columns, 'Edition'], rows: t.rows.map((r, i) => ({ ...r, cells: [...r.cells, cell(ed(ctx.cite(rowSources[i]!)))] })) };
}
