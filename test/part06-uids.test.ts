import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { normalizePart, normalizeUidType, scrapePart06Uids, splitRetired } from '../sources/nema/part06-uids.ts';
import { scrapeFile } from './helpers/scrape-nema.ts';
import { repoRoot } from './helpers/shared.ts';

const fx = (f: string) => join(repoRoot, 'test', 'fixtures', 'nema', f);

describe('PS3.6 Annex A helpers', () => {
  it('normalizes UID type texts', () => {
    expect(normalizeUidType('SOP Class')).toBe('SOP Class');
    expect(normalizeUidType('Well-known frame of reference')).toBe('Well-known Frame of Reference');
    expect(normalizeUidType('Well-known Printer SOP Instance')).toBe('Well-known Printer');
    expect(normalizeUidType('Well-known Print Queue SOP Instance')).toBe('Well-known Print Queue');
    expect(normalizeUidType('DICOM UIDs as a Coding Scheme')).toBe('Coding Scheme');
    expect(normalizeUidType('LDAP OID')).toBe('LDAP OID');
    expect(normalizeUidType('Transfer')).toBeUndefined();
  });
  it('splits the (Retired) marker off the name', () => {
    expect(splitRetired('Explicit VR Big Endian (Retired)')).toEqual({ name: 'Explicit VR Big Endian', retired: true });
    expect(splitRetired('Explicit VR Little Endian')).toEqual({ name: 'Explicit VR Little Endian', retired: false });
  });
  it('normalizes the part column', () => {
    expect(normalizePart('PS 3.6')).toBe('PS3.6');
    expect(normalizePart('DICOS')).toBe('DICOS');
    expect(normalizePart('')).toBeUndefined();
  });
});

describe.each([
  ['DocBook', 'part06-mini.xml'],
  ['NEMA HTML', 'part06-mini.html'],
])('PS3.6 Tables A-1, A-2, A-3 (%s fixture)', (_label, file) => {
  const { ir, report } = scrapeFile(fx(file), [scrapePart06Uids]);
  const uid = (u: string) => ir.uids.find((x) => x.uid === u);

  it('accounts for every row', () => {
    expect(report.accounts.map((a) => [a.table, a.bodyRows, a.parsed, a.rejected, a.skipped])).toEqual([
      ['Table A-1', 13, 12, 1, 0],
      ['Table A-2', 2, 1, 0, 1],
      ['Table A-3', 5, 4, 1, 0],
    ]);
  });

  it('reads UIDs, types, retirement and derived keywords', () => {
    expect(uid('1.2.840.10008.1.2')).toMatchObject({
      name: 'Implicit VR Little Endian: Default Transfer Syntax for DICOM',
      keyword: 'ImplicitVRLittleEndian',
      keywordDerived: true,
      type: 'Transfer Syntax',
      typeText: 'Transfer Syntax',
      retired: false,
    });
    expect(uid('1.2.840.10008.1.2.2')).toMatchObject({ name: 'Explicit VR Big Endian', keyword: 'ExplicitVRBigEndian', retired: true });
    expect(uid('1.2.840.10008.5.1.4.1.1.6')).toMatchObject({ keyword: 'UltrasoundImageStorageRetired', retired: true });
    expect(uid('1.2.840.10008.5.1.4.1.1.6.1')).toMatchObject({ keyword: 'UltrasoundImageStorage', retired: false });
    expect(uid('1.2.840.10008.5.1.4.1.1.501.1')).toMatchObject({ part: 'DICOS' });
    expect(uid('1.2.840.10008.15.0.3.1')).toMatchObject({ keyword: 'dicomDeviceName', type: 'LDAP OID' });
  });

  it('removes the soft hyphen and zero-width space inside UIDs and reports the count', () => {
    expect(uid('1.2.840.10008.1.5.1')).toMatchObject({ keyword: 'HotIronPalette', part: 'PS3.6', type: 'Well-known SOP Instance' });
    expect(uid('1.2.840.10008.9.9')).toBeDefined();
    expect(report.diagnostics.find((d) => d.code === 'invisible-characters-removed' && d.table === 'Table A-1')?.message).toContain('2 cell(s)');
  });

  it('records an unknown type as Other, with a warning', () => {
    expect(uid('1.2.840.10008.9.9')).toMatchObject({ type: 'Other', typeText: 'Unheard-of Type' });
    expect(report.diagnostics.find((d) => d.code === 'unknown-uid-type')).toMatchObject({ severity: 'warning', table: 'Table A-1', row: 11 });
  });

  it('enters a UID of Table A-2 once, and new frames of reference with their type', () => {
    expect(ir.uids.filter((u) => u.uid === '1.2.840.10008.1.4.1.1')).toHaveLength(1);
    expect(uid('1.2.840.10008.1.4.1.99')).toMatchObject({ keyword: 'FixtureAtlas', type: 'Well-known Frame of Reference', prov: { table: 'Table A-2', row: 2 } });
    expect(report.diagnostics.find((d) => d.code === 'repeated-in-table-a1')?.message).toContain('row 1');
    expect(JSON.stringify(ir)).not.toContain('Fixture reference');
  });

  it('reads context group UIDs with their CID, rejecting the empty row', () => {
    expect(uid('1.2.840.10008.6.1.1')).toMatchObject({ type: 'Context Group Name', cid: 2, keyword: 'AnatomicModifier' });
    expect(uid('1.2.840.10008.6.1.50')).toMatchObject({ cid: 3082, retired: true, name: 'Cardiology Units of Measurement' });
    expect(uid('1.2.840.10008.6.1.45')!.keyword).toBe('CardiovascularAnatomicLocationsCID3010');
    expect(uid('1.2.840.10008.6.1.175')!.keyword).toBe('CardiovascularAnatomicLocationsCID3630');
    expect(uid('1.2.840.10008.6.1.888')).toBeUndefined();
    expect(report.diagnostics.find((d) => d.code === 'empty-row' && d.table === 'Table A-3')).toMatchObject({ row: 5, severity: 'warning' });
  });
});
