/**
 * Validation of the IR before anything is emitted. Nothing is dropped or fixed here: every invalid
 * entry is reported (source, file, table, row, reason, raw values) and stays in the IR; known
 * source defects are corrected only by sources/workarounds.ts, which reports what it did.
 *
 * What blocks generation (error + `blocking: true`) and why:
 * - a tag that is not 8 upper-case hex digits / `x` masks, or a tag listed twice: lookups would be
 *   wrong or ambiguous;
 * - a keyword that is empty or not a safe TypeScript identifier: it cannot become an export;
 * - two non-retired data elements (or two non-retired UIDs of one namespace) with one keyword: the
 *   generated module would export one name twice and not compile;
 * - a VR code that is not two capital letters, or (when PS3.5 was read) not in PS3.5 Table 6.2-1:
 *   the `VR` union would not contain it;
 * - a UID that breaks the PS3.5 §9 grammar (≤ 64 characters, digits and dots, non-empty components,
 *   no leading zero in a multi-digit component), or a SOP class / meta SOP class / transfer syntax
 *   outside the DICOM root `1.2.840.10008`: the constant would carry a wrong value into user code.
 *   Such a defect needs a workaround entry (with its test) or a corrected source.
 *
 * - a VM outside the forms 1, 1-n, 2-2n, 1-32 (`1-`): it would reach user code verbatim.
 *
 * Reported but not blocking (warning): a keyword shared by a retired and another entry (the
 * emitters keep the non-retired one, or the first in tag/UID order, in `Tag`/namespaces; every
 * entry stays reachable through `lookupTag`/`lookupUid`); a UID
 * listed twice; an element with no VR that does not say `See Note`.
 */
import type { DataElement, Diagnostic, Ir, Report, UidEntry } from './ir.ts';
import { isSafeIdentifier } from './emit/context.ts';
import { uidCategory } from './uid-categories.ts';
import { iodDiagnostics } from './iods/report.ts';
import { uidProblem } from '../sources/common/dictionary-cells.ts';
import { VR_OVERLAY } from '../sources/nema/part05-vr-overlay.ts';

export const TAG_PATTERN = /^[0-9A-Fx]{8}$/;
const VR_PATTERN = /^[A-Z]{2}$/;
/** `1`, `1-n`, `2-2n`, `1-32`, `3-3n`, and `A or B` of those (`1-n or 1`, PS3.6 (0028,3006)). */
const VM_PART = /^(\d+)(-(\d+|\d*n))?$/;
export const DICOM_ROOT = '1.2.840.10008';

export { uidProblem };

export function isValidVm(vm: string): boolean {
  return vm.split(/\s+or\s+/).every((p) => VM_PART.test(p));
}

/** UID types that PS3.6 assigns under the DICOM root (private transfer syntaxes are not). */
const UNDER_ROOT = new Set<UidEntry['type']>(['SOP Class', 'Meta SOP Class', 'Transfer Syntax']);

/** `iods: false` leaves out the PS3.3 include-resolution diagnostics (never blocking): the caller appends `iodDiagnostics(ir)` itself (the emit worker computes them, issue 13). */
export function validateIr(ir: Ir, report: Report, opts: { iods?: boolean } = {}): { blocking: boolean } {
  let blocking = false;
  const files = new Map(ir.sources.map((s) => [s.id, s.file]));
  const push = (d: Omit<Diagnostic, 'file' | 'source'>, prov: { source: string; table: string; row?: number }) => {
    if (d.severity === 'error') blocking = true;
    const file = files.get(prov.source);
    report.diagnostics.push({
      ...d,
      source: prov.source,
      ...(file ? { file } : {}),
      table: prov.table,
      ...(prov.row !== undefined ? { row: prov.row } : {}),
    });
  };

  // ---- data elements
  const knownVrs = new Set(ir.valueRepresentations.map((v) => v.vr));
  const byTag = new Map<string, DataElement>();
  const byKeyword = new Map<string, DataElement[]>();
  for (const e of ir.dataElements) {
    const raw = `${e.tag} | ${e.name} | ${e.keyword} | ${e.vr.join(' or ')} | ${e.vm}`;
    if (!TAG_PATTERN.test(e.tag)) {
      push({ severity: 'error', code: 'invalid-tag', message: `tag "${e.tag}" is not 8 upper-case hex digits (x for masked nibbles)`, raw }, e.prov);
    }
    const seen = byTag.get(e.tag);
    if (seen) {
      push({ severity: 'error', code: 'duplicate-tag', message: `tag ${e.tag} (${e.keyword}) is also ${seen.prov.table} row ${seen.prov.row ?? '?'} (${seen.keyword})`, raw }, e.prov);
    } else {
      byTag.set(e.tag, e);
    }
    if (!isSafeIdentifier(e.keyword)) {
      push({ severity: 'error', code: 'invalid-keyword', message: `keyword "${e.keyword}" of ${e.tag} is not a valid TypeScript identifier`, raw }, e.prov);
    } else {
      const list = byKeyword.get(e.keyword) ?? [];
      list.push(e);
      byKeyword.set(e.keyword, list);
    }
    for (const v of e.vr) {
      if (!VR_PATTERN.test(v)) {
        push({ severity: 'error', code: 'invalid-vr', message: `VR "${v}" of ${e.tag} is not two capital letters`, raw }, e.prov);
      } else if (knownVrs.size > 0 && !knownVrs.has(v)) {
        push({ severity: 'error', code: 'unknown-vr', message: `VR ${v} of ${e.tag} is not in PS3.5 Table 6.2-1 of this IR`, raw }, e.prov);
      }
      else if (knownVrs.size === 0 && !Object.hasOwn(VR_OVERLAY, v)) {
        // No PS3.5 among the sources: the emitter falls back to the overlay, which must know the code.
        push({ severity: 'error', code: 'unknown-vr', message: `VR ${v} of ${e.tag} is not a VR of PS3.5 Table 6.2-1 (sources/nema/part05-vr-overlay.ts)`, raw }, e.prov);
      }
    }
    if (e.vr.length === 0 && !e.vrSeeNote) {
      push({ severity: 'warning', code: 'missing-vr', message: `${e.tag} (${e.keyword}) has no VR`, raw }, e.prov);
    }
    if (e.vm !== '' && !isValidVm(e.vm)) {
      push({ severity: 'error', code: 'invalid-vm', message: `VM "${e.vm}" of ${e.tag} is not of the form 1, 1-n, 2-2n, 1-32`, raw }, e.prov);
    }
  }
  for (const [kw, list] of byKeyword) {
    if (list.length < 2) continue;
    const active = list.filter((e) => !e.retired);
    const names = list.map((e) => `${e.tag} (${e.prov.table} row ${e.prov.row ?? '?'}${e.retired ? ', retired' : ''})`).join(', ');
    for (const e of list.slice(1)) {
      push(
        active.length > 1
          ? { severity: 'error', code: 'duplicate-keyword', message: `keyword ${kw} names ${active.length} non-retired elements: ${names}` }
          : { severity: 'warning', code: 'duplicate-retired-keyword', message: `keyword ${kw} names more than one element, of which at most one is not retired: ${names}; Tag.${kw} is the ${active.length ? 'non-retired' : 'first'} one` },
        e.prov,
      );
    }
  }

  // ---- UIDs
  const byUid = new Map<string, UidEntry>();
  const byNsKeyword = new Map<string, UidEntry[]>();
  for (const u of ir.uids) {
    const raw = `${u.uid} | ${u.name} | ${u.keyword} | ${u.typeText}`;
    const problem = uidProblem(u.uid);
    if (problem) {
      push({ severity: 'error', code: 'invalid-uid', message: `UID "${u.uid}" (${u.name}) is malformed (PS3.5 §9): ${problem}`, raw }, u.prov);
    }
    if (UNDER_ROOT.has(u.type) && !u.uid.startsWith(`${DICOM_ROOT}.`)) {
      push({ severity: 'error', code: 'uid-outside-dicom-root', message: `${u.type} UID "${u.uid}" (${u.name}) is not under ${DICOM_ROOT}`, raw }, u.prov);
    }
    const dup = byUid.get(u.uid);
    if (dup) {
      push({ severity: 'warning', code: 'duplicate-uid', message: `UID ${u.uid} is also ${dup.prov.table} row ${dup.prov.row ?? '?'}; lookupUid returns the first`, raw }, u.prov);
    } else {
      byUid.set(u.uid, u);
    }
    if (!isSafeIdentifier(u.keyword)) {
      push({ severity: 'error', code: 'invalid-keyword', message: `keyword "${u.keyword}" of UID ${u.uid} is not a valid TypeScript identifier`, raw }, u.prov);
    } else {
      const k = `${uidCategory(u.type).namespace}.${u.keyword}`;
      const list = byNsKeyword.get(k) ?? [];
      list.push(u);
      byNsKeyword.set(k, list);
    }
  }
  // PS3.5 transfer syntaxes carry the keywords of the hand-written overlay (later editions' UID
  // Keyword column); a derived PS3.6 keyword may differ (2013 `JPEGBaseline1` vs `JPEGBaseline8Bit`).
  const tsKeywords = new Map(ir.transferSyntaxes.map((t) => [t.uid, t.keyword]));
  const differing = ir.uids.filter((u) => u.type === 'Transfer Syntax' && tsKeywords.has(u.uid) && tsKeywords.get(u.uid) !== u.keyword);
  if (differing.length > 0) {
    const first = differing[0]!;
    push(
      {
        severity: 'info',
        code: 'transfer-syntax-keyword-differs',
        message: `${differing.length} transfer syntax keyword(s) of ${first.prov.table} differ from PS3.5's (${differing
          .slice(0, 4)
          .map((u) => `${u.keyword}${u.keywordDerived ? ' (derived)' : ''} vs ${tsKeywords.get(u.uid)}`)
          .join(', ')}${differing.length > 4 ? ', …' : ''})`,
      },
      { source: first.prov.source, table: first.prov.table },
    );
  }
  for (const [k, list] of byNsKeyword) {
    if (list.length < 2) continue;
    const active = list.filter((u) => !u.retired);
    const names = list.map((u) => `${u.uid} (${u.prov.table} row ${u.prov.row ?? '?'}${u.retired ? ', retired' : ''})`).join(', ');
    for (const u of list.slice(1)) {
      push(
        active.length > 1
          ? { severity: 'error', code: 'duplicate-keyword', message: `${k} names ${active.length} non-retired UIDs: ${names}` }
          : { severity: 'warning', code: 'duplicate-retired-keyword', message: `${k} names more than one UID, of which at most one is not retired: ${names}; the namespace keeps the ${active.length ? 'non-retired' : 'first'} one` },
        u.prov,
      );
    }
  }
  // PS3.3 include resolution (cycles, unresolved includes, requirement overlaps): reported, never blocking.
  if (opts.iods !== false) report.diagnostics.push(...iodDiagnostics(ir));
  return { blocking };
}
