/** The stderr summary `generate` prints: row accounting per table, counts, diagnostics by severity. */
import type { Report } from '../ir.ts';
import type { CliIo } from './index.ts';
import { summarizeConflicts } from '../merge.ts';

export function printReportSummary(report: Report, io: CliIo, quiet: boolean): void {
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning');
  if (!quiet) {
    for (const a of report.accounts) {
      io.stderr(`  ${a.source} ${a.table}: ${a.totalRows} rows = ${a.headerRows} header + ${a.parsed} parsed + ${a.rejected} rejected + ${a.skipped} skipped\n`);
    }
    // Counts per family, then per table and edition (what the package contains and where it came from).
    for (const [k, v] of Object.entries(report.counts)) {
      if (!k.includes('·')) io.stderr(`  ${k}: ${v}\n`);
    }
    for (const [k, v] of Object.entries(report.counts)) {
      if (k.includes('·')) io.stderr(`    ${k}: ${v}\n`);
    }
    if (report.conflicts.length > 0) io.stderr(`${summarizeConflicts(report)}\n`);
    for (const d of warnings.slice(0, 20)) io.stderr(`  warning: ${loc(d)}${d.message}\n`);
    if (warnings.length > 20) io.stderr(`  … ${warnings.length - 20} more warnings in --report\n`);
  }
  // Errors are always printed, even with --quiet.
  for (const d of errors.slice(0, 50)) io.stderr(`  error: ${loc(d)}${d.message}\n`);
  if (errors.length > 50) io.stderr(`  … ${errors.length - 50} more errors in --report\n`);
}

function loc(d: { file?: string; table?: string; row?: number; line?: number }): string {
  const parts = [d.file, d.table, d.row !== undefined ? `row ${d.row}` : undefined, d.line !== undefined ? `line ${d.line}` : undefined].filter(Boolean);
  return parts.length ? `${parts.join(' ')}: ` : '';
}
