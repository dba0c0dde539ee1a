/**
 * fo-dicom's private dictionary XML (`DICOM/Dictionaries/Private Dictionary.xml`, also the shape
 * GDCM-derived tools write):
 *
 *   <dictionaries><dictionary creator="ELSCINT1">
 *     <tag group="01f7" element="xx10" vr="OB" vm="1">Name</tag>
 *
 * `element` is `xxEE` (offset within whichever block the creator reserved) or `bbEE` (a fixed
 * element: block `bb` only). Every `<tag>` element is one accounted row.
 */
// cheerio/slim: the same htmlparser2 parse as cheerio's `xml` mode, without loading undici and parse5 (issue 13).
import { load, type CheerioAPI } from 'cheerio/slim';
import type { PrivateElement } from '../../generator/ir-private.ts';
import { privateKey } from '../../generator/ir-private.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import { cleanText } from '../common/text.ts';
import { addPrivateElement, finishAccount, isPlaceholderName, isVm, keywordFromName, parseVr, UnitAccount } from './common.ts';

export type XmlDoc = CheerioAPI;

export function loadXml(text: string): XmlDoc {
  return load(text, { xml: { xmlMode: true, withStartIndices: true } });
}

/** 1-based line of a character index (binary search over line starts). */
export function lineIndex(text: string): (index: number | null | undefined) => number | undefined {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (index) => {
    if (index === null || index === undefined) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export interface TagFields {
  creator: string | undefined;
  group: string | undefined;
  element: string | undefined;
  vr: string | undefined;
  vm: string | undefined;
  name: string;
  keyword?: string | undefined;
  retired?: boolean;
}

/**
 * Turn the attribute values of one private tag row into an IR entry, reporting every problem.
 * Shared by the fo-dicom and GDCM readers. Returns undefined (after reporting) when unusable.
 */
export function privateElementFromFields(
  ctx: ScrapeContext,
  f: TagFields,
  where: { table: string; row: number; line: number | undefined; raw: string },
): PrivateElement | undefined {
  const file = ctx.source.file;
  const at = `${file} ${where.line !== undefined ? `line ${where.line}` : `row ${where.row}`}`;
  const report = (severity: 'error' | 'warning' | 'info', code: string, message: string) =>
    diagnose(ctx, { severity, code, message: `${at}: ${message}`, table: where.table, row: where.row, ...(where.line !== undefined ? { line: where.line } : {}), raw: where.raw });
  if (f.creator === undefined || f.creator.trim() === '') {
    report('warning', 'private-creator-missing', 'private tag without a creator (expected inside <dictionary creator="…"> or with owner="…")');
    return undefined;
  }
  const group = (f.group ?? '').trim();
  const element = (f.element ?? '').trim();
  if (!/^[0-9A-Fa-f]{4}$/.test(group)) {
    report('warning', 'private-tag-syntax', `group "${group}" is not 4 hex digits`);
    return undefined;
  }
  const em = /^(xx|[0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$/i.exec(element);
  if (!em) {
    report('warning', 'private-tag-syntax', `element "${element}" is neither xxEE nor 4 hex digits`);
    return undefined;
  }
  const creator = f.creator.replace(/ +$/, '');
  const vrText = f.vr ?? '';
  const vr = parseVr(vrText);
  if (vr.unknown !== undefined) report('warning', 'private-vr-unknown', `VR "${vrText}" is not a PS3.5 VR; entry kept without a VR`);
  const vm = (f.vm ?? '').trim();
  if (vm !== '' && !isVm(vm)) report('warning', 'private-vm-syntax', `VM "${vm}" is not of the form 1, 1-n, 2-2n`);
  const name = cleanText(f.name);
  const keyword = f.keyword?.trim();
  const block = em[1]!.toLowerCase() === 'xx' ? undefined : em[1]!.toUpperCase();
  return {
    creator,
    group: group.toUpperCase(),
    offset: em[2]!.toUpperCase(),
    ...(block !== undefined ? { block } : {}),
    keyword: keyword || (isPlaceholderName(name) ? '' : keywordFromName(name)),
    ...(keyword ? {} : { keywordDerived: true }),
    name,
    vr: vr.vr,
    vm,
    retired: f.retired ?? false,
    prov: { source: ctx.source.id, table: where.table, row: where.row, ...(where.line !== undefined ? { line: where.line } : {}) },
    raw: where.raw,
  };
}

/** Read every `<dictionary creator><tag …>` of an already loaded document. */
export function scrapeDictionaryTagElements($: XmlDoc, text: string, ctx: ScrapeContext, table: string): number {
  const lineOf = lineIndex(text);
  const tags = $('tag').toArray();
  const account = new UnitAccount(ctx.source.file, table, tags.map((_, i) => i + 1), 'row');
  const seen = new Map<string, PrivateElement>();
  tags.forEach((el, i) => {
    const row = i + 1;
    const node = $(el);
    const line = lineOf(el.startIndex);
    const raw = ($.xml(el) ?? '').slice(0, 300);
    const dict = node.closest('dictionary');
    const creator = dict.length > 0 ? dict.attr('creator') : node.attr('owner');
    const e = privateElementFromFields(
      ctx,
      { creator, group: node.attr('group'), element: node.attr('element'), vr: node.attr('vr'), vm: node.attr('vm'), name: node.text(), keyword: node.attr('keyword'), retired: node.attr('retired') === 'true' },
      { table, row, line, raw },
    );
    if (e && addPrivateElement(ctx, e, seen, privateKey(e))) account.parsed(row);
    else account.rejected(row);
  });
  finishAccount(ctx, account, ctx.source.id, seen.size);
  return seen.size;
}

export function scrapeFoDicomPrivateXml(text: string, ctx: ScrapeContext): void {
  const $ = loadXml(text);
  scrapeDictionaryTagElements($, text, ctx, 'fo-dicom private dictionary');
}
