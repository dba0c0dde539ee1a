/**
 * PS3.4 SOP class → IOD: Table B.5-1 Standard SOP Classes and every other table with the same
 * columns (SOP Class Name / SOP Class UID / IOD Specification, e.g. Table I.4-1 Media Storage
 * Standard SOP Classes). The IOD cell links to the PS3.3 section of the IOD (`sect_A.3`); the
 * IOD id is filled in later by matching `Iod.section` (see generator/iods/resolve.ts).
 */
import type { Element } from 'domhandler';
import type { NemaDocument } from './document.ts';
import type { ScrapeContext } from '../types.ts';
import { addAccount, diagnose } from '../types.ts';
import { mapColumns, RowAccount, rowRaw, type SourceTable } from '../common/table.ts';
import { linkSopClasses, type SopClassIod } from '../../generator/ir-iods.ts';
import { rowCellElements } from './part03-common.ts';

const COLUMNS = [
  { field: 'name' as const, headers: ['SOP Class Name'], required: true },
  { field: 'uid' as const, headers: ['SOP Class UID'], required: true },
  { field: 'iod' as const, headers: ['IOD Specification (defined in PS3.3)', 'IOD Specification (defined in )', 'IOD Specification'], required: true },
];

export function isSopClassIodTable(t: SourceTable): boolean {
  const h = t.headers.map((x) => x.toLowerCase());
  return h.length === 3 && h[0] === 'sop class name' && h[1] === 'sop class uid' && h[2]!.startsWith('iod specification');
}

const UID = /^[0-9]+(\.[0-9]+)+$/;

function bodyRows(doc: NemaDocument, id: string): Element[] {
  const $ = doc.$;
  if (doc.format === 'docbook') {
    const el = $('table').filter((_, e) => $(e).attr('xml:id') === id).last();
    const host = el.children('tgroup').length ? el.children('tgroup') : el;
    return host.children('tbody').children('tr').toArray() as Element[];
  }
  const div = $('div.table').filter((_, e) => $(e).children('a[id]').first().attr('id') === id).last();
  return div.find('table').first().children('tbody').children('tr').toArray() as Element[];
}

/** The PS3.3 section the IOD cell links to (`A.26`): an `olink` into PS3.3 (DocBook) or a link into part03 (HTML). */
function iodSectionOf(doc: NemaDocument, td: Element | undefined): string | undefined {
  if (!td) return undefined;
  const $ = doc.$;
  const target =
    doc.format === 'docbook'
      ? $(td).find('olink[targetdoc="PS3.3"]').first().attr('targetptr')
      : ($(td).find('a[href*="part03"]').first().attr('href') ?? '').replace(/^[^#]*#/, '');
  const m = target ? /^sect_(.+)$/.exec(target) : null;
  return m ? m[1] : undefined;
}

export function scrapeSopClassTables(doc: NemaDocument, ctx: ScrapeContext): void {
  ctx.ir.iods ??= { iods: [], modules: [], sopClasses: [] };
  const out = ctx.ir.iods.sopClasses;
  const seen = new Map(out.map((s) => [s.uid, s]));
  for (const id of doc.tableIds()) {
    const t = doc.requireTable(id);
    if (!isSopClassIodTable(t)) continue;
    const cols = mapColumns(t, COLUMNS);
    const trs = bodyRows(doc, id);
    const acc = new RowAccount(t, ctx.source.id);
    let repeated = 0;
    for (const r of t.rows) {
      const name = r.cells[cols.get('name')!]?.text ?? '';
      const uid = r.cells[cols.get('uid')!]?.text ?? '';
      if (!UID.test(uid) || !name) {
        diagnose(ctx, { severity: 'error', code: 'invalid-uid', message: `"${uid}" is not a UID`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
        acc.rejected(r);
        continue;
      }
      const tr = trs[r.index - 1];
      const section = iodSectionOf(doc, tr ? rowCellElements(tr)[cols.get('iod')!] : undefined);
      if (!section) {
        diagnose(ctx, { severity: 'warning', code: 'iod-link-missing', message: `the IOD Specification cell of ${uid} has no link into PS3.3`, table: `Table ${t.label}`, row: r.index, raw: rowRaw(r) });
        acc.rejected(r);
        continue;
      }
      const prev = seen.get(uid);
      if (prev) {
        if (prev.iodSection !== section) {
          diagnose(ctx, { severity: 'warning', code: 'sop-class-conflict', message: `${uid} maps to PS3.3 ${section} here but to ${prev.iodSection ?? prev.iod} in ${prev.prov.table}; the first is kept`, table: `Table ${t.label}`, row: r.index });
        }
        acc.skipped(r); // same SOP class listed again (Table I.4-1 repeats Table B.5-1)
        repeated++;
        continue;
      }
      const e: SopClassIod = { uid, sopClass: name, iod: '', iodSection: section, prov: { source: ctx.source.id, table: `Table ${t.label}`, row: r.index } };
      out.push(e);
      seen.set(uid, e);
      acc.parsed(r);
    }
    if (repeated > 0) {
      diagnose(ctx, { severity: 'info', code: 'sop-class-repeated', message: `skipped ${repeated} rows: SOP classes already read from an earlier table`, table: `Table ${t.label}` });
    }
    addAccount(ctx, acc.finish());
  }
  linkSopClasses(ctx.ir.iods);
}
