// The package's build (`npm run build`, run by prepack): one TypeScript program, checked once, writes
// dist/. The .d.ts files keep every doc comment (editor hovers); the JavaScript carries none, because
// a module's source text stays in the V8 heap after import (tags.js: ~0.6 MB of comments).
// `/* @__PURE__ */` annotations are printed by the emitter, not read from the source, so they stay.
// A data module (only `export const` of number and string literals, or of one frozen object of
// them: tags.js, tag-object.js, uids/*.js) is printed compact for the same reason: no spaces, numbers in decimal, strings ASCII-escaped.
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

/** A string literal in double quotes, ASCII only (one non-ASCII character would make V8 keep the whole module text two bytes per character). */
function asciiString(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The literal's shortest source text, or undefined for anything but a number or string literal. */
function compactLiteral(ts, node, file) {
  if (ts.isStringLiteral(node)) return asciiString(node.text);
  if (!ts.isNumericLiteral(node)) return undefined;
  const value = Number(node.getText(file).replace(/_/g, ''));
  return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
}

/** `Object.freeze({ __proto__: null, name: literal, … })` (tag-object.js), compact; undefined for any other expression. */
function compactFrozenObject(ts, node, file) {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1 || !ts.isObjectLiteralExpression(node.arguments[0])) return undefined;
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object' || callee.name.text !== 'freeze') return undefined;
  const members = [];
  for (const p of node.arguments[0].properties) {
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !/^[A-Za-z_$][\w$]*$/.test(p.name.text)) return undefined;
    const proto = p.name.text === '__proto__';
    const value = proto ? (p.initializer.kind === ts.SyntaxKind.NullKeyword ? 'null' : undefined) : compactLiteral(ts, p.initializer, file);
    if (value === undefined) return undefined;
    members.push(`${p.name.text}:${value}`);
  }
  return `Object.freeze({${members.join(',')}})`;
}

/**
 * The JavaScript of a data module, compact: every statement is `export const` of simple names bound
 * to number or string literals (tags.js: 5,086 of them). V8 keeps a module's source text on the heap
 * after import, so `PatientName = 0x00100010, ` becomes `PatientName=1048592,`. Undefined for any
 * other module, which keeps tsc's layout.
 */
export function compactDataModule(ts, fileName, text) {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) return undefined;
    const modifiers = statement.modifiers ?? [];
    if (modifiers.length !== 1 || modifiers[0].kind !== ts.SyntaxKind.ExportKeyword) return undefined;
    const bindings = [];
    for (const d of statement.declarationList.declarations) {
      const value = d.initializer === undefined ? undefined : (compactLiteral(ts, d.initializer, file) ?? compactFrozenObject(ts, d.initializer, file));
      if (!ts.isIdentifier(d.name) || !/^[A-Za-z_$][\w$]*$/.test(d.name.text) || value === undefined) return undefined;
      bindings.push(`${d.name.text}=${value}`);
    }
    out.push(`export const ${bindings.join(',')};\n`);
  }
  return out.length === 0 ? undefined : out.join('');
}

/** Writes emitted files, data modules compact (see compactDataModule). */
function compactWriter(ts, options) {
  const host = ts.createCompilerHost(options);
  if (options.sourceMap === true) return host.writeFile; // a source map would point into tsc's layout
  return (fileName, text, ...rest) => host.writeFile(fileName, (fileName.endsWith('.js') ? compactDataModule(ts, fileName, text) : undefined) ?? text, ...rest);
}

/** True where this file is the script node runs (`node build.mjs`), not a module a test imports. */
function isMain() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

function build() {
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
  const js = program.emit(undefined, compactWriter(ts, config.options), undefined, false, { after: [noSourceComments(ts)] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...dts.diagnostics, ...js.diagnostics];
  if (diagnostics.length > 0 || dts.emitSkipped || js.emitSkipped) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => '\n' };
    console.error(ts.formatDiagnostics(diagnostics, host));
    process.exit(1);
  }
}

if (isMain()) build();
