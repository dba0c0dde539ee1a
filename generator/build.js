#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles generator/ and sources/ to plain JS
// in .build/ (or --out <dir>) so the CLI starts without tsx. Per-file transpilation, no type check
// (`npm test` type-checks); `./x.ts` imports become `./x.js` (rewriteRelativeImportExtensions).
// The stamp is written last and only if no source changed meanwhile: the launcher
// (dicom-dictgen.js) runs this build only while the stamp matches the sources.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { buildSources, sourceStamp, STAMP_FILE } from './build-stamp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1] ?? '') : join(root, '.build');

const compilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  rewriteRelativeImportExtensions: true,
  allowImportingTsExtensions: true,
  sourceMap: false,
};

const before = sourceStamp(root);
rmSync(join(out, STAMP_FILE), { force: true });
rmSync(out, { recursive: true, force: true });
for (const file of buildSources(root)) {
  const { outputText, diagnostics } = ts.transpileModule(readFileSync(join(root, file), 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: true });
  if (diagnostics?.length) {
    process.stderr.write(`build: ${file}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}. Fix the file, then run \`npm run build\`.\n`);
    process.exit(1);
  }
  const target = join(out, file.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
}
// Templates precompiled beside the code, keyed by their text (generator/emit/template-specs.ts).
const { precompileTemplates } = await import(pathToFileURL(join(out, 'generator', 'emit', 'template-specs.js')).href);
precompileTemplates(join(root, 'templates'), join(out, 'templates'));
if (sourceStamp(root) !== before) {
  process.stderr.write('build: sources changed during the build; no stamp written, so the CLI keeps running through tsx. Run `npm run build` again.\n');
  process.exit(0);
}
writeFileSync(join(out, STAMP_FILE), `${JSON.stringify({ sources: before }, null, 2)}\n`);
