import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseNoteCell, parseTagCell, parseVmCell, parseVrCell, scrapePart06DataElements } from '../sources/nema/part06-data-elements.ts';
import { scrapeCommandElements } from '../sources/nema/part07-command-elements.ts';
import { scrapeFile } from './helpers/scrape-nema.ts';
import { repoRoot } from './helpers/shared.ts';

const fx = (f: string) => join(repoRoot, 'test', 'fixtures', 'nema', f);

describe('PS3.6 cell parsers', () => {
  it('reads tags, keeping x masks in group and element, upper-casing hex', () => {
    expect(parseTagCell('(0010,0010)')).toEqual({ tag: '00100010', lowercase: false });
    expect(parseTagCell('(60xx,3000)')).toEqual({ tag: '60xx3000', lowercase: false });
    expect(parseTagCell('(0028,04x0)')?.tag).toBe('002804x0');
    expect(parseTagCell('(1000,xxx0)')?.tag).toBe('1000xxx0');
    expect(parseTagCell('(7FXX,0010)')?.tag).toBe('7Fxx0010');
    expect(parseTagCell('(0074,100a)')).toEqual({ tag: '0074100A', lowercase: true });
    expect(parseTagCell('0010,0010')).toBeUndefined();
    expect(parseTagCell('(0010,001)')).toBeUndefined();
    expect(parseTagCell('')).toBeUndefined();
  });
  it('reads single, multiple and See Note VRs', () => {
    expect(parseVrCell('PN')).toEqual({ vr: ['PN'], seeNote: false });
    expect(parseVrCell('US or SS or OW')).toEqual({ vr: ['US', 'SS', 'OW'], seeNote: false });
    expect(parseVrCell('OB or OW')).toEqual({ vr: ['OB', 'OW'], seeNote: false });
    expect(parseVrCell('See Note')).toEqual({ vr: [], seeNote: true });
    expect(parseVrCell('See Note 2')).toEqual({ vr: [], seeNote: true });
    expect(parseVrCell('')).toEqual({ vr: [], seeNote: false });
    expect(parseVrCell('US or maybe')).toBeUndefined();
  });
  it('reads VM forms', () => {
    for (const vm of ['1', '1-n', '2-2n', '3-3n', '1-32', '1-99', '6-n', '1-n or 1']) expect(parseVmCell(vm)).toBe(vm);
    expect(parseVmCell('1 - n')).toBe('1-n');
    expect(parseVmCell('')).toBe('');
    expect(parseVmCell('one')).toBeUndefined();
  });
  it('reads the note column', () => {
    expect(parseNoteCell('')).toEqual({ retired: false, seeNote: false });
    expect(parseNoteCell('RET')).toEqual({ retired: true, seeNote: false });
    expect(parseNoteCell('RET - See Note')).toEqual({ retired: true, seeNote: true });
    expect(parseNoteCell('See Note')).toEqual({ retired: false, seeNote: true });
    expect(parseNoteCell('DICOS')).toEqual({ retired: false, usage: 'DICOS', seeNote: false });
    expect(parseNoteCell('DICONDE')).toEqual({ retired: false, usage: 'DICONDE', seeNote: false });
    expect(parseNoteCell('RET (2019c)')).toEqual({ retired: true, seeNote: false });
    expect(parseNoteCell('RET-See Note')).toEqual({ retired: true, seeNote: true });
    expect(parseNoteCell('RET / DICOS')).toEqual({ retired: true, usage: 'DICOS', seeNote: false });
    expect(parseNoteCell('Sometimes')).toBeUndefined();
  });
});

describe.each([
  ['DocBook', 'part06-mini.xml'],
  ['NEMA HTML', 'part06-mini.html'],
])('PS3.6 data element tables (%s fixture)', (_label, file) => {
  const { ir, report } = scrapeFile(fx(file), [scrapePart06DataElements]);
  const el = (tag: string) => ir.dataElements.find((e) => e.tag === tag);

  it('accounts for every body row', () => {
    const t61 = report.accounts.find((a) => a.table === 'Table 6-1')!;
    expect(t61).toMatchObject({ totalRows: 18, headerRows: 1, bodyRows: 17, parsed: 15, rejected: 2, skipped: 0 });
    expect(report.accounts.find((a) => a.table === 'Table 7-1')).toMatchObject({ bodyRows: 2, parsed: 2 });
    expect(report.accounts.find((a) => a.table === 'Table 8-1')).toMatchObject({ bodyRows: 2, parsed: 2 });
    // Table 9-1 is absent from this edition: no account, no error.
    expect(report.accounts.some((a) => a.table === 'Table 9-1')).toBe(false);
  });

  it('rejects the reserved RET - See Note row and the empty row with diagnostics', () => {
    const empty = report.diagnostics.filter((d) => d.code === 'empty-row' && d.table === 'Table 6-1');
    expect(empty.map((d) => d.row)).toEqual([5, 16]);
    expect(empty[0]!.message).toContain('(0018,9445)');
    expect(empty[0]!.message).toContain('RET - See Note');
    expect(el('00189445')).toBeUndefined();
  });

  it('removes zero-width spaces and reports them once per table', () => {
    expect(el('00100010')).toMatchObject({ keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, table: 'data' });
    expect(el('00080005')!.keyword).toBe('SpecificCharacterSet');
    const inv = report.diagnostics.filter((d) => d.code === 'invisible-characters-removed' && d.table === 'Table 6-1');
    expect(inv).toHaveLength(1);
    expect(inv[0]!.severity).toBe('info');
    expect(inv[0]!.message).toContain('3 cell(s)');
  });

  it('keeps RET as a flag, keywords unchanged', () => {
    expect(el('00080001')).toMatchObject({ keyword: 'LengthToEnd', retired: true });
    expect(el('00041600')).toMatchObject({ keyword: 'NumberOfReferences', retired: true, table: 'directory' });
    expect(report.diagnostics.some((d) => d.code === 'retired-italic-mismatch')).toBe(false);
  });

  it('keeps xx masks and multi-VR unions', () => {
    expect(el('60xx3000')).toMatchObject({ keyword: 'OverlayData', vr: ['OB', 'OW'], retired: false });
    expect(el('002804x0')).toMatchObject({ keyword: 'RowsForNthOrderCoefficients', retired: true });
    expect(el('1000xxx0')).toMatchObject({ keyword: 'EscapeTriplet', vm: '3' });
    expect(el('00281200')).toMatchObject({ vr: ['US', 'SS', 'OW'], vm: '1-n or 1', retired: true });
    expect(el('00189810')!.vr).toEqual(['US', 'SS']);
  });

  it('reads See Note VRs, the note column and lower-case hex', () => {
    expect(el('FFFEE000')).toMatchObject({ keyword: 'Item', vr: [], vrSeeNote: true });
    expect(el('0040A170')).toMatchObject({ vr: ['SQ'], retired: false });
    expect(el('0040A170')!.vrSeeNote).toBeUndefined();
    expect(el('00143050')!.usage).toBe('DICONDE');
    expect(el('4FFE0001')!.usage).toBe('DICOS');
    expect(el('0074100A')!.keyword).toBe('ContactURI');
    expect(report.diagnostics.find((d) => d.code === 'tag-case-normalized')).toMatchObject({ severity: 'info', row: 11 });
  });

  it('records provenance per row', () => {
    expect(el('7FE00010')!.prov).toEqual({ source: ir.sources[0]!.id, table: 'Table 6-1', row: 15 });
    expect(el('00020010')).toMatchObject({ table: 'file-meta', prov: { table: 'Table 7-1', row: 2 } });
  });
});

describe('PS3.6 data elements: DocBook and HTML give the same entries', () => {
  it('is format-neutral', () => {
    const a = scrapeFile(fx('part06-mini.xml'), [scrapePart06DataElements]).ir.dataElements;
    const b = scrapeFile(fx('part06-mini.html'), [scrapePart06DataElements]).ir.dataElements;
    const strip = (l: typeof a) => l.map(({ prov, ...rest }) => ({ ...rest, prov: { ...prov, source: '' } }));
    expect(strip(b)).toEqual(strip(a));
  });
  it('fails loudly on an unknown column header, naming file and table', () => {
    expect(() => scrapeFile(fx('part06-unknown-header.xml'), [scrapePart06DataElements])).toThrow(/part06-unknown-header\.xml Table 6-1: unknown column header "Bogus Column"/);
  });
});

describe.each([
  ['DocBook', 'part07-mini.xml'],
  ['NEMA HTML', 'part07-mini.html'],
])('PS3.7 command elements (%s fixture)', (_label, file) => {
  const { ir, report } = scrapeFile(fx(file), [scrapeCommandElements]);
  it('reads E.1-1 as command and E.2-1 as retired command elements', () => {
    expect(ir.dataElements.map((e) => [e.tag, e.keyword, e.table, e.retired])).toEqual([
      ['00000000', 'CommandGroupLength', 'command', false],
      ['00000100', 'CommandField', 'command', false],
      ['00000001', 'CommandLengthToEnd', 'command-retired', true],
    ]);
    expect(report.accounts.map((a) => [a.table, a.bodyRows, a.parsed])).toEqual([
      ['Table E.1-1', 2, 2],
      ['Table E.2-1', 1, 1],
    ]);
    // The description column is prose: never copied into the IR.
    expect(JSON.stringify(ir)).not.toContain('Fixture text');
  });
});
