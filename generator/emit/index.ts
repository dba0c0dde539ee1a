/**
 * Registry of emitters. Each reads only the IR and returns files (path relative to the package
 * root → TypeScript source, unformatted). The pipeline formats and writes them; `index.ts` of the
 * package is assembled from every emitter's `entry` exports.
 */
import type { EmitContext, Emitter } from './context.ts';

export const emitters: Emitter[] = [
];

export type { EmitContext, Emitter };
