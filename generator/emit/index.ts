/**
 * Registry of emitters. Each reads only the IR and returns files (path relative to the package
 * root → TypeScript source, unformatted). The pipeline formats and writes them; `index.ts` of the
 * package is assembled from every emitter's `entry` exports.
 */
import type { EmitContext, Emitter } from './context.ts';
import { iodsEmitter } from './iods.ts';
import { vrsEmitter } from './vrs.ts';
import { transferSyntaxesEmitter } from './transfer-syntaxes.ts';
import { deidentificationEmitter } from './deidentification.ts';
import { contextGroupsEmitter } from './context-groups.ts';
import { privateEmitter } from './private.ts';
import { tagsEmitter } from './tags.ts';
import { dictionaryEmitter } from './dictionary.ts';
import { uidsEmitter } from './uids.ts';
import { validateEmitter } from './validate.ts';

export const emitters: Emitter[] = [
  iodsEmitter,
  vrsEmitter,
  transferSyntaxesEmitter,
  deidentificationEmitter,
  contextGroupsEmitter,
  privateEmitter,
  tagsEmitter,
  dictionaryEmitter,
  uidsEmitter,
  validateEmitter,
];

export type { EmitContext, Emitter };
