/** JSON output of the diff: the whole `DiffResult` (every change, both sides' sources with part, edition and sha256). */
import type { DiffResult } from './types.ts';

export function renderJson(result: DiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
