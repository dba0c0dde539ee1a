/**
 * The `--source <dir|file> …` / `--config <file>` pair that `generate`, `site`, `lint` and
 * `validate` share: its parseArgs options, and the paths resolved against the caller's cwd.
 */
import { resolve } from 'node:path';
import { usageError } from '../../sources/common/errors.ts';

/** parseArgs options: `--source` may repeat (earlier sources take precedence), `--config` names a layered config. */
export const sourceConfigOptions = {
  source: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

export interface SourceAndConfig {
  source?: string[];
  config?: string;
}

/** Refuses `--source` with `--config` (a config lists its sources as layers); `command` prefixes the message. */
export function checkSourceOrConfig(command: string, values: SourceAndConfig): void {
  if (values.source && values.config) throw usageError(`${command}: --source and --config are exclusive`, 'List the sources as layers in the config file');
}

/**
 * `--source` / `--config` paths resolved against `cwd`; absent flags stay absent. An empty value
 * is refused: resolved as is it would silently mean the cwd (`--source ""`) or no config at all.
 */
export function resolveSourceAndConfig(values: SourceAndConfig, cwd: string): SourceAndConfig {
  if (values.source?.some((s) => s.trim() === '')) throw usageError('--source: empty path', 'Pass a folder or file of a source, e.g. --source ../shared/standard/nema/2013');
  if (values.config !== undefined && values.config.trim() === '') throw usageError('--config: empty path', 'Pass a config file, e.g. --config sources/embedded/default.config.json');
  return {
    ...(values.source ? { source: values.source.map((s) => resolve(cwd, s)) } : {}),
    ...(values.config ? { config: resolve(cwd, values.config) } : {}),
  };
}
