import { describe, expect, it } from 'vitest';
import { emptyIr, emptyReport, type DataElement, type UidEntry } from '../generator/ir.ts';
import { isValidVm, uidProblem, validateIr } from '../generator/validate.ts';

const prov = (row: number) => ({ source: 's', table: 'Table 6-1', row });
const el = (tag: string, keyword: string, extra: Partial<DataElement> = {}): DataElement => ({
  tag,
  keyword,
  name: keyword,
  vr: ['US'],
  vm: '1',
  retired: false,
  table: 'data',
  prov: prov(1),
  ...extra,
});
const uid = (u: string, keyword: string, extra: Partial<UidEntry> = {}): UidEntry => ({
  uid: u,
  keyword,
  name: keyword,
  type: 'SOP Class',
  typeText: 'SOP Class',
  retired: false,
  prov: { source: 's', table: 'Table A-1', row: 1 },
  ...extra,
});

function run(dataElements: DataElement[], uids: UidEntry[] = []) {
  const ir = { ...emptyIr(), sources: [{ id: 's', part: 'PS3.6', edition: '2099a', format: 'docbook' as const, file: 'part06.xml', sha256: '', bytes: 0 }], dataElements, uids };
  const report = emptyReport();
  const r = validateIr(ir, report);
  return { ...r, diagnostics: report.diagnostics };
}

describe('UID grammar (PS3.5 §9)', () => {
  it('accepts valid UIDs', () => {
    for (const u of ['1.2.840.10008.1.2', '1.2.840.10008.5.1.4.1.1.82.1', '2.25.0', '1.2.0.3']) expect(uidProblem(u)).toBeUndefined();
  });
  it('names the problem of invalid ones', () => {
    expect(uidProblem('')).toBe('empty');
    expect(uidProblem(`1.${'2'.repeat(64)}`)).toMatch(/66 characters/);
    expect(uidProblem('1.2.840.10008.1.2a')).toMatch(/digits and dots/);
    expect(uidProblem('1.2..3')).toMatch(/empty component/);
    expect(uidProblem('1.2.3.')).toMatch(/empty component/);
    expect(uidProblem('1.02.3')).toMatch(/leading zero/);
  });
  it('knows the VM forms', () => {
    for (const vm of ['1', '1-n', '2-2n', '3-3n', '1-32', '1-n or 1']) expect(isValidVm(vm)).toBe(true);
    expect(isValidVm('n')).toBe(false);
  });
});

describe('validateIr', () => {
  it('passes a clean IR', () => {
    const r = run([el('00100010', 'PatientName'), el('60xx3000', 'OverlayData', { vr: ['OB', 'OW'] })], [uid('1.2.840.10008.1.1', 'Verification')]);
    expect(r.blocking).toBe(false);
    expect(r.diagnostics).toEqual([]);
  });
  it('blocks on bad tags, keywords, duplicate tags and duplicate non-retired keywords', () => {
    const r = run([
      el('0010001', 'Short'),
      el('00100010', 'PatientName'),
      el('00100010', 'PatientNameAgain', { prov: prov(2) }),
      el('00100020', 'class'),
      el('00100030', 'Bad Keyword'),
      el('00100040', 'PatientSex'),
      el('00100050', 'PatientSex', { prov: prov(9) }),
    ]);
    expect(r.blocking).toBe(true);
    const codes = r.diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(codes).toEqual(expect.arrayContaining(['error invalid-tag', 'error duplicate-tag', 'error invalid-keyword', 'error duplicate-keyword']));
    expect(r.diagnostics.find((d) => d.code === 'duplicate-keyword')).toMatchObject({ file: 'part06.xml', table: 'Table 6-1', row: 9 });
    expect(r.diagnostics.filter((d) => d.code === 'invalid-keyword').map((d) => d.message)).toEqual([
      expect.stringContaining('"class"'),
      expect.stringContaining('"Bad Keyword"'),
    ]);
  });
  it('only warns when a retired element shares a keyword', () => {
    const r = run([el('00100040', 'PatientSex'), el('00100041', 'PatientSex', { retired: true })]);
    expect(r.blocking).toBe(false);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning duplicate-retired-keyword']);
  });
  it('checks VRs against PS3.5 when the IR has it', () => {
    const r = run([el('00100010', 'PatientName', { vr: ['PN', 'ZZ'] }), el('00100020', 'Odd', { vr: ['p n'] })]);
    // Without PS3.5, a code the overlay does not know is an error here, not a crash in the emitter.
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-vr', 'invalid-vr']);
    const ir = { ...emptyIr(), dataElements: [el('00100010', 'PatientName', { vr: ['PN', 'ZZ'] })] };
    ir.valueRepresentations = [{ vr: 'PN', name: 'Person Name', kind: 'string', padding: 'space', explicitLengthField: 16, repertoire: 'specific', singleValued: false, retired: false, prov: prov(1) }];
    const report = emptyReport();
    expect(validateIr(ir, report).blocking).toBe(true);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['unknown-vr']);
  });
  it('blocks on malformed VMs (docs/hardening.md) and warns on VR-less elements without See Note', () => {
    const r = run([el('00100010', 'PatientName', { vm: 'lots' }), el('00100020', 'PatientID', { vr: [] }), el('FFFEE000', 'Item', { vr: [], vrSeeNote: true })]);
    expect(r.blocking).toBe(true);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error invalid-vm', 'warning missing-vr']);
  });
  it('blocks on malformed UIDs and SOP classes / transfer syntaxes outside the DICOM root', () => {
    const r = run(
      [],
      [
        uid('11.2.840.10008.5.1.4.1.1.82.1', 'CornealTopographyMapStorage'),
        uid('1.2.3.4', 'ElsewhereTransferSyntax', { type: 'Transfer Syntax' }),
        uid('1.2.3.5', 'SomeCodingScheme', { type: 'Coding Scheme' }),
        uid('1.2.840.10008.1.02', 'Leading', { type: 'Coding Scheme' }),
      ],
    );
    expect(r.blocking).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.raw?.split(' | ')[0]])).toEqual([
      ['uid-outside-dicom-root', '11.2.840.10008.5.1.4.1.1.82.1'],
      ['uid-outside-dicom-root', '1.2.3.4'],
      ['invalid-uid', '1.2.840.10008.1.02'],
    ]);
  });
  it('checks UID keywords per namespace', () => {
    const r = run(
      [],
      [
        uid('1.2.840.10008.1.1', 'Same'),
        uid('1.2.840.10008.1.2', 'Same', { type: 'Transfer Syntax' }),
        uid('1.2.840.10008.1.3', 'Twice'),
        uid('1.2.840.10008.1.4', 'Twice'),
        uid('1.2.840.10008.1.5', 'Old', { retired: true }),
        uid('1.2.840.10008.1.6', 'Old'),
        uid('1.2.840.10008.1.6', 'Dup'),
      ],
    );
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning duplicate-uid', 'error duplicate-keyword', 'warning duplicate-retired-keyword']);
  });
  it('notes (info) where a derived transfer syntax keyword differs from PS3.5', () => {
    const ir = { ...emptyIr(), uids: [uid('1.2.840.10008.1.2.4.50', 'JPEGBaseline1', { type: 'Transfer Syntax', keywordDerived: true })] };
    ir.transferSyntaxes = [
      { uid: '1.2.840.10008.1.2.4.50', keyword: 'JPEGBaseline8Bit', name: 'JPEG Baseline (Process 1)', explicitVr: true, byteOrder: 'little', encapsulated: true, deflated: false, compression: 'lossy', retired: false, prov: prov(1) },
    ];
    const report = emptyReport();
    expect(validateIr(ir, report).blocking).toBe(false);
    expect(report.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'transfer-syntax-keyword-differs', message: expect.stringContaining('JPEGBaseline1 (derived) vs JPEGBaseline8Bit') })]);
  });
});
