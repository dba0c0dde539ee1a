/** IOD pages: the list, one IOD (modules by IE, functional groups, SOP classes), one module in one IOD (PS3.3 Annex A). */
import type { Iod, IodModuleRef, ModuleDef, ModuleUsage } from '../ir-iods.ts';
import { moduleKey } from '../ir-iods.ts';
import type { SiteModel } from './model.ts';
import { a, cell, ed, txt, PageContext, type Page, type Row, type Section, type Table } from './page.ts';
import { pagePath } from './paths.ts';
import { defPart, iodModuleTable, uidPart, withEditions } from './table.ts';

export function iodListPage(ctx: PageContext, m: SiteModel): Page {
  const rows: Row[] = m.iods.map((iod) => ({
    cells: [
      cell(a(iod.name, ctx.link(pagePath.iod(iod.id)))),
      cell(txt(iod.table ? `Table ${iod.table}` : '')),
      cell(txt(String(iod.modules.length))),
      cell(txt(iod.incomplete ? 'some modules lack a table' : 'complete')),
    ],
  }));
  return {
    path: ctx.path,
    title: 'Information Object Definitions',
    lead: `${m.iods.length} IODs (PS3.3 Annex A).`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'IODs' }],
    sections: [{ key: 'iods', heading: 'IODs', table: withEditions(ctx, { caption: 'Every IOD with its PS3.3 table and module count', columns: ['IOD', 'PS3.3 table', 'Modules', 'Attribute tables'], rows }, m.iods.map((i) => i.prov.source)) }],
  };
}

function usageParts(ref: { usage: string; condition?: string }) {
  return [txt(ref.usage), ...(ref.condition ? [txt(` — ${ref.condition}`)] : [])];
}

export function iodPage(ctx: PageContext, m: SiteModel, iod: Iod): Page {
  const ies: string[] = [];
  for (const r of iod.modules) if (!ies.includes(r.ie)) ies.push(r.ie);
  const moduleRows: Row[] = iod.modules.map((r) => {
    const def = m.defs.get(moduleKey('module', r.module));
    return {
      cells: [
        cell(txt(r.ie)),
        cell(def ? a(def.name, ctx.link(pagePath.iodModule(iod.id, r.module))) : txt(r.module)),
        { parts: usageParts(r) },
        cell(txt(def?.rows ? (def.table ? `Table ${def.table}` : 'yes') : 'no attribute table in the inputs')),
      ],
    };
  });
  const sections: Section[] = [
    {
      key: 'facts',
      heading: 'IOD',
      facts: [
        { k: 'Name', v: [txt(iod.name)], ed: ctx.cite(iod.prov.source) },
        ...(iod.table ? [{ k: 'PS3.3 table', v: [txt(`Table ${iod.table}`)] }] : []),
        ...(iod.section ? [{ k: 'PS3.3 section', v: [a(iod.section, nemaLink(ctx, m, iod.prov.source, 'part03', `sect_${iod.section}`))] }] : []),
        { k: 'Information entities', v: [txt(ies.join(', '))] },
        { k: 'Attribute tables', v: [txt(iod.incomplete ? 'incomplete: some modules have no attribute table in the inputs' : 'complete')] },
      ],
    },
    { key: 'modules', heading: 'Modules by information entity', table: withEditions(ctx, { caption: `Modules of the ${iod.name} IOD with usage (M, C, U)`, columns: ['IE', 'Module', 'Usage', 'Attribute table'], rows: moduleRows }, iod.modules.map((r) => r.prov.source)) },
  ];
  if (iod.functionalGroups.length > 0) {
    sections.push({
      key: 'functional-groups',
      heading: 'Functional group macros',
      table: {
        caption: `Functional group macros of the ${iod.name} IOD`,
        columns: ['Macro', 'Usage', 'Placement', 'Edition'],
        rows: iod.functionalGroups.map((g) => ({ cells: [cell(defPart(ctx, m, 'macro', g.macro)), { parts: usageParts(g) }, cell(txt(g.placement ?? '')), cell(ed(ctx.cite(g.prov.source)))] })),
      },
    });
  }
  const sops = m.sopClassesByIod.get(iod.id) ?? [];
  if (sops.length > 0) {
    sections.push({ key: 'sop-classes', heading: 'SOP classes', links: sops.map((s) => [uidPart(ctx, m, s.uid, s.sopClass), txt(' '), uidPart(ctx, m, s.uid), ed(ctx.cite(s.prov.source))]) });
  }
  return { path: ctx.path, title: `${iod.name} IOD`, crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'IODs', href: ctx.link(pagePath.iods()) }, { t: iod.name }], sections };
}

/**
 * Module tables as IODs use them, shared by every module-in-IOD page of one module and usage: the
 * pages sit at the same depth, so links are the same, and the table is built and rendered once.
 */
export class IodModuleTables {
  private readonly tables = new Map<string, { table: Table; sources: string[] }>();
  get(ctx: PageContext, m: SiteModel, def: ModuleDef, usage: ModuleUsage): Table {
    const k = `${def.id}\u0000${usage}`;
    let hit = this.tables.get(k);
    if (!hit) {
      const probe = new PageContext(ctx.path, m.sources);
      hit = { table: iodModuleTable(probe, m, def, usage), sources: probe.citedSources().map((s) => s.id) };
      this.tables.set(k, hit);
    }
    ctx.citeAll(hit.sources);
    return hit.table;
  }
}

export function iodModulePage(ctx: PageContext, m: SiteModel, iod: Iod, ref: IodModuleRef, tables: IodModuleTables): Page {
  const key = moduleKey('module', ref.module);
  const def = m.defs.get(key);
  const name = def?.name ?? ref.module;
  return {
    path: ctx.path,
    title: `${name} in ${iod.name}`,
    crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'IODs', href: ctx.link(pagePath.iods()) }, { t: iod.name, href: ctx.link(pagePath.iod(iod.id)) }, { t: name }],
    sections: [
      {
        key: 'usage',
        heading: 'Use in this IOD',
        facts: [
          { k: 'IOD', v: [a(iod.name, ctx.link(pagePath.iod(iod.id)))] },
          { k: 'Information entity', v: [txt(ref.ie)], ed: ctx.cite(ref.prov.source) },
          { k: 'Usage', v: usageParts(ref), ed: ctx.cite(ref.prov.source) },
          { k: 'Module', v: [defPart(ctx, m, 'module', ref.module)] },
        ],
      },
      def?.rows
        ? { key: 'attributes', heading: 'Attributes', note: 'Top-level attributes; the items of each sequence are listed in the module table.', table: tables.get(ctx, m, def, ref.usage) }
        : { key: 'attributes', heading: 'Attributes', note: 'No attribute table for this module in the inputs of this build.' },
    ],
  };
}

/** A link into NEMA's single-page HTML of the part and edition a fact came from (followed only when the reader clicks). */
export function nemaLink(ctx: PageContext, m: SiteModel, sourceId: string, part: string, anchor: string): string {
  const s = m.sources.get(sourceId);
  const edition = s && /^\d{4}[a-z]?$/.test(s.edition) && s.part.startsWith('PS3') ? s.edition : 'current';
  void ctx;
  return `https://dicom.nema.org/medical/dicom/${edition}/output/html/${part}.html#${anchor.replace(/[^A-Za-z0-9._-]/g, '')}`;
}
