/**
 * `dicom-dictgen` command line. Exit codes: 0 ok, 1 invalid input or a source defect that blocks
 * generation, 2 usage error. Progress and diagnostics go to stderr, results to stdout.
 */
import { commands, type CliIo } from './commands/index.ts';
import { DictgenError } from '../sources/common/errors.ts';
import { GENERATOR_VERSION } from './version.ts';

function usage(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    `dicom-dictgen ${GENERATOR_VERSION}: TypeScript from the DICOM standard`,
    '',
    'usage: dicom-dictgen <command> [options]   (dicom-dictgen <command> --help for its options)',
    '',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${GENERATOR_VERSION}\n`);
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.stderr(`dicom-dictgen: unknown command "${name}". Run \`dicom-dictgen --help\` for the list.\n`);
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

/** One line on stderr; exit 2 for usage errors, 1 for everything else. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof DictgenError) {
    io.stderr(`dicom-dictgen: ${e.message}\n`);
    return e.kind === 'usage' ? 2 : 1;
  }
  const err = e as { code?: string; message?: string };
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    io.stderr(`dicom-dictgen: ${err.message?.split('\n')[0]}. Run with --help for the options.\n`);
    return 2;
  }
  io.stderr(`dicom-dictgen: ${err.message ?? String(e)}\n`);
  if (process.env.DICTGEN_DEBUG) io.stderr(`${(e as Error).stack}\n`);
  return 1;
}

/** Run with the real process streams and set the exit code. */
export function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
  return main(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = reportError(e, io);
    },
  );
}

if (process.argv[1] !== undefined && /[\\/]cli\.ts$/.test(process.argv[1])) void runCli();
