/** Where the embedded default lives: the committed IR snapshot and the package built from it. */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Facts-only IR snapshot of the default layers (see sources/embedded/README.md). */
export const defaultSnapshot = join(repoRoot, 'sources', 'embedded', 'default.ir.json');
/** The layered config that `npm run refresh` scrapes to rebuild the snapshot. */
export const defaultConfig = join(repoRoot, 'sources', 'embedded', 'default.config.json');
export const defaultOut = join(repoRoot, 'generated');
