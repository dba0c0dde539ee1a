import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { emptyIr, emptyReport, type Ir, type Report } from '../generator/ir.ts';
import { parseLengthOfValue, scrapeValueRepresentations } from '../sources/nema/part05-value-representations.ts';
import { VR_OVERLAY } from '../sources/nema/part05-vr-overlay.ts';
import { partScrapers } from '../sources/nema/index.ts';
import type { ScrapeContext } from '../sources/types.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'nema', name);

function scrape(path: string): { ir: Ir; report: Report } {
  const doc = loadNemaDocument(path);
  const ir = emptyIr();
  const report = emptyReport();
  const source = { id: `nema-${doc.edition}-part05`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  const ctx: ScrapeContext = { ir, report, source };
  scrapeValueRepresentations(doc, ctx);
  return { ir, report };
}

describe('parseLengthOfValue', () => {
  it('reads maxima, fixed sizes, chars and the flattened 2^32 superscript', () => {
    expect(parseLengthOfValue('16 bytes maximum')).toEqual({ maxLength: 16, maxLengthUnit: 'bytes', fixed: false });
    expect(parseLengthOfValue('4 bytes fixed')).toEqual({ maxLength: 4, maxLengthUnit: 'bytes', fixed: true });
    expect(parseLengthOfValue('64 chars maximum per component group')).toEqual({ maxLength: 64, maxLengthUnit: 'chars', fixed: false });
    expect(parseLengthOfValue('232-2 bytes maximum, except …')).toEqual({ maxLength: 2 ** 32 - 2, maxLengthUnit: 'bytes', fixed: false });
    expect(parseLengthOfValue('see Transfer Syntax definition')).toEqual({ fixed: false });
  });
});

describe('PS3.5 Table 6.2-1 on fixtures', () => {
  for (const file of ['part05-mini.xml', 'part05-mini.html']) {
    it(`${file}: code and name from the two-paragraph cell, ZWSP removed, lengths parsed, overlay applied`, () => {
      const { ir, report } = scrape(fixture(file));
      const by = new Map(ir.valueRepresentations.map((v) => [v.vr, v]));
      expect(by.get('US')).toMatchObject({ name: 'Unsigned Short', kind: 'binary', fixedSize: 2, maxLength: 2, explicitLengthField: 16, padding: 'none', repertoire: 'none' });
      expect(by.get('AE')).toMatchObject({ name: 'Application Entity', kind: 'string', maxLength: 16, padding: 'space', repertoire: 'default' });
      expect(by.get('AE')?.fixedSize).toBeUndefined();
      expect(by.get('OB')).toMatchObject({ maxLength: 2 ** 32 - 2, explicitLengthField: 32, padding: 'null', singleValued: true });
      expect(by.get('UV')).toMatchObject({ fixedSize: 8, explicitLengthField: 32 });
      expect(by.get('US')?.prov).toMatchObject({ source: 'nema-2099z-part05', table: 'Table 6.2-1' });
      const acc = report.accounts.find((a) => a.table === 'Table 6.2-1')!;
      expect(acc.parsed + acc.rejected + acc.skipped).toBe(acc.bodyRows);
      expect(acc.rejected).toBe(0);
      expect(report.diagnostics.map((d) => d.code)).toEqual(['invisible-characters-removed']); // the ZWSP in `U​S`
    });
  }

  it('expands row and column spans; a full-width heading row is skipped with a reason', () => {
    const { ir, report } = scrape(fixture('part05-spans.xml'));
    expect(ir.valueRepresentations.map((v) => v.vr)).toEqual(['FD', 'FL', 'SH']);
    expect(ir.valueRepresentations.find((v) => v.vr === 'FD')).toMatchObject({ fixedSize: 8 }); // the row under the rowspan keeps its own length
    expect(ir.valueRepresentations.find((v) => v.vr === 'SH')).toMatchObject({ maxLength: 16, maxLengthUnit: 'chars' }); // after the colspan
    expect(report.accounts[0]).toMatchObject({ bodyRows: 4, parsed: 3, skipped: 1, rejected: 0 });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['heading-row']);
  });

  it('fails, naming file, table and row, when the table has a VR the overlay does not classify', () => {
    expect(() => scrape(fixture('part05-unclassified-vr.xml'))).toThrow(/part05-unclassified-vr\.xml Table 6\.2-1 row 8: VR QQ .*part05-vr-overlay\.ts/);
  });

  it('is registered for part 5', () => {
    expect(partScrapers.some((s) => s.part === 5 && s.scrape === scrapeValueRepresentations)).toBe(true);
  });
});

describeShared('PS3.5 Table 6.2-1 on the real editions', () => {
  it('2013: 28 VRs, none of OL OV SV UC UR UV', () => {
    const { ir, report } = scrape(sharedPath('standard', 'nema', '2013', 'part05.xml'));
    expect(ir.valueRepresentations).toHaveLength(28);
    const codes = ir.valueRepresentations.map((v) => v.vr);
    for (const v of ['OL', 'OV', 'SV', 'UC', 'UR', 'UV']) expect(codes).not.toContain(v);
    expect(report.accounts[0]).toMatchObject({ table: 'Table 6.2-1', totalRows: 29, headerRows: 1, bodyRows: 28, parsed: 28, rejected: 0 });
    const by = new Map(ir.valueRepresentations.map((v) => [v.vr, v]));
    expect(by.get('TM')).toMatchObject({ maxLength: 16 });
    expect(by.get('OB')?.maxLength).toBeUndefined(); // "see Transfer Syntax definition" in 2013
    expect(by.get('UT')).toMatchObject({ maxLength: 2 ** 32 - 2, explicitLengthField: 32 });
  });

  it('2026c: 34 VRs including OL OV SV UC UR UV, every one classified by the overlay', () => {
    const { ir } = scrape(sharedPath('standard', 'nema', '2026c', 'part05.xml'));
    expect(ir.valueRepresentations).toHaveLength(34);
    const by = new Map(ir.valueRepresentations.map((v) => [v.vr, v]));
    for (const v of ['OL', 'OV', 'SV', 'UC', 'UR', 'UV']) expect(by.has(v)).toBe(true);
    expect(Object.keys(VR_OVERLAY).sort()).toEqual([...by.keys()].sort());
    expect(by.get('UI')).toMatchObject({ name: 'Unique Identifier (UID)', padding: 'null', maxLength: 64, explicitLengthField: 16 });
    expect(by.get('SQ')).toMatchObject({ kind: 'sequence', explicitLengthField: 32 });
    expect(by.get('UC')).toMatchObject({ kind: 'string', repertoire: 'specific', explicitLengthField: 32, singleValued: false });
    expect(by.get('UR')).toMatchObject({ repertoire: 'default', explicitLengthField: 32, singleValued: true });
    expect(by.get('SV')).toMatchObject({ fixedSize: 8, explicitLengthField: 32 });
    expect(by.get('TM')).toMatchObject({ maxLength: 14 });
    expect(by.get('LO')).toMatchObject({ maxLength: 64, maxLengthUnit: 'chars', repertoire: 'specific' });
    // Explicit VR 32-bit length field set (PS3.5 Table 7.1-1).
    expect(ir.valueRepresentations.filter((v) => v.explicitLengthField === 32).map((v) => v.vr)).toEqual(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
  });
});

describeShared('PS3.5 Table 6.2-1 + overlay cross-checked with a peer (dcmjs)', () => {
  it('2013 VRs: 32-bit length fields, string padding and maximum lengths agree with dcmjs', async () => {
    const dcmjs = (await import('dcmjs')).default as unknown as {
      data: { ValueRepresentation: { createByTypeString(vr: string): { type: string; padByte: number; maxLength?: number | null; maxCharLength?: number; isLength32(): boolean } } };
    };
    const { ir } = scrape(sharedPath('standard', 'nema', '2013', 'part05.xml'));
    const disagreements: string[] = [];
    for (const v of ir.valueRepresentations) {
      const peer = dcmjs.data.ValueRepresentation.createByTypeString(v.vr);
      expect(peer.type).toBe(v.vr);
      if ((v.explicitLengthField === 32) !== peer.isLength32()) disagreements.push(`${v.vr} length field`);
      if (v.kind === 'string' && (v.padding === 'space') !== (peer.padByte === 0x20)) disagreements.push(`${v.vr} padding`);
      const peerMax = peer.maxLength ?? peer.maxCharLength;
      if (peerMax != null && v.maxLength !== undefined && v.maxLength !== peerMax) disagreements.push(`${v.vr} max length ${v.maxLength} vs ${peerMax}`);
    }
    expect(disagreements).toEqual([]);
  });
});
