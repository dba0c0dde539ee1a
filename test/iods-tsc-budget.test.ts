/**
 * A budget for `tsc` over the IOD types (issue 14, the "tsc over every IOD type" bench row):
 * `checkTypeReferenceNode` scans the token after the name of every checked type reference with
 * type arguments (`Partial<…>`, `Without<…>`, `M.Json<T>`), each time with a new scanner. Past
 * just under 700 such references in generated/iods (Node 20, TypeScript 5.9), V8 optimizes
 * `createScanner` with TurboFan, one compile that costs about a tenth of the whole cost beyond an
 * empty project (cachegrind instruction counts, docs/types-conformance.md). This counts them in
 * the package (the committed generated/ or a regeneration) so that a change crossing the cliff
 * fails here rather than only in the bench. Import types (`import('./modules.js').Json<T>`) are
 * not scanned and are not counted, nor are the references of a file `tsc` does not check
 * (`// @ts-nocheck`: modules.ts, docs/types-conformance.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';

const iods = join(repoRoot, 'generated', 'iods');
/** Well under the measured cliff (just under 700), so that a few new references do not cross it unnoticed. */
const BUDGET = 600;
const NOCHECK = /^\/\/ @ts-nocheck\b/m;

/** Type references with type arguments, as tsc checks them in a .ts file (not inside JSDoc). */
function scannedReferences(file: string): { count: number; examples: string[] } {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let count = 0;
  const examples: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && node.typeArguments) {
      count++;
      if (examples.length < 3) examples.push(node.typeName.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { count, examples };
}

describe('tsc budget of the IOD types (generated/iods)', () => {
  const files = readdirSync(iods).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  const counts = new Map(files.map((f) => [f, scannedReferences(join(iods, f))]));
  const checked = files.filter((f) => !NOCHECK.test(readFileSync(join(iods, f), 'utf8')));
  const total = checked.reduce((s, f) => s + counts.get(f)!.count, 0);

  it(`keeps the checked type references with type arguments under ${BUDGET} (createScanner stays unoptimized)`, () => {
    expect(files.length).toBeGreaterThan(100);
    // modules.ts's Partial<…>/Without<…> aliases are most of them; a count of none would mean the walk is broken.
    expect(counts.get('modules.ts')!.count).toBeGreaterThan(100);
    expect(total, `type references with type arguments in the checked files of generated/iods: ${total}`).toBeLessThan(BUDGET);
  });

  it('refers to the helpers from the per-IOD variants by import type, which tsc does not scan', () => {
    const iodFiles = files.filter((f) => !['modules.ts', 'types.ts', 'attribute-tags.ts'].includes(f));
    const ct = readFileSync(join(iods, 'ct-image.ts'), 'utf8');
    expect(ct).toMatch(/export type CTImageJson<T = CTImage> = import\('\.\/modules\.js'\)\.Json<T>;/);
    // Only an enhanced IOD's functional groups module (Partial<M.Without<M.MultiFrameFunctionalGroupsModule<…>>>)
    // is scanned; the three variants of each of ~170 IODs would be ~500 more if written M.Json<T>.
    const over = iodFiles.filter((f) => counts.get(f)!.count > 3).map((f) => `${f}: ${counts.get(f)!.examples.join(', ')}`);
    expect(over).toEqual([]);
  });
});
