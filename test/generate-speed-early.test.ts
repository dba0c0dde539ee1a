/**
 * Issue 13, wall time of `generate` (fifth round): the emit worker posts each family's result as soon
 * as it is emitted (in the job's order), so the main thread formats the IOD types while the worker
 * still emits the validator rules; only the last family is left for after the join. A worker that
 * fails after posting a family leaves the whole job to the main thread. The compiled build renders
 * its precompiled templates with handlebars' runtime alone (the compiler loads only to compile one).
 * The format stage reads the files the format index names asynchronously, a bounded number at once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';
import { outputTree, smallIr } from './helpers/generate-speed.ts';
import { irToJson } from '../generator/normalize.ts';
import { asciiJson } from '../generator/snapshot.ts';
import { runEmitJob } from '../generator/emit/worker.ts';
import { render } from '../generator/emit/context.ts';
import type { EmitResult } from '../generator/emit/context.ts';
import { FORMAT_INDEX, formatFiles, formatKey } from '../generator/format.ts';
import { sha256 } from '../sources/common/hash.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-early-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const node = (args: string[], env: NodeJS.ProcessEnv = process.env) => promisify(execFile)(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env, maxBuffer: 64 << 20 });
const groups = { header: '// h', groups: [{ cid: 7151, name: 'Segmentation Property Types', retired: false, namespace: 'CID7151' }] };

describe('the emit worker posts each family as it is done', () => {
  it('hands every family to onFamily in the job order, after the diagnostics, with the results it returns', async () => {
    const bytes = Buffer.from(asciiJson(irToJson(smallIr(true))));
    const events: string[] = [];
    const posted: [string, EmitResult][] = [];
    const job = { snapshot: join(work, 'not-read.ir.json'), families: ['iods', 'validate'], selection: {}, generatorVersion: '0.0.0-test' };
    const results = await runEmitJob(
      job,
      () => events.push('diagnostics'),
      Promise.resolve(bytes),
      (family, result) => {
        events.push(family);
        posted.push([family, result]);
      },
    );
    expect(events).toEqual(['diagnostics', 'iods', 'validate']);
    expect(posted).toEqual(results);
    posted.forEach(([, r], i) => expect(r).toBe(results[i]![1]));
  });

  it('through the compiled build: a worker that fails after posting one family leaves every family to the main thread (same bytes); templates render with the runtime alone', async () => {
    const build = mkdtempSync(join(repoRoot, '.build-test-'));
    try {
      await node([join(repoRoot, 'generator', 'build.js'), '--out', build]);
      const args = (out: string) => [join(repoRoot, 'generator', 'dicom-dictgen.js'), 'generate', '--families', 'validate,iods,vrs', '--no-format', '--force', '--out', out];
      const env = { ...process.env, DICTGEN_BUILD_DIR: build, DICTGEN_LAUNCHER_TRACE: '1' };
      const on = await node(args(join(work, 'on')), env);
      expect(on.stderr).toContain('emit worker: validate, iods');
      const workerJs = join(build, 'generator', 'emit', 'worker.js');
      const realWorker = readFileSync(workerJs, 'utf8');
      // Diagnostics, a bogus IOD family, then a failure before the validator rules.
      writeFileSync(
        workerJs,
        "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (!('job' in m)) return; parentPort.postMessage({ ok: true, diagnostics: [], iodFacts: { counts: {}, provenance: [] } }); parentPort.postMessage({ ok: true, family: 'iods', result: { files: [{ path: 'iods/bogus.ts', content: 'x' }] } }); parentPort.postMessage({ ok: false, message: 'broken' }); });\n",
      );
      await node(args(join(work, 'mid')), env);
      writeFileSync(workerJs, realWorker);
      const expected = outputTree(join(work, 'on'));
      const mid = outputTree(join(work, 'mid'));
      expect(expected.has('iods/ct-image.ts') && expected.has('validate/index.ts')).toBe(true);
      expect([...mid.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, v] of mid) if (!k.endsWith('.dictgen-manifest.json')) expect(v.equals(expected.get(k)!), k).toBe(true);
      // The build's precompiled template renders as the TypeScript's compiled one, without loading the compiler.
      const probe = `import { createRequire } from 'node:module';
const { render } = await import(${JSON.stringify(join(build, 'generator', 'emit', 'context.js'))});
const text = render('context-group-index', ${JSON.stringify(groups)});
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/(handlebars|source-map)\\//.test(p)).map((p) => p.replace(/.*node_modules\\//, ''));
console.log(JSON.stringify({ text, loaded }));`;
      const r = JSON.parse((await node(['--input-type=module', '-e', probe])).stdout.trim()) as { text: string; loaded: string[] };
      expect(r.text).toBe(render('context-group-index', groups));
      expect(r.text).toContain("export * as CID7151 from './cid-7151.js';");
      expect(r.loaded).toContain('handlebars/dist/cjs/handlebars.runtime.js');
      expect(r.loaded.filter((p) => /handlebars\.js$|compiler|source-map/.test(p))).toEqual([]);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the format index, read asynchronously', () => {
  it('takes every file of a batch larger than the reads in flight from the output folder, in order, and formats an edited one', async () => {
    const version = (createRequire(import.meta.url)('prettier/package.json') as { version: string }).version;
    const out = join(work, 'batch');
    mkdirSync(join(out, 'sub'), { recursive: true });
    // Planted texts differ from prettier's output, so a result equal to them proves the file came from disk.
    const emitted = Array.from({ length: 60 }, (_, i) => ({ path: `sub/f${i}.ts`, content: `export const   v${i} = {a:${i}}\n` }));
    const planted = emitted.map((_, i) => `export const fromDisk${i} = ${i};\n`);
    const index: Record<string, { key: string; sha256: string }> = {};
    emitted.forEach((f, i) => {
      writeFileSync(join(out, f.path), i === 7 ? `${planted[i]}// edited\n` : planted[i]!);
      index[f.path] = { key: formatKey(version, 'typescript', f.content), sha256: sha256(Buffer.from(planted[i]!)) };
    });
    writeFileSync(join(out, FORMAT_INDEX), JSON.stringify(index));
    const formatted = await formatFiles(emitted, { previousOut: out });
    expect(formatted.map((f) => f.path)).toEqual(emitted.map((f) => f.path));
    formatted.forEach((f, i) => {
      if (i === 7) expect(f.content).toBe('export const v7 = { a: 7 };\n');
      else {
        expect(f.content).toBe(planted[i]);
        expect(f.disk?.sha256).toBe(index[f.path]!.sha256);
      }
    });
  });

  it('matches the files prettier skips with the output folder (a disk copy when the bytes are the same, none otherwise)', async () => {
    const out = join(work, 'skipped');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'same.ts'), 'export const a = ‘1’;\n');
    writeFileSync(join(out, 'other.ts'), 'export const b = 2;\n');
    writeFileSync(join(out, 'build.mjs'), 'export {};\n');
    const files = [
      { path: 'same.ts', content: 'export const a = ‘1’;\n', preformatted: true },
      { path: 'other.ts', content: 'export const b = 3;\n', preformatted: true },
      { path: 'build.mjs', content: 'export {};\n' },
      { path: 'missing.ts', content: 'x', preformatted: true },
    ];
    const [same, other, mjs, missing] = await formatFiles(files, { previousOut: out });
    expect(same!.disk?.sha256).toBe(sha256(readFileSync(join(out, 'same.ts'))));
    expect(same!.content).toBe(files[0]!.content);
    expect(mjs!.disk?.from).toBe(join(out, 'build.mjs'));
    expect(other!.disk).toBeUndefined();
    expect(missing!.disk).toBeUndefined();
    expect(same!.formatKey).toBeUndefined();
  });
});
