import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { scrapePrivateFile } from '../sources/private/index.ts';
import { repairName } from '../sources/private/conformance-statement.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'private', name);
type Row = [creator: string, group: string, offset: string, vr: string, name: string, line: number];
const rows = (r: ReturnType<typeof scrapePrivateFile>): Row[] =>
  r.ir.privateDictionaries!.elements.map((e) => [e.creator, e.group, e.offset, e.vr.join('/'), e.name, e.prov.line!]);

describeShared('conformance statement 003 (Philips, ELSCINT1 private attributes)', () => {
  const file = sharedPath('seeds', '003_90dfa96442564ae8.txt');
  const r = scrapePrivateFile(file);

  it('finds every ELSCINT1 private attribute with tag, VR and name (first occurrence, repairs applied)', () => {
    // Read off the file by hand: Tables 82, 87, 94 and 99 repeat the same attributes; (01F7,xxDC)
    // only occurs in Table 87. Names are as printed, with the extraction's breaks repaired
    // ("MONOCHROMA TIC", "A nnotations") and the VR that merged into a name cell ("DS …") removed.
    expect(rows(r)).toEqual([
      ['ELSCINT1', '01E1', '55', 'SQ', 'Reference Sequence', 1680],
      ['ELSCINT1', '01E1', '56', 'CS', 'Reference type', 1690],
      ['ELSCINT1', '01E1', '57', 'CS', 'Reference level', 1691],
      ['ELSCINT1', '01F7', 'CE', 'LT', 'Reference SBI type', 1692],
      ['ELSCINT1', '01F1', '4F', 'US', 'Elsclnt_Detectors_Layers', 1693],
      ['ELSCINT1', '01F7', 'CB', 'DS', 'ELSCINTCT_MONOCHROMATIC_ENERGY_KEV', 1694],
      ['ELSCINT1', '01F7', 'CC', 'ST', 'Elsclnt_SBI_version', 1695],
      ['ELSCINT1', '01F7', 'CD', 'CS', 'Elsclnt SC_CT_equivalent', 1696],
      ['ELSCINT1', '01F7', 'D3', 'LT', 'ElsclntCT_Burned_Spectral_Annotations', 1697],
      ['ELSCINT1', '01F7', 'D4', 'SH', 'Elsclnt_Head_Body', 1698],
      ['ELSCINT1', '01F7', 'D6', 'IS', 'Elsclnt_Spectral_Level', 1699],
      ['ELSCINT1', '01F7', 'DC', 'DS', 'ElsclintCT_Calcium_Suppression_Index', 1754],
    ]);
  });
  it('keeps document, line and raw text on every entry', () => {
    const e = r.ir.privateDictionaries!.elements.find((x) => x.offset === 'CB')!;
    expect(r.ir.sources.find((s) => s.id === e.prov.source)!.file).toBe('003_90dfa96442564ae8.txt');
    expect(e.prov.table).toBe('Table 82: Private attributes for Monochromatic Images');
    expect(e.raw).toBe('DS ELSCINTCT_MONOCHROMA TIC_ENERGY_KEV\t01F7,xxCB\tDS\t40 to 200\tALWAYS\tAUTO\t');
  });
  it('records the three ELSCINT1 reservations', () => {
    expect(r.ir.privateDictionaries!.declarations!.map((d) => [d.creator, d.group, d.prov.line])).toEqual([
      ['ELSCINT1', '01E1', 1677],
      ['ELSCINT1', '01F1', 1678],
      ['ELSCINT1', '01F7', 1679],
    ]);
  });
  it('ignores the standard attributes of the same tables, with accounting', () => {
    const els = r.ir.privateDictionaries!.elements;
    // e.g. >SOP Instance UID (0008,0018) and >Study ID (0020,0010) nested in Reference Sequence.
    expect(els.some((e) => parseInt(e.group, 16) % 2 === 0)).toBe(false);
    expect(r.report.counts[`private.${r.source.id}.standardIgnored`]).toBe(997);
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 1887, parsed: 54, rejected: 1, skipped: 1832 });
  });
  it('reports what it could not read: a reservation row printed with a block tag', () => {
    const warnings = r.report.diagnostics.filter((d) => d.severity !== 'info');
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'private-creator-row-misplaced', line: 1866, raw: 'Private Creator Data Element\t01F7,xx10\tLO\tELSCINT1\tALWAYS\tAUTO\t' }),
    ]);
  });
  it('reports repairs and spelling variants of repeated rows as notes', () => {
    const c = r.report.diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(c).toEqual(expect.arrayContaining(['merged-cells@1694', 'name-repaired@1694', 'name-repaired@1697', 'name-repaired@1747', 'private-name-variant@1751']));
  });
});

describeShared('conformance statement 002 (TigerView): no private attributes', () => {
  it('reads no private entry and skips the standard rows (including 0028:0100 colon tags)', () => {
    const r = scrapePrivateFile(sharedPath('seeds', '002_229ecbabfebb6c26.txt'));
    expect(r.ir.privateDictionaries!.elements).toHaveLength(0);
    expect(r.report.accounts[0]).toMatchObject({ parsed: 0, rejected: 0 });
    expect(r.report.counts[`private.${r.source.id}.standardIgnored`]).toBe(218);
  });
});

describe('conformance statement extraction damage (fixtures)', () => {
  it('Siemens form (gggg,CREATOR,ee) Name VR VM: tabs, space runs, single spaces, look-alikes, nesting', () => {
    const r = scrapePrivateFile(fixture('siemens-rt-conformance.txt'));
    const els = r.ir.privateDictionaries!.elements.map((e) => [e.creator, e.group, e.offset, e.vr.join('/'), e.vm, e.name]);
    expect(els).toEqual([
      ['SIEMENS CT RT Structure Set', '0029', '01', 'LO', '1', 'Structure Set Version'],
      ['SIEMENS CT RT Structure Set', '0029', '10', 'CS', '1', 'Contour Algorithm'],
      ['SIEMENS CT RT Structure Set', '0029', '11', 'DS', '1', 'Contour Smoothing Factor'],
      ['SIEMENS CT RT Structure Set', '0029', '2C', 'CS', '1', 'Reference Mask Flag'],
      ['SIEMENS CT RT Structure Set', '0029', '30', 'US', '3-3n', 'ROI Color Table'],
      ['SIEMENS MED DISPLAY', '0029', '10', 'SH', '1', 'Display Layout'],
    ]);
    const c = r.report.diagnostics.map((d) => `${d.code}@${d.line}`);
    // Offset 01 is reported; the unreadable element 3Z is reported, never dropped; the standard rows are skipped.
    expect(c).toEqual(expect.arrayContaining(['private-offset-range@6', 'lookalike-folded@9', 'private-tag-unparsed@11']));
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 18, parsed: 6, rejected: 1 });
    expect(r.report.counts[`private.${r.source.id}.standardIgnored`]).toBe(2);
  });
  it('reservation + block tags with space runs: broken names, merged VR, O for 0, orphans and prose mentions', () => {
    const r = scrapePrivateFile(fixture('spectral-space-runs.txt'));
    expect(rows(r).map(([c, g, o, vr, n]) => [c, g, o, vr, n])).toEqual([
      ['ELSCINT1', '01F7', 'D6', 'IS', 'Spectral Level'],
      ['ELSCINT1', '01F7', 'CB', 'DS', 'Monochromatic energy keV'],
      ['ELSCINT1', '01F7', 'D4', 'SH', 'Head Body Flag_selection'],
      ['ELSCINT1', '01F7', 'DC', 'DS', 'Calcium_Suppression_Index'],
      ['ELSCINT1', '01F7', '55', 'SQ', 'Reference Sequence'],
      ['ELSCINT1', '01F7', '56', 'CS', 'Reference type'],
      ['ELSCINT1', '01F7', '4F', 'US', 'Detector Layers'],
      ['ELSCINT2', '01F9', '10', 'US', 'Energy Bin Count'],
    ]);
    const byCode = (code: string) => r.report.diagnostics.filter((d) => d.code === code).map((d) => d.line);
    expect(byCode('creator-lookalike')).toEqual([7]);
    expect(byCode('name-joined')).toEqual([10, 12]);
    expect(byCode('merged-cells')).toEqual([13]);
    expect(byCode('name-repaired')).toEqual([13]);
    expect(byCode('tag-repaired')).toEqual([17]);
    expect(byCode('private-creator-unknown')).toEqual([19]);
    expect(byCode('private-tag-unparsed')).toEqual([20]);
    // Every line is accounted for: the broken-name lines are part of their entries.
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 22, parsed: 12, rejected: 2, skipped: 8 });
  });
  it('maps columns by the table header (tag first, VM column, block-specific reservations, glued VR)', () => {
    const r = scrapePrivateFile(fixture('tag-first-columns.txt'));
    const els = r.ir.privateDictionaries!.elements.map((e) => [e.creator, e.group, e.offset, e.vr.join('/'), e.vm, e.name]);
    expect(els).toEqual([
      ['ACME MR 2.0', '0019', '10', 'DS', '1', 'Table Speed'],
      ['ACME MR 2.0', '0019', '11', 'US', '2-2n', 'Coil Elements'],
      ['ACME MR 2.0', '0019', '12', 'SQ', '1', 'Shim Sequence'],
      ['ACME MR 2.0', '0019', '14', 'DS', '1', 'Glued Tag And VR'],
      ['ACME MR 2.0', '0019', '15', '', '1', 'Unknown VR Code'],
      ['ACME MR 2.0', '0019', '16', 'DS', '', 'Bad Multiplicity'],
      // (0019,1110) lies in block 11, which "ACME MR SPEC" reserved.
      ['ACME MR SPEC', '0019', '10', 'FL', '3', 'Spectral Window'],
    ]);
    expect(r.ir.privateDictionaries!.declarations!.map((d) => [d.creator, d.group, d.block])).toEqual([
      ['ACME MR 2.0', '0019', '10'],
      ['ACME MR SPEC', '0019', '11'],
    ]);
    const byCode = (code: string) => r.report.diagnostics.filter((d) => d.code === code).map((d) => d.line);
    expect(byCode('merged-cells')).toEqual([9]);
    expect(byCode('private-vr-unknown')).toEqual([10]);
    expect(byCode('private-vm-syntax')).toEqual([11]);
    expect(byCode('private-reservation-element')).toEqual([13]);
    expect(r.report.counts[`private.${r.source.id}.standardIgnored`]).toBe(1);
  });
  it('repairs only keyword-style names', () => {
    expect(repairName('ELSCINTCT_MONOCHROMA TIC_ENERGY_KEV')).toBe('ELSCINTCT_MONOCHROMATIC_ENERGY_KEV');
    expect(repairName('Elsclnt _Detectors _Layers')).toBe('Elsclnt_Detectors_Layers');
    expect(repairName('ElsclntCT_Burned_Spectral_A nnotations')).toBe('ElsclntCT_Burned_Spectral_Annotations');
    expect(repairName('Elsclnt SC_CT_equivalent')).toBe('Elsclnt SC_CT_equivalent');
    expect(repairName('Reference SBI type')).toBe('Reference SBI type');
  });
});
