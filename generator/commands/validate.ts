/**
 * `dicom-dictgen validate <file.json>… [--iod <id>] [--json]`: validate datasets (DICOM JSON model
 * or naturalized JSON) against their IOD, with the rules built from the reference IR (embedded
 * snapshot, or `--source` / `--config`). One line per finding; exit 1 when any file has an error.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './index.ts';
import { inputError, usageError } from '../../sources/common/errors.ts';
import { loadReferenceIr } from './reference-ir.ts';
import { checkSourceOrConfig, resolveSourceAndConfig, sourceConfigOptions } from './source-options.ts';
import { buildValidationRules, linkIodRules } from '../iods/validation-rules.ts';
import { formatFinding, sopClassOf, validateWith, type ValidationResult } from '../runtime/validate-engine.ts';

const HELP = `usage: dicom-dictgen validate <file.json>… [--iod <id>] [--json] [--info] [--dicomdir] [--source <dir> …| --config <file>]

  Validates each dataset (DICOM JSON model, PS3.18 F.2, or dcmjs' naturalized form) against its IOD:
  the IOD of its SOP Class UID, or --iod (ct-image, rt-dose, …). Prints one line per error and
  warning (--info adds "condition not evaluated" notes); --json prints every finding as JSON.
  --dicomdir also warns about Type 1 keys of the DICOMDIR records (PS3.3 F.5) a file lacks.
  Exit status 1 when any file has an error.
`;

function readDataset(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'Check the path');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(path, `not JSON (${(e as Error).message})`, 'Convert the file first, e.g. `dcm2json file.dcm > file.json`');
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      iod: { type: 'string' },
      json: { type: 'boolean' },
      info: { type: 'boolean' },
      dicomdir: { type: 'boolean' },
      ...sourceConfigOptions,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length === 0) throw usageError('validate: give one or more dataset files', 'Example: dicom-dictgen validate ct.json --iod ct-image');
  checkSourceOrConfig('validate', values);
  const datasets = positionals.map((p) => ({ path: p, data: readDataset(resolve(io.cwd, p)) }));
  const ir = await loadReferenceIr(resolveSourceAndConfig(values, io.cwd));
  const set = buildValidationRules(ir);
  const bySop = new Map(set.iods.flatMap((i) => i.sopClasses.map((u) => [u, i.id] as const)));
  if (values.iod && !set.iods.some((i) => i.id === values.iod)) {
    throw usageError(`validate: --iod ${values.iod} is not an IOD with rules in the reference`, `Known: ${set.iods.map((i) => i.id).slice(0, 8).join(', ')}, …`);
  }
  const results: { file: string; result: ValidationResult }[] = [];
  for (const { path, data } of datasets) {
    const id = values.iod ?? bySop.get(sopClassOf(data) ?? '');
    if (!id) throw inputError(path, `SOP Class UID ${sopClassOf(data) ?? '(absent)'} names no IOD with rules`, 'Pass --iod <id>');
    results.push({ file: path, result: validateWith(linkIodRules(set, id)!, data, { dicomdir: values.dicomdir === true }) });
  }
  if (values.json) io.stdout(`${JSON.stringify(results, null, 1)}\n`);
  else {
    for (const { file, result } of results) {
      for (const f of result.findings) if (f.severity !== 'info' || values.info) io.stdout(`${file}: ${formatFinding(f)}\n`);
      io.stdout(`${file}: ${result.iod}: ${result.errors} error(s), ${result.warnings} warning(s)\n`);
    }
  }
  return results.some((r) => r.result.errors > 0) ? 1 : 0;
}
