/**
 * Body-row counts of tables of real editions (../shared/README.md, and a run of the scrapers over
 * those files). A table of one of these editions with fewer rows than listed has lost rows (a cut
 * or damaged file, or a scraper that stopped early): a warning, never silence.
 */
import type { Ir, Report } from '../../generator/ir.ts';

/** `<edition> <part> <table>` → body rows. Both DocBook and HTML renderings have the same rows. */
export const KNOWN_ROW_COUNTS: Readonly<Record<string, number>> = {
  '2013 PS3.4 Table B.5-1': 110,
  '2013 PS3.5 Table 6.2-1': 28,
  '2013 PS3.6 Table 6-1': 3722,
  '2013 PS3.6 Table 7-1': 10,
  '2013 PS3.6 Table 8-1': 19,
  '2013 PS3.6 Table A-1': 348,
  '2013 PS3.6 Table A-2': 20,
  '2013 PS3.6 Table A-3': 866,
  '2013 PS3.7 Table E.1-1': 24,
  '2013 PS3.7 Table E.2-1': 22,
  '2013 PS3.15 Table E.1-1': 249,
  '2017d PS3.15 Table E.1-1': 277,
  '2020b PS3.15 Table E.1-1': 432,
  '2026c PS3.5 Table 6.2-1': 34,
  '2026c PS3.15 Table E.1-1': 656,
};

/** Warn for every accounted table shorter than its edition's known count. */
export function checkKnownRowCounts(ir: Ir, report: Report): void {
  const sources = new Map(ir.sources.map((s) => [s.id, s]));
  for (const a of report.accounts) {
    const src = sources.get(a.source);
    if (!src) continue;
    const known = KNOWN_ROW_COUNTS[`${src.edition} ${src.part} ${a.table}`];
    if (known === undefined || a.bodyRows >= known) continue;
    report.diagnostics.push({
      severity: 'warning',
      code: 'short-table',
      message: `${a.table} of ${src.part} ${src.edition} has ${a.bodyRows} rows; that edition has ${known}. The file may be cut or damaged`,
      source: src.id,
      file: src.file,
      table: a.table,
    });
  }
}
