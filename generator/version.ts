import { readFileSync } from 'node:fs';

/** The generator's own version (from package.json): part of every header and of the incremental stamp. */
export const GENERATOR_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
