/**
 * `dicom-dictgen lint <file>…`: check the DICOM facts in documents (conformance statements,
 * handbooks, interface specs; PDF-extracted or OCR'd text, Markdown or HTML tables) against the
 * dictionary (docs/lint.md). Exit 0 when no finding is an error, 1 when one is (or on invalid
 * input), 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import type { CliIo } from './index.ts';
import { inputError, usageError } from '../../sources/common/errors.ts';
import { loadReferenceIr } from './reference-ir.ts';
import { checkSourceOrConfig, resolveSourceAndConfig, sourceConfigOptions } from './source-options.ts';
import { atomicWriteFile } from '../write.ts';
import { lintReference } from '../lint/reference.ts';
import { lintText } from '../lint/check.ts';
import { renderJson, renderSarif, renderText } from '../lint/render.ts';
import type { LintFinding } from '../lint/types.ts';

const HELP = `usage: dicom-dictgen lint <file>… [--format text|json|sarif] [--json] [--sarif] [--out <file>]
                          [--source <dir|file> …] [--config <file>]

Reports every DICOM fact in the documents that disagrees with the dictionary: unknown tags,
names, VRs, VMs, Types and module usages that differ from the standard, unknown, retired and
misplaced UIDs, and OCR damage (look-alike letters, O/I/l for digits, spaces inside UIDs), with
the most likely intended value where one candidate clearly wins (shown as a suggestion).
--format   text (default): file:line:col severity rule message, then a summary per rule;
           json: findings and summary; sarif: SARIF 2.1.0 for code review tools.
--source / --config   check against this dictionary instead of the embedded default.
Exit code: 1 when any finding is an error.
`;

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      json: { type: 'boolean' },
      sarif: { type: 'boolean' },
      out: { type: 'string' },
      ...sourceConfigOptions,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const format = values.json ? 'json' : values.sarif ? 'sarif' : (values.format ?? 'text');
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw usageError(`lint --format: "${format}" is not text, json or sarif`, 'Use --format text, --format json or --format sarif');
  if (values.json && values.sarif) throw usageError('lint: --json and --sarif are exclusive', 'Pick one output format');
  if (positionals.length === 0) throw usageError('lint: no file given', 'Run `dicom-dictgen lint statement.txt`');
  checkSourceOrConfig('lint', values);
  const files = positionals.map((p) => resolve(io.cwd, p));
  files.forEach((f, i) => {
    if (!existsSync(f) || !statSync(f).isFile()) throw inputError(`lint ${positionals[i]}`, 'no such file', 'Pass the text of a document (PDF text, OCR output, Markdown or HTML)');
  });
  const ir = await loadReferenceIr(resolveSourceAndConfig(values, io.cwd));
  const ref = lintReference(ir);
  const findings: LintFinding[] = files.flatMap((f) => lintText(readFileSync(f, 'utf8'), shown(f, io.cwd), ref));
  const text = format === 'json' ? renderJson(findings) : format === 'sarif' ? renderSarif(findings) : renderText(findings, files.length);
  if (values.out) atomicWriteFile(resolve(io.cwd, values.out), text);
  else io.stdout(text);
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
