/** `dicom-dictgen generate`: sources → IR → generated package (see README "CLI"). */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from './index.ts';
import { generate } from '../pipeline.ts';
import { defaultOut, defaultSnapshot } from '../defaults.ts';
import { usageError } from '../../sources/common/errors.ts';
import { checkSourceOrConfig, resolveSourceAndConfig, sourceConfigOptions } from './source-options.ts';
import type { EmitSelection } from '../emit/context.ts';

const HELP = `usage: dicom-dictgen generate [--source <dir|file> …] [--config <file>] [--out <dir>]
                              [--ir <file.json>] [--report <file.json>] [--force] [--quiet]
                              [--families a,b] [--iods ct-image,…] [--cids 7151,…] [--creators "ELSCINT1",…]
                              [--previous-ir <ir.json>] [--alias-table <file>] [--accept-errors]

With no --source and no --config, regenerates the package from the embedded default snapshot.
--source may repeat; earlier sources take precedence when they disagree (each is a layer).
Every error in the report blocks generation; --accept-errors generates anyway (rows named in the
errors are missing from the output). Errors that would break the generated code always block.
`;

export function parseSelection(v: Record<string, unknown>): EmitSelection {
  const list = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  // An empty list (`--iods ""`) stays an empty set: generate() refuses it naming the flag.
  const sel: EmitSelection = {};
  const fam = list('families');
  if (fam) sel.families = new Set(fam);
  const iods = list('iods');
  if (iods) sel.iods = new Set(iods);
  const cids = list('cids');
  if (cids) {
    const nums = cids.map((c) => Number(c.replace(/^CID\s*/i, '')));
    const bad = cids.find((_, i) => !Number.isInteger(nums[i]));
    if (bad !== undefined) throw usageError(`--cids: "${bad}" is not a context group number`, 'Pass numbers such as --cids 7151,244');
    sel.cids = new Set(nums);
  }
  const creators = list('creators');
  if (creators) sel.creators = new Set(creators);
  return sel;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...sourceConfigOptions,
      out: { type: 'string' },
      ir: { type: 'string' },
      report: { type: 'string' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      families: { type: 'string' },
      iods: { type: 'string' },
      cids: { type: 'string' },
      creators: { type: 'string' },
      'no-format': { type: 'boolean' },
      'previous-ir': { type: 'string' },
      'alias-table': { type: 'string' },
      'accept-errors': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`generate: unexpected argument "${positionals[0]}"`, 'Use --source <dir> for inputs');
  checkSourceOrConfig('generate', values);
  const quiet = Boolean(values.quiet);
  const progress = (l: string) => {
    if (!quiet) io.stderr(`${l}\n`);
  };
  const useDefault = !values.source && !values.config;
  const { source: sources, config } = resolveSourceAndConfig(values, io.cwd);
  // A config file may name its own output directory and selection; flags override them.
  let configOut: string | undefined;
  let selection = parseSelection(values);
  if (config) {
    const { loadConfig, toEmitSelection } = await import('../config.ts');
    const cfg = await loadConfig(config);
    configOut = cfg.out;
    if (Object.keys(selection).length === 0) selection = toEmitSelection(cfg.selection);
  }
  const result = await generate({
    sources,
    config,
    snapshot: useDefault ? defaultSnapshot : undefined,
    out: values.out ? resolve(io.cwd, values.out) : (configOut ?? defaultOut),
    ir: values.ir ? resolve(io.cwd, values.ir) : undefined,
    report: values.report ? resolve(io.cwd, values.report) : undefined,
    force: Boolean(values.force),
    previousIr: values['previous-ir'] ? resolve(io.cwd, values['previous-ir']) : undefined,
    aliasTable: values['alias-table'] ? resolve(io.cwd, values['alias-table']) : undefined,
    noFormat: Boolean(values['no-format']),
    acceptErrors: Boolean(values['accept-errors']),
    selection,
    onProgress: progress,
  });
  // Loaded only when there is a report: a no-op run never pays for the merge module it imports.
  if (!result.upToDate) (await import('./report-summary.ts')).printReportSummary(result.report, io, quiet);
  if (result.blocking) {
    io.stderr('dicom-dictgen: generation blocked by the source defects listed above (errors); nothing was written. Fix the source, add a workaround (sources/workarounds.ts), or pass --accept-errors to generate without the rows named.\n');
    return 1;
  }
  return 0;
}
