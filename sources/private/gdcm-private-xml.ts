/**
 * GDCM's XML dictionaries. Three shapes occur:
 *  - `<dictionary creator="…"><tag group element vr vm>Name</tag>` (same as fo-dicom);
 *  - `<dict><entry owner="CREATOR" group="0019" element="xx10" vr vm name/>` (GDCM's private
 *    dictionary; `owner` makes the entry private);
 *  - `<dicts><dict><entry group element keyword vr vm name/>` (Part6.xml: the standard registry)
 *    and `<dict><entry name type vr vm description/>` (CSAHeader.xml: names of the fields inside the
 *    SIEMENS CSA HEADER blobs (0029,xx10)/(0029,xx20), which are not DICOM data elements).
 * Standard and CSA entries are skipped with accounting; every `<entry>` is one accounted row.
 */
import type { PrivateElement } from '../../generator/ir-private.ts';
import { privateKey } from '../../generator/ir-private.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import { addPrivateElement, finishAccount, UnitAccount } from './common.ts';
import { lineIndex, loadXml, privateElementFromFields, scrapeDictionaryTagElements } from './fo-dicom-private-xml.ts';

export function scrapeGdcmPrivateXml(text: string, ctx: ScrapeContext): void {
  const $ = loadXml(text);
  if ($('dictionary[creator] tag').length > 0) {
    scrapeDictionaryTagElements($, text, ctx, 'GDCM private dictionary');
    return;
  }
  const table = $('dicts').length > 0 ? 'GDCM data dictionary' : 'GDCM dictionary';
  const lineOf = lineIndex(text);
  const entries = $('entry').toArray();
  const account = new UnitAccount(ctx.source.file, table, entries.map((_, i) => i + 1), 'row');
  const seen = new Map<string, PrivateElement>();
  let standard = 0;
  let csa = 0;
  entries.forEach((el, i) => {
    const row = i + 1;
    const node = $(el);
    const line = lineOf(el.startIndex);
    const raw = ($.xml(el) ?? '').slice(0, 300);
    const owner = node.attr('owner');
    const group = node.attr('group');
    const element = node.attr('element');
    if (group === undefined && element === undefined) {
      csa++;
      return account.skipped(row, 'CSA header field (inside SIEMENS CSA HEADER (0029,xx10/xx20), not a data element)');
    }
    if (owner === undefined) {
      const g = /^[0-9A-Fa-f]{4}$/.test(group ?? '') ? parseInt(group!, 16) : undefined;
      if (g === undefined || g % 2 === 0) {
        standard++;
        return account.skipped(row, 'standard data element (the standard dictionary comes from PS3.6)');
      }
      account.rejected(row);
      diagnose(ctx, {
        severity: 'warning',
        code: 'private-no-creator',
        message: `${ctx.source.file} line ${line ?? '?'}: (${group},${element}) has an odd group but no owner (private creator); add owner="…"`,
        table,
        row,
        ...(line !== undefined ? { line } : {}),
        raw,
      });
      return;
    }
    const e = privateElementFromFields(
      ctx,
      { creator: owner, group, element, vr: node.attr('vr'), vm: node.attr('vm'), name: node.attr('name') ?? node.text(), keyword: node.attr('keyword'), retired: node.attr('retired') === 'true' },
      { table, row, line, raw },
    );
    if (e && addPrivateElement(ctx, e, seen, privateKey(e))) account.parsed(row);
    else account.rejected(row);
  });
  ctx.report.counts[`private.${ctx.source.id}.standardSkipped`] = standard;
  ctx.report.counts[`private.${ctx.source.id}.csaFieldsSkipped`] = csa;
  finishAccount(ctx, account, ctx.source.id, seen.size);
}
