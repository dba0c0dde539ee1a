/**
 * The package's own build (generator/runtime/package-build.mjs, shipped as build.mjs): data modules
 * (`export const` of number and string literals only, as tags.js and uids/*.js) come out compact,
 * because V8 keeps a module's source text on the heap after import (issue 13, heap after import).
 * The compact JavaScript binds exactly the values of the TypeScript source, and no name or string
 * of the source can break out of its literal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers/shared.ts';

const execFileAsync = promisify(execFile);
let pkg = '';

/** Source strings a hostile standard could carry: quotes, backslashes, line breaks, a closing comment or script tag, non-ASCII. */
const hostile = ['a"b', "c'd", 'e\\f', 'g\nh', 'i\u2028j', '*/ </script> ${x}', 'caf\u00e9 \u{1F600}', '`'];

const tsFiles: Record<string, string> = {
  'tags.ts': '/** Patient\'s Name (0010,0010) */\nexport const PatientName = 0x00100010,\n  /** retired */\n  Big = 0xFFFEE0DD, Zero = 0x00000000, Under = 1_000;\n',
  'uids/hostile.ts': `export const ${hostile.map((s, i) => `S${i} = ${JSON.stringify(s)}`).join(', ')};\nexport const Last = '1.2.840.10008.1.2';\n`,
  // Other shapes keep tsc's layout: a function, a negative number, a non-ASCII name, an array.
  'code.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
  'negative.ts': 'export const Minus = -1, Plus = 1;\n',
  'unicode-name.ts': 'export const Ünit = 1;\n',
  'array.ts': "export const List = ['a', 'b'];\n",
  // tag-object.ts's shape: one frozen object without a prototype; with a call or a spread it stays as it is.
  'frozen.ts': "export const T = Object.freeze({ __proto__: null, A: 0x10, B: 'x\"y' } as unknown as { A: number; B: string });\n",
  'frozen-other.ts': 'const f = (n: number) => n;\nexport const T = Object.freeze({ A: f(1) });\n',
};

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), 'dictgen-build-'));
  mkdirSync(join(pkg, 'uids'));
  copyFileSync(join(repoRoot, 'generator', 'runtime', 'package-build.mjs'), join(pkg, 'build.mjs'));
  copyFileSync(join(repoRoot, 'generated', 'tsconfig.json'), join(pkg, 'tsconfig.json'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fixture', private: true, type: 'module' }));
  for (const [path, text] of Object.entries(tsFiles)) writeFileSync(join(pkg, path), text);
  // The real tags of the committed package, beside the fixtures.
  copyFileSync(join(repoRoot, 'generated', 'tags.ts'), join(pkg, 'real-tags.ts'));
  writeFileSync(join(pkg, 'real-tags.ts'), readFileSync(join(pkg, 'real-tags.ts'), 'utf8').replace("from './tags.js'", "from './real-tags.js'"));
  // TypeScript through PATH, as npm provides it to a package's build script.
  const env = { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` };
  await execFileAsync(process.execPath, ['build.mjs'], { cwd: pkg, env, encoding: 'utf8' });
}, 180_000);

const js = (path: string) => readFileSync(join(pkg, 'dist', path), 'utf8');
const load = (path: string) => import(pathToFileURL(join(pkg, 'dist', path)).href) as Promise<Record<string, unknown>>;

describe('package build: compact data modules', () => {
  it('prints a data module with no spaces and decimal numbers, and binds the same values', async () => {
    expect(js('tags.js')).toBe('export const PatientName=1048592,Big=4294893789,Zero=0,Under=1000;\n');
    expect({ ...(await load('tags.js')) }).toEqual({ PatientName: 0x00100010, Big: 0xfffee0dd, Zero: 0, Under: 1000 });
  });

  it('keeps every string exactly, ASCII only, and nothing breaks out of its literal', async () => {
    const text = js('uids/hostile.js');
    expect(text).toMatch(/^export const S0="a\\"b",S1=.*;\nexport const Last="1\.2\.840\.10008\.1\.2";\n$/);
    expect([...text].every((c) => c.charCodeAt(0) < 0x7f)).toBe(true);
    const m = await load('uids/hostile.js');
    expect(Object.keys(m).sort()).toEqual([...hostile.map((_, i) => `S${i}`), 'Last'].sort());
    hostile.forEach((s, i) => expect(m[`S${i}`]).toBe(s));
  });

  it('prints a frozen object of literals compact, with its null prototype', async () => {
    expect(js('frozen.js')).toBe('export const T=Object.freeze({__proto__:null,A:16,B:"x\\"y"});\n');
    const { T } = (await load('frozen.js')) as { T: Record<string, unknown> };
    expect({ ...T }).toEqual({ A: 16, B: 'x"y' });
    expect(Object.getPrototypeOf(T)).toBeNull();
    expect(Object.isFrozen(T)).toBe(true);
    expect(js('frozen-other.js')).toContain('Object.freeze({ A: f(1) })');
  });

  it('leaves every other module as tsc prints it', async () => {
    expect(js('code.js')).toContain('export function twice(n) {\n    return n * 2;\n}');
    expect(js('negative.js')).toBe('export const Minus = -1, Plus = 1;\n');
    expect(js('unicode-name.js')).toBe('export const Ünit = 1;\n');
    expect(js('array.js')).toBe("export const List = ['a', 'b'];\n");
    expect((await load('negative.js')).Minus).toBe(-1);
  });

  it('the real tags: the compact tags.js exports every constant of tags.ts with the same value', async () => {
    const source = (await import(pathToFileURL(join(pkg, 'real-tags.ts')).href)) as Record<string, unknown>;
    const built = await load('real-tags.js');
    expect(Object.keys(source).length).toBeGreaterThan(1000);
    expect({ ...built }).toEqual({ ...source });
    expect(js('real-tags.js')).toMatch(/^export const CommandGroupLength=0,.*,PatientName=1048592,/);
    expect(js('real-tags.js').length).toBeLessThan(readFileSync(join(pkg, 'real-tags.ts'), 'utf8').length / 3);
  });

  it('the declarations keep the doc comments (hovers) and the source layout', () => {
    const dts = readFileSync(join(pkg, 'dist', 'tags.d.ts'), 'utf8');
    expect(dts).toContain("/** Patient's Name (0010,0010) */");
    expect(dts).toContain('PatientName = 1048592');
  });
});
