/**
 * innolitics `attributes.json` → `ir.dataElements`. One record per PS3.6 data element (Tables 6-1,
 * 7-1 and 8-1 together): `tag` `(0028,04X0)`, `name`, `keyword`, `valueRepresentation`
 * (`US or SS`, `See Note 2`, or empty on `RET - See Note` rows), `valueMultiplicity`, `retired`
 * `Y`/`N`, `id` (the tag in lower case without punctuation). Records without a keyword are the
 * standard's `RET - See Note` rows: skipped as reserved rows, with a warning.
 *
 * The mirror does not say which PS3.6 table an element came from; group 0002 is Table 7-1 (file
 * meta) and group 0004 Table 8-1 (directory), everything else Table 6-1.
 */
import { cleanText } from '../common/text.ts';
import type { DataElement, ElementTable } from '../../generator/ir.ts';
import {
  checkShape,
  diagnoseRecord,
  normalizeTag,
  provOf,
  RecordAccount,
  str,
  type InnoliticsContext,
  type InnoliticsFile,
} from './innolitics-json.ts';
import { parseVrCell } from '../common/dictionary-cells.ts';

const SHAPE = { required: ['tag', 'name', 'keyword', 'valueRepresentation', 'valueMultiplicity', 'retired', 'id'] };

function tableOfTag(tag: string): ElementTable {
  if (tag.startsWith('0002')) return 'file-meta';
  if (tag.startsWith('0004')) return 'directory';
  return 'data';
}

export { parseVrCell };

export function scrapeInnoliticsAttributes(file: InnoliticsFile, ctx: InnoliticsContext): void {
  const account = new RecordAccount(file);
  const seen = new Map<string, number>();
  file.records.forEach((rec, i) => {
    checkShape(file, i, rec, SHAPE);
    const reject = (code: string, problem: string) => account.reject(ctx, i, rec, code, problem);
    const tag = normalizeTag(str(rec, 'tag'));
    if (!tag) return reject('invalid-tag', `tag "${str(rec, 'tag')}" is not (gggg,eeee)`);
    if (str(rec, 'id').toLowerCase() !== tag.toLowerCase()) {
      return reject('id-mismatch', `id "${str(rec, 'id')}" does not match tag ${str(rec, 'tag')}`);
    }
    const first = seen.get(tag);
    if (first !== undefined) return reject('duplicate-tag', `tag ${tag} already defined by record ${first + 1}`);
    const retiredText = str(rec, 'retired');
    if (retiredText !== 'Y' && retiredText !== 'N') return reject('invalid-retired', `retired is "${retiredText}", expected Y or N`);
    const retired = retiredText === 'Y';
    const vrCell = parseVrCell(str(rec, 'valueRepresentation'));
    if (!vrCell) return reject('invalid-vr', `VR "${str(rec, 'valueRepresentation')}" is not a list of two-letter VRs`);
    const keyword = cleanText(str(rec, 'keyword'));
    if (keyword !== '' && !/^[A-Za-z][A-Za-z0-9]*$/.test(keyword)) return reject('invalid-keyword', `keyword "${keyword}" is not an identifier`);
    const name = cleanText(str(rec, 'name'));
    const vm = cleanText(str(rec, 'valueMultiplicity'));
    const el: DataElement = {
      tag,
      keyword,
      name,
      vr: vrCell.vr,
      vm,
      retired,
      table: tableOfTag(tag),
      prov: provOf(file, i),
    };
    // An empty VR cell is the standard's `RET - See Note` row: the VR is given only in a note.
    if (vrCell.seeNote || (vrCell.vr.length === 0 && retired)) el.vrSeeNote = true;
    else if (vrCell.vr.length === 0) return reject('missing-vr', 'VR is empty on an element that is not retired');
    seen.set(tag, i);
    if (keyword === '') {
      // PS3.6 `RET - See Note` rows: a reserved tag, not an entry (as the PS3.6 scraper treats them).
      diagnoseRecord(ctx, file, i, 'warning', 'reserved-row', `${tag} has a tag but no keyword${name === '' ? ' and no name' : ''}; a reserved row, not an entry`, rec);
      return account.skipped(i);
    }
    ctx.ir.dataElements.push(el);
    account.parsed(i);
  });
  account.finish(ctx);
}
