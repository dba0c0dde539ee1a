/**
 * Registry of NEMA part scrapers: which tables of which part feed the IR. The pipeline loads each
 * recognised `partNN.xml`/`partNN.html` once and runs every scraper registered for its part.
 * Add a scraper here with one line; keep the list sorted by part.
 */
import type { NemaDocument } from './document.ts';
import type { ScrapeContext } from '../types.ts';
import { scrapeValueRepresentations } from './part05-value-representations.ts';
import { scrapeTransferSyntaxes } from './part05-transfer-syntaxes.ts';
import { scrapeDeidentificationTable } from './part15-deidentification.ts';
import { scrapePart03 } from './part03-iods.ts';
import { scrapeSopClassTables } from './part04-sop-classes.ts';
import { scrapeContextGroups } from './part16-context-groups.ts';
import { scrapeCodingSchemes } from './part16-coding-schemes.ts';
import { scrapeDcmCodes } from './part16-dcm-codes.ts';
import { scrapePart06DataElements } from './part06-data-elements.ts';
import { scrapePart06Uids } from './part06-uids.ts';
import { scrapeCommandElements } from './part07-command-elements.ts';

export interface PartScraper {
  part: number;
  /** What it reads, for progress output (`PS3.6 Table 6-1 data elements`). */
  name: string;
  scrape(doc: NemaDocument, ctx: ScrapeContext): void;
  /** Reads `doc.$` (the whole DOM), not only tables: the pipeline then parses the part once, as a DOM. */
  dom?: true;
}

export const partScrapers: PartScraper[] = [
  { part: 3, name: 'PS3.3 Annex A IODs, modules and macros', scrape: scrapePart03, dom: true },
  { part: 4, name: 'PS3.4 Table B.5-1 SOP class to IOD', scrape: scrapeSopClassTables, dom: true },
  { part: 5, name: 'PS3.5 Table 6.2-1 value representations', scrape: scrapeValueRepresentations },
  { part: 5, name: 'PS3.5 Annex A transfer syntaxes', scrape: scrapeTransferSyntaxes, dom: true },
  { part: 6, name: 'PS3.6 Tables 6-1, 7-1, 8-1, 9-1 data elements', scrape: scrapePart06DataElements },
  { part: 6, name: 'PS3.6 Tables A-1, A-2, A-3 UIDs', scrape: scrapePart06Uids },
  { part: 7, name: 'PS3.7 Tables E.1-1, E.2-1 command elements', scrape: scrapeCommandElements },
  { part: 15, name: 'PS3.15 Table E.1-1 de-identification actions', scrape: scrapeDeidentificationTable },
  { part: 16, name: 'PS3.16 Table 8-1 coding schemes', scrape: scrapeCodingSchemes },
  { part: 16, name: 'PS3.16 Annex D DICOM controlled terminology', scrape: scrapeDcmCodes },
  { part: 16, name: 'PS3.16 Annex B/C context groups', scrape: scrapeContextGroups, dom: true },
];
