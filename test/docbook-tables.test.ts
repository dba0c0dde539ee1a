import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNemaDocument, type NemaDocument } from '../sources/nema/document.ts';
import { readDocbookTables, scanPlainXml } from '../sources/nema/docbook-tables.ts';
import { scrapePart06DataElements } from '../sources/nema/part06-data-elements.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

/** Whether the fast pass reads the whole text (rather than handing it to htmlparser2). */
function plain(text: string): boolean {
  const nop = () => {};
  return scanPlainXml(text, { onopentag: nop, onclosetag: nop, ontext: nop, oncdatastart: nop, oncdataend: nop });
}

/** Every table as each reader gives it. */
function tablesOf(doc: NemaDocument): unknown {
  return doc.tableIds().map((id) => doc.table(id));
}

function bothWays(path: string): { events: NemaDocument; dom: NemaDocument } {
  const buf = readFileSync(path);
  return { events: loadNemaDocument(path, buf, { tables: 'events' }), dom: loadNemaDocument(path, buf, { tables: 'dom' }) };
}

const dir = mkdtempSync(join(tmpdir(), 'dictgen-docbook-tables-'));
function fixture(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    `<?xml version="1.0" encoding="utf-8"?>\n<book xmlns="http://docbook.org/ns/docbook" xml:id="PS3.6" version="5.0"><title>PS3.6</title>` +
      `<subtitle>DICOM PS3.6 2099a <!-- c --><emphasis>- Data</emphasis> Dictionary</subtitle><chapter xml:id="c1">${body}</chapter></book>\n`,
  );
  return p;
}

// Hand-written: what the readers must agree on (italics, links, nested paragraphs, lists, spans,
// entities, CDATA and comments in cells and captions, a CALS tgroup, a table without id, a repeated id).
const TRICKY = fixture(
  'part06.xml',
  `<table xml:id="table_6-1"><caption>Registry <![CDATA[of]]> <!-- x -->Elements</caption>
   <thead><tr><th><para><emphasis role="bold">Tag</emphasis></para></th><th><para>Name</para></th><th><para>Keyword</para></th><th><para>VR</para></th><th><para>VM</para></th><td><para/></td></tr></thead>
   <tbody>
    <tr><td><para><emphasis role="italic">(0008,0001)</emphasis></para></td><td><para><emphasis role="italic">Length to End</emphasis></para></td><td><para><emphasis role="italic">Length&#8203;ToEnd</emphasis></para></td><td><para><emphasis role="italic">UL</emphasis></para></td><td><para><emphasis role="italic">1</emphasis></para></td><td><para><emphasis role="italic">RET</emphasis></para></td></tr>
    <tr><td colspan="2"><para>(0010,0010) &amp; <xref linkend="sect_x"/><olink targetptr="t" targetdoc="PS3.3">see</olink></para><para>two <para>nested</para> paras</para></td><td rowspan="2"><itemizedlist><listitem><para>a</para></listitem><listitem>b<![CDATA[ hidden ]]></listitem></itemizedlist></td><td>PN<!-- no --></td><td>1</td><td/></tr>
   </tbody></table>
   <table><caption>no id</caption><tbody><tr><td>x</td></tr></tbody></table>
   <table xml:id="table_8-1"><title>Only a title</title><thead><tr><th>Ignored</th></tr></thead><tgroup cols="1"><thead><tr><th>H</th></tr></thead><tbody><tr><td><para>in tgroup</para></td></tr></tbody></tgroup></table>
   <table xml:id="table_6-1"><caption>Repeated id</caption><tbody><tr><td>later</td></tr></tbody></table>
   <table xml:id="table_A-1"><caption>Damaged</caption><thead><tr><th>Tag</th><th>Name</th><th>Keyword</th><th>VR</th><th>VM</th><th/></tr></thead>
    <tbody><tr><td><para>(0010,0010)</para></td><td><para>Patient's Name</para></td><td><para>PatientName</para></td><td><para>PN</para></td><td><para>1</para></td><td/></tr></tbody></table>`,
);

describe('DocBook tables read from parser events (issue 13)', () => {
  it('gives the same subtitle, table ids and tables as the DOM reader on a hand-written fixture', () => {
    const { events, dom } = bothWays(TRICKY);
    expect(events.edition).toBe('2099a');
    expect(events.tableIds()).toEqual(['table_6-1', 'table_8-1', 'table_A-1']);
    expect(tablesOf(events)).toEqual(tablesOf(dom));
    // The fixture exercises what it claims to: a repeated id replaces the table, tgroup rows win, CDATA is no cell text.
    expect(events.table('table_6-1')!.rows[0]!.cells[0]!.text).toBe('later');
    expect(events.table('table_8-1')!).toMatchObject({ caption: 'Only a title', headers: ['H'], headerRows: 1 });
    const first = readDocbookTables('part06.xml', readFileSync(TRICKY, 'utf8'));
    expect(first.nested).toBe(false);
    expect(first.subtitle).toBe('DICOM PS3.6 2099a - Data Dictionary');
  });

  it('agrees with the DOM reader cell by cell on the committed fixtures', () => {
    for (const f of ['part06-mini.xml', 'part07-mini.xml', 'part15-mini.xml', 'part15-spans.xml', 'part05-mini.xml', 'part05-spans.xml', 'part16-2025b.xml']) {
      const path = join(repoRoot, 'test', 'fixtures', 'nema', f);
      expect(plain(readFileSync(path, 'utf8')), f).toBe(true);
      const { events, dom } = bothWays(path);
      expect(events.tableIds(), f).toEqual(dom.tableIds());
      expect(tablesOf(events), f).toEqual(tablesOf(dom));
      expect(events.tableIds().length, f).toBeGreaterThan(0);
    }
  });

  it('takes markup outside the plain subset to htmlparser2, with the same tables', () => {
    expect(plain(readFileSync(TRICKY, 'utf8'))).toBe(true);
    const odd = [
      '<para>a&nbsp;b</para>', // an entity XML does not define (htmlparser2 keeps it as text)
      '<para>x &#128; y</para>', // a C1 control reference
      '<para>1 < 2</para>', // a stray <
      '<para><emphasis role=italic>u</emphasis></para>', // an unquoted attribute
      '<para>t</emph></para>', // an end tag that closes nothing open
      '<para><xref linkend="a" disabled/></para>', // a valueless attribute
    ];
    for (const bit of odd) {
      const p = fixture('part06.xml', `<table xml:id="table_6-1"><thead><tr><th>H</th></tr></thead><tbody><tr><td>${bit}</td></tr></tbody></table>`);
      expect(plain(readFileSync(p, 'utf8')), bit).toBe(false);
      const { events, dom } = bothWays(p);
      expect(tablesOf(events), bit).toEqual(tablesOf(dom));
    }
  });

  it('reads a part with a table inside a table through the DOM', () => {
    const p = fixture('part07.xml', '<table xml:id="table_E.1-1"><tbody><tr><td><table xml:id="table_inner"><tbody><tr><td>in</td></tr></tbody></table></td></tr></tbody></table>');
    expect(readDocbookTables('part07.xml', readFileSync(p, 'utf8')).nested).toBe(true);
    const { events, dom } = bothWays(p);
    expect(events.tableIds()).toEqual(['table_E.1-1', 'table_inner']);
    expect(tablesOf(events)).toEqual(tablesOf(dom));
  });

  it('reports a damaged row of a table read from events with file, table and row', () => {
    const p = fixture(
      'part06.xml',
      `<table xml:id="table_6-1"><caption>Registry</caption><thead><tr><th>Tag</th><th>Name</th><th>Keyword</th><th>VR</th><th>VM</th><th/></tr></thead><tbody>
       <tr><td><para>(0010,0010)</para></td><td><para>Patient's Name</para></td><td><para>PatientName</para></td><td><para>PN</para></td><td><para>1</para></td><td/></tr>
       <tr><td><para>(0010,00ZZ)</para></td><td><para>Broken</para></td><td><para>Broken</para></td><td><para>LO</para></td><td><para>1</para></td><td/></tr>
      </tbody></table>${['7-1', '8-1'].map((n) => `<table xml:id="table_${n}"><thead><tr><th>Tag</th><th>Name</th><th>Keyword</th><th>VR</th><th>VM</th></tr></thead><tbody/></table>`).join('')}`,
    );
    const doc = loadNemaDocument(p, undefined, { tables: 'events' });
    const ir = emptyIr();
    const report = emptyReport();
    const source = { id: 'nema-2099a-part06', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
    scrapePart06DataElements(doc, { ir, report, source });
    expect(ir.dataElements.map((e) => e.tag)).toEqual(['00100010']);
    const bad = report.diagnostics.find((d) => d.table === 'Table 6-1' && d.row === 2);
    expect(bad, JSON.stringify(report.diagnostics)).toBeDefined();
    expect(bad).toMatchObject({ file: 'part06.xml', table: 'Table 6-1', row: 2, severity: 'error' });
    expect(bad!.message).toContain('(0010,00ZZ)');
    expect(report.accounts.find((a) => a.table === 'Table 6-1')).toMatchObject({ bodyRows: 2, parsed: 1, rejected: 1 });
  });
});

describeShared('DocBook tables read from parser events: the real parts the pipeline reads that way', () => {
  it.each([
    ['nema', '2013', 'part06.xml'],
    ['nema', '2013', 'part07.xml'],
    ['nema', '2013', 'part15.xml'],
    ['nema', '2026c', 'part15.xml'],
  ])('%s %s %s: same tables as the DOM reader', (a, b, c) => {
    const path = sharedPath('standard', a, b, c);
    expect(plain(readFileSync(path, 'utf8'))).toBe(true); // the fast pass reads the real parts
    const { events, dom } = bothWays(path);
    expect(events.tableIds()).toEqual(dom.tableIds());
    expect(`${events.part} ${events.edition}`).toBe(`${dom.part} ${dom.edition}`);
    expect(tablesOf(events)).toEqual(tablesOf(dom));
  });
});
