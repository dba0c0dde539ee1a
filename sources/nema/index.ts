/**
 * Registry of NEMA part scrapers: which tables of which part feed the IR. The pipeline loads each
 * recognised `partNN.xml`/`partNN.html` once and runs every scraper registered for its part.
 * Add a scraper here with one line; keep the list sorted by part.
 */
import type { NemaDocument } from './document.ts';
import type { ScrapeContext } from '../types.ts';

export interface PartScraper {
  part: number;
  /** What it reads, for progress output (`PS3.6 Table 6-1 data elements`). */
  name: string;
  scrape(doc: NemaDocument, ctx: ScrapeContext): void;
}

export const partScrapers: PartScraper[] = [
];
