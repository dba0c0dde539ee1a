/**
 * PS3.7 Annex E: Table E.1-1 (command elements, group 0000) and Table E.2-1 (retired command
 * elements) into `ir.dataElements` as tables `command` and `command-retired`. Same Tag / Keyword /
 * VR / VM columns as the PS3.6 registries (the name column is headed "Message Field"); the
 * "Description of Field" column is prose and is not read.
 */
import type { ScrapeContext } from '../types.ts';
import type { NemaDocument } from './document.ts';
import { scrapeDataElementTable } from './part06-data-elements.ts';

export function scrapeCommandElements(doc: NemaDocument, ctx: ScrapeContext): void {
  scrapeDataElementTable(doc, ctx, 'table_E.1-1', 'command');
  // Every entry of E.2-1 is retired: the table says so, the rows carry no RET column.
  scrapeDataElementTable(doc, ctx, 'table_E.2-1', 'command-retired', { allRetired: true });
}
