/**
 * The transfer syntaxes PS3.5 defines → `ir.transferSyntaxes`.
 *
 * PS3.5 has no single table of transfer syntaxes: Annex A defines each in a section (A.1, A.2, …,
 * A.4.x) that names its UID in a paragraph ("… identified by a UID of Value "1.2.840.10008.1.2.1""),
 * a list item (MPEG, JPEG-LS, JPEG 2000) or a table (Table A.4-3, JPEG). Section 10 restates the
 * defaults. So we walk every Annex A section and take the transfer syntax UIDs
 * (`1.2.840.10008.1.2[.n]*`) in its own content (not its subsections, not its notes):
 *
 * - a section with UIDs defines them (the first defining section wins, in document order);
 * - a section with subsections and no UID of its own is a container (skipped, with the reason);
 * - a leaf section with no UID that says the syntax was retired is matched to a UID by its title
 *   through the overlay (`retiredSectionTitles`), else the build fails;
 * - any other leaf section without a UID fails the build (a new shape of Annex A).
 *
 * Then every transfer syntax UID mentioned anywhere else in the document (Section 10, Section 8
 * tables, Annex F) must be one Annex A defines; others are reported as warnings.
 * Properties come from part05-transfer-syntax-overlay.ts; an unclassified UID fails the build.
 */
import type { AnyNode, Element } from 'domhandler';
import { inputError } from '../common/errors.ts';
import { cleanText, hadInvisible } from '../common/text.ts';
import type { TransferSyntax } from '../../generator/ir.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import type { NemaDocument } from './document.ts';
import { TRANSFER_SYNTAX_OVERLAY, type TransferSyntaxOverlayEntry } from './part05-transfer-syntax-overlay.ts';

/** Transfer syntax UIDs: the `1.2.840.10008.1.2` arc (not followed by another digit). */
const TS_UID = /1\.2\.840\.10008\.1\.2(?:\.\d+)*(?![\d])/g;

export interface AnnexSection {
  /** `sect_A.4.1` */
  id: string;
  /** `A.4.1` */
  label: string;
  title: string;
  subsections: number;
  /** Cleaned text of each own child block (paragraphs, lists, tables), notes excluded. */
  blocks: string[];
  /** Own blocks whose raw text had zero-width spaces or soft hyphens (removed before reading UIDs). */
  invisible: number;
}

/** Sections of a chapter/annex in document order, for DocBook and NEMA HTML. */
export function chapterSections(doc: NemaDocument, chapterId: string): AnnexSection[] {
  const $ = doc.$;
  const out: AnnexSection[] = [];
  if (doc.format === 'docbook') {
    const ch = $('chapter, appendix').filter((_, e) => $(e).attr('xml:id') === chapterId).first();
    ch.find('section').each((_, s) => {
      const $s = $(s);
      const id = $s.attr('xml:id') ?? '';
      const own = $s.children().toArray().filter((c) => !['section', 'title', 'note'].includes(c.name));
      out.push({
        id,
        label: id.replace(/^sect_/, ''),
        title: cleanText($s.children('title').text()),
        subsections: $s.children('section').length,
        blocks: own.map((c) => cleanText(blockText(c))),
        invisible: own.filter((c) => hadInvisible(blockText(c))).length,
      });
    });
  } else {
    const anchor = $(`a[id="${chapterId}"]`).first();
    const ch = anchor.closest('div.chapter, div.appendix');
    ch.find('div.section').each((_, s) => {
      const $s = $(s);
      const head = $s.children('div.titlepage').find('h1, h2, h3, h4, h5, h6').first();
      const id = head.find('a[id]').first().attr('id') ?? '';
      const label = id.replace(/^sect_/, '');
      let title = cleanText(head.text());
      if (title.startsWith(label)) title = title.slice(label.length).replace(/^\.?\s*/, '');
      const own = $s.children().toArray().filter((c: AnyNode): c is Element => {
        const el = c as Element;
        const cls = $(el).attr('class') ?? '';
        return !/\b(section|titlepage|note)\b/.test(cls);
      });
      out.push({
        id,
        label,
        title,
        subsections: $s.children('div.section').length,
        blocks: own.map((c) => cleanText(blockText(c))),
        invisible: own.filter((c) => hadInvisible(blockText(c))).length,
      });
    });
  }
  return out;
}

const BLOCK = new Set(['para', 'p', 'td', 'th', 'tr', 'li', 'listitem', 'entry', 'title', 'caption', 'div', 'table', 'thead', 'tbody', 'note', 'br']);

/** Text of a node with a space at every block boundary, so `<td>…4.50</td><td>1</td>` never reads as `…4.501`. */
export function blockText(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (node.type !== 'tag' && node.type !== 'root') return '';
  const el = node as Element;
  let s = '';
  for (const c of el.children) s += blockText(c);
  return BLOCK.has(el.name) ? ` ${s} ` : s;
}

function uidsIn(texts: string[]): string[] {
  const out: string[] = [];
  for (const t of texts) for (const m of t.matchAll(TS_UID)) if (!out.includes(m[0])) out.push(m[0]);
  return out;
}

const RETIRED_SECTION = /\bretired\b/i;

export function scrapeTransferSyntaxes(doc: NemaDocument, ctx: ScrapeContext, overlay: Readonly<Record<string, TransferSyntaxOverlayEntry>> = TRANSFER_SYNTAX_OVERLAY): void {
  const sections = chapterSections(doc, 'chapter_A');
  const table = 'Annex A';
  if (sections.length === 0) {
    throw inputError(`${doc.file} (${doc.part} ${doc.edition}) ${table}`, 'no sections found', 'Is this PS3.5? Annex A (chapter_A) defines the transfer syntaxes');
  }
  const found: { uid: string; section: AnnexSection; retired: boolean; index: number }[] = [];
  let parsed = 0;
  let skipped = 0;
  sections.forEach((s, i) => {
    const index = i + 1;
    const uids = uidsIn(s.blocks);
    const loc = `${doc.file} ${table} section ${s.label} "${s.title}"`;
    if (uids.length > 0) {
      const retired = /\(Retired\)/i.test(s.title);
      for (const uid of uids) {
        if (found.some((f) => f.uid === uid)) continue; // defined earlier; a later section only refers to it
        found.push({ uid, section: s, retired, index });
      }
      parsed++;
      return;
    }
    if (s.subsections > 0) {
      skipped++;
      return; // a container (A.4): its subsections define the syntaxes
    }
    const text = s.blocks.join(' ');
    if (RETIRED_SECTION.test(text)) {
      const hit = Object.entries(overlay).find(([, o]) => o.retiredSectionTitles?.some((t) => cleanText(t).toLowerCase() === s.title.toLowerCase()));
      if (!hit) {
        throw inputError(loc, 'a retired transfer syntax section without a UID that the overlay does not know', 'Add its title to retiredSectionTitles of the right UID in sources/nema/part05-transfer-syntax-overlay.ts');
      }
      diagnose(ctx, { severity: 'info', code: 'retired-transfer-syntax', message: `${loc}: no UID in this edition (retired); identified as ${hit[0]} by its title`, table, row: index });
      if (!found.some((f) => f.uid === hit[0])) found.push({ uid: hit[0], section: s, retired: true, index });
      parsed++;
      return;
    }
    throw inputError(loc, 'an Annex A section that names no transfer syntax UID and has no subsections', 'The shape of Annex A changed in this edition: teach sources/nema/part05-transfer-syntaxes.ts the new section');
  });
  const invisible = sections.reduce((n, s) => n + (uidsIn(s.blocks).length > 0 ? s.invisible : 0), 0);
  if (invisible > 0) {
    diagnose(ctx, { severity: 'info', code: 'invisible-characters-removed', message: `${doc.file} ${table}: zero-width spaces / soft hyphens removed from ${invisible} block(s) naming UIDs`, table });
  }
  addAccount(ctx, { source: ctx.source.id, table, totalRows: sections.length, headerRows: 0, bodyRows: sections.length, parsed, rejected: 0, skipped });

  // Cross-check: every transfer syntax UID the rest of the document mentions is defined in Annex A.
  const defined = new Set(found.map((f) => f.uid));
  const mentioned = new Set<string>();
  for (const x of cleanText(blockText(doc.$.root()[0]!)).matchAll(TS_UID)) mentioned.add(x[0]);
  for (const m of mentioned) {
    if (defined.has(m)) continue;
    diagnose(ctx, { severity: 'warning', code: 'transfer-syntax-not-in-annex-a', message: `${doc.file}: UID ${m} is mentioned but no Annex A section defines it`, table });
  }

  const out: TransferSyntax[] = [];
  for (const f of found) {
    const o = overlay[f.uid];
    if (!o) {
      throw inputError(
        `${doc.file} ${table} section ${f.section.label} "${f.section.title}"`,
        `transfer syntax ${f.uid} is not classified by the transfer syntax overlay`,
        'Add it to sources/nema/part05-transfer-syntax-overlay.ts (explicit VR, byte order, encapsulated, deflated, compression) per its PS3.5 section',
      );
    }
    const entry: TransferSyntax = {
      uid: f.uid,
      keyword: o.keyword,
      name: o.name,
      explicitVr: o.explicitVr,
      byteOrder: o.byteOrder,
      encapsulated: o.encapsulated,
      deflated: o.deflated,
      compression: o.compression,
      retired: f.retired,
      section: f.section.label,
      ...(o.video ? { video: true } : {}),
      ...(o.videoFragments ? { videoFragments: o.videoFragments } : {}),
      ...(o.frameFragments ? { frameFragments: o.frameFragments } : {}),
      ...(o.referencedPixelData ? { referencedPixelData: true } : {}),
      // Accounted per Annex A section: `row` is the section's position, `section` its label.
      prov: { source: ctx.source.id, table, row: f.index },
    };
    out.push(entry);
  }
  const byUid = new Map(ctx.ir.transferSyntaxes.map((t) => [t.uid, t]));
  for (const t of out) byUid.set(t.uid, t);
  ctx.ir.transferSyntaxes = [...byUid.values()].sort((a, b) => compareUid(a.uid, b.uid));
  ctx.report.counts[`PS3.5 ${ctx.source.edition} Annex A transfer syntaxes`] = out.length;
}

/** Numeric arc-by-arc order (`1.2.840.10008.1.2.4.100` after `…4.91`). */
export function compareUid(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
