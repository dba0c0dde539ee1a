/**
 * `dicom-dictgen diff <old> <new>`: what changed between two editions and what it means for the
 * generated package's version (docs/diff.md). Each side is an IR snapshot, a source directory or
 * file, or a layered config. Exit code: 0, or 1 when `--fail-on` is met (and for invalid input).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from './index.ts';
import { usageError } from '../../sources/common/errors.ts';
import { atomicWriteFile } from '../write.ts';
import { diffIr } from '../diff/index.ts';
import { loadSide } from '../diff/load.ts';
import { renderJson } from '../diff/render-json.ts';
import { renderMarkdown } from '../diff/render-markdown.ts';
import { atLeast } from '../diff/semver.ts';
import { CATEGORIES, type Category } from '../diff/types.ts';

const HELP = `usage: dicom-dictgen diff <old> <new> [--format md|json] [--fail-on breaking|any]
                          [--only ${CATEGORIES.join(',')}]
                          [--max-rows <n>] [--out <file>] [--quiet]

<old>, <new>: an IR snapshot (written by \`generate --ir\`), a source directory or file
(partNN.xml, an innolitics folder, …) or a layered config file.
--format    md (default): Markdown changelog for a pull request; json: every change with both sides' sources.
--fail-on   breaking: exit 1 when the semver impact is major; any: exit 1 on any change.
--only      compare only these categories.
--max-rows  Markdown: at most n rows per table (default 2000); the rest is counted (use for PR comments).
--out       write the report to a file instead of stdout.
`;

export function parseOnly(v: string | undefined): Category[] | undefined {
  if (v === undefined) return undefined;
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw usageError('diff --only: empty list', `Pass one or more of ${CATEGORIES.join(', ')}`);
  for (const n of names) {
    if (!(CATEGORIES as readonly string[]).includes(n)) throw usageError(`diff --only: unknown category "${n}"`, `Use ${CATEGORIES.join(', ')}`);
  }
  return names as Category[];
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      'max-rows': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw usageError(`diff: expected <old> and <new>, got ${positionals.length} argument(s)`, 'Run `dicom-dictgen diff old.ir.json new.ir.json` (see --help)');
  }
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw usageError(`diff --format: "${format}" is not md or json`, 'Use --format md or --format json');
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'breaking' && failOn !== 'any') {
    throw usageError(`diff --fail-on: "${failOn}" is not breaking or any`, 'Use --fail-on breaking (exit 1 on a major impact) or --fail-on any');
  }
  const only = parseOnly(values.only);
  const maxRowsText = values['max-rows'];
  const maxRows = maxRowsText === undefined ? undefined : Number(maxRowsText);
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 0)) {
    throw usageError(`diff --max-rows: "${maxRowsText}" is not a whole number`, 'Pass e.g. --max-rows 50');
  }
  const quiet = Boolean(values.quiet);
  const progress = (l: string) => {
    if (!quiet) io.stderr(`${l}\n`);
  };

  const [oldPath, newPath] = positionals as [string, string];
  const oldSide = await loadSide(oldPath, io.cwd, progress);
  const newSide = await loadSide(newPath, io.cwd, progress);
  for (const [name, s] of [['old', oldSide], ['new', newSide]] as const) {
    const errors = s.report?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
    if (errors > 0) progress(`note: the ${name} side (${s.label}) has ${errors} source error(s); run \`generate --report\` on it for details`);
  }

  const result = diffIr(oldSide.ir, newSide.ir, {
    ...(only ? { only } : {}),
    oldLabel: oldSide.label,
    newLabel: newSide.label,
    oldKind: oldSide.kind,
    newKind: newSide.kind,
  });
  const text = format === 'json' ? renderJson(result) : renderMarkdown(result, maxRows === undefined ? {} : { maxRows });
  if (values.out) atomicWriteFile(resolve(io.cwd, values.out), text, '--out');
  else io.stdout(text);
  const ic = result.impactCounts;
  progress(`semver impact: ${result.semver} (${ic.major} breaking, ${ic.minor} additions, ${ic.patch} metadata-only)`);

  if (failOn === 'breaking' && atLeast(result.semver, 'major')) return 1;
  if (failOn === 'any' && result.semver !== 'none') return 1;
  return 0;
}
