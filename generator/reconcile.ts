/**
 * Cross-family reconciliation after the layers are merged. PS3.6 Table A-1 lists transfer syntax
 * UIDs (in 2013 without a keyword column, so keywords there are derived from names), while PS3.5
 * defines the transfer syntaxes themselves, with the keywords later editions of PS3.6 print. The
 * generated `TransferSyntax` namespace and `transferSyntaxInfo` must agree, so:
 *  - a derived A-1 keyword yields to the PS3.5 keyword of the same UID (reported, with provenance);
 *  - a transfer syntax PS3.5 defines but A-1 lacks (a newer edition of PS3.5 than of PS3.6) is
 *    added to the UID registry (reported), so every transfer syntax has a constant.
 */
import type { Ir, Report, UidEntry } from './ir.ts';

export function reconcileTransferSyntaxUids(ir: Ir, report: Report): void {
  if (ir.transferSyntaxes.length === 0) return;
  const byUid = new Map<string, UidEntry>();
  for (const u of ir.uids) if (u.type === 'Transfer Syntax') byUid.set(u.uid, u);
  for (const ts of ir.transferSyntaxes) {
    const u = byUid.get(ts.uid);
    if (!u) {
      if (ir.uids.some((x) => x.uid === ts.uid)) continue; // registered under another type: validate reports it
      ir.uids.push({ uid: ts.uid, name: ts.name, keyword: ts.keyword, type: 'Transfer Syntax', typeText: 'Transfer Syntax', retired: ts.retired, part: 'PS3.5', prov: ts.prov });
      report.diagnostics.push({ severity: 'info', code: 'uid-added-from-ps35', message: `transfer syntax ${ts.uid} (${ts.keyword}) is defined in PS3.5 but not listed in PS3.6 Table A-1 of the sources; added to the UID registry`, source: ts.prov.source, table: ts.prov.table });
      continue;
    }
    if (u.keyword !== ts.keyword && u.keywordDerived) {
      report.diagnostics.push({ severity: 'info', code: 'uid-keyword-from-ps35', message: `transfer syntax ${ts.uid}: keyword ${u.keyword} was derived from the name; using ${ts.keyword} as PS3.5/PS3.6 later editions write it`, source: u.prov.source, table: u.prov.table, ...(u.prov.row !== undefined ? { row: u.prov.row } : {}) });
      u.keyword = ts.keyword;
      delete u.keywordDerived;
      u.fieldProv = { ...(u.fieldProv ?? {}), keyword: ts.prov };
    }
  }
}
