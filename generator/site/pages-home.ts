/** The home page (counts and every source with its edition) and the changelog page (the release diff against a previous IR). */
import { CATEGORY_TITLES, type Change, type DiffResult } from '../diff/types.ts';
import { KIND_TITLES } from '../diff/render-markdown.ts';
import type { SiteModel } from './model.ts';
import { a, cell, code, ed, txt, type Page, type PageContext, type Part, type Section } from './page.ts';
import { pagePath } from './paths.ts';
import { uidTypes } from './pages-uids.ts';

export function homePage(ctx: PageContext, m: SiteModel, hasChangelog: boolean): Page {
  const families: Part[][] = [
    [a('IODs', ctx.link(pagePath.iods())), txt(` (${m.iods.length})`)],
    [a('Modules and macros', ctx.link(pagePath.modules())), txt(` (${m.defs.size})`)],
    [a('Attributes', ctx.link(pagePath.tags())), txt(` (${m.elements.size} tags)`)],
    [a('UIDs', ctx.link(pagePath.uids())), txt(` (${m.uids.length} in ${uidTypes(m).length} types)`)],
    [a('Context groups', ctx.link(pagePath.cids())), txt(` (${m.groups.length})`)],
    [a('Private dictionaries', ctx.link(pagePath.creators())), txt(` (${m.creators.length} creators)`)],
    ...(hasChangelog ? [[a('Changelog against the previous edition', ctx.link(pagePath.changelog()))]] : []),
  ];
  const sources = [...m.ir.sources].sort((x, y) => (x.id < y.id ? -1 : 1));
  return {
    path: ctx.path,
    title: 'DICOM reference',
    lead: 'The DICOM standard as this build of dicom-dictgen reads it: every page names the source and edition of each fact it shows.',
    crumbs: [],
    sections: [
      { key: 'browse', heading: 'Browse', links: families },
      {
        key: 'sources',
        heading: 'Sources and editions',
        table: {
          caption: 'Every file this build read',
          columns: ['Source', 'Edition', 'File', 'Format', 'sha256'],
          rows: sources.map((s) => ({ cells: [cell(txt(s.part)), cell(ed(ctx.cite(s.id))), cell(txt(s.file)), cell(txt(s.format)), cell(code(s.sha256.slice(0, 16)))] })),
        },
      },
    ],
  };
}

function valueText(v: Change['before']): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function keyPart(ctx: PageContext, m: SiteModel, c: Change): Part {
  if (c.category === 'elements' && m.elements.has(c.key)) return a(c.key, ctx.link(pagePath.tag(c.key)), true);
  if ((c.category === 'uids' || c.category === 'transfer-syntaxes') && m.uidByValue.has(c.key)) return a(c.key, ctx.link(pagePath.uid(c.key)), true);
  const cid = /^CID (\d+)$/.exec(c.key);
  if (c.category === 'context-groups' && cid && m.groupByCid.has(Number(cid[1]))) return a(c.key, ctx.link(pagePath.cid(Number(cid[1]))));
  if (c.category === 'iods' && m.iods.some((i) => i.id === c.key)) return a(c.key, ctx.link(pagePath.iod(c.key)));
  return code(c.key);
}

export function changelogPage(ctx: PageContext, m: SiteModel, diff: DiffResult): Page {
  const sections: Section[] = [
    {
      key: 'summary',
      heading: 'Summary',
      facts: [
        { k: 'Previous', v: [txt(diff.old.sources.map((s) => `${s.part} ${s.edition}`).join(', ') || diff.old.label)] },
        { k: 'This build', v: [txt(diff.new.sources.map((s) => `${s.part} ${s.edition}`).join(', ') || diff.new.label)] },
        { k: 'Semver impact on the generated package', v: [txt(diff.semver)] },
        { k: 'Changes', v: [txt(`${diff.changes.length} (${diff.impactCounts.major} breaking, ${diff.impactCounts.minor} additions, ${diff.impactCounts.patch} metadata-only)`)] },
      ],
    },
  ];
  for (const cat of diff.categories) {
    const changes = diff.changes.filter((c) => c.category === cat);
    if (changes.length === 0) continue;
    sections.push({
      key: `changes-${cat}`,
      heading: CATEGORY_TITLES[cat],
      table: {
        caption: `${changes.length} changes: ${CATEGORY_TITLES[cat]}`,
        columns: ['Change', 'Key', 'Name', 'Impact', 'Before', 'After'],
        rows: changes.map((c) => ({ cells: [cell(txt(KIND_TITLES[c.kind])), cell(keyPart(ctx, m, c)), cell(txt(c.label)), cell(txt(c.impact)), cell(txt(valueText(c.before))), cell(txt(valueText(c.after)))] })),
      },
    });
  }
  for (const s of m.ir.sources) ctx.cite(s.id);
  return { path: ctx.path, title: 'Changelog', lead: 'What changed since the previous IR this site was built against.', crumbs: [{ t: 'Home', href: ctx.link(pagePath.home()) }, { t: 'Changelog' }], sections };
}
