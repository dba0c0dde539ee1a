/** Where the embedded default lives: the committed IR snapshot and the package built from it. */
import { join } from 'node:path';
import { repoRoot } from './repo-root.ts';

/** Facts-only IR snapshot of the default layers (see sources/embedded/README.md). */
export const defaultSnapshot = join(repoRoot, 'sources', 'embedded', 'default.ir.json');
/** The layered config that `npm run refresh` scrapes to rebuild the snapshot. */
export const defaultConfig = join(repoRoot, 'sources', 'embedded', 'default.config.json');
export const defaultOut = join(repoRoot, 'generated');
