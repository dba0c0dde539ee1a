/**
 * Every registered workaround must still be needed: the real file of its edition is loaded and the
 * designated row must still carry the defect. When NEMA's file is corrected (or replaced), this
 * fails and the workaround must be removed from sources/workarounds.ts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { loadNemaDocument, type NemaDocument } from '../sources/nema/document.ts';
import { findWorkaroundRow, TableWorkarounds, workarounds, type Workaround } from '../sources/workarounds.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const docs = new Map<string, NemaDocument>();
function docFor(w: Workaround): NemaDocument {
  const part = w.part.replace(/^PS3\./, '').padStart(2, '0');
  const path = sharedPath('standard', 'nema', w.edition, `part${part}.xml`);
  let d = docs.get(path);
  if (!d) {
    if (!existsSync(path)) throw new Error(`workaround ${w.id}: ${path} is missing; the test needs the file the workaround is for`);
    d = loadNemaDocument(path);
    docs.set(path, d);
  }
  return d;
}

describe('workaround registry', () => {
  it('has unique ids and complete entries', () => {
    expect(new Set(workarounds.map((w) => w.id)).size).toBe(workarounds.length);
    for (const w of workarounds) {
      expect(w.why.length).toBeGreaterThan(20);
      expect(w.fix.from).not.toBe(w.fix.to);
      expect(w.tableId).toMatch(/^table_/);
    }
  });
});

describeShared.each(workarounds.map((w) => [w.id, w] as const))('workaround %s', (_id, w) => {
  it('is still needed by the real file', () => {
    const doc = docFor(w);
    expect(doc.edition).toBe(w.edition);
    expect(w.stillNeeded(doc)).toBe(true);
  });
  it('is applied and reported when the table is read', () => {
    const doc = docFor(w);
    const t = doc.requireTable(w.tableId);
    const row = findWorkaroundRow(t, w)!;
    const ctx = { ir: emptyIr(), report: emptyReport(), source: { id: 'x', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes } };
    const wa = new TableWorkarounds(ctx, doc, t, [w]);
    const texts = wa.texts(row);
    expect(texts).toContain(w.fix.to);
    expect(texts).not.toContain(w.fix.from);
    const d = ctx.report.diagnostics.find((x) => x.code === 'workaround-applied');
    expect(d).toMatchObject({ severity: 'warning', table: `Table ${t.label}`, row: row.index, file: doc.file });
    expect(d!.message).toContain(w.id);
  });
});

describeShared('workaround bookkeeping', () => {
  it('does not apply to other editions, and reports a workaround that found no row', () => {
    const w = workarounds[0]!;
    const doc = docFor(w);
    const t = doc.requireTable(w.tableId);
    const ctx = { ir: emptyIr(), report: emptyReport(), source: { id: 'x', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes } };
    const other = { ...w, edition: '2099a' };
    const none = new TableWorkarounds(ctx, doc, t, [other]);
    for (const r of t.rows) none.texts(r);
    none.finish();
    expect(ctx.report.diagnostics).toEqual([]);
    const stale = { ...w, id: 'stale', rowKey: { header: w.rowKey.header, text: 'No Such Row' } };
    const wa = new TableWorkarounds(ctx, doc, t, [stale]);
    for (const r of t.rows) wa.texts(r);
    wa.finish();
    expect(ctx.report.diagnostics.map((d) => d.code)).toEqual(['workaround-unused']);
    expect(stale.stillNeeded(doc)).toBe(false);
    expect(other.stillNeeded(doc)).toBe(false);
  });
});
