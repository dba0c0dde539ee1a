/**
 * innolitics `ciods.json`, `modules.json`, `macros.json`, `ciod_to_modules.json` and
 * `ciod_to_func_group_macros.json` → `ir.iods` (generator/ir-iods.ts).
 *
 * The mirror lists IODs with their modules (IE, usage, condition) and the functional group macros
 * of the enhanced multi-frame IODs, and names every module and macro, but it has no module →
 * attribute table: every ModuleDef comes without `rows` and every IOD is `incomplete`.
 *
 * Kept: ids, names, PS3.3 table labels (from `linkToStandard`), usage. No `section`: the links
 * point at NEMA's chunked HTML pages (`sect_C.7.html` for the Patient Module, whose section is
 * C.7.1.1), not at the section that holds the table. Left out on purpose: the
 * `description` HTML and the `conditionalStatement` text (prose of the standard; the committed IR
 * snapshot holds facts only). A usage `C` without a condition, or a condition on `M`/`U`, is
 * reported.
 *
 * Ids: IOD ids are `iodId(name)` (identical to innolitics' own ids in 2024a/2024b, checked);
 * module and macro ids are innolitics' with runs of `-` collapsed (`image---equipment-…` →
 * `image-equipment-…`) so they match `iodId` of the name. Module and macro ids may coincide
 * (`image-pixel` is both): a ModuleDef is identified by `kind` + `id`.
 */
import { cleanText } from '../common/text.ts';
import { iodId, iodTypeName } from '../common/iod-names.ts';
import type { FunctionalGroupRef, Iod, IodModuleRef, IodSection, ModuleDef, ModuleUsage } from '../../generator/ir-iods.ts';
import {
  checkShape,
  diagnoseRecord,
  provOf,
  RecordAccount,
  str,
  type InnoliticsContext,
  type InnoliticsFile,
  type JsonRecord,
} from './innolitics-json.ts';
import type { IodNameIndex } from './innolitics-sop-classes.ts';

const DEF_SHAPE = { required: ['name', 'id', 'description', 'linkToStandard'] };
const MODULE_REF_SHAPE = { required: ['ciodId', 'moduleId', 'usage', 'conditionalStatement', 'informationEntity'], nullable: ['conditionalStatement'] };
const MACRO_REF_SHAPE = { required: ['ciodId', 'macroId', 'usage', 'conditionalStatement', 'moduleType'], nullable: ['conditionalStatement'] };
/** `moduleType` of ciod_to_func_group_macros.json: the module whose macro table lists the macro. */
const FUNCTIONAL_GROUP_MODULE_TYPES = new Set(['Multi-frame', 'Current Frame']);

function section(ctx: InnoliticsContext): IodSection {
  return (ctx.ir.iods ??= { iods: [], modules: [], sopClasses: [] });
}

/** `…/sect_A.2.3.html#table_A.2-1` → `A.2-1`; undefined when the link does not point at a table. */
export function tableLabelFromLink(link: string): string | undefined {
  const m = /#table_([A-Za-z0-9.\-]+)$/.exec(link.trim());
  return m ? m[1] : undefined;
}

/** Innolitics module/macro id → IR id (runs of `-` collapsed). */
export function moduleIdOf(innoliticsId: string): string {
  return innoliticsId.replace(/-{2,}/g, '-');
}

/** ciods.json → Iod entries (modules and functional groups are filled from the relation files). */
export function scrapeInnoliticsCiods(file: InnoliticsFile, ctx: InnoliticsContext): IodNameIndex {
  const account = new RecordAccount(file);
  const index: IodNameIndex = { byName: new Map(), ids: new Set(), aliases: new Map() };
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, DEF_SHAPE);
    const name = cleanText(str(rec, 'name'));
    const id = iodId(name);
    if (name === '') {
      diagnoseRecord(ctx, file, i, 'error', 'empty-name', 'IOD has no name', rec);
      return account.rejected(i);
    }
    if (index.ids.has(id)) {
      diagnoseRecord(ctx, file, i, 'error', 'duplicate-iod', `IOD id ${id} already defined`, rec);
      return account.rejected(i);
    }
    if (str(rec, 'id') !== id) {
      diagnoseRecord(ctx, file, i, 'warning', 'id-mismatch', `innolitics id "${str(rec, 'id')}" differs from the id derived from the name (${id}); using ${id}`, rec);
      index.aliases.set(str(rec, 'id'), id);
    }
    const iod: Iod = {
      id,
      name,
      typeName: iodTypeName(name),
      modules: [],
      functionalGroups: [],
      incomplete: true,
      prov: provOf(file, i),
    };
    const table = tableLabelFromLink(str(rec, 'linkToStandard'));
    if (table) iod.table = table;
    index.byName.set(name, id);
    index.ids.add(id);
    section(ctx).iods.push(orderIod(iod));
    account.parsed(i);
  });
  account.finish(ctx);
  return index;
}

/** Key order of an Iod as ir-iods.ts declares it (stable JSON snapshots). */
function orderIod(iod: Iod): Iod {
  const { id, name, typeName, table, modules, functionalGroups, incomplete, prov } = iod;
  return { id, name, typeName, ...(table === undefined ? {} : { table }), modules, functionalGroups, incomplete, prov };
}

/** modules.json / macros.json → ModuleDef without rows. Returns the innolitics ids seen. */
export function scrapeInnoliticsModuleDefs(file: InnoliticsFile, ctx: InnoliticsContext, kind: 'module' | 'macro'): Set<string> {
  const account = new RecordAccount(file);
  const ids = new Set<string>();
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, DEF_SHAPE);
    const name = cleanText(str(rec, 'name'));
    const rawId = str(rec, 'id');
    if (name === '' || !/^[a-z0-9]+(-+[a-z0-9]+)*$/.test(rawId)) {
      diagnoseRecord(ctx, file, i, 'error', 'invalid-id', `${kind} "${name}" has no usable id ("${rawId}")`, rec);
      return account.rejected(i);
    }
    if (ids.has(rawId)) {
      diagnoseRecord(ctx, file, i, 'error', `duplicate-${kind}`, `${kind} id ${rawId} already defined`, rec);
      return account.rejected(i);
    }
    const table = tableLabelFromLink(str(rec, 'linkToStandard'));
    const def: ModuleDef = { id: moduleIdOf(rawId), name, kind, ...(table ? { table } : {}), prov: provOf(file, i) };
    ids.add(rawId);
    section(ctx).modules.push(def);
    account.parsed(i);
  });
  account.finish(ctx);
  return ids;
}

function parseUsage(u: string): ModuleUsage | undefined {
  const t = cleanText(u);
  return t === 'M' || t === 'U' || t === 'C' ? t : undefined;
}

/**
 * The IOD a relation record points at. 2024a's ciod_to_func_group_macros.json says `photoacoustic`
 * for `photoacoustic-image`: an unknown id that is the unique prefix of a known one resolves to it,
 * reported as `workaround-applied`.
 */
function findIod(ctx: InnoliticsContext, file: InnoliticsFile, i: number, rec: JsonRecord, byId: Map<string, Iod>, ciodId: string, index: IodNameIndex | undefined): Iod | undefined {
  const direct = byId.get(index?.aliases.get(ciodId) ?? ciodId);
  if (direct) return direct;
  const candidates = [...byId.keys()].filter((k) => k.startsWith(`${ciodId}-`));
  if (candidates.length === 1) {
    diagnoseRecord(ctx, file, i, 'warning', 'workaround-applied', `IOD id "${ciodId}" is not in ciods.json; resolved to ${candidates[0]} (its unique extension)`, rec);
    return byId.get(candidates[0]!);
  }
  return undefined;
}

function checkCondition(ctx: InnoliticsContext, file: InnoliticsFile, i: number, rec: JsonRecord, usage: ModuleUsage): void {
  const hasCondition = typeof rec.conditionalStatement === 'string' && cleanText(rec.conditionalStatement) !== '';
  if (usage === 'C' && !hasCondition) diagnoseRecord(ctx, file, i, 'warning', 'missing-condition', 'usage C without a condition', rec);
  if (usage !== 'C' && hasCondition) diagnoseRecord(ctx, file, i, 'warning', 'unexpected-condition', `usage ${usage} with a condition`, rec);
}

/** The condition text of a usage C reference (prose: parsed into `when`, stripped from snapshots). */
function conditionOf(rec: JsonRecord, usage: ModuleUsage): { condition?: string } {
  const text = typeof rec.conditionalStatement === 'string' ? cleanText(rec.conditionalStatement) : '';
  return usage === 'C' && text !== '' ? { condition: text } : {};
}

/** ciod_to_modules.json → Iod.modules, in file order. */
export function scrapeInnoliticsCiodModules(file: InnoliticsFile, ctx: InnoliticsContext, index: IodNameIndex | undefined, moduleIds: Set<string> | undefined): void {
  const account = new RecordAccount(file);
  const byId = new Map(section(ctx).iods.map((x) => [x.id, x]));
  const seen = new Map<string, number>();
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, MODULE_REF_SHAPE);
    const reject = (code: string, problem: string) => account.reject(ctx, i, rec, code, problem);
    const ciodId = str(rec, 'ciodId');
    const rawModule = str(rec, 'moduleId');
    const iod = findIod(ctx, file, i, rec, byId, ciodId, index);
    if (!iod) return reject('unknown-iod', `IOD "${ciodId}" is not in ciods.json`);
    const usage = parseUsage(str(rec, 'usage'));
    if (!usage) return reject('invalid-usage', `usage "${str(rec, 'usage')}" is not M, U or C`);
    const ie = cleanText(str(rec, 'informationEntity'));
    if (ie === '') return reject('empty-ie', 'no Information Entity');
    const key = `${iod.id} ${rawModule}`;
    const first = seen.get(key);
    if (first !== undefined) return reject('duplicate-module-ref', `module ${rawModule} already listed for ${iod.id} by record ${first + 1}`);
    if (moduleIds && !moduleIds.has(rawModule)) {
      diagnoseRecord(ctx, file, i, 'warning', 'unresolved-module', `module "${rawModule}" of ${iod.id} is not in modules.json; the reference is kept`, rec);
    }
    checkCondition(ctx, file, i, rec, usage);
    const ref: IodModuleRef = { ie, module: moduleIdOf(rawModule), usage, ...conditionOf(rec, usage), prov: provOf(file, i) };
    seen.set(key, i);
    iod.modules.push(ref);
    account.parsed(i);
  });
  account.finish(ctx);
}

/** `Shall not be used as a Shared Functional Group` → per-frame only; `… as a Per-frame Functional Group` → shared only. */
export function functionalGroupPlacement(text: string): 'shared' | 'per-frame' | undefined {
  if (/not be used as a Shared/i.test(text)) return 'per-frame';
  if (/not be used as a Per[- ]?Frame/i.test(text)) return 'shared';
  return undefined;
}

/** ciod_to_func_group_macros.json → Iod.functionalGroups, in file order. */
export function scrapeInnoliticsFunctionalGroups(file: InnoliticsFile, ctx: InnoliticsContext, index: IodNameIndex | undefined, macroIds: Set<string> | undefined): void {
  const account = new RecordAccount(file);
  const byId = new Map(section(ctx).iods.map((x) => [x.id, x]));
  const seen = new Map<string, number>();
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, MACRO_REF_SHAPE);
    const reject = (code: string, problem: string) => account.reject(ctx, i, rec, code, problem);
    const ciodId = str(rec, 'ciodId');
    const rawMacro = str(rec, 'macroId');
    const iod = findIod(ctx, file, i, rec, byId, ciodId, index);
    if (!iod) return reject('unknown-iod', `IOD "${ciodId}" is not in ciods.json`);
    const usage = parseUsage(str(rec, 'usage'));
    if (!usage) return reject('invalid-usage', `usage "${str(rec, 'usage')}" is not M, U or C`);
    if (!FUNCTIONAL_GROUP_MODULE_TYPES.has(str(rec, 'moduleType'))) {
      return reject('invalid-module-type', `moduleType "${str(rec, 'moduleType')}" is neither Multi-frame nor Current Frame`);
    }
    const key = `${iod.id} ${rawMacro}`;
    const first = seen.get(key);
    if (first !== undefined) return reject('duplicate-macro-ref', `macro ${rawMacro} already listed for ${iod.id} by record ${first + 1}`);
    if (macroIds && !macroIds.has(rawMacro)) {
      diagnoseRecord(ctx, file, i, 'warning', 'unresolved-macro', `macro "${rawMacro}" of ${iod.id} is not in macros.json; the reference is kept`, rec);
    }
    checkCondition(ctx, file, i, rec, usage);
    const ref: FunctionalGroupRef = { macro: moduleIdOf(rawMacro), usage, ...conditionOf(rec, usage), prov: provOf(file, i) };
    // The placement fact the PS3.3 scraper reads from the usage cell, here in the condition text.
    const placement = functionalGroupPlacement(typeof rec.conditionalStatement === 'string' ? rec.conditionalStatement : '');
    if (placement) ref.placement = placement;
    seen.set(key, i);
    iod.functionalGroups.push(ref);
    account.parsed(i);
  });
  account.finish(ctx);
}
