/**
 * innolitics `sops.json` → `ir.uids` (type `SOP Class`) and `ir.iods.sopClasses` (SOP class → IOD).
 * Records: `name` (SOP class name), `id` (the UID), `ciod` (the IOD's name). The mirror has no UID
 * keyword, so the keyword is derived from the name the way PS3.6 forms keywords (`keywordDerived`).
 *
 * 2024a names eleven IODs by another spelling than ciods.json does (`CR Image` for `Computed
 * Radiography Image`); those resolve through the SOP class name (`… Image Storage` → `… Image`)
 * and are reported as `workaround-applied`.
 */
import { cleanText } from '../common/text.ts';
import { iodId, keywordFromName } from '../common/iod-names.ts';
import type { UidEntry } from '../../generator/ir.ts';
import {
  checkShape,
  diagnoseRecord,
  provOf,
  RecordAccount,
  str,
  type InnoliticsContext,
  type InnoliticsFile,
} from './innolitics-json.ts';
import { isValidUid } from '../common/dictionary-cells.ts';

const SHAPE = { required: ['name', 'id', 'ciod'] };

export { isValidUid };

/** IOD names → ids from ciods.json; when ciods.json is absent the ids are derived from the names. */
export interface IodNameIndex {
  byName: Map<string, string>;
  ids: Set<string>;
  /** innolitics ids that differ from the derived id → the derived id. */
  aliases: Map<string, string>;
}

function resolveIod(ciod: string, sopName: string, index: IodNameIndex | undefined): { id: string; via: 'name' | 'id' | 'sop-name' | 'derived' } | undefined {
  if (!index) return { id: iodId(ciod), via: 'derived' };
  const exact = index.byName.get(ciod);
  if (exact) return { id: exact, via: 'name' };
  if (index.ids.has(iodId(ciod))) return { id: iodId(ciod), via: 'id' };
  const fromSop = iodId(sopName.replace(/\s+Storage\b.*$/i, ''));
  if (index.ids.has(fromSop)) return { id: fromSop, via: 'sop-name' };
  return undefined;
}

export function scrapeInnoliticsSopClasses(file: InnoliticsFile, ctx: InnoliticsContext, iods: IodNameIndex | undefined): void {
  const account = new RecordAccount(file);
  const seen = new Map<string, number>();
  const section = (ctx.ir.iods ??= { iods: [], modules: [], sopClasses: [] });
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, SHAPE);
    const reject = (code: string, problem: string) => account.reject(ctx, i, rec, code, problem);
    const uid = cleanText(str(rec, 'id'));
    if (!isValidUid(uid)) return reject('invalid-uid', `"${str(rec, 'id')}" is not a valid UID`);
    const first = seen.get(uid);
    if (first !== undefined) return reject('duplicate-uid', `UID ${uid} already listed by record ${first + 1}`);
    const name = cleanText(str(rec, 'name'));
    if (name === '') return reject('empty-name', 'SOP class has no name');
    const ciod = cleanText(str(rec, 'ciod'));
    const iod = resolveIod(ciod, name, iods);
    if (!iod) return reject('unknown-iod', `IOD "${ciod}" is not in ciods.json`);
    if (iod.via === 'sop-name' || iod.via === 'id') {
      diagnoseRecord(ctx, file, i, 'warning', 'workaround-applied', `IOD "${ciod}" is not a ciods.json name; resolved to ${iod.id} through the ${iod.via === 'id' ? 'IOD id' : 'SOP class name'}`, rec);
    }
    const prov = provOf(file, i);
    const entry: UidEntry = {
      uid,
      name,
      keyword: keywordFromName(name),
      keywordDerived: true,
      type: 'SOP Class',
      typeText: 'SOP Class',
      retired: /\(Retired\)$/i.test(name),
      prov,
    };
    seen.set(uid, i);
    ctx.ir.uids.push(entry);
    section.sopClasses.push({ uid, sopClass: name, iod: iod.id, prov });
    account.parsed(i);
  });
  account.finish(ctx);
}
