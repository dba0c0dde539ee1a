/**
 * `dicom-dictgen site`: the browsable reference (docs/site.md) — a static site built from the IR,
 * written atomically through the write stage. Exit 0, 1 on invalid input (or a blocking IR), 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from './index.ts';
import { usageError } from '../../sources/common/errors.ts';
import { inputStamp, loadIrSnapshot } from '../pipeline.ts';
import { loadReferenceIr } from './reference-ir.ts';
import { checkSourceOrConfig, resolveSourceAndConfig, sourceConfigOptions } from './source-options.ts';
import { checkSelectionAgainstIr } from '../selection-check.ts';
import { defaultSnapshot } from '../defaults.ts';
import { readStamp, writeTree } from '../write.ts';
import { GENERATOR_VERSION } from '../version.ts';
import { buildSite } from '../site/index.ts';
import type { SiteSelection } from '../site/model.ts';
import { parseSelection } from './generate.ts';

const HELP = `usage: dicom-dictgen site [--out <dir>] [--source <dir|file> …] [--config <file>]
                          [--previous-ir <ir.json>] [--iods ct-image,…] [--cids 244,…] [--creators "ELSCINT1",…]
                          [--force] [--quiet]

Writes a static reference site (open <dir>/index.html from disk or serve the folder) built from
the embedded default, or from --source paths / a --config file. --previous-ir adds a changelog
page against that IR. --iods/--cids/--creators build a smaller site (pages of what they use).
--out defaults to ./site. Nothing is written when the inputs have source errors.
--force rebuilds when nothing changed and replaces files in --out that dicom-dictgen did not write.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...sourceConfigOptions,
      out: { type: 'string' },
      'previous-ir': { type: 'string' },
      iods: { type: 'string' },
      cids: { type: 'string' },
      creators: { type: 'string' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`site: unexpected argument "${positionals[0]}"`, 'Use --source <dir> for inputs and --out <dir> for the site');
  checkSourceOrConfig('site', values);
  const progress = (l: string) => {
    if (!values.quiet) io.stderr(`${l}\n`);
  };
  const { source: sources, config } = resolveSourceAndConfig(values, io.cwd);
  const previous = values['previous-ir'] ? resolve(io.cwd, values['previous-ir']) : undefined;
  const out = resolve(io.cwd, values.out ?? 'site');
  const sel = parseSelection(values);
  const selection: SiteSelection = { ...(sel.iods ? { iods: sel.iods } : {}), ...(sel.cids ? { cids: sel.cids } : {}), ...(sel.creators ? { creators: sel.creators } : {}) };
  const stamp = `site ${await inputStamp({ out, sources, config, snapshot: sources || config ? undefined : defaultSnapshot, previousIr: previous, selection: sel })}`;
  if (!values.force && readStamp(out) === stamp) {
    progress(`${out} is up to date (same inputs, options and generator version); use --force to rebuild`);
    return 0;
  }
  const t0 = performance.now();
  const ir = await loadReferenceIr({ ...(sources ? { source: sources } : {}), ...(config ? { config } : {}), onProgress: progress });
  checkSelectionAgainstIr(sel, ir);
  const previousIr = previous ? loadIrSnapshot(previous) : undefined;
  const t1 = performance.now();
  const files = buildSite(ir, { generatorVersion: GENERATOR_VERSION, selection, ...(previousIr ? { previousIr } : {}) });
  const t2 = performance.now();
  const w = writeTree(out, files, stamp, { argName: '--out', ...(values.force ? { force: true } : {}) });
  progress(`IR in ${Math.round(t1 - t0)} ms; ${files.length} files built in ${Math.round(t2 - t1)} ms; wrote ${w.written}, ${w.unchanged} unchanged, ${w.removed} removed in ${Math.round(performance.now() - t2)} ms → ${out}/index.html`);
  return 0;
}
