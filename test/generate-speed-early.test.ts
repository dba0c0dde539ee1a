/**
 * Issue 13, wall time of `generate` (fifth round): the emit worker posts each family's result as soon
 * as it is emitted (in the job's order), so the main thread formats the IOD types while the worker
 * still emits the validator rules; only the last family is left for after the join.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smallIr } from './helpers/generate-speed.ts';
import { irToJson } from '../generator/normalize.ts';
import { asciiJson } from '../generator/snapshot.ts';
import { runEmitJob } from '../generator/emit/worker.ts';
import type { EmitResult } from '../generator/emit/context.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-early-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

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
});
