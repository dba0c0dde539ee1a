/**
 * Issue 13, `generate` from layers (`--source`, `--config`): the emit worker starts once the layers
 * are scraped and gets the IR the main thread built (structured clone of the families its emitters
 * read); it sends the PS3.3 include diagnostics and emits the IOD types and validator rules while the
 * main thread emits the rest. Same bytes and report as a run without the worker, also when the
 * worker fails; a blocked run reports the same diagnostics. Its job done, the worker ends by itself
 * (the process then does not wait for its heap at exit), every message it posted delivered first.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';
import { outputTree, smallIr } from './helpers/generate-speed.ts';
import { irToJson } from '../generator/normalize.ts';
import type { EmitWorkerJob, EmitWorkerReply } from '../generator/emit/worker.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-layers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Two layers of hand-written fixtures: a PS3.6 and a PS3.3 with one IOD, an unresolved include and a row of unknown Type (an error). */
function layers(): string[] {
  const a = join(work, 'layer-a');
  const b = join(work, 'layer-b');
  mkdirSync(a);
  mkdirSync(b);
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'nema', 'part06-mini.xml'), join(a, 'part06.xml'));
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'nema', 'part03-unresolved.xml'), join(b, 'part03.xml'));
  return [a, b];
}

interface Run {
  code: number;
  stderr: string;
}

describe('the emit worker of a generate from layers', () => {
  it('gives the bytes and the report of a run without it (off, failing at once), and a blocked run reports the same', async () => {
    const build = mkdtempSync(join(repoRoot, '.build-test-'));
    try {
      await promisify(execFile)(process.execPath, [join(repoRoot, 'generator', 'build.js'), '--out', build], { cwd: repoRoot });
      const workerJs = join(build, 'generator', 'emit', 'worker.js');
      const realWorker = readFileSync(workerJs, 'utf8');
      const [a, b] = layers();
      const run = (extra: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
        new Promise((done) => {
          const args = [join(repoRoot, 'generator', 'dicom-dictgen.js'), 'generate', '--source', a!, '--source', b!, '--families', 'validate,iods,vrs', '--no-format', '--force', ...extra];
          execFile(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, DICTGEN_BUILD_DIR: build, DICTGEN_LAUNCHER_TRACE: '1', DICTGEN_SCRAPE_CACHE: 'off', ...env }, maxBuffer: 64 << 20 }, (e, _out, stderr) =>
            done({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stderr }),
          );
        });
      const report = (r: Run) => r.stderr.split('\n').filter((l) => !/ in \d+ ms|^dicom-dictgen|^wrote /.test(l));
      const out = (name: string) => ['--accept-errors', '--out', join(work, name)];

      const on = await run(out('on'));
      expect(on.code).toBe(0);
      expect(on.stderr).toContain('emit worker: validate, iods');
      expect(on.stderr).toMatch(/include of Table C\.2-9, which is not in the inputs/); // the worker's diagnostics
      const off = await run(out('off'), { DICTGEN_EMIT_WORKER: 'off' });
      expect(off.stderr).not.toContain('emit worker:');
      writeFileSync(workerJs, "throw new Error('emit worker broken for the test');\n");
      const broken = await run(out('broken'));
      writeFileSync(workerJs, realWorker);
      expect(broken.stderr).toContain('emit worker: validate, iods');
      expect(report(on)).toEqual(report(off));
      expect(report(broken)).toEqual(report(off));
      const expected = outputTree(join(work, 'off'));
      expect([...expected.keys()].some((k) => k.startsWith('iods/')) && [...expected.keys()].some((k) => k.startsWith('validate/'))).toBe(true);
      for (const [name, files] of Object.entries({ on: outputTree(join(work, 'on')), broken: outputTree(join(work, 'broken')) })) {
        expect([...files.keys()].sort(), name).toEqual([...expected.keys()].sort());
        for (const [k, v] of files) expect(v.equals(expected.get(k)!), `${name}: ${k}`).toBe(true);
      }

      // Blocked (an error row, no --accept-errors): nothing is posted to the worker; the diagnostics are this thread's.
      const blockedOn = await run(['--out', join(work, 'blocked-on')]);
      const blockedOff = await run(['--out', join(work, 'blocked-off')], { DICTGEN_EMIT_WORKER: 'off' });
      expect(blockedOn.code).not.toBe(0);
      expect(blockedOn.stderr).toMatch(/generation blocked/);
      expect(report(blockedOn)).toEqual(report(blockedOff));

      // A worker on a job ends by itself once it has posted its diagnostics and every family, in the job's order.
      const snapshot = join(work, 'small.ir.json');
      writeFileSync(snapshot, irToJson(smallIr(true)));
      const job: EmitWorkerJob = { snapshot, sharedSnapshot: true, families: ['validate', 'iods'], selection: {}, generatorVersion: '0.0.0-test' };
      const worker = new Worker(join(build, 'generator', 'emit', 'worker.js'), { workerData: job });
      const got: string[] = [];
      worker.on('message', (m: EmitWorkerReply) => got.push(!m.ok ? `failed: ${m.message}` : 'diagnostics' in m ? 'diagnostics' : m.family));
      worker.postMessage({}); // no shared bytes: the worker reads the file
      const exit = await new Promise<number>((done) => worker.once('exit', done));
      expect(exit).toBe(0);
      expect(got).toEqual(['diagnostics', 'validate', 'iods']);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 120_000);
});
