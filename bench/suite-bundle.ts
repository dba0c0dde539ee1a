/**
 * Suite `bundle` (issue 13): what application bundlers keep of the installed package (compiled
 * dist/, resolved through its package.json `exports` from a consumer's node_modules):
 * one constant (`Tag.PatientName`) from the root entry with rollup, esbuild, webpack and vite; and
 * a program that calls `lookupTag(key)` (the whole dictionary), minified and gzipped, against
 * dcmjs doing the same lookup. Sizes are deterministic: one round.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { rollup, type Plugin } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { finishSuite, vsBestPeer } from './kit.ts';
import { packageFixture, PACKAGE } from './package-fixture.ts';
import type { BenchRow } from './types.ts';

const { app } = packageFixture();
const work = mkdtempSync(join(app, 'bundle-'));

function entry(name: string, code: string): string {
  const file = join(work, `${name}.mjs`);
  writeFileSync(file, code);
  return file;
}

async function withEsbuild(file: string): Promise<string> {
  const r = await esbuild.build({ entryPoints: [file], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent', platform: 'browser' });
  return r.outputFiles[0]!.text;
}

/**
 * Bare specifiers resolved as a rollup build resolves them: @rollup/plugin-node-resolve, whose
 * export conditions are `default`, `module` and `import` (Node's own resolution would match `node`).
 */
function packageResolve(): Plugin {
  return nodeResolve({ rootDir: app });
}

/** `sideEffects` of the package.json nearest to a module, as @rollup/plugin-node-resolve reads it. */
function packageSideEffects(id: string): boolean {
  for (let d = dirname(id); d !== dirname(d); d = dirname(d)) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) return (JSON.parse(readFileSync(pj, 'utf8')) as { sideEffects?: unknown }).sideEffects !== false;
  }
  return true;
}

async function withRollup(file: string): Promise<string> {
  const bundle = await rollup({ input: file, plugins: [packageResolve()], logLevel: 'silent', treeshake: { moduleSideEffects: (id) => id === file || packageSideEffects(id) } });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return (await esbuild.transform(output[0].code, { minify: true, format: 'esm' })).code;
}

async function withWebpack(file: string): Promise<string> {
  const { default: webpack } = await import('webpack');
  const out = join(work, `webpack-${Math.random().toString(36).slice(2)}`);
  await new Promise<void>((res, rej) =>
    webpack({ mode: 'production', entry: file, context: app, output: { path: out, filename: 'out.js', module: true }, experiments: { outputModule: true }, target: 'web', devtool: false }, (err, stats) => {
      if (err) rej(err);
      else if (stats?.hasErrors()) rej(new Error(stats.toString('errors-only')));
      else res();
    }),
  );
  return readFileSync(join(out, 'out.js'), 'utf8');
}

async function withVite(file: string): Promise<string> {
  const { build } = await import('vite');
  const r = await build({ root: app, logLevel: 'silent', configFile: false, build: { write: false, minify: 'esbuild', lib: { entry: file, formats: ['es'], fileName: 'out' } } });
  const outputs = Array.isArray(r) ? r : [r];
  const first = outputs[0] as { output: { type: string; code?: string }[] };
  return first.output.filter((o) => o.type === 'chunk').map((o) => o.code ?? '').join('');
}

const bundlers: Record<string, (f: string) => Promise<string>> = { rollup: withRollup, esbuild: withEsbuild, webpack: withWebpack, vite: withVite };
const rows: BenchRow[] = [];
const raw: Record<string, number> = {};
try {
  const oneTag = entry('one-tag', `import { Tag } from '${PACKAGE}';\nconsole.log(Tag.PatientName);\n`);
  for (const [name, b] of Object.entries(bundlers)) {
    const bytes = Buffer.byteLength(await b(oneTag));
    raw[`oneTag.${name}`] = bytes;
    rows.push({ name: `\`Tag.PatientName\` from the root, ${name}`, value: bytes, unit: 'B', target: '< 2 KB', ok: bytes < 2048 });
  }
  // What the README tells esbuild users to write: esbuild shakes a namespace import member by
  // member, but not a namespace re-exported by another module (the root's `export * as Tag`).
  const viaTags = Buffer.byteLength(await withEsbuild(entry('one-tag-subpath', `import * as Tag from '${PACKAGE}/tags';\nconsole.log(Tag.PatientName);\n`)));
  raw['oneTag.esbuild.tagsSubpath'] = viaTags;
  rows.push({ name: `\`Tag.PatientName\` with \`import * as Tag from '…/tags'\`, esbuild`, value: viaTags, unit: 'B', target: '< 2 KB', ok: viaTags < 2048 });
  const key = 'globalThis.process?.argv?.[2] ?? "(0010,0010)"';
  const programs = {
    ours: `import { lookupTag } from '${PACKAGE}';\nconsole.log(lookupTag(${key})?.keyword);\n`,
    dcmjs: `import dcmjs from 'dcmjs';\nconsole.log(dcmjs.data.DicomMetaDictionary.dictionary[${key}]?.name);\n`,
    'dcmjs/dictionary': `import { dictionary } from 'dcmjs/dictionary';\nconsole.log(dictionary[${key}]?.name);\n`,
    '@iwharris': `import iw from '@iwharris/dicom-data-dictionary';\nconsole.log(iw.get_element(${key})?.keyword);\n`,
  };
  const sizes: Record<string, { min: number; gz: number }> = {};
  for (const [k, code] of Object.entries(programs)) {
    const text = await withEsbuild(entry(`lookup-${k.replace(/\W/g, '_')}`, code));
    sizes[k] = { min: Buffer.byteLength(text), gz: gzipSync(text, { level: 9 }).length };
    raw[`lookup.${k}`] = sizes[k].min;
  }
  const { ours, ...peers } = sizes;
  const lookupRow = vsBestPeer(`a program calling \`lookupTag(key)\`, esbuild minified (${(ours!.gz / 1024).toFixed(0)} KB gzip)`, 'KB', ours!.min / 1024, Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, v.min / 1024])), '< 250 KB minified');
  lookupRow.ok = ours!.min < 250 * 1024;
  rows.push(lookupRow);
} finally {
  rmSync(work, { recursive: true, force: true });
}
finishSuite('bundle', rows, raw);
