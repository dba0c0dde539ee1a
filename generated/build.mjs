// The package's build (`npm run build`, run by prepack): one TypeScript program, checked once, writes
// dist/. The .d.ts files keep every doc comment (editor hovers); the JavaScript carries none, because
// a module's source text stays in the V8 heap after import (tags.js: ~0.6 MB of comments).
// `/* @__PURE__ */` annotations are printed by the emitter, not read from the source, so they stay.
// Usage: node build.mjs [--outDir <dir>]. TypeScript comes from this package's node_modules or from
// the `tsc` on PATH (npm puts a parent project's node_modules/.bin there).
import { createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function loadTypeScript() {
  try {
    return createRequire(join(here, 'package.json'))('typescript');
  } catch {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const bin = join(dir, 'tsc');
      if (dir !== '' && existsSync(bin)) return createRequire(realpathSync(bin))('typescript');
    }
  }
  console.error('build: TypeScript not found; run `npm install --no-save typescript` here, then `npm run build`');
  process.exit(1);
}

/** Drops the comments written in the source (leading and trailing) from every node that has one. */
function noSourceComments(ts) {
  return () => (file) => {
    const text = file.text;
    const visit = (node) => {
      if (node.pos < 0) return;
      const leading = ts.getLeadingCommentRanges(text, node.pos);
      const trailing = ts.getTrailingCommentRanges(text, node.end);
      if (leading !== undefined || trailing !== undefined) ts.setEmitFlags(node, ts.EmitFlags.NoComments);
      const slash = text.indexOf('/', node.pos);
      if (slash !== -1 && slash < node.end) ts.forEachChild(node, visit);
    };
    ts.setEmitFlags(file, ts.EmitFlags.NoComments);
    ts.forEachChild(file, visit);
    return file;
  };
}

const ts = loadTypeScript();
const args = process.argv.slice(2);
const outDir = args[0] === '--outDir' && args[1] !== undefined ? args[1] : undefined;
const config = ts.getParsedCommandLineOfConfigFile(join(here, 'tsconfig.json'), outDir === undefined ? {} : { outDir }, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    console.error(`build: tsconfig.json: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    process.exit(1);
  },
});
// declaration off for the program: the JavaScript emit below writes no .d.ts; the first emit forces them.
const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, declaration: false }, configFileParsingDiagnostics: config.errors });
const dts = program.emit(undefined, undefined, undefined, true, undefined, true);
const js = program.emit(undefined, undefined, undefined, false, { after: [noSourceComments(ts)] });
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...dts.diagnostics, ...js.diagnostics];
if (diagnostics.length > 0 || dts.emitSkipped || js.emitSkipped) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => '\n' };
  console.error(ts.formatDiagnostics(diagnostics, host));
  process.exit(1);
}
