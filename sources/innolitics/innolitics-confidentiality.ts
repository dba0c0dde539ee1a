/**
 * innolitics `confidentiality_profile_attributes.json` (PS3.15 Table E.1-1) → `ir.deidentification`
 * and `ir.deidentificationOptions`.
 *
 * Records: `tag`, `name`, `id`, `stdCompIOD` (`Y`/`N`), `basicProfile` and one optional field per
 * option column, present only where the table has an action. Option ids are the ones the PS3.15
 * DocBook/HTML scraper uses, so both kinds of layer merge on equal keys. The mirror has no
 * "Retired" column: `retired` is taken from the same folder's attributes.json (a masked row is
 * retired when every element its mask covers is; false when no element matches, e.g. the private
 * attributes row).
 *
 * Tags: `(0008,0050)` → `00080050`, `(50XX,XXXX)` → `50xxxxxx`, and the private-attributes row
 * `(GGGG,EEEE) WHERE GGGG IS ODD` → `ggggeeee` (PRIVATE_ATTRIBUTES_TAG).
 */
import { cleanText } from '../common/text.ts';
import type { DeidentificationRow } from '../../generator/ir.ts';
import {
  checkShape,
  normalizeTag,
  provOf,
  RecordAccount,
  str,
  type InnoliticsContext,
  type InnoliticsFile,
} from './innolitics-json.ts';

/** The tag the IR uses for PS3.15's "(gggg,eeee) where gggg is odd" row. */
export const PRIVATE_ATTRIBUTES_TAG = 'ggggeeee';

/** innolitics field → IR option id, in PS3.15 Table E.1-1 column order. */
export const INNOLITICS_DEID_OPTIONS: readonly { field: string; id: string }[] = [
  { field: 'basicProfile', id: 'basicProfile' },
  { field: 'rtnSafePrivOpt', id: 'retainSafePrivate' },
  { field: 'rtnUIDsOpt', id: 'retainUids' },
  { field: 'rtnDevIdOpt', id: 'retainDeviceIdentity' },
  { field: 'rtnInstIdOpt', id: 'retainInstitutionIdentity' },
  { field: 'rtnPatCharsOpt', id: 'retainPatientCharacteristics' },
  { field: 'rtnLongFullDatesOpt', id: 'retainLongitudinalFullDates' },
  { field: 'rtnLongModifDatesOpt', id: 'retainLongitudinalModifiedDates' },
  { field: 'cleanDescOpt', id: 'cleanDescriptors' },
  { field: 'cleanStructContOpt', id: 'cleanStructuredContent' },
  { field: 'cleanGraphOpt', id: 'cleanGraphics' },
];

const SHAPE = {
  required: ['name', 'tag', 'id', 'stdCompIOD', 'basicProfile'],
  optional: INNOLITICS_DEID_OPTIONS.map((o) => o.field).filter((f) => f !== 'basicProfile'),
};

/** `X`, `Z`, `D`, `K`, `C`, `U` and composites (`X/Z/D`, `X/Z/U*`). */
const ACTION = /^[XZDKCU](\/[XZDKCU])*\*?$/;

function deidTag(raw: string): string | undefined {
  const t = cleanText(raw);
  if (/^\(gggg,\s*eeee\)\s+where\s+gggg\s+is\s+odd$/i.test(t)) return PRIVATE_ATTRIBUTES_TAG;
  return normalizeTag(t);
}

export function scrapeInnoliticsConfidentiality(file: InnoliticsFile, ctx: InnoliticsContext, retiredOf: ((tag: string) => boolean | undefined) | undefined): void {
  const account = new RecordAccount(file);
  const seen = new Map<string, number>();
  ctx.ir.deidentificationOptions = INNOLITICS_DEID_OPTIONS.map((o) => ({ id: o.id, header: o.field }));
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, SHAPE);
    const reject = (code: string, problem: string) => account.reject(ctx, i, rec, code, problem);
    const tag = deidTag(str(rec, 'tag'));
    if (!tag) return reject('invalid-tag', `tag "${str(rec, 'tag')}" is not (gggg,eeee)`);
    const first = seen.get(tag);
    if (first !== undefined) return reject('duplicate-tag', `tag ${tag} already listed by record ${first + 1}`);
    const std = cleanText(str(rec, 'stdCompIOD'));
    if (std !== 'Y' && std !== 'N' && std !== '') return reject('invalid-std-comp-iod', `stdCompIOD is "${std}", expected Y or N`);
    const actions: Record<string, string> = {};
    for (const o of INNOLITICS_DEID_OPTIONS) {
      if (!(o.field in rec)) continue;
      const code = cleanText(str(rec, o.field)).toUpperCase().replace(/\s+/g, '');
      if (code === '') continue;
      if (!ACTION.test(code)) return reject('invalid-action', `${o.field} "${str(rec, o.field)}" is not an action code`);
      actions[o.id] = code;
    }
    if (!actions.basicProfile) return reject('missing-basic-profile', 'no Basic Profile action');
    const row: DeidentificationRow = {
      tag,
      name: cleanText(str(rec, 'name')),
      retired: retiredOf?.(tag) ?? false,
      inStdCompIod: std === '' ? null : std === 'Y',
      actions,
      prov: provOf(file, i),
    };
    seen.set(tag, i);
    ctx.ir.deidentification.push(row);
    account.parsed(i);
  });
  account.finish(ctx);
}
