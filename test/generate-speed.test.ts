/**
 * Issue 13, wall time of `generate`: the format index lets a run (a fresh clone included) reuse
 * formatted files only when it proves them unchanged; the snapshot is ASCII JSON read without
 * UTF-8 decoding; a no-op run decides from the stamp without loading the emit and format stages;
 * the entry point is printed without ts-morph, in the layout ts-morph printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { FORMAT_INDEX, formatFiles, formatIndexFile, formatKey } from '../generator/format.ts';
import { generate, loadIrSnapshot } from '../generator/pipeline.ts';
import { asciiJson } from '../generator/snapshot.ts';
import { irToJson } from '../generator/normalize.ts';
import { emptyIr } from '../generator/ir.ts';
import { sha256 } from '../sources/common/hash.ts';
import { exportDeclarations } from '../generator/emit/run.ts';
import { docText, type EntryExport } from '../generator/emit/context.ts';
import { IndentationText, Project, QuoteKind } from 'ts-morph';
import { repoRoot } from './helpers/shared.ts';

const work = mkdtempSync(join(tmpdir(), 'dictgen-gen-speed-'));
const before = process.env.DICTGEN_FORMAT_CACHE;
process.env.DICTGEN_FORMAT_CACHE = 'off';
afterAll(() => {
  if (before === undefined) delete process.env.DICTGEN_FORMAT_CACHE;
  else process.env.DICTGEN_FORMAT_CACHE = before;
  rmSync(work, { recursive: true, force: true });
});

const fixtures = ['nema/part06-mini.xml', 'nema/part07-mini.xml', 'nema/part16-2025b.xml', 'private/acme.dic'].map((f) => join(repoRoot, 'test', 'fixtures', f));

/** An output folder holding `a.ts` with `onDisk` and a format index that records `recordedFor` → sha256(`recorded`). */
function outWithIndex(name: string, onDisk: string, recordedFor: string, recorded: string): string {
  const out = join(work, name);
  rmSync(out, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', out]);
  writeFileSync(join(out, 'a.ts'), onDisk);
  const index = { 'a.ts': { key: formatKey(prettier.version, 'typescript', recordedFor), sha256: sha256(recorded) } };
  writeFileSync(join(out, FORMAT_INDEX), JSON.stringify(index));
  return out;
}

describe('format index', () => {
  const emitted = { path: 'a.ts', content: 'export const   x = {a:1}\n' };
  // Distinct from prettier's output, so a result equal to it proves the file was taken from disk.
  const planted = 'export const fromDisk = 1;\n';

  it('takes a file from the output folder when the index records its unformatted text and the bytes on disk are the recorded ones', async () => {
    const out = outWithIndex('reuse', planted, emitted.content, planted);
    const [f] = await formatFiles([emitted], { previousOut: out });
    expect(f!.content).toBe(planted);
    expect(f!.formatKey).toBe(formatKey(prettier.version, 'typescript', emitted.content));
  });

  it('formats with prettier when the file on disk was changed since the index was written', async () => {
    const out = outWithIndex('edited', `${planted}// edited\n`, emitted.content, planted);
    const [f] = await formatFiles([emitted], { previousOut: out });
    expect(f!.content).toBe('export const x = { a: 1 };\n');
  });

  it('formats with prettier when the emitted text is not the one the index records', async () => {
    const out = outWithIndex('changed', planted, 'export const y = 2\n', planted);
    const [f] = await formatFiles([emitted], { previousOut: out });
    expect(f!.content).toBe('export const x = { a: 1 };\n');
  });

  it('the index lists every formatted file, sorted, with the sha256 of its formatted bytes, and skips preformatted ones', async () => {
    const files = await formatFiles([
      { path: 'b.ts', content: 'export const b=1\n' },
      { path: 'a.json', content: '{"a":1}' },
      { path: 'pre.ts', content: 'export const  p = 1;\n', preformatted: true },
    ]);
    const index = JSON.parse(formatIndexFile(files).content) as Record<string, { key: string; sha256: string }>;
    expect(Object.keys(index)).toEqual(['a.json', 'b.ts']);
    expect(index['b.ts']).toEqual({ key: formatKey(prettier.version, 'typescript', 'export const b=1\n'), sha256: sha256('export const b = 1;\n') });
  });

  it('a regeneration over its own output reuses it through the index and gives the same bytes; a changed file is formatted again', async () => {
    const out = join(work, 'pkg');
    await generate({ sources: fixtures, out, force: true });
    const index = JSON.parse(readFileSync(join(out, FORMAT_INDEX), 'utf8')) as Record<string, { sha256: string }>;
    expect(Object.keys(index).length).toBeGreaterThan(5);
    for (const [path, e] of Object.entries(index)) expect(sha256(readFileSync(join(out, path))), path).toBe(e.sha256);
    const first = readFileSync(join(out, 'vr.ts'), 'utf8');
    writeFileSync(join(out, 'vr.ts'), `${first}// edited by hand\n`);
    await generate({ sources: fixtures, out, force: true });
    expect(readFileSync(join(out, 'vr.ts'), 'utf8')).toBe(first);
    expect(JSON.parse(readFileSync(join(out, FORMAT_INDEX), 'utf8'))).toEqual(index);
  }, 120_000);
});

describe('entry point', () => {
  it('prints the export declarations exactly as ts-morph did', () => {
    const entry: EntryExport[] = [
      { from: './tags.js', as: 'Tag' },
      { from: './vr.js' },
      { from: './iods/index.js', typeOnly: true },
      { from: './vr.js' },
      { from: './a/b.js', as: 'B', typeOnly: true },
      { from: './tags.js', as: 'Tags' },
    ];
    const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
    const sf = project.createSourceFile('index.ts', '');
    const sorted = [...entry].sort((a, b) => (a.from === b.from ? (a.as ?? '').localeCompare(b.as ?? '') : a.from < b.from ? -1 : 1));
    const unique = sorted.filter((e, i) => sorted.findIndex((x) => x.from === e.from && x.as === e.as) === i);
    for (const e of unique) sf.addExportDeclaration({ moduleSpecifier: e.from, isTypeOnly: e.typeOnly === true, ...(e.as ? { namespaceExport: e.as } : {}) });
    expect(exportDeclarations(entry)).toBe(sf.getFullText());
    expect(exportDeclarations([])).toBe('');
  });

  it('refuses a module path or namespace name that could break out of the declaration', () => {
    expect(() => exportDeclarations([{ from: "./x.js'; evil();//" }])).toThrow(/not a relative module path/);
    expect(() => exportDeclarations([{ from: './x.js', as: 'a b' }])).toThrow(/unsafe identifier/);
  });
});

describe('docText fast path', () => {
  /** docText before the fast path: every replacement always applied. */
  const reference = (s: string) =>
    s
      .replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ')
      .replace(/\*\//g, '*\u2215')
      .replace(/\/\*/g, '\u2215*')
      .replace(/(^|\s)@/g, '$1\uFF20')
      .replace(/\s+/g, ' ')
      .trim();

  it('gives what the full replacement chain gives, on tricky and on random texts', () => {
    const tricky = ['Patient Name', ' lead', 'trail ', 'two  spaces', 'tab\there', 'nbsp\u00a0x', 'ideo\u3000x', 'a */ b', '/* c', '@tag', 'x @y', 'a@b', 'line\nbreak', '\u2028', '', ' ', 'µs Ångström'];
    for (const t of tricky) expect(docText(t), JSON.stringify(t)).toBe(reference(t));
    const alphabet = ['a', 'B', ' ', ' ', '\t', '\n', '\u00a0', '\u3000', '@', '*', '/', '\u2028', '\u007f', 'é'];
    let seed = 13;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 5000; i++) {
      let t = '';
      for (let n = next() % 9; n > 0; n--) t += alphabet[next() % alphabet.length];
      expect(docText(t), JSON.stringify(t)).toBe(reference(t));
    }
  });
});

describe('snapshot as ASCII JSON', () => {
  it('escapes every non-ASCII character and parses to the same value', () => {
    const text = `${JSON.stringify({ a: 'µs', b: 'Ångström \u2028 \u{1F600}', c: 'plain' }, null, 1)}\n`;
    const ascii = asciiJson(text);
    expect(/^[\x00-\x7e]*$/.test(ascii)).toBe(true);
    expect(JSON.parse(ascii)).toEqual(JSON.parse(text));
  });

  it('loadIrSnapshot reads an ASCII snapshot and a UTF-8 one alike', () => {
    const ir = { ...emptyIr(), sources: [{ id: 'x', part: 'PS3.6', edition: '2013', format: 'docbook', file: 'Ångström.xml', sha256: '0' }] } as unknown as ReturnType<typeof emptyIr>;
    const utf8 = join(work, 'utf8.ir.json');
    const ascii = join(work, 'ascii.ir.json');
    writeFileSync(utf8, irToJson(ir));
    writeFileSync(ascii, asciiJson(irToJson(ir)));
    expect(readFileSync(ascii, 'utf8')).not.toContain('Å');
    expect(loadIrSnapshot(ascii)).toEqual(loadIrSnapshot(utf8));
    expect(loadIrSnapshot(ascii).sources[0]!.file).toBe('Ångström.xml');
  });
});

describe('no-op generate', () => {
  /** Run generate in a fresh process and list which large CommonJS packages it loaded. */
  function loadedPackages(out: string, force: boolean): string[] {
    const script = join(work, 'probe.mts');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
import { generate } from ${JSON.stringify(join(repoRoot, 'generator', 'pipeline.ts'))};
const r = await generate({ sources: ${JSON.stringify(fixtures)}, out: ${JSON.stringify(out)}, force: ${force} });
const loaded = Object.keys(createRequire(import.meta.url).cache).map((p) => /node_modules\\/(handlebars|ts-morph|undici)\\//.exec(p)?.[1]).filter(Boolean);
console.log(JSON.stringify({ upToDate: r.upToDate, loaded: [...new Set(loaded)].sort() }));
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, DICTGEN_FORMAT_CACHE: 'off' } });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { upToDate: boolean; loaded: string[] };
    expect(res.upToDate).toBe(!force);
    return res.loaded;
  }

  it('decides from the stamp without loading handlebars or undici, which a full run loads (handlebars; undici no more since the scrapers use cheerio/slim); ts-morph is never loaded', () => {
    const out = join(work, 'noop');
    expect(loadedPackages(out, true)).toEqual(['handlebars']);
    expect(loadedPackages(out, false)).toEqual([]);
  }, 120_000);
});
