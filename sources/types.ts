/**
 * The contract between the pipeline and every scraper. A scraper reads one loaded source and adds
 * entries, table accounts and diagnostics to the context; it never emits code.
 */
import type { Diagnostic, Ir, Report, SourceRecord, TableAccount } from '../generator/ir.ts';

export interface ScrapeContext {
  /** The IR under construction (one per source layer; layers are merged later). */
  ir: Ir;
  report: Report;
  /** The source being read (already in `ir.sources`). */
  source: SourceRecord;
}

export function addAccount(ctx: ScrapeContext, account: TableAccount): void {
  ctx.report.accounts.push(account);
}

export function diagnose(ctx: ScrapeContext, d: Omit<Diagnostic, 'source' | 'file'> & { file?: string }): void {
  ctx.report.diagnostics.push({ source: ctx.source.id, file: d.file ?? ctx.source.file, ...d });
}
