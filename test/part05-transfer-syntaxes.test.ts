import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { emptyIr, emptyReport, type Ir, type Report } from '../generator/ir.ts';
import { scrapeTransferSyntaxes } from '../sources/nema/part05-transfer-syntaxes.ts';
import { TRANSFER_SYNTAX_OVERLAY } from '../sources/nema/part05-transfer-syntax-overlay.ts';
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
  scrapeTransferSyntaxes(doc, ctx);
  return { ir, report };
}

const uids = (ir: Ir) => ir.transferSyntaxes.map((t) => t.uid);

describe('PS3.5 Annex A transfer syntaxes on fixtures', () => {
  it('DocBook: UIDs from paragraphs (ZWSP inside), tables and lists; notes and subsections ignored; retired section matched by title', () => {
    const { ir, report } = scrape(fixture('part05-mini.xml'));
    expect(uids(ir)).toEqual([
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.1.99',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.4.100',
      '1.2.840.10008.1.2.4.100.1',
    ]);
    const by = new Map(ir.transferSyntaxes.map((t) => [t.uid, t]));
    // Table cells side by side (`…4.50` then `1`) must not read as `…4.501`.
    expect(by.get('1.2.840.10008.1.2.4.50')).toMatchObject({ section: 'A.4.1', encapsulated: true, compression: 'lossy', retired: false });
    expect(by.get('1.2.840.10008.1.2.2')).toMatchObject({ retired: true, byteOrder: 'big', section: 'A.3' });
    expect(by.get('1.2.840.10008.1.2.1')).toMatchObject({ section: 'A.2' }); // the note's .4.50 is not attributed to A.2
    expect(by.get('1.2.840.10008.1.2.4.100.1')).toMatchObject({ video: true, videoFragments: 'multiple' });
    expect(by.get('1.2.840.10008.1.2.4.70')?.prov).toEqual({ source: 'nema-2099z-part05', table: 'Annex A', row: 5 });
    expect(report.diagnostics.map((d) => d.code).sort()).toEqual(['invisible-characters-removed', 'retired-transfer-syntax', 'transfer-syntax-not-in-annex-a']);
    expect(report.diagnostics.find((d) => d.code === 'transfer-syntax-not-in-annex-a')?.message).toContain('1.2.840.10008.1.2.4.51');
    expect(report.accounts[0]).toMatchObject({ table: 'Annex A', bodyRows: 7, parsed: 6, skipped: 1, rejected: 0 });
  });

  it('NEMA HTML: the same section model (div.section, titlepage headings, div.note)', () => {
    const { ir, report } = scrape(fixture('part05-mini.html'));
    expect(uids(ir)).toEqual(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.100.1']);
    expect(ir.transferSyntaxes.find((t) => t.uid === '1.2.840.10008.1.2.2')?.retired).toBe(true);
    expect(report.accounts[0]).toMatchObject({ bodyRows: 6, parsed: 5, skipped: 1 });
  });

  it('fails, naming file, Annex A and section, on a transfer syntax the overlay does not classify', () => {
    expect(() => scrape(fixture('part05-unclassified-ts.xml'))).toThrow(
      /part05-unclassified-ts\.xml Annex A section A\.6 .*1\.2\.840\.10008\.1\.2\.4\.999 is not classified .*part05-transfer-syntax-overlay\.ts/,
    );
  });

  it('fails on an Annex A leaf section that names no UID and is not a known retired section', () => {
    expect(() => scrape(fixture('part05-unknown-section.xml'))).toThrow(/part05-unknown-section\.xml Annex A section A\.6/);
  });

  it('is registered for part 5', () => {
    expect(partScrapers.some((s) => s.part === 5 && s.scrape === scrapeTransferSyntaxes)).toBe(true);
  });
});

describeShared('PS3.5 transfer syntaxes on the real editions', () => {
  it('2013: 21 transfer syntaxes; Explicit VR Big Endian is still current there', () => {
    const { ir, report } = scrape(sharedPath('standard', 'nema', '2013', 'part05.xml'));
    expect(ir.transferSyntaxes).toHaveLength(21);
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const by = new Map(ir.transferSyntaxes.map((t) => [t.uid, t]));
    expect(by.get('1.2.840.10008.1.2.2')).toMatchObject({ byteOrder: 'big', explicitVr: true, retired: false, section: 'A.3' });
    expect(by.has('1.2.840.10008.1.2.1.98')).toBe(false);
    expect(by.has('1.2.840.10008.1.2.4.201')).toBe(false);
    expect(report.accounts[0]).toMatchObject({ table: 'Annex A', bodyRows: 13, parsed: 12, skipped: 1 });
  });

  it('2026c: 46 transfer syntaxes with their properties', () => {
    const { ir, report } = scrape(sharedPath('standard', 'nema', '2026c', 'part05.xml'));
    expect(ir.transferSyntaxes).toHaveLength(46);
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(report.accounts[0]).toMatchObject({ table: 'Annex A', bodyRows: 25, parsed: 24, skipped: 1 });
    const by = new Map(ir.transferSyntaxes.map((t) => [t.uid, t]));
    expect(by.get('1.2.840.10008.1.2')).toMatchObject({ keyword: 'ImplicitVRLittleEndian', explicitVr: false, byteOrder: 'little', encapsulated: false, compression: 'none', section: 'A.1' });
    expect(by.get('1.2.840.10008.1.2.1.99')).toMatchObject({ deflated: true, explicitVr: true, encapsulated: false, section: 'A.5' });
    expect(by.get('1.2.840.10008.1.2.2')).toMatchObject({ byteOrder: 'big', retired: true, section: 'A.3' });
    expect(by.get('1.2.840.10008.1.2.4.50')).toMatchObject({ keyword: 'JPEGBaseline8Bit', encapsulated: true, compression: 'lossy', section: 'A.4.1' });
    expect(by.get('1.2.840.10008.1.2.5')).toMatchObject({ keyword: 'RLELossless', encapsulated: true, compression: 'lossless', section: 'A.4.2' });
    expect(by.get('1.2.840.10008.1.2.4.91')).toMatchObject({ compression: 'either' });
    expect(by.get('1.2.840.10008.1.2.4.201')).toMatchObject({ compression: 'lossless', section: 'A.4.4' });
    expect(by.get('1.2.840.10008.1.2.1.98')).toMatchObject({ encapsulated: true, compression: 'none', section: 'A.4.11' });
    expect(by.get('1.2.840.10008.1.2.8.1')).toMatchObject({ encapsulated: true, compression: 'lossless', section: 'A.4.13' });
    expect(by.get('1.2.840.10008.1.2.4.102.1')).toMatchObject({ video: true, videoFragments: 'multiple' });
    expect(by.get('1.2.840.10008.1.2.4.102')).toMatchObject({ video: true, videoFragments: 'single' });
    expect(by.get('1.2.840.10008.1.2.4.107')).toMatchObject({ video: true, videoFragments: 'multiple' }); // HEVC is fragmentable
    expect(by.get('1.2.840.10008.1.2.4.50')?.frameFragments).toBe('multiple');
    expect(by.get('1.2.840.10008.1.2.4.90')?.frameFragments).toBe('multiple');
    expect(by.get('1.2.840.10008.1.2.5')?.frameFragments).toBe('single');
    expect(by.get('1.2.840.10008.1.2.4.201')?.frameFragments).toBe('single');
    expect(by.get('1.2.840.10008.1.2.1')?.frameFragments).toBeUndefined();
    // Every encapsulated non-video syntax says how Frames map to Fragments.
    expect(ir.transferSyntaxes.filter((t) => t.encapsulated && !t.video && !t.frameFragments).map((t) => t.uid)).toEqual([]);
    expect(by.get('1.2.840.10008.1.2.4.94')).toMatchObject({ referencedPixelData: true, deflated: false });
    expect(by.get('1.2.840.10008.1.2.4.205')).toMatchObject({ referencedPixelData: true, deflated: true, section: 'A.12' });
    expect(ir.transferSyntaxes.filter((t) => t.retired).map((t) => t.uid)).toEqual(['1.2.840.10008.1.2.2']);
    // Every overlay entry is used by 2026c (no stale classifications).
    expect(Object.keys(TRANSFER_SYNTAX_OVERLAY).sort()).toEqual([...by.keys()].sort());
  });
});

describeShared('PS3.5 2026c transfer syntaxes cross-checked with a peer (dcmjs)', () => {
  it('native syntaxes and video syntaxes agree with dcmjs constants', async () => {
    const dcmjs = (await import('dcmjs')).default as unknown as {
      constants: { unencapsulatedTransferSyntaxes: Record<string, boolean>; videoTransferSyntaxUIDs: Set<string> };
    };
    const { ir } = scrape(sharedPath('standard', 'nema', '2026c', 'part05.xml'));
    const by = new Map(ir.transferSyntaxes.map((t) => [t.uid, t]));
    for (const uid of Object.keys(dcmjs.constants.unencapsulatedTransferSyntaxes)) expect(by.get(uid)?.encapsulated, uid).toBe(false);
    const encapsulatedVideo = ir.transferSyntaxes.filter((t) => t.video && t.encapsulated).map((t) => t.uid);
    expect(encapsulatedVideo.sort()).toEqual([...dcmjs.constants.videoTransferSyntaxUIDs].sort());
  });
});
