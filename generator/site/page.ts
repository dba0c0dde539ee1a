/**
 * A page as plain data (title, breadcrumbs, sections of facts, link lists and tables) and the
 * context a builder fills it through: links relative to the page, and the source of every fact
 * it shows (`cite`), so the footer lists exactly the editions the page's facts came from.
 */
import type { SourceRecord } from '../ir.ts';
import { rootOf } from './paths.ts';
import { renderSite } from './html.ts';

export interface Part {
  t: string;
  /** Page-relative link (made by `PageContext.link`). */
  href?: string;
  code?: boolean;
  /** Rendered as an edition marker. */
  ed?: boolean;
}
export interface Cell {
  parts: Part[];
  /** Sequence nesting depth (first cell only). */
  depth?: number;
}
export interface Row {
  id?: string;
  cls?: string;
  cells: Cell[];
}
export interface Table {
  caption: string;
  columns: string[];
  rows: Row[];
}
export interface Fact {
  k: string;
  v: Part[];
  /** Edition of this fact (`PS3.6 2013`). */
  ed?: string;
}
export interface Section {
  key: string;
  heading: string;
  note?: string;
  facts?: Fact[];
  links?: Part[][];
  table?: Table;
}
export interface Page {
  path: string;
  title: string;
  lead?: string;
  crumbs: { t: string; href?: string }[];
  sections: Section[];
}

/** Short edition label of a source: `PS3.6 2013`, `innolitics ciods.json 2024b`, `DCMTK dictionary (edition unstated)`. */
export function sourceLabel(s: SourceRecord | undefined, id: string): string {
  if (!s) return id;
  return s.edition === 'unversioned' || s.edition === '' ? `${s.part} (edition unstated)` : `${s.part} ${s.edition}`;
}

export class PageContext {
  private readonly cited = new Set<string>();
  readonly root: string;
  constructor(
    readonly path: string,
    private readonly sources: Map<string, SourceRecord>,
  ) {
    this.root = rootOf(path);
  }

  /** Link to another page (root-relative path → relative to this page). */
  link(to: string, fragment?: string): string {
    return fragment ? `${this.root}${to}#${fragment}` : this.root + to;
  }

  /** The edition label of a source, recorded for this page's source list. */
  cite(sourceId: string): string {
    this.cited.add(sourceId);
    return sourceLabel(this.sources.get(sourceId), sourceId);
  }

  /** Record sources cited by a shared (cached) table. */
  citeAll(ids: Iterable<string>): void {
    for (const id of ids) this.cited.add(id);
  }

  citedSources(): SourceRecord[] {
    return [...this.cited].sort().map((id) => this.sources.get(id)).filter((s): s is SourceRecord => s !== undefined);
  }
}

export interface RenderOptions {
  generatorVersion: string;
}

export function renderPage(page: Page, ctx: PageContext, opts: RenderOptions): string {
  return renderSite('page', {
    title: page.title,
    lead: page.lead,
    crumbs: page.crumbs,
    root: ctx.root,
    sections: page.sections,
    generatorVersion: opts.generatorVersion,
    sources: ctx.citedSources().map((s) => ({ label: sourceLabel(s, s.id), file: s.file, format: s.format, layer: s.layer, sha: s.sha256.slice(0, 16) })),
  });
}

/** Text part helpers. */
export const txt = (t: string): Part => ({ t });
export const code = (t: string): Part => ({ t, code: true });
export const a = (t: string, href: string, isCode = false): Part => (isCode ? { t, href, code: true } : { t, href });
export const ed = (t: string): Part => ({ t, ed: true });
export const cell = (...parts: Part[]): Cell => ({ parts });
