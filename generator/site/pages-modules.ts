/** Module and macro pages (PS3.3 Annex C): the list, and one definition with its attribute tree and the IODs that use it. */
import type { ModuleDef } from '../ir-iods.ts';
import { moduleKey } from '../ir-iods.ts';
import type { SiteModel } from './model.ts';
import { a, cell, ed, txt, type Page, type PageContext, type Row, type Section } from './page.ts';
import { pagePath } from './paths.ts';
import { attributeTable, rowsSource } from './table.ts';
import { nemaLink } from './pages-iods.ts';

export function moduleListPage(ctx: PageContext, m: SiteModel): Page {
  const section = (kind: 'module' | 'macro', heading: string): Section => {
    const defs = [...m.defs.values()].filter((d) => d.kind === kind);
    const rows: Row[] = defs.map((d) => ({
      cells: [
        cell(a(d.name, ctx.link(pagePath.module(kind, d.id)))),
        cell(txt(d.table ? `Table ${d.table}` : '')),
        cell(txt(d.rows ? String(d.rows.length) : 'no table')),
        cell(txt(String(m.iodsByDef.get(moduleKey(kind, d.id))?.length ?? 0))),
        cell(ed(ctx.cite(d.rows ? rowsSource(d) : d.prov.source))),
      ],
    }));
    return { key: `${kind}s`, heading, table: { caption: `${heading} (${defs.length})`, columns: ['Name', 'PS3.3 table', 'Table rows', 'IODs', 'Edition'], rows } };
  };
  return {
    path: ctx.path,
    title: 'Modules and macros',
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Modules' }],
    sections: [section('module', 'Modules'), section('macro', 'Macros')],
  };
}

export function modulePage(ctx: PageContext, m: SiteModel, def: ModuleDef): Page {
  const uses = m.iodsByDef.get(moduleKey(def.kind, def.id)) ?? [];
  const kindName = def.kind === 'module' ? 'Module' : 'Macro';
  const sections: Section[] = [
    {
      key: 'facts',
      heading: kindName,
      facts: [
        { k: 'Name', v: [txt(def.name)], ed: ctx.cite(def.prov.source) },
        { k: 'Kind', v: [txt(kindName)] },
        ...(def.table ? [{ k: 'PS3.3 table', v: [a(`Table ${def.table}`, nemaLink(ctx, m, def.rows ? rowsSource(def) : def.prov.source, 'part03', `table_${def.table}`))] }] : []),
        ...(def.section ? [{ k: 'PS3.3 section', v: [a(def.section, nemaLink(ctx, m, def.rows ? rowsSource(def) : def.prov.source, 'part03', `sect_${def.section}`))] }] : []),
      ],
    },
  ];
  if (uses.length > 0) {
    sections.push({
      key: 'iods',
      heading: def.kind === 'module' ? 'IODs that use this module' : 'IODs that use this macro as a functional group',
      table: {
        caption: `IODs using ${def.name}`,
        columns: ['IOD', 'Usage', 'Edition'],
        rows: uses.map((u) => ({
          cells: [
            cell(def.kind === 'module' ? a(u.iod.name, ctx.link(pagePath.iodModule(u.iod.id, def.id))) : a(u.iod.name, ctx.link(pagePath.iod(u.iod.id)))),
            cell(txt(u.ref.usage), ...(u.ref.condition ? [txt(` — ${u.ref.condition}`)] : [])),
            cell(ed(ctx.cite(u.ref.prov.source))),
          ],
        })),
      },
    });
  }
  if (def.rows) sections.push({ key: 'attributes', heading: 'Attributes', table: attributeTable(ctx, m, def).table });
  else sections.push({ key: 'attributes', heading: 'Attributes', note: 'No attribute table for this definition in the inputs of this build.' });
  return {
    path: ctx.path,
    title: `${def.name} ${kindName}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Modules', href: ctx.link(pagePath.modules()) }, { t: def.name }],
    sections,
  };
}
