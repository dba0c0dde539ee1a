/**
 * Issue 13, wall time of `generate` (third round): the emit worker parses only the snapshot's
 * families it reads (`readSnapshotFamilies`: the same values as the whole file, any other layout
 * read whole); the format stage runs in batches (files formatted by an earlier batch pass through)
 * and hands the bytes it took from the output folder to the write stage, which keeps them without
 * reading, encoding or hashing them again; the build precompiles the templates, keyed by their text; the launcher
 * exits once nothing is left to run, without tearing down the heap.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ir } from '../generator/ir.ts';
import { irToJson } from '../generator/normalize.ts';
import { asciiJson } from '../generator/snapshot.ts';
import { loadIrSnapshot } from '../generator/pipeline.ts';
import { readSnapshotFamilies, snapshotMembers } from '../generator/snapshot-read.ts';
import { createFormatter, formatIndexFile, FORMAT_INDEX, type FormattedFile } from '../generator/format.ts';
import { writeTree, MANIFEST } from '../generator/write.ts';
import { sha256 } from '../sources/common/hash.ts';
import { precompileTemplates, templateOptions, templateSpecFile } from '../generator/emit/template-specs.ts';
import Handlebars from 'handlebars';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './helpers/shared.ts';
import { smallIr } from './helpers/generate-speed.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-tail-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the emit worker reads only the families it needs', () => {
  const file = join(work, 'small.ir.json');
  writeFileSync(file, asciiJson(irToJson(smallIr())));

  it('gives the same values as the whole file for those families, and leaves the others empty', () => {
    const whole = loadIrSnapshot(file);
    const part = readSnapshotFamilies(file, ['sources', 'dataElements', 'iods']);
    expect(part.sources).toEqual(whole.sources);
    expect(part.dataElements).toEqual(whole.dataElements);
    expect(part.dataElements[0]!.name).toBe('Patient’s Name'); // a \u escape of the ASCII file
    expect(part.iods).toEqual(whole.iods);
    expect(part.uids).toEqual([]);
    expect(part.privateDictionaries).toBeUndefined();
    expect([...snapshotMembers(readFileSync(file))!.keys()]).toEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object));
  });

  it('reads a file in another layout whole, with the whole file’s errors', () => {
    const compact = join(work, 'compact.ir.json');
    writeFileSync(compact, JSON.stringify(smallIr()));
    expect(snapshotMembers(readFileSync(compact))).toBeUndefined();
    expect(readSnapshotFamilies(compact, ['dataElements'])).toEqual(loadIrSnapshot(compact));

    const nested = join(work, 'nested.ir.json');
    writeFileSync(nested, irToJson(smallIr()).replace('"dataElements": [', '"dataElements": [\n "uids": 1,'));
    expect(() => readSnapshotFamilies(nested, ['dataElements'])).toThrow(/nested\.ir\.json/);

    const old = join(work, 'old.ir.json');
    writeFileSync(old, irToJson({ ...smallIr(), irVersion: 0 } as unknown as Ir));
    expect(() => readSnapshotFamilies(old, ['dataElements'])).toThrow(/IR version 0/);
  });
});

describe('the format stage in batches, and what it hands the write stage', () => {
  const out = join(work, 'out');
  const text = "export const a = 'x';\n";

  it('takes an unchanged file from the output folder once, and the write stage keeps it without reading it again', async () => {
    mkdirSync(out, { recursive: true });
    const first: FormattedFile[] = [{ path: 'a.ts', content: text, formatKey: 'k'.repeat(64) }];
    writeTree(out, [...first, formatIndexFile(first)], 'stamp-1', { force: true });
    const inode = statSync(join(out, 'a.ts')).ino;

    // The index says a.ts was written for key kkk…: a formatter asked for the same key takes the file from disk.
    const formatter = createFormatter({ previousOut: out });
    const index = JSON.parse(readFileSync(join(out, FORMAT_INDEX), 'utf8')) as Record<string, { key: string }>;
    expect(index['a.ts']!.key).toBe('k'.repeat(64));
    const pre: FormattedFile = { path: 'b.ts', content: 'not formatted again', formatKey: 'f'.repeat(64) };
    const [b] = await formatter.format([pre]);
    expect(b).toBe(pre); // formatted by an earlier batch: passes through untouched

    const onDisk: FormattedFile = { path: 'a.ts', content: text, formatKey: 'k'.repeat(64), disk: { from: join(out, 'a.ts'), bytes: Buffer.from(text), sha256: sha256(text) } };
    const summary = writeTree(out, [onDisk], 'stamp-2', { force: true });
    expect(summary).toEqual({ written: 0, unchanged: 1, removed: 1 });
    expect(statSync(join(out, 'a.ts')).ino).toBe(inode); // hard-linked, not rewritten
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { files: Record<string, string> };
    expect(manifest.files['a.ts']).toBe(sha256(readFileSync(join(out, 'a.ts'))));
  });

  it('compares as before when the bytes were read from another folder', () => {
    const elsewhere = join(work, 'elsewhere.ts');
    writeFileSync(elsewhere, 'export const b = 1;\n');
    const f = { path: 'a.ts', content: 'export const b = 1;\n', disk: { from: elsewhere, bytes: readFileSync(elsewhere), sha256: sha256(readFileSync(elsewhere)) } };
    expect(writeTree(out, [f], 'stamp-3', { force: true })).toEqual({ written: 1, unchanged: 0, removed: 0 });
    expect(readFileSync(join(out, 'a.ts'), 'utf8')).toBe('export const b = 1;\n');
  });
});

describe('templates precompiled by the build', () => {
  it('are keyed by the template text (an edited template is compiled as before), the same key after a compile', () => {
    const dir = join(work, 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.hbs'), '{{str name}}\n');
    const out = join(work, 'specs');
    expect(precompileTemplates(dir, out)).toBe(1);
    const file = templateSpecFile('one', '{{str name}}\n');
    expect(readFileSync(join(out, file), 'utf8')).toBe(String(Handlebars.precompile('{{str name}}\n', templateOptions())));
    expect(templateSpecFile('one', '{{str other}}\n')).not.toBe(file);
    Handlebars.create().compile('{{str name}}\n', templateOptions())({ name: 'x' }, { helpers: { str: (s: string) => s } });
    expect(templateSpecFile('one', '{{str name}}\n')).toBe(file);
  });
});

describe('the launcher exits without tearing down the heap', () => {
  it('once everything has run: the exit code and every line of output stay', () => {
    const launcher = join(repoRoot, 'generator', 'dicom-dictgen.js');
    const bad = spawnSync(process.execPath, [launcher, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command "no-such-command"');
    const help = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/generate[\s\S]*lint/);
  }, 60_000);
});
