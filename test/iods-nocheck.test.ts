/**
 * `modules.ts` starts with `// @ts-nocheck`: a consumer's `tsc` parses and binds its generated
 * declarations and resolves them where they are used, but does not check each of them (the check
 * was about a third of `tsc`'s cost over the IOD types beyond an empty project, cachegrind). The
 * generator's tests check them instead: here the whole generated/iods of the repository (the
 * embedded default, every IOD) with the pragma stripped must have no diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './helpers/shared.ts';

const iods = join(repoRoot, 'generated', 'iods');
const PRAGMA = /^\/\/ @ts-nocheck\b.*\n/m;
const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: [] };

/** Diagnostics of a program over `files`, with modules.ts read as `modules` (the pragma stripped). */
function diagnostics(files: string[], modules: string): string[] {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === join(iods, 'modules.ts') ? ts.createSourceFile(name, modules, lang) : read(name, lang, ...rest));
  const program = ts.createProgram(files, options, host);
  return [...ts.getPreEmitDiagnostics(program)].map((d) => `${d.file?.fileName.split('/').pop() ?? ''} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe.skipIf(!existsSync(join(iods, 'modules.ts')))('generated/iods/modules.ts checked without its @ts-nocheck', () => {
  it('every IOD type file and modules.ts have no diagnostic', () => {
    const modules = readFileSync(join(iods, 'modules.ts'), 'utf8').replace(PRAGMA, '');
    const files = readdirSync(iods).filter((f) => f.endsWith('.ts')).map((f) => join(iods, f));
    expect(diagnostics(files, modules)).toEqual([]);
    // The check runs on modules.ts: a wrong declaration appended to it is reported.
    const wrong = diagnostics([join(iods, 'modules.ts')], `${modules}\nexport interface WrongItem extends PersonName { Alphabetic: number }\n`);
    expect(wrong.join('\n')).toMatch(/modules\.ts TS2430 .*WrongItem/);
  });
});
