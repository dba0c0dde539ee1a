/**
 * Issue 13, wall time of `generate` (second round): the context group modules come from a string
 * printer (no handlebars) whose source text stays inside strings and comments; the snapshot is read
 * once for the stamp and the parse, and a changed snapshot changes the output; the emit worker
 * (generator/emit/worker.ts) emits what the main thread would from the same snapshot, and nothing
 * of an earlier snapshot; through the compiled build, generate with and without the worker writes
 * the same bytes and reports the same diagnostics; with --force from sources, the stamp hashed
 * during scraping is the one inputStamp gives.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIr, generate, inputStamp, loadIrSnapshot } from '../generator/pipeline.ts';
import { irToJson, normalizeIr } from '../generator/normalize.ts';
import { defaultSnapshot } from '../generator/defaults.ts';
import { emitters } from '../generator/emit/index.ts';
import { runEmitJob } from '../generator/emit/worker.ts';
import { printGroupModule } from '../generator/emit/context-groups.ts';
import type { ContextGroup } from '../generator/ir-context-groups.ts';
import { repoRoot } from './helpers/shared.ts';
import { outputTree } from './helpers/generate-speed.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-emit-'));
const before = process.env.DICTGEN_FORMAT_CACHE;
process.env.DICTGEN_FORMAT_CACHE = 'off';
afterAll(() => {
  if (before === undefined) delete process.env.DICTGEN_FORMAT_CACHE;
  else process.env.DICTGEN_FORMAT_CACHE = before;
  rmSync(work, { recursive: true, force: true });
});

describe('context group module printer', () => {
  const group = (over: Partial<ContextGroup>): ContextGroup =>
    ({ cid: 99, keyword: 'K', name: 'N', retired: false, extensible: true, includes: [], codes: [], prov: { source: 's', table: 't' }, ...over }) as ContextGroup;

  it('keeps hostile source text inside string literals and the one-line doc comment', () => {
    const g = group({ name: 'Evil */ export const pwned = 1; /*\nnext', keyword: "K'\"", emptyReason: 'none */ x', version: '2026"' });
    const text = printGroupModule({
      header: '// h\n',
      group: g,
      imports: [],
      imported: [],
      codes: [{ inline: true, identifier: 'Code1', aliases: ['Old1'], valueKey: 'CodeValue', value: "1'\u2028", designator: 'DCM', meaning: 'm */ x', version: undefined }],
    });
    const exported = ts
      .createSourceFile('cid-99.ts', text, ts.ScriptTarget.Latest)
      .statements.flatMap((st) => (ts.isVariableStatement(st) ? st.declarationList.declarations.map((d) => (d.name as ts.Identifier).text) : ts.isFunctionDeclaration(st) || ts.isTypeAliasDeclaration(st) ? [st.name?.text ?? ''] : []));
    expect(exported).toEqual(['Code1', 'Old1', 'codes', 'Code', 'keys', 'isCode', 'group']);
    expect(text).toContain('name: "Evil */ export const pwned = 1; /*\\nnext",');
    expect(text).toContain('export const Code1 = { CodeValue: "1\'\\u2028", CodingSchemeDesignator: "DCM", CodeMeaning: "m */ x" } as const;');
    expect(text).toContain('export const Old1 = Code1;');
    expect(text).toMatch(/ \* No codes: none \*\u2215 x\.\n \*\/\n/);
  });

  it('refuses an unsafe identifier', () => {
    const print = (identifier: string) =>
      printGroupModule({ header: '', group: group({}), imports: [], imported: [], codes: [{ inline: true, identifier, aliases: [], valueKey: 'CodeValue', value: '1', designator: 'DCM', meaning: 'm', version: undefined }] });
    expect(() => print('a-b')).toThrow(/unsafe identifier/);
    expect(print('Ok')).toContain('export const codes = [Ok] as const;');
  });
});

describe('the snapshot read once for stamp and parse', () => {
  const fixtures = ['nema/part06-mini.xml', 'nema/part07-mini.xml'].map((f) => join(repoRoot, 'test', 'fixtures', f));
  let snapshot = '';
  beforeAll(async () => {
    const { ir } = await buildIr({ sources: fixtures });
    snapshot = join(work, 'mini.ir.json');
    writeFileSync(snapshot, irToJson(ir));
  });

  it('a changed snapshot changes the output (nothing of the first read is kept between runs)', async () => {
    const out = join(work, 'snap-out');
    await generate({ snapshot, out, force: true, noFormat: true });
    const first = readFileSync(join(out, 'tags.ts'), 'utf8');
    expect(first).toMatch(/^\s+PatientName = 0x00100010[,;]/m);
    writeFileSync(snapshot, readFileSync(snapshot, 'utf8').replaceAll('"PatientName"', '"PatientNameRenamed"'));
    const r = await generate({ snapshot, out, noFormat: true });
    expect(r.upToDate).toBe(false);
    const second = readFileSync(join(out, 'tags.ts'), 'utf8');
    expect(second).toMatch(/^\s+PatientNameRenamed = 0x00100010[,;]/m);
    expect(second).not.toMatch(/^\s+PatientName = /m);
    expect((await generate({ snapshot, out, noFormat: true })).upToDate).toBe(true);
  });
});

describe('the stamp of a --force run, hashed while the layers are scraped', () => {
  it('is the stamp inputStamp gives, and an edit deep inside a source folder changes it', async () => {
    const standard = join(work, 'dicom-standard');
    cpSync(join(repoRoot, 'test', 'fixtures', 'dicom-standard'), standard, { recursive: true });
    const nema = join(work, 'nema-layer');
    mkdirSync(nema);
    cpSync(join(repoRoot, 'test', 'fixtures', 'nema', 'part06-mini.xml'), join(nema, 'part06.xml'));
    const out = join(work, 'stamp-out');
    const opts = { sources: [nema, standard], out, noFormat: true };
    const manifestStamp = () => (JSON.parse(readFileSync(join(out, '.dictgen-manifest.json'), 'utf8')) as { stamp: string }).stamp;
    await generate({ ...opts, force: true });
    const first = manifestStamp();
    expect(first).toBe(await inputStamp(opts));
    expect((await generate(opts)).upToDate).toBe(true);
    const nested = readdirSync(join(standard, 'modules'))[0]!;
    appendFileSync(join(standard, 'modules', nested), '\n');
    expect(await inputStamp(opts)).not.toBe(first);
    expect((await generate(opts)).upToDate).toBe(false);
    await generate({ ...opts, force: true });
    expect(manifestStamp()).toBe(await inputStamp(opts));
    expect(manifestStamp()).not.toBe(first);
  }, 120_000);
});

describe('emit worker', () => {
  const selection = { iods: new Set(['ct-image']) };
  it('emits the same files as the main thread from the same snapshot, and follows a changed one', async () => {
    const families = ['iods', 'validate'];
    const viaWorker = await runEmitJob({ snapshot: defaultSnapshot, families, selection, generatorVersion: '0.0.0-test' });
    const ir = normalizeIr(loadIrSnapshot(defaultSnapshot));
    const inProcess = families.map((f) => [f, emitters.find((e) => e.family === f)!.emit({ ir, generatorVersion: '0.0.0-test', selection })]);
    expect(viaWorker).toEqual(inProcess);
    expect(viaWorker[0]![1].files.some((f) => f.path === 'iods/ct-image.ts')).toBe(true);

    const ct = ir.iods!.iods.find((i) => i.id === 'ct-image')!;
    ct.name = 'CT Image Renamed For The Test';
    const changed = join(work, 'changed.ir.json');
    writeFileSync(changed, irToJson(ir));
    const again = await runEmitJob({ snapshot: changed, families: ['iods'], selection, generatorVersion: '0.0.0-test' });
    const text = (r: typeof again) => r[0]![1].files.map((f) => f.content).join('\n');
    expect(text(again)).toContain('CT Image Renamed For The Test');
    expect(text(viaWorker.slice(0, 1))).not.toContain('CT Image Renamed For The Test');
  }, 120_000);

  it('generate through the compiled build writes the same bytes with and without the worker', async () => {
    // Asynchronous child processes, so the test worker keeps answering vitest's RPC meanwhile.
    const node = (args: string[], env: NodeJS.ProcessEnv = process.env) => promisify(execFile)(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env, maxBuffer: 64 << 20 });
    const build = mkdtempSync(join(repoRoot, '.build-test-'));
    try {
      await node([join(repoRoot, 'generator', 'build.js'), '--out', build]);
      const run = (out: string, worker: string) =>
        node([join(repoRoot, 'generator', 'dicom-dictgen.js'), 'generate', '--families', 'validate,iods,vrs', '--iods', 'ct-image', '--out', out, '--force'], {
          ...process.env,
          DICTGEN_BUILD_DIR: build,
          DICTGEN_LAUNCHER_TRACE: '1',
          DICTGEN_EMIT_WORKER: worker,
          DICTGEN_FORMAT_CACHE: 'off',
        });
      const on = await run(join(work, 'worker-on'), 'on');
      expect(on.stderr).toContain('launcher: build');
      expect(on.stderr).toContain('emit worker: validate, iods');
      const off = await run(join(work, 'worker-off'), 'off');
      expect(off.stderr).not.toContain('emit worker');
      // The build precompiles the templates (generator/emit/template-specs.ts); TypeScript in process compiles them: the same bytes.
      expect(readdirSync(join(build, 'templates')).some((f) => /^vr\.[0-9a-f]{16}\.js$/.test(f))).toBe(true);
      await generate({ snapshot: defaultSnapshot, out: join(work, 'in-process'), force: true, selection: { families: new Set(['validate', 'iods', 'vrs']), iods: new Set(['ct-image']) } });
      const inProcess = outputTree(join(work, 'in-process'));
      // The same report (the worker's PS3.3 include diagnostics in validateIr's place), apart from timings and paths.
      const report = (stderr: string, out: string) =>
        stderr
          .split('\n')
          .filter((l) => !/ in \d+ ms|^dicom-dictgen/.test(l))
          .map((l) => l.replaceAll(out, '<out>'));
      expect(report(on.stderr, join(work, 'worker-on'))).toEqual(report(off.stderr, join(work, 'worker-off')));
      expect(on.stderr).toMatch(/warning: .*include/);
      const a = outputTree(join(work, 'worker-on'));
      const c = outputTree(join(work, 'worker-off'));
      expect(a.has('iods/ct-image.ts')).toBe(true);
      expect([...a.keys()].sort()).toEqual([...c.keys()].sort());
      for (const [k, v] of a) expect(v.equals(c.get(k)!), k).toBe(true);
      expect([...inProcess.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, v] of a) expect(v.equals(inProcess.get(k)!), k).toBe(true);
      // Again into the same folder: every file taken from it through the format index (the main
      // thread's families formatted while the worker runs) and kept by the write stage; the same bytes and manifest.
      const again = await run(join(work, 'worker-on'), 'on');
      expect(again.stderr).toMatch(/wrote 0 files, \d+ unchanged/);
      const b = outputTree(join(work, 'worker-on'));
      for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
      const manifest = JSON.parse(readFileSync(join(work, 'worker-on', '.dictgen-manifest.json'), 'utf8')) as { files: Record<string, string> };
      expect(Object.keys(manifest.files).sort()).toEqual([...b.keys()].sort());
      for (const [k, v] of b) expect(manifest.files[k], k).toBe(createHash('sha256').update(v).digest('hex'));
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 180_000);
});
