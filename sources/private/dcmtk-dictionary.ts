/**
 * DCMTK's text dictionary format (`private.dic`, `dicom.dic` of dcmdata): one entry per line,
 * `Tag<TAB>VR<TAB>Name<TAB>VM<TAB>Version`, `#` comments. Private entries write the creator into
 * the tag: `(gggg,"CREATOR",ee)` (offset within whatever block the creator reserved),
 * `(gggg,"CREATOR",eeee)` (fixed element, so fixed block `ee` high byte), odd group ranges
 * `(gggg-o-gggg,…)` and element ranges `…,ee-ee)`.
 *
 * Standard entries (`(0010,0010)`, dicom.dic) are skipped with accounting: the standard dictionary
 * comes from PS3.6 itself, so they are not used here (not even as a cross-check, which is the
 * standard family's business). A standard-form tag with an odd group has no creator and cannot be
 * a dictionary entry: it is rejected and reported.
 */
import { readFileSync } from 'node:fs';
import type { PrivateElement } from '../../generator/ir-private.ts';
import { inputError } from '../common/errors.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import { addPrivateElement, finishAccount, isPlaceholderName, isVm, nameFromKeyword, parseVr, UnitAccount } from './common.ts';
import { privateKey } from '../../generator/ir-private.ts';

const TABLE = 'DCMTK dictionary';

const PRIVATE_TAG =
  /^\(([0-9A-Fa-f]{4})(?:-([oOeEuU])?-?([0-9A-Fa-f]{4}))?,"([^"]*)",([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})(?:-([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}))?\)$/;
const STANDARD_TAG = /^\(([0-9A-Fa-f]{4})(?:-(?:[oOeEuU]-)?([0-9A-Fa-f]{4}))?,([0-9A-Fa-f]{4})(?:-(?:[oOeEuU]-)?([0-9A-Fa-f]{4}))?\)$/;

export function scrapeDcmtkDictionary(text: string, ctx: ScrapeContext): void {
  const file = ctx.source.file;
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const account = new UnitAccount(file, TABLE, lines.map((_, i) => i + 1), 'line');
  const seen = new Map<string, PrivateElement>();
  let standard = 0;

  const reject = (line: number, raw: string, code: string, message: string, severity: 'error' | 'warning' = 'warning') => {
    account.rejected(line);
    diagnose(ctx, { severity, code, message: `${file} line ${line}: ${message}`, table: TABLE, line, raw });
  };

  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '') return account.skipped(line, 'blank line');
    if (trimmed.startsWith('#')) return account.skipped(line, 'comment');
    const fields = trimmed.split(/\t+/).map((f) => f.trim());
    const tagText = fields[0]!;
    const std = STANDARD_TAG.exec(tagText);
    if (std) {
      const group = parseInt(std[1]!, 16);
      const element = parseInt(std[3]!, 16);
      const elementLast = std[4] !== undefined ? parseInt(std[4], 16) : element;
      if (group % 2 === 1 && std[2] !== undefined && (element === 0 || (element >= 0x10 && elementLast <= 0xff))) {
        // dicom.dic's generic (gggg-o-gggg,0000) group length and (gggg-o-gggg,0010-u-00FF) creator rows.
        return account.skipped(line, 'generic private group length / private creator reservation entry');
      }
      if (group % 2 === 0) {
        standard++;
        return account.skipped(line, 'standard data element (the standard dictionary comes from PS3.6)');
      }
      return reject(line, rawLine, 'private-no-creator', `${tagText} has an odd group but no private creator; write it as (gggg,"CREATOR",ee)`);
    }
    const m = PRIVATE_TAG.exec(tagText);
    if (!m) {
      if (/^\(/.test(tagText)) return reject(line, rawLine, 'private-tag-syntax', `cannot read tag "${tagText}" (expected (gggg,"CREATOR",ee) or (gggg,eeee))`);
      return reject(line, rawLine, 'dcmtk-line-syntax', `not a dictionary entry (expected Tag<TAB>VR<TAB>Name<TAB>VM<TAB>Version)`);
    }
    if (fields.length < 4) {
      return reject(line, rawLine, 'dcmtk-line-fields', `${fields.length} tab-separated fields, expected 5 (Tag, VR, Name, VM, Version)`);
    }
    if (fields.length === 4) {
      diagnose(ctx, { severity: 'info', code: 'dcmtk-no-version', message: `${file} line ${line}: no Version field; read as a current private entry`, table: TABLE, line, raw: rawLine });
    }
    const [, g1, rangeKind, g2, creatorRaw, el1, el2] = m;
    const vrText = fields[1]!;
    const keyword = fields[2]!;
    const vm = fields[3]!;
    const version = fields[4] ?? '';
    const creator = creatorRaw!.replace(/ +$/, '');
    if (creator !== creatorRaw) {
      diagnose(ctx, { severity: 'info', code: 'private-creator-padding', message: `${file} line ${line}: trailing spaces of creator "${creatorRaw}" ignored`, table: TABLE, line, raw: rawLine });
    }
    if (g2 !== undefined && rangeKind !== undefined && /[eE]/.test(rangeKind)) {
      return reject(line, rawLine, 'private-group-even', `group range ${g1}-e-${g2} covers even groups only; private groups are odd (PS3.5 §7.8.1)`);
    }
    if (g2 !== undefined && rangeKind === undefined) {
      diagnose(ctx, { severity: 'info', code: 'private-group-range', message: `${file} line ${line}: group range ${g1}-${g2} read as its odd groups only`, table: TABLE, line, raw: rawLine });
    }
    let block: string | undefined;
    let offset: string;
    let offsetLast: string | undefined;
    if (el1!.length === 4) {
      block = el1!.slice(0, 2).toUpperCase();
      offset = el1!.slice(2).toUpperCase();
      if (el2 !== undefined) {
        if (el2.length !== 4 || el2.slice(0, 2).toUpperCase() !== block) {
          return reject(line, rawLine, 'private-element-range', `element range ${el1}-${el2} crosses blocks; a private element range must stay inside one block`);
        }
        offsetLast = el2.slice(2).toUpperCase();
      }
    } else {
      offset = el1!.toUpperCase();
      if (el2 !== undefined) {
        if (el2.length !== 2) return reject(line, rawLine, 'private-element-range', `element range ${el1}-${el2} mixes offset and fixed element forms`);
        offsetLast = el2.toUpperCase();
      }
    }
    const vr = parseVr(vrText);
    if (vr.unknown !== undefined) {
      diagnose(ctx, { severity: 'warning', code: 'private-vr-unknown', message: `${file} line ${line}: VR "${vrText}" is not a PS3.5 VR; entry kept without a VR`, table: TABLE, line, raw: rawLine });
    } else if (['ox', 'xs', 'lt', 'px'].includes(vrText)) {
      diagnose(ctx, { severity: 'info', code: 'dcmtk-pseudo-vr', message: `${file} line ${line}: DCMTK pseudo-VR "${vrText}" read as ${vr.vr.join(' or ')}`, table: TABLE, line, raw: rawLine });
    }
    if (!isVm(vm)) {
      diagnose(ctx, { severity: 'warning', code: 'private-vm-syntax', message: `${file} line ${line}: VM "${vm}" is not of the form 1, 1-n, 2-2n`, table: TABLE, line, raw: rawLine });
    }
    const e: PrivateElement = {
      creator,
      group: g1!.toUpperCase(),
      ...(g2 !== undefined ? { groupLast: g2.toUpperCase() } : {}),
      offset,
      ...(offsetLast !== undefined ? { offsetLast } : {}),
      ...(block !== undefined ? { block } : {}),
      // DCMTK writes `Unknown` where it has no name: kept as the name, never as a keyword.
      keyword: isPlaceholderName(keyword) ? '' : keyword,
      name: isPlaceholderName(keyword) ? keyword : nameFromKeyword(keyword),
      nameDerived: true,
      vr: vr.vr,
      vm,
      retired: /retired/i.test(version),
      prov: { source: ctx.source.id, table: TABLE, line },
      raw: rawLine,
    };
    if (addPrivateElement(ctx, e, seen, privateKey(e))) {
      account.parsed(line);
    } else {
      account.rejected(line);
    }
  });
  ctx.report.counts[`private.${ctx.source.id}.standardSkipped`] = standard;
  finishAccount(ctx, account, ctx.source.id, seen.size);
}

export function scrapeDcmtkDictionaryFile(path: string, ctx: ScrapeContext): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw inputError(path, `cannot read DCMTK dictionary (${(err as Error).message})`, 'Check the path given for the private dictionary source');
  }
  scrapeDcmtkDictionary(text, ctx);
}
