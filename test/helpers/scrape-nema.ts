/**
 * Run scrapers on one NEMA file without the pipeline: a ScrapeContext built from emptyIr() and
 * emptyReport() with the SourceRecord the pipeline would register.
 */
import { emptyIr, emptyReport, type Ir, type Report } from '../../generator/ir.ts';
import { loadNemaDocument, type NemaDocument } from '../../sources/nema/document.ts';
import type { ScrapeContext } from '../../sources/types.ts';

export interface Scraped {
  ir: Ir;
  report: Report;
  doc: NemaDocument;
  ctx: ScrapeContext;
}

export function scrapeFile(path: string, scrapers: ((doc: NemaDocument, ctx: ScrapeContext) => void)[], into?: { ir: Ir; report: Report }): Scraped {
  const doc = loadNemaDocument(path);
  const ir = into?.ir ?? emptyIr();
  const report = into?.report ?? emptyReport();
  const source = {
    id: `nema-${doc.edition}-part${String(doc.partNumber).padStart(2, '0')}${doc.format === 'html' ? '-html' : ''}`,
    part: doc.part,
    edition: doc.edition,
    format: doc.format,
    file: doc.file,
    sha256: doc.sha256,
    bytes: doc.bytes,
  };
  ir.sources.push(source);
  const ctx: ScrapeContext = { ir, report, source };
  for (const s of scrapers) s(doc, ctx);
  return { ir, report, doc, ctx };
}
