/**
 * Access to ../shared (real NEMA files, innolitics mirror, peer dictionaries). Read in place.
 * In CI (CI=true) a missing ../shared is a failure; elsewhere the tests skip with a message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'vitest';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedRoot = process.env.DICTGEN_SHARED ?? resolve(repoRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedRoot, 'README.md'));

if (!hasShared) {
  if (process.env.CI === 'true') {
    throw new Error(`../shared is missing at ${sharedRoot}: CI must run with the shared data beside the clone (or set DICTGEN_SHARED)`);
  }
  console.warn(`[dicom-dictgen tests] ../shared not found at ${sharedRoot}: skipping tests that read the real standard`);
}

export function sharedPath(...parts: string[]): string {
  return join(sharedRoot, ...parts);
}

/**
 * `describe` that runs only when ../shared is present (and fails loudly in CI when it is not).
 * Without it the suite body is never executed (so reading shared files while collecting is safe)
 * and one skipped test says why.
 */
function skippedSuite(name: unknown): void {
  describe.skip(String(name), () => {
    it.skip(`needs ../shared (${sharedRoot})`, () => {});
  });
}
export const describeShared: typeof describe = (
  hasShared ? describe : Object.assign(skippedSuite, { each: () => (name: unknown) => skippedSuite(name) })
) as unknown as typeof describe;
