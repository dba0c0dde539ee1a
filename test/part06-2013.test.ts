/**
 * Integration over the real PS3.6 and PS3.7 of 2013 (../shared/standard/nema/2013): row accounting,
 * the defects the report must show, and a cross-check of every data element against the
 * innolitics 2024b mirror.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIr } from '../generator/pipeline.ts';
import { describe, expect, it } from 'vitest';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { validateIr } from '../generator/validate.ts';
import { scrapePart06DataElements } from '../sources/nema/part06-data-elements.ts';
import { scrapeContextGroupUidTable, scrapeFrameOfReferenceTable, scrapePart06Uids, scrapeUidTable } from '../sources/nema/part06-uids.ts';
import { scrapeCommandElements } from '../sources/nema/part07-command-elements.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { scrapeFile } from './helpers/scrape-nema.ts';

describeShared('PS3.6 / PS3.7 2013', () => {
  const into = { ir: emptyIr(), report: emptyReport() };
  scrapeFile(sharedPath('standard/nema/2013/part06.xml'), [scrapePart06DataElements, scrapePart06Uids], into);
  scrapeFile(sharedPath('standard/nema/2013/part07.xml'), [scrapeCommandElements], into);
  const { ir, report } = into;
  const { blocking } = validateIr(ir, report);

  it('accounts for every row of every table', () => {
    // bodyRows = every <tr> of the <tbody>; totalRows adds the one header row.
    expect(report.accounts.map((a) => [a.table, a.totalRows, a.bodyRows, a.parsed, a.rejected, a.skipped])).toEqual([
      ['Table 6-1', 3723, 3722, 3720, 2, 0],
      ['Table 7-1', 11, 10, 10, 0, 0],
      ['Table 8-1', 20, 19, 19, 0, 0],
      ['Table A-1', 349, 348, 348, 0, 0],
      // Table A-2 repeats 20 UIDs that Table A-1 already lists (type "Well-known frame of reference").
      ['Table A-2', 21, 20, 0, 0, 20],
      ['Table A-3', 867, 866, 865, 1, 0],
      ['Table E.1-1', 25, 24, 24, 0, 0],
      ['Table E.2-1', 23, 22, 22, 0, 0],
    ]);
    expect(ir.dataElements).toHaveLength(3720 + 10 + 19 + 24 + 22);
    expect(ir.uids).toHaveLength(348 + 865);
  });

  it('reports the two empty reserved rows of Table 6-1', () => {
    const rows = report.diagnostics.filter((d) => d.code === 'empty-row' && d.table === 'Table 6-1');
    expect(rows.map((d) => [d.row, d.file, d.severity])).toEqual([
      [1002, 'part06.xml', 'warning'],
      [1476, 'part06.xml', 'warning'],
    ]);
    expect(rows[0]!.message).toContain('(0018,9445)');
    expect(rows[1]!.message).toContain('(0028,0020)');
  });

  it('reports the malformed UID 11.2.840.10008.5.1.4.1.1.82.1 and the workaround that corrects it', () => {
    const d = report.diagnostics.find((x) => x.code === 'workaround-applied' && x.message.includes('11.2.840.10008.5.1.4.1.1.82.1'));
    expect(d).toMatchObject({ severity: 'warning', file: 'part06.xml', table: 'Table A-1', row: 206 });
    expect(d!.raw).toContain('11.2.840.10008.5.1.4.1.1.82.1');
    expect(ir.uids.find((u) => u.name === 'Corneal Topography Map Storage')).toMatchObject({ uid: '1.2.840.10008.5.1.4.1.1.82.1', type: 'SOP Class' });
    expect(ir.uids.some((u) => u.uid.startsWith('11.'))).toBe(false);
  });

  it('without workarounds, the validator reports the malformed UID and blocks', () => {
    const raw = scrapeFile(sharedPath('standard/nema/2013/part06.xml'), [
      (doc, ctx) => scrapeUidTable(doc, ctx, { workarounds: [] }),
      scrapeFrameOfReferenceTable,
      scrapeContextGroupUidTable,
    ]);
    const r = validateIr(raw.ir, raw.report);
    expect(r.blocking).toBe(true);
    const errs = raw.report.diagnostics.filter((x) => x.severity === 'error');
    expect(errs.map((x) => [x.code, x.table, x.row])).toEqual([['uid-outside-dicom-root', 'Table A-1', 206]]);
    expect(errs[0]!.message).toContain('11.2.840.10008.5.1.4.1.1.82.1');
    expect(raw.report.diagnostics.filter((x) => x.code === 'unknown-uid-type').map((x) => x.row)).toEqual([289, 290, 291, 292]);
  });

  it('validates without blocking defects once the workarounds apply', () => {
    expect(blocking).toBe(false);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.diagnostics.filter((d) => d.code === 'workaround-applied')).toHaveLength(5);
    expect(report.diagnostics.filter((d) => d.code === 'workaround-unused')).toEqual([]);
  });

  it('reports zero-width spaces as one info diagnostic per table, lower-case hex per row', () => {
    const inv = report.diagnostics.filter((d) => d.code === 'invisible-characters-removed');
    expect(inv.every((d) => d.severity === 'info')).toBe(true);
    expect(inv.map((d) => d.table)).toEqual(['Table 6-1', 'Table 7-1', 'Table 8-1', 'Table A-1', 'Table A-2', 'Table A-3']);
    expect(report.diagnostics.filter((d) => d.code === 'tag-case-normalized').map((d) => d.row)).toEqual([2672, 2673, 2674]);
    for (const e of ir.dataElements) expect(e.keyword).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    for (const u of ir.uids) expect(u.uid).toMatch(/^[0-9.]+$/);
  });

  it('reads known entries', () => {
    const el = (tag: string) => ir.dataElements.find((e) => e.tag === tag);
    expect(el('00100010')).toMatchObject({ keyword: 'PatientName', vr: ['PN'], vm: '1', retired: false });
    expect(el('60xx3000')).toMatchObject({ keyword: 'OverlayData', vr: ['OB', 'OW'] });
    expect(el('002804x0')).toMatchObject({ keyword: 'RowsForNthOrderCoefficients', retired: true });
    expect(el('1000xxx0')).toMatchObject({ keyword: 'EscapeTriplet', retired: true });
    expect(el('00281200')).toMatchObject({ vr: ['US', 'SS', 'OW'], vm: '1-n or 1', retired: true });
    expect(el('FFFEE000')).toMatchObject({ vr: [], vrSeeNote: true });
    expect(el('00000000')).toMatchObject({ keyword: 'CommandGroupLength', table: 'command' });
    expect(el('00000001')).toMatchObject({ keyword: 'CommandLengthToEnd', table: 'command-retired', retired: true });
    expect(el('00189096')).toMatchObject({ keyword: 'ParallelReductionFactorInPlaneRetired', retired: true });
    const u = (x: string) => ir.uids.find((e) => e.uid === x);
    expect(u('1.2.840.10008.5.1.4.39.1')).toMatchObject({ type: 'SOP Class', typeText: 'SOP Class', keyword: 'ColorPaletteStorage' });
    expect(u('1.2.840.10008.5.1.4.1.1.3')).toMatchObject({ keyword: 'UltrasoundMultiFrameImageStorageRetired', retired: true });
    expect(u('1.2.840.10008.15.1.1')).toMatchObject({ type: 'Synchronization Frame of Reference' });
    expect(u('1.2.840.10008.6.1.45')).toMatchObject({ cid: 3010, keyword: 'CardiovascularAnatomicLocationsCID3010' });
  });

  it('agrees with the innolitics 2024b mirror except where the standard changed since 2013', () => {
    type Attr = { id: string; keyword: string; valueRepresentation: string };
    const mirror = JSON.parse(readFileSync(sharedPath('standard/innolitics/2024b/attributes.json'), 'utf8')) as Attr[];
    const byTag = new Map(mirror.map((a) => [a.id.toUpperCase().replace(/X/g, 'x'), a]));
    const missing: string[] = [];
    const keywordChanged: string[] = [];
    const vrChanged: string[] = [];
    for (const e of ir.dataElements) {
      const m = byTag.get(e.tag);
      if (!m) {
        missing.push(e.tag);
        continue;
      }
      if (m.keyword !== e.keyword) keywordChanged.push(`${e.tag} ${e.keyword} → ${m.keyword}`);
      const vr = /^see note/i.test(m.valueRepresentation) || m.valueRepresentation === '' ? [] : m.valueRepresentation.split(/\s+or\s+/);
      if (vr.join('|') !== e.vr.join('|')) vrChanged.push(`${e.tag} ${e.vr.join(' or ')} → ${m.valueRepresentation}`);
    }
    // The mirror is PS3.6 only: the PS3.7 command group (0000) is not in it; everything else is.
    expect(missing.every((t) => t.startsWith('0000'))).toBe(true);
    expect(missing).toHaveLength(24 + 22);
    expect(keywordChanged).toEqual([
      // Keyword renamed with the element's VR change (CP: FD → SQ).
      '006862F0 ViewOrientationModifier → ViewOrientationModifierCodeSequence',
      // Capitalisation corrected after 2013.
      '40101029 ThreatDetectionAlgorithmandVersion → ThreatDetectionAlgorithmAndVersion',
    ]);
    expect(vrChanged).toEqual([
      // UT → UR: the UR VR is not in PS3.5 2013; it was added later.
      '00081190 UT → UR',
      '00287FE0 UT → UR',
      '0040E010 UT → UR',
      '006862F0 FD → SQ',
      '0074100A ST → UR',
      '00760034 CS → SQ',
    ]);
  });

  it('runs through the pipeline from the registered part scrapers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-2013-'));
    try {
      for (const p of ['part06.xml', 'part07.xml']) symlinkSync(sharedPath('standard/nema/2013', p), join(dir, p));
      const r = await buildIr({ sources: [dir] });
      expect(r.blocking).toBe(false);
      expect(r.report.accounts.find((a) => a.table === 'Table 6-1')).toMatchObject({ source: 'nema-2013-part06', bodyRows: 3722, parsed: 3720, rejected: 2 });
      expect(r.report.accounts.find((a) => a.table === 'Table E.2-1')).toMatchObject({ source: 'nema-2013-part07', bodyRows: 22, parsed: 22 });
      expect(r.report.diagnostics.some((d) => d.code === 'workaround-applied' && d.message.includes('11.2.840.10008.5.1.4.1.1.82.1'))).toBe(true);
      expect(r.ir.dataElements).toHaveLength(3795);
      expect(r.ir.uids).toHaveLength(1213);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
