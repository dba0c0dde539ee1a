/**
 * PS3.4 SOP class → IOD (Table B.5-1 and the other tables with an IOD Specification column) on the
 * real 2013 edition, and the link to PS3.3 IODs by section.
 */
import { expect, it } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { scrapeSopClassTables } from '../sources/nema/part04-sop-classes.ts';
import { linkSopClasses } from '../generator/ir-iods.ts';

describeShared('PS3.4 2013 SOP classes', () => {
  const ir = emptyIr();
  const report = emptyReport();
  const doc = loadNemaDocument(sharedPath('standard', 'nema', '2013', 'part04.xml'));
  const source = { id: 'nema-2013-part04', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  scrapeSopClassTables(doc, { ir, report, source });
  const sops = ir.iods!.sopClasses;

  it('parses all 110 rows of Table B.5-1 and the 3 Media Storage classes Table I.4-1 adds', () => {
    expect(report.accounts).toEqual([
      { source: 'nema-2013-part04', table: 'Table B.5-1', totalRows: 111, headerRows: 1, bodyRows: 110, parsed: 110, rejected: 0, skipped: 0 },
      // Table I.4-1 repeats 110 SOP classes of B.5-1 (skipped as duplicates) and adds 3.
      { source: 'nema-2013-part04', table: 'Table I.4-1', totalRows: 114, headerRows: 1, bodyRows: 113, parsed: 3, rejected: 0, skipped: 110 },
    ]);
    expect(sops).toHaveLength(113);
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('maps each SOP class to the PS3.3 section of its IOD (the olink into PS3.3, not the PS3.4 note)', () => {
    const by = new Map(sops.map((s) => [s.uid, s]));
    expect(by.get('1.2.840.10008.5.1.4.1.1.2')).toMatchObject({ sopClass: 'CT Image Storage', iodSection: 'A.3', prov: { table: 'Table B.5-1', row: 8 } });
    expect(by.get('1.2.840.10008.5.1.4.1.1.1.1')!.iodSection).toBe('A.26');
    expect(by.get('1.2.840.10008.5.1.4.1.1.2.1')!.iodSection).toBe('A.38.1');
    expect(by.get('1.2.840.10008.5.1.4.1.1.481.2')!.iodSection).toBe('A.18');
    expect(sops.every((s) => /^[A-Z]+\.\d+(\.\d+)*$/.test(s.iodSection ?? ''))).toBe(true);
  });

  it('links SOP classes to IODs by section once the IODs are known', () => {
    expect(sops.every((s) => s.iod === '')).toBe(true);
    const linked = structuredClone(ir.iods!);
    linked.iods.push({ id: 'ct-image', name: 'CT Image', typeName: 'CTImage', section: 'A.3', modules: [], functionalGroups: [], incomplete: true, prov: { source: 'x', table: 'Table A.3-1' } });
    linkSopClasses(linked);
    expect(linked.sopClasses.filter((s) => s.iod).map((s) => [s.uid, s.iod])).toEqual([['1.2.840.10008.5.1.4.1.1.2', 'ct-image']]);
  });
});
