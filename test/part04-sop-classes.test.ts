/**
 * PS3.4 SOP class → IOD (Table B.5-1 and the other tables with an IOD Specification column) on the
 * real 2013 edition, and the link to PS3.3 IODs by section.
 */
import { describe, expect, it } from 'vitest';
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

describe('PS3.4 SOP class tables: DocBook and NEMA HTML (hand-written)', () => {
  const row = (name: string, uid: string, iodCell: string) => `<tr valign="top"><td><para>${name}</para></td><td><para>${uid}</para></td><td>${iodCell}</td></tr>`;
  const docbook = `<?xml version="1.0" encoding="utf-8"?>
<book xmlns="http://docbook.org/ns/docbook" xmlns:xl="http://www.w3.org/1999/xlink" label="PS3.4" version="5.0" xml:id="PS3.4">
  <title>PS3.4</title><subtitle>DICOM PS3.4 2099a - Service Class Specifications</subtitle>
  <chapter label="B" xml:id="chapter_B"><title>Storage</title>
    <table label="B.5-1" xml:id="table_B.5-1"><caption>Standard SOP Classes</caption>
      <thead><tr><th><para>SOP Class Name</para></th><th><para>SOP Class UID</para></th><th><para>IOD Specification (defined in <olink targetdoc="PS3.3" targetptr="PS3.3" xrefstyle="select: labelnumber"/>)</para></th></tr></thead>
      <tbody>
        ${row('Widget Image Storage', '1.2.840.10008.5.1.4.1.1.9999', '<para><olink targetdoc="PS3.3" targetptr="sect_A.1" xrefstyle="select: title"/></para><para>(see <xref linkend="sect_B.5.1.1" xrefstyle="select: label"/>)</para>')}
        ${row('Broken Storage', '1.2.840.10008.5.1.4.1.1.9998', '<para>no link</para>')}
      </tbody>
    </table>
  </chapter>
</book>`;
  const html = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>PS3.4</title></head><body><div class="book">
<div class="titlepage"><div><div><h2 class="subtitle">DICOM PS3.4 2099a - Service Class Specifications</h2></div></div></div>
<div class="table"><a id="table_B.5-1" shape="rect"></a><p class="title"><strong>Table B.5-1. Standard SOP Classes</strong></p><div class="table-contents"><table frame="box" rules="all">
<thead><tr><th><p>SOP Class Name</p></th><th><p>SOP Class UID</p></th><th><p>IOD Specification (defined in <a href="part03.html#PS3.3" class="olink">PS3.3</a>)</p></th></tr></thead>
<tbody>
<tr valign="top"><td><p>Widget Image Storage</p></td><td><p>1.2.840.10008.5.1.4.1.1.9999</p></td><td><p><a href="part03.html#sect_A.1" class="olink">Widget Image IOD</a></p><p>(see <a class="xref" href="#sect_B.5.1.1">Section B.5.1.1</a>)</p></td></tr>
<tr valign="top"><td><p>Broken Storage</p></td><td><p>1.2.840.10008.5.1.4.1.1.9998</p></td><td><p>no link</p></td></tr>
</tbody></table></div></div></div></body></html>`;

  for (const [name, text] of [['part04.xml', docbook], ['part04.html', html]] as const) {
    it(`${name}: maps by the PS3.3 link, rejects a row without one, accounts for both`, () => {
      const ir = emptyIr();
      const report = emptyReport();
      const doc = loadNemaDocument(`/fixture/${name}`, Buffer.from(text));
      const source = { id: 'fixture-part04', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
      scrapeSopClassTables(doc, { ir, report, source });
      expect(ir.iods!.sopClasses.map((s) => [s.uid, s.sopClass, s.iodSection])).toEqual([['1.2.840.10008.5.1.4.1.1.9999', 'Widget Image Storage', 'A.1']]);
      expect(report.accounts).toEqual([{ source: 'fixture-part04', table: 'Table B.5-1', totalRows: 3, headerRows: 1, bodyRows: 2, parsed: 1, rejected: 1, skipped: 0 }]);
      expect(report.diagnostics.map((d) => [d.severity, d.code, d.row])).toEqual([['warning', 'iod-link-missing', 2]]);
    });
  }
});
