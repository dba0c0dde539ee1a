/**
 * Hardening of inputs (docs/hardening.md, groups 8, 9, 10, 11): no crash on `__proto__`, one-line
 * config errors with a location, BOMs accepted in every JSON input, selections that name nothing
 * refused naming the flag, empty or missing mirror files and over-long creators reported.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../generator/cli.ts';
import type { CliIo } from '../generator/commands/index.ts';
import { buildIr, loadIrSnapshot } from '../generator/pipeline.ts';
import { loadConfig } from '../generator/config.ts';
import { scrapeOverrides } from '../sources/overrides.ts';
import { scrapeInnoliticsFolder } from '../sources/innolitics/index.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtempSync(join(tmpdir(), 'dictgen-harden-in-'));
const BOM = '\uFEFF';
const ctx = () => ({ ir: emptyIr(), report: emptyReport(), layer: 'l' });

async function cli(argv: string[], cwd: string): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = { stdout: () => {}, stderr: (s) => (err += s), isTTY: false, cwd };
  return { code: await main(argv, io), err };
}

function innoliticsCopy(edit: (dir: string) => void): string {
  const d = join(tmp(), 'mirror-2024b');
  mkdirSync(d);
  const src = join(fixtures, 'innolitics', 'mini-2024b');
  for (const f of ['attributes.json', 'ciods.json', 'modules.json', 'macros.json', 'ciod_to_modules.json', 'ciod_to_func_group_macros.json', 'sops.json', 'confidentiality_profile_attributes.json']) copyFileSync(join(src, f), join(d, f));
  edit(d);
  return d;
}

describe('group 8: no crash on JavaScript machinery in inputs', () => {
  it.each([
    ['{"__proto__": {}}', /"__proto__" is not allowed/],
    ['{"dataElements": {"(0010,0010)": {"name": "X", "why": "w", "__proto__": {"polluted": 1}}}}', /"__proto__" is not allowed/],
    ['{"constructor": {}}', /"constructor" is not allowed/],
    ['{"toString": {}}', /toString: is not a family overrides can patch/],
  ])('overrides %s: one-line input error', (json, message) => {
    const d = tmp();
    writeFileSync(join(d, 'site.overrides.json'), json);
    expect(() => scrapeOverrides(join(d, 'site.overrides.json'), ctx())).toThrow(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an overrides field named toString is refused as an unknown field', () => {
    const d = tmp();
    writeFileSync(join(d, 'site.overrides.json'), '{"dataElements": {"(0010,0010)": {"toString": "x", "why": "w"}}}');
    expect(() => scrapeOverrides(join(d, 'site.overrides.json'), ctx())).toThrow(/toString: is not a field overrides can set/);
  });

  it('a config with "__proto__" is refused', async () => {
    const d = tmp();
    writeFileSync(join(d, 'c.json'), '{"__proto__": {"layers": []}, "layers": []}');
    await expect(loadConfig(join(d, 'c.json'))).rejects.toThrow(/c\.json: the key "__proto__" is not allowed/);
  });

  it('a .ts config exporting a rejected promise gives a one-line error, no unhandled rejection', async () => {
    const d = tmp();
    writeFileSync(join(d, 'dicom-dictgen.config.mjs'), 'export default Promise.reject(new Error("no layers today"));\n');
    const r = await cli(['generate', '--config', 'dicom-dictgen.config.mjs', '--out', 'pkg', '-q'], d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dicom-dictgen: .*dicom-dictgen\.config\.mjs: cannot be loaded \(no layers today\)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a .ts config with a syntax error names the line and column', async () => {
    const d = tmp();
    writeFileSync(join(d, 'broken.config.ts'), 'export default {\n  layers: [\n    { name: "x", kind: ,\n  ],\n};\n');
    await expect(loadConfig(join(d, 'broken.config.ts'))).rejects.toThrow(/broken\.config\.ts: cannot be loaded \(.*broken\.config\.ts:3:\d+: ERROR: /);
  });
});

describe('group 9: input errors are one line without the file content', () => {
  it('garbage *.ir.json does not echo its content', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.ir.json'), 'secret-token-1234 and more garbage');
    let msg = '';
    try {
      loadIrSnapshot(join(d, 'x.ir.json'));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/x\.ir\.json: not valid JSON/);
    expect(msg).not.toContain('secret-token');
  });

  it('a JSON null IR snapshot is an input error, not a TypeError', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.ir.json'), 'null');
    expect(() => loadIrSnapshot(join(d, 'x.ir.json'))).toThrow(/IR version undefined is not the supported version/);
  });
});

describe('group 10: a UTF-8 BOM is accepted in every JSON input', () => {
  it('config', async () => {
    const d = tmp();
    mkdirSync(join(d, 'nema'));
    copyFileSync(join(fixtures, 'nema', 'part06-mini.xml'), join(d, 'nema', 'part06.xml'));
    writeFileSync(join(d, 'c.json'), `${BOM}{"layers": [{"name": "n", "kind": "nema", "path": "./nema"}]}`);
    expect((await loadConfig(join(d, 'c.json'))).layers).toHaveLength(1);
  });

  it('overrides', () => {
    const d = tmp();
    writeFileSync(join(d, 'site.overrides.json'), BOM + readFileSync(join(fixtures, 'config', 'local.overrides.json'), 'utf8'));
    expect(scrapeOverrides(join(d, 'site.overrides.json'), ctx()).counts.dataElements).toBe(2);
  });

  it('*.private.json and innolitics', async () => {
    const d = tmp();
    writeFileSync(join(d, 'x.private.json'), BOM + readFileSync(join(fixtures, 'private', 'invalid-elements.private.json'), 'utf8'));
    const priv = await buildIr({ sources: [join(d, 'x.private.json')], acceptErrors: true });
    expect(priv.ir.privateDictionaries?.elements.length).toBeGreaterThan(0);
    const inno = innoliticsCopy((dir) => writeFileSync(join(dir, 'attributes.json'), BOM + readFileSync(join(dir, 'attributes.json'), 'utf8')));
    const c = ctx();
    scrapeInnoliticsFolder(inno, c);
    expect(c.ir.dataElements.length).toBeGreaterThan(0);
  });
});

describe('group 11: selections and mirrors that give nothing are reported', () => {
  const src = () => {
    const d = tmp();
    mkdirSync(join(d, 'src'));
    copyFileSync(join(fixtures, 'nema', 'part06-mini.xml'), join(d, 'src', 'part06.xml'));
    copyFileSync(join(fixtures, 'private', 'acme.dic'), join(d, 'src', 'acme.dic'));
    return d;
  };
  it.each([
    [['--families', 'bogus'], /--families: "bogus" is not an output family.*Known: /],
    [['--families', ','], /--families: the list is empty/],
    [['--iods', 'nope'], /--iods: "nope" is not an IOD of these sources/],
    [['--creators', 'NOPE'], /--creators: "NOPE" is not a private creator of these sources.*ACME 1\.1/],
    [['--cids', '7151'], /--cids: "7151" is not a context group of these sources/],
  ])('%s exits 2 naming the flag', async (flags, message) => {
    const d = src();
    const r = await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--no-format', ...flags], d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('--creators naming a known creator still works', async () => {
    const d = src();
    expect((await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--no-format', '--creators', 'ACME 1.1'], d)).code).toBe(0);
  });

  it('an empty innolitics attributes.json and a missing sops.json warn', () => {
    const d2 = innoliticsCopy(() => {});
    const c = ctx();
    writeFileSync(join(d2, 'attributes.json'), '[]');
    rmSync(join(d2, 'sops.json'));
    scrapeInnoliticsFolder(d2, c);
    const w = c.report.diagnostics.filter((x) => x.severity === 'warning').map((x) => `${x.code} ${x.file}`);
    expect(w).toContain('file-empty attributes.json');
    expect(w).toContain('file-missing sops.json');
  });

  it('a 300-character creator from a .dic file is rejected as from JSON', async () => {
    const d = tmp();
    const creator = 'C'.repeat(300);
    writeFileSync(join(d, 'long.dic'), `(0019,"${creator}",10)\tDS\tSliceFactor\t1\tPrivateTag\n(0019,"SHORT",10)\tDS\tSliceFactor\t1\tPrivateTag\n`);
    const { ir, report, blocking } = await buildIr({ sources: [join(d, 'long.dic')] });
    expect(report.diagnostics.find((x) => x.code === 'private-creator-too-long')?.severity).toBe('error');
    expect(blocking).toBe(true);
    expect(ir.privateDictionaries?.elements.map((e) => e.creator)).toEqual(['SHORT']);
  });
});
