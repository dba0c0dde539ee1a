/**
 * Cross-family reconciliation after the layers are merged. PS3.6 Table A-1 lists transfer syntax
 * UIDs (in 2013 without a keyword column, so keywords there are derived from names), while PS3.5
 * defines the transfer syntaxes themselves, with the keywords later editions of PS3.6 print. The
 * generated `TransferSyntax` namespace and `transferSyntaxInfo` must agree, so:
 *  - a derived A-1 keyword yields to the PS3.5 keyword of the same UID (reported, with provenance);
 *  - the registry's name yields to the PS3.5 name of the same UID (A-1 appends `: Default Transfer
 *    Syntax for …` to some), so `lookupUid`, `transferSyntaxInfo` and the constants' doc comments
 *    name a transfer syntax alike (reported once, with the count);
 *  - a transfer syntax PS3.5 defines but A-1 lacks (a newer edition of PS3.5 than of PS3.6) is
 *    added to the UID registry (reported), so every transfer syntax has a constant.
 */
import type { Ir, Report, UidEntry } from './ir.ts';

export function reconcileTransferSyntaxUids(ir: Ir, report: Report): void {
  if (ir.transferSyntaxes.length === 0) return;
  const byUid = new Map<string, UidEntry>();
  for (const u of ir.uids) if (u.type === 'Transfer Syntax') byUid.set(u.uid, u);
  const renamed: string[] = [];
  for (const ts of ir.transferSyntaxes) {
    const u = byUid.get(ts.uid);
    if (!u) {
      if (ir.uids.some((x) => x.uid === ts.uid)) continue; // registered under another type: validate reports it
      ir.uids.push({ uid: ts.uid, name: ts.name, keyword: ts.keyword, type: 'Transfer Syntax', typeText: 'Transfer Syntax', retired: ts.retired, part: 'PS3.5', prov: ts.prov });
      report.diagnostics.push({ severity: 'info', code: 'uid-added-from-ps35', message: `transfer syntax ${ts.uid} (${ts.keyword}) is defined in PS3.5 but not listed in PS3.6 Table A-1 of the sources; added to the UID registry`, source: ts.prov.source, table: ts.prov.table });
      continue;
    }
    if (u.name !== ts.name) {
      renamed.push(`${ts.uid} "${u.name}" → "${ts.name}"`);
      u.name = ts.name;
      u.fieldProv = { ...(u.fieldProv ?? {}), name: ts.prov };
    }
    if (u.keyword !== ts.keyword && u.keywordDerived) {
      report.diagnostics.push({ severity: 'info', code: 'uid-keyword-from-ps35', message: `transfer syntax ${ts.uid}: keyword ${u.keyword} was derived from the name; using ${ts.keyword} as PS3.5/PS3.6 later editions write it`, source: u.prov.source, table: u.prov.table, ...(u.prov.row !== undefined ? { row: u.prov.row } : {}) });
      u.keyword = ts.keyword;
      delete u.keywordDerived;
      u.fieldProv = { ...(u.fieldProv ?? {}), keyword: ts.prov };
    }
  }
  if (renamed.length > 0) {
    report.diagnostics.push({ severity: 'info', code: 'uid-name-from-ps35', message: `${renamed.length} transfer syntax name(s) of the UID registry replaced by the PS3.5 name: ${renamed.join('; ')}` });
  }
}

/** One line for the report: the UID keywords still derived from names after every layer was merged. */
export function reportDerivedUidKeywords(ir: Ir, report: Report): void {
  const derived = ir.uids.filter((u) => u.keywordDerived);
  if (derived.length === 0) return;
  const list = derived.map((u) => `${u.keyword} (${u.uid})`);
  report.diagnostics.push({
    severity: 'info',
    code: 'uid-keywords-derived',
    message: `${derived.length} UID keyword(s) derived from the name because no layer has an official keyword: ${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … ${list.length - 10} more` : ''}`,
  });
}
