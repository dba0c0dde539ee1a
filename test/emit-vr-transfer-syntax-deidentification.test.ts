/**
 * Emitters `vrs`, `transfer-syntaxes`, `deidentification`: the generated files compile under
 * strict TypeScript and behave (VR info, ambiguous VR resolution, transfer syntax lookup,
 * de-identification precedence), on fixtures and on the real 2026c PS3.5/PS3.15.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as esbuild from 'esbuild';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { emptyIr, type DataElement, type Ir } from '../generator/ir.ts';
import { emptyReport } from '../generator/ir.ts';
import { scrapeValueRepresentations } from '../sources/nema/part05-value-representations.ts';
import { scrapeTransferSyntaxes } from '../sources/nema/part05-transfer-syntaxes.ts';
import { scrapeDeidentificationTable } from '../sources/nema/part15-deidentification.ts';
import { emitVrs } from '../generator/emit/vrs.ts';
import { emitTransferSyntaxes } from '../generator/emit/transfer-syntaxes.ts';
import { emitDeidentification } from '../generator/emit/deidentification.ts';
import { emitters } from '../generator/emit/index.ts';
import type { EmitContext } from '../generator/emit/context.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

function buildIr(files: string[]): Ir {
  const ir = emptyIr();
  const report = emptyReport();
  for (const f of files) {
    const doc = loadNemaDocument(f);
    const source = { id: `nema-${doc.edition}-part${String(doc.partNumber).padStart(2, '0')}`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
    ir.sources.push(source);
    const ctx = { ir, report, source };
    if (doc.partNumber === 5) {
      scrapeValueRepresentations(doc, ctx);
      scrapeTransferSyntaxes(doc, ctx);
    } else scrapeDeidentificationTable(doc, ctx);
  }
  return ir;
}

const el = (tag: string, keyword: string, vr: string[], row: number): DataElement => ({
  tag,
  keyword,
  name: keyword,
  vr,
  vm: '1',
  retired: false,
  table: 'data',
  prov: { source: 'fixture-part06', table: 'Table 6-1', row },
});

/** Emit the three families into a temp dir (an ESM package) and type-check them strictly. */
function emitAndCheck(ir: Ir): { dir: string; diagnostics: string[] } {
  const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-emit-vr-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const paths: string[] = [];
  for (const r of [emitVrs(ctx), emitTransferSyntaxes(ctx), emitDeidentification(ctx)]) {
    for (const f of r.files) {
      writeFileSync(join(dir, f.path), f.content);
      paths.push(join(dir, f.path));
    }
  }
  const program = ts.createProgram(paths, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    lib: ['lib.es2023.d.ts'],
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { dir, diagnostics };
}

/** The shapes of the generated modules this test calls (they live in a temp dir, not in the project). */
interface VrModule {
  VRS: readonly string[];
  AMBIGUOUS_VRS: readonly { tag: string; rule: string }[];
  vrInfo(vr: string): Record<string, unknown> | undefined;
  resolveVr(tag: number | string, ctx: Record<string, unknown>): string | undefined;
}
interface TsModule {
  TRANSFER_SYNTAX_INFO: readonly unknown[];
  transferSyntaxInfo(uid: string): Record<string, unknown> | undefined;
}
interface DeidModule {
  DEIDENTIFICATION_RULES: readonly unknown[];
  DEIDENTIFICATION_OPTIONS: readonly unknown[];
  deidentificationAction(tag: number | string, options?: readonly string[] | Record<string, boolean>): string | undefined;
  deidentificationDecision(tag: number | string, options?: readonly string[] | Record<string, boolean>): Record<string, unknown> | undefined;
}

describe('emitters on fixtures', () => {
  const fx = (n: string) => join(repoRoot, 'test', 'fixtures', 'nema', n);
  let dir = '';
  let diagnostics: string[] = [];
  beforeAll(() => {
    const ir = buildIr([fx('part05-mini.xml'), fx('part15-mini.xml')]);
    ir.dataElements.push(el('7FE00010', 'PixelData', ['OB', 'OW'], 1), el('00280106', 'SmallestImagePixelValue', ['US', 'SS'], 2));
    ({ dir, diagnostics } = emitAndCheck(ir));
  });

  it('are registered under their families', () => {
    expect(emitters.map((e) => e.family)).toEqual(expect.arrayContaining(['vrs', 'transfer-syntaxes', 'deidentification']));
    expect(emitters.find((e) => e.family === 'vrs')?.needs).toEqual(['transfer-syntaxes']);
  });

  it('compile under strict TypeScript', () => {
    expect(diagnostics).toEqual([]);
  });

  it('vr.ts: VR union data, vrInfo and resolveVr', async () => {
    const m = (await import(pathToFileURL(join(dir, 'vr.ts')).href)) as VrModule;
    expect(m.VRS).toEqual(['AE', 'OB', 'OW', 'PN', 'SQ', 'SS', 'UN', 'US', 'UV']);
    expect(m.vrInfo('US')).toMatchObject({ binary: true, fixedSize: 2, explicitLengthField: 16 });
    expect(m.vrInfo('XX')).toBeUndefined();
    expect(m.resolveVr(0x7fe00010, { bitsAllocated: 16, transferSyntaxUid: '1.2.840.10008.1.2.1' })).toBe('OW');
    expect(m.resolveVr('(7FE0,0010)', { bitsAllocated: 8, explicitVr: true })).toBe('OB');
    expect(m.resolveVr(0x7fe00010, { bitsAllocated: 8, transferSyntaxUid: '1.2.840.10008.1.2' })).toBe('OW');
    expect(m.resolveVr(0x7fe00010, { transferSyntaxUid: '1.2.840.10008.1.2.4.50' })).toBe('OB');
    expect(m.resolveVr(0x7fe00010, { explicitVr: true })).toBeUndefined(); // Bits Allocated unknown
    expect(m.resolveVr(0x00280106, { pixelRepresentation: 1 })).toBe('SS');
    expect(m.resolveVr('00280106', { pixelRepresentation: 0 })).toBe('US');
    expect(m.resolveVr(0x00100010, {})).toBeUndefined();
  });

  it('deidentification.ts: masks, private groups and option precedence', async () => {
    const m = (await import(pathToFileURL(join(dir, 'deidentification.ts')).href)) as DeidModule;
    expect(m.deidentificationAction(0x00100010)).toBe('Z');
    expect(m.deidentificationAction('(0008,0018)')).toBe('U');
    expect(m.deidentificationAction('(0008,0018)', ['retainUids'])).toBe('K');
    expect(m.deidentificationAction(0x50023000)).toBe('X'); // (50xx,xxxx)
    expect(m.deidentificationAction(0x60103000, { cleanGraphics: true })).toBe('C'); // (60xx,3000)
    expect(m.deidentificationAction(0x00091010)).toBe('X'); // odd group → private row
    expect(m.deidentificationAction(0x00091010, ['retainSafePrivate'])).toBe('C');
    expect(m.deidentificationAction(0x00080060)).toBeUndefined(); // not in the table
    // Both date options: keeping wins over cleaning.
    expect(m.deidentificationDecision(0x00080020, ['retainLongitudinalModifiedDates', 'retainLongitudinalFullDates'])).toMatchObject({ action: 'K', from: 'retainLongitudinalFullDates' });
    expect(m.deidentificationAction(0x00080020, ['retainLongitudinalModifiedDates'])).toBe('C');
    // An option without an action for the row leaves the Basic Profile in force.
    expect(m.deidentificationAction(0x00100010, ['cleanDescriptors', 'retainUids'])).toBe('Z');
  });
});

describe('deidentification emitter with layers that disagree on the columns', () => {
  it('adds an option a row uses but the column list lacks, in PS3.15 order', () => {
    const ir = emptyIr();
    ir.deidentificationOptions = [
      { id: 'basicProfile', header: 'Basic Profile' },
      { id: 'cleanGraphics', header: 'Clean Graph. Option' },
    ];
    ir.deidentification = [
      { tag: '00080080', name: 'Institution Name', retired: false, inStdCompIod: true, actions: { basicProfile: 'X/Z/D', retainInstitutionIdentity: 'K' }, prov: { source: 's', table: 'Table E.1-1', row: 1 } },
    ];
    const out = emitDeidentification({ ir, generatorVersion: '0.0.0-test', selection: {} }).files[0]!.content;
    expect(out).toMatch(/export type DeidentificationColumn = "basicProfile" \| "retainInstitutionIdentity" \| "cleanGraphics";/);
  });
});

describe('vr emitter with elements from a newer layer than the VR table', () => {
  it('adds the missing codes from the overlay; an unknown code stops generation', () => {
    const ir = buildIr([join(repoRoot, 'test', 'fixtures', 'nema', 'part05-mini.xml')]);
    ir.dataElements.push(el('00101000', 'FixtureVeryLong', ['OV'], 1));
    const out = emitVrs({ ir, generatorVersion: '0.0.0-test', selection: {} }).files[0]!.content;
    expect(out).toContain('OV: { vr: "OV", name: "", kind: "binary"');
    ir.dataElements.push(el('00101001', 'FixtureUnknown', ['QQ'], 2));
    expect(() => emitVrs({ ir, generatorVersion: '0.0.0-test', selection: {} })).toThrow(/VR "QQ" is used by data elements/);
  });
});

describe('emitters without PS3.5 / PS3.15 among the sources', () => {
  it('vr.ts falls back to the overlay codes, transfer-syntax-info.ts is empty, deidentification.ts is not emitted; all compile', async () => {
    const ir = emptyIr();
    ir.dataElements.push(el('7FE00010', 'PixelData', ['OB', 'OW'], 1));
    const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };
    expect(emitDeidentification(ctx).files).toEqual([]);
    const { dir, diagnostics } = emitAndCheck(ir);
    expect(diagnostics).toEqual([]);
    const m = (await import(pathToFileURL(join(dir, 'vr.ts')).href)) as VrModule;
    expect(m.VRS).toContain('UV');
    expect(m.vrInfo('SQ')).toMatchObject({ kind: 'sequence', explicitLengthField: 32 });
    expect(m.resolveVr(0x7fe00010, { explicitVr: false })).toBe('OW');
  });
});

describeShared('emitters on 2026c PS3.5 + PS3.15', () => {
  let dir = '';
  let diagnostics: string[] = [];
  beforeAll(() => {
    const ir = buildIr([sharedPath('standard', 'nema', '2026c', 'part05.xml'), sharedPath('standard', 'nema', '2026c', 'part15.xml')]);
    ir.dataElements.push(
      el('7FE00010', 'PixelData', ['OB', 'OW'], 1),
      el('60xx3000', 'OverlayData', ['OB', 'OW'], 2),
      el('54001010', 'WaveformData', ['OB', 'OW'], 3),
      el('00283002', 'LUTDescriptor', ['US', 'SS'], 4),
      el('00283006', 'LUTData', ['US', 'OW'], 5),
      el('00281200', 'GrayLookupTableData', ['US', 'SS', 'OW'], 6),
      el('00280120', 'PixelPaddingValue', ['US', 'SS'], 7),
    );
    ({ dir, diagnostics } = emitAndCheck(ir));
  });

  it('compile under strict TypeScript', () => {
    expect(diagnostics).toEqual([]);
  });

  it('vr.ts has the 34 VRs of 2026c and resolves every ambiguous element', async () => {
    const m = (await import(pathToFileURL(join(dir, 'vr.ts')).href)) as VrModule;
    expect(m.VRS).toHaveLength(34);
    expect(m.vrInfo('UR')).toMatchObject({ explicitLengthField: 32, padding: 'space', singleValued: true });
    expect(m.resolveVr(0x60023000, { explicitVr: true })).toBe('OW');
    expect(m.resolveVr(0x54001010, { bitsAllocated: 8, explicitVr: true })).toBe('OB');
    expect(m.resolveVr(0x54001010, { bitsAllocated: 8, explicitVr: false })).toBe('OW');
    expect(m.resolveVr(0x00283002, { pixelRepresentation: 1 })).toBe('US');
    expect(m.resolveVr(0x00283006, { explicitVr: true })).toBe('OW');
    expect(m.resolveVr(0x00281200, {})).toBe('OW');
    expect(m.resolveVr(0x00280120, { pixelRepresentation: 1 })).toBe('SS');
    expect(m.AMBIGUOUS_VRS.map((e) => e.rule)).toEqual(['pixel-representation', 'lut-data', 'lut-descriptor', 'lut-data', 'bits-allocated', 'overlay-data', 'pixel-data']);
    // Only Pixel Data is encapsulated: other OB/OW data in an encapsulated syntax follow Bits Allocated.
    expect(m.resolveVr(0x54001010, { bitsAllocated: 16, transferSyntaxUid: '1.2.840.10008.1.2.4.50' })).toBe('OW');
    expect(m.resolveVr(0x7fe00010, { bitsAllocated: 16, transferSyntaxUid: '1.2.840.10008.1.2.4.50' })).toBe('OB');
  });

  it('transfer-syntax-info.ts: lookup and properties', async () => {
    const m = (await import(pathToFileURL(join(dir, 'transfer-syntax-info.ts')).href)) as TsModule;
    expect(m.TRANSFER_SYNTAX_INFO).toHaveLength(46);
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.1.99')).toMatchObject({ deflated: true, explicitVr: true, lossy: false });
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.2')).toMatchObject({ byteOrder: 'big', retired: true });
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.4.50')).toMatchObject({ lossy: true, encapsulated: true });
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.5')).toMatchObject({ lossy: false, compression: 'lossless', frameFragments: 'single' });
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.4.91')?.lossy).toBeUndefined();
    expect(m.transferSyntaxInfo('1.2.840.10008.1.2.1\0')?.keyword).toBe('ExplicitVRLittleEndian'); // UI padding
    expect(m.transferSyntaxInfo('1.2.3.4')).toBeUndefined();
  });

  it('tree-shakes: one function pulls in only the data it needs', async () => {
    const bundle = async (code: string) => {
      const r = await esbuild.build({ stdin: { contents: code, resolveDir: dir, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
      return r.outputFiles[0]!.text;
    };
    const vr = await bundle("import { vrInfo } from './vr.ts'; console.log(vrInfo('US'));");
    expect(vr).toContain('Application Entity');
    expect(vr).not.toMatch(/JPEG Baseline|Patient's Name/);
    const tsInfo = await bundle("import { transferSyntaxInfo } from './transfer-syntax-info.ts'; console.log(transferSyntaxInfo('1.2.840.10008.1.2'));");
    expect(tsInfo).toContain('JPEG Baseline');
    expect(tsInfo).not.toMatch(/Application Entity|Patient's Name/);
    const deid = await bundle("import { deidentificationAction } from './deidentification.ts'; console.log(deidentificationAction(0x00100010));");
    expect(deid).toContain("Patient's Name");
    expect(deid).not.toMatch(/Application Entity|JPEG Baseline/);
  });

  it('deidentification.ts: 656 rules and real actions', async () => {
    const m = (await import(pathToFileURL(join(dir, 'deidentification.ts')).href)) as DeidModule;
    expect(m.DEIDENTIFICATION_RULES).toHaveLength(656);
    expect(m.DEIDENTIFICATION_OPTIONS).toHaveLength(11);
    expect(m.deidentificationAction(0x00100010)).toBe('Z');
    expect(m.deidentificationAction(0x00100040, ['retainPatientCharacteristics'])).toBe('K');
    expect(m.deidentificationAction(0x00080080)).toBe('X/Z/D');
    expect(m.deidentificationAction(0x00080080, { retainInstitutionIdentity: true })).toBe('K');
    expect(m.deidentificationAction(0x00191001, ['retainSafePrivate'])).toBe('C');
  });
});
