/**
 * The IR a checking command compares documents or data against (`lint`, the site, the validator):
 * the embedded default snapshot, or the IR built from `--source` paths / a `--config` file.
 * A reference with source errors (a blocking IR) is refused: checking against a defective
 * dictionary would report its defects as the document's.
 */
import { buildIr } from '../pipeline.ts';
import { defaultSnapshot } from '../defaults.ts';
import { inputError, usageError } from '../../sources/common/errors.ts';
import type { Ir } from '../ir.ts';

export interface ReferenceIrOptions {
  /** `--source` paths in precedence order (absolute, or relative to the process's cwd). */
  source?: string[];
  /** A layered config file. */
  config?: string;
  /** Progress lines (scraping a source takes a while). */
  onProgress?: (line: string) => void;
}

export async function loadReferenceIr(opts: ReferenceIrOptions = {}): Promise<Ir> {
  const sources = opts.source?.filter((s) => s.length > 0) ?? [];
  if (sources.length > 0 && opts.config) throw usageError('--source and --config are exclusive', 'List the sources as layers in the config file');
  const where = opts.config ? `--config ${opts.config}` : sources.length > 0 ? `--source ${sources.join(' ')}` : `embedded snapshot ${defaultSnapshot}`;
  const { ir, report, blocking } = await buildIr({
    ...(sources.length > 0 ? { sources } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(sources.length === 0 && !opts.config ? { snapshot: defaultSnapshot } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  if (blocking) {
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const at = first ? ` (first: ${[first.file, first.table, first.row === undefined ? undefined : `row ${first.row}`].filter(Boolean).join(' ')}: ${first.message})` : '';
    throw inputError(where, `the reference dictionary has ${errors.length} source error(s)${at}`, 'Fix the source or add a workaround; `dicom-dictgen generate --report <file>` lists every error');
  }
  return ir;
}
