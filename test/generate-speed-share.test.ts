/**
 * Issue 13, wall time of `generate` (fourth round): the snapshot is read once, into shared memory,
 * and the emit worker parses those bytes; the main thread parses it member by member (the same
 * values as one text); files the output folder already holds are matched while the worker runs
 * (`withDiskCopy`); a regeneration that changes nothing only replaces the manifest (test/write.test.ts);
 * the main thread leaves the IOD family to the worker (its counts and provenance come back with the
 * diagnostics) and reads it after all when the worker fails; the launcher starts the worker ahead.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './helpers/shared.ts';
import { outputTree, smallIr } from './helpers/generate-speed.ts';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ir } from '../generator/ir.ts';
import { irToJson } from '../generator/normalize.ts';
import { asciiJson } from '../generator/snapshot.ts';
import { irFromSnapshotBytes, irFromSnapshotText } from '../generator/snapshot-read.ts';
import { runEmitJob } from '../generator/emit/worker.ts';
import { withDiskCopy, type TreeFile } from '../generator/write.ts';
import { sha256 } from '../sources/common/hash.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-share-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `bytes` copied into a SharedArrayBuffer, as the pipeline holds the snapshot it hashed. */
function shared(bytes: Buffer): Buffer {
  const out = Buffer.from(new SharedArrayBuffer(bytes.length));
  bytes.copy(out);
  return out;
}

describe('the snapshot parsed member by member', () => {
  it('gives the values of one JSON.parse, for an ASCII snapshot and a UTF-8 one, from shared memory too', () => {
    for (const text of [asciiJson(irToJson(smallIr(true))), irToJson(smallIr(true))]) {
      const bytes = Buffer.from(text, 'utf8');
      const whole = irFromSnapshotText(text, 'x.ir.json');
      expect(irFromSnapshotBytes(bytes, 'x.ir.json')).toEqual(whole);
      expect(irFromSnapshotBytes(shared(bytes), 'x.ir.json')).toEqual(whole);
      expect(whole.dataElements[0]!.name).toBe('Patient’s Name');
    }
  });

  it('reads another layout as one text, and a member that does not parse gives the whole file’s error', () => {
    const compact = Buffer.from(JSON.stringify(smallIr(true)));
    expect(irFromSnapshotBytes(compact, 'c.ir.json')).toEqual(irFromSnapshotText(compact.toString(), 'c.ir.json'));
    const broken = Buffer.from(irToJson(smallIr(true)).replace('"uids": [', '"uids": [,'));
    expect(() => irFromSnapshotBytes(broken, 'broken.ir.json')).toThrow(/broken\.ir\.json/);
    expect(() => irFromSnapshotBytes(Buffer.from(irToJson({ ...smallIr(true), irVersion: 0 } as unknown as Ir)), 'old.ir.json')).toThrow(/IR version 0/);
  });
});

describe('the emit worker parses the bytes the main thread shares', () => {
  const job = { snapshot: join(work, 'not-there.ir.json'), families: ['iods'], selection: {}, generatorVersion: '0.0.0-test' };

  it('uses the shared bytes instead of reading the file, and reads the file when none are shared', async () => {
    const bytes = shared(Buffer.from(asciiJson(irToJson(smallIr(true)))));
    const results = await runEmitJob(job, () => {}, Promise.resolve(bytes));
    expect(results.map(([family]) => family)).toEqual(['iods']);
    await expect(runEmitJob(job, () => {}, Promise.resolve(undefined))).rejects.toThrow(/not-there\.ir\.json|ENOENT/);
    const file = join(work, 'there.ir.json');
    writeFileSync(file, bytes);
    expect(await runEmitJob({ ...job, snapshot: file })).toEqual(results);
  });
});

describe('withDiskCopy', () => {
  const out = join(work, 'out');
  mkdirSync(join(out, 'sub'), { recursive: true });
  writeFileSync(join(out, 'same.ts'), 'export const a = ‘1’;\n');
  writeFileSync(join(out, 'sub', 'other.ts'), 'export const b = 2;\n');

  it('takes the bytes and sha256 of a file the folder holds unchanged; anything else stays as it is', () => {
    const same: TreeFile = { path: 'same.ts', content: 'export const a = ‘1’;\n' };
    const got = withDiskCopy(out, same);
    expect(got.disk?.from).toBe(join(out, 'same.ts'));
    expect(Buffer.from(got.disk!.bytes).equals(readFileSync(join(out, 'same.ts')))).toBe(true);
    expect(got.disk?.sha256).toBe(sha256(readFileSync(join(out, 'same.ts'))));
    expect(got.content).toBe(same.content);
    for (const f of [
      { path: 'sub/other.ts', content: 'export const b = 3;\n' }, // other bytes
      { path: 'sub/other.ts', content: 'export const b = 2;\n\n' }, // other length
      { path: 'missing.ts', content: 'x' },
      { path: 'sub', content: 'a folder' },
      { path: '../escape.ts', content: 'x' },
      { path: 'same.ts', content: new TextEncoder().encode('export const a = ‘1’;\n') },
    ]) expect(withDiskCopy(out, f)).toBe(f);
  });
});

describe('the IOD family left to the emit worker', () => {
  it('gives the bytes and the report of a run whose main thread reads the whole IR (the worker failing at once), also when the worker fails after its diagnostics', async () => {
    const node = (args: string[], env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env, maxBuffer: 64 << 20 });
    const build = mkdtempSync(join(repoRoot, '.build-test-'));
    try {
      await node([join(repoRoot, 'generator', 'build.js'), '--out', build], process.env);
      const workerJs = join(build, 'generator', 'emit', 'worker.js');
      const realWorker = readFileSync(workerJs, 'utf8');
      const args = ['generate', '--families', 'validate,iods,vrs', '--no-format', '--force']; // prettier's share is not what this compares
      const run = (out: string) => node([join(repoRoot, 'generator', 'dicom-dictgen.js'), ...args, '--out', out], { ...process.env, DICTGEN_BUILD_DIR: build, DICTGEN_LAUNCHER_TRACE: '1' });
      const report = (stderr: string) => stderr.split('\n').filter((l) => !/ in \d+ ms|^dicom-dictgen|^wrote /.test(l));
      const on = await run(join(work, 'on'));
      expect(on.stderr).toContain('emit worker started ahead'); // by the launcher, before the command line is parsed
      expect(on.stderr).toContain('emit worker: validate, iods');
      // Unused (the stamp ends the run), the worker started ahead keeps nothing alive.
      const noop = await node([join(repoRoot, 'generator', 'dicom-dictgen.js'), 'generate', '--families', 'validate,iods,vrs', '--no-format', '--out', join(work, 'on')], { ...process.env, DICTGEN_BUILD_DIR: build, DICTGEN_LAUNCHER_TRACE: '1' });
      expect(noop.stderr).toContain('emit worker started ahead');
      expect(noop.stderr).toContain('is up to date');
      expect(on.stderr).toMatch(/IODs: 172/);
      // Expected: the bytes of a run whose main thread had the whole IR (the worker failed at once, below).
      const outputs = { on: outputTree(join(work, 'on')) };
      // A worker that fails at once, and one that sends (empty) diagnostics and facts, then fails.
      writeFileSync(workerJs, "throw new Error('emit worker broken for the test');\n");
      const early = await run(join(work, 'early'));
      writeFileSync(workerJs, "import { parentPort } from 'node:worker_threads';\nparentPort.once('message', () => { parentPort.postMessage({ ok: true, diagnostics: [], iodFacts: { counts: {}, provenance: [] } }); parentPort.postMessage({ ok: false, message: 'broken' }); });\n");
      const late = await run(join(work, 'late'));
      writeFileSync(workerJs, realWorker);
      expect(report(early.stderr)).toEqual(report(on.stderr));
      expect(late.stderr).toMatch(/IODs: 172/);
      const expected = outputTree(join(work, 'early'));
      expect(expected.has('iods/ct-image.ts') && expected.has('edition.ts')).toBe(true);
      for (const [name, files] of Object.entries({ ...outputs, late: outputTree(join(work, 'late')) })) {
        expect([...files.keys()].sort(), name).toEqual([...expected.keys()].sort());
        for (const [k, v] of files) expect(v.equals(expected.get(k)!), `${name}: ${k}`).toBe(true);
      }
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 180_000);
});
