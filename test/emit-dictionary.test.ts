/**
 * The tags, dictionary and uids emitters on a hand-made IR with hostile names: the output must
 * compile under `strict` (TypeScript compiler API), every hostile text must stay inside its comment
 * or string, and the lookups must round-trip the exact texts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyIr, type Ir, type UidEntry } from '../generator/ir.ts';
import type { EmitContext, EmitResult } from '../generator/emit/context.ts';
import { emitTags } from '../generator/emit/tags.ts';
import { emitDictionary } from '../generator/emit/dictionary.ts';
import { emitUids } from '../generator/emit/uids.ts';
import { validateIr } from '../generator/validate.ts';
import { emptyReport } from '../generator/ir.ts';
import { scrapePart06DataElements } from '../sources/nema/part06-data-elements.ts';
import { scrapePart06Uids } from '../sources/nema/part06-uids.ts';
import { scrapeCommandElements } from '../sources/nema/part07-command-elements.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { scrapeFile } from './helpers/scrape-nema.ts';
import { dataElement } from './helpers/data-element.ts';

const HOSTILE = [
  'Evil */ export const Pwned = 1; /* name',
  'Quote " and \' and ` name ${x}',
  'Line\nbreak */ name',
  'Para\u2028graph\u2029 name',
  '@deprecated not really',
  'Back\\slash \\u0041 name',
];

const prov = (row: number, table = 'Table 6-1') => ({ source: 'nema-2099a-part06', table, row });
const el = dataElement;
const uid = (u: string, keyword: string, name: string, extra: Partial<UidEntry> = {}): UidEntry => ({
  uid: u,
  keyword,
  name,
  type: 'SOP Class',
  typeText: 'SOP Class',
  retired: false,
  prov: prov(1, 'Table A-1'),
  ...extra,
});

function fixtureIr(): Ir {
  const ir = emptyIr();
  ir.sources.push({ id: 'nema-2099a-part06', part: 'PS3.6', edition: '2099a', format: 'docbook', file: 'part06.xml', sha256: '0'.repeat(64), bytes: 1 });
  ir.dataElements.push(
    el('00000000', 'CommandGroupLength', 'Command Group Length', { vr: ['UL'], table: 'command' }),
    el('00000001', 'CommandLengthToEnd', 'Command Length to End', { vr: ['UL'], table: 'command-retired', retired: true }),
    el('00020010', 'TransferSyntaxUID', 'Transfer Syntax UID', { vr: ['UI'], table: 'file-meta' }),
    el('00041130', 'FileSetID', 'File-set ID', { vr: ['CS'], table: 'directory' }),
    el('00080001', 'LengthToEnd', 'Length to End', { vr: ['UL'], retired: true }),
    el('00100010', 'PatientName', "Patient's Name", { vr: ['PN'] }),
    el('00281200', 'GrayLookupTableData', 'Gray Lookup Table Data', { vr: ['US', 'SS', 'OW'], vm: '1-n or 1', retired: true }),
    el('002804x0', 'RowsForNthOrderCoefficients', 'Rows For Nth Order Coefficients', { vr: ['US'], retired: true }),
    el('1000xxx0', 'EscapeTriplet', 'Escape Triplet', { vr: ['US'], vm: '3', retired: true }),
    el('1000xxx1', 'RunLengthTriplet', 'Run Length Triplet', { vr: ['US'], vm: '3', retired: true }),
    el('50xx3000', 'CurveData', 'Curve Data', { vr: ['OB', 'OW'], retired: true }),
    el('60xx3000', 'OverlayData', 'Overlay Data', { vr: ['OB', 'OW'] }),
    el('7FE00010', 'PixelData', 'Pixel Data', { vr: ['OB', 'OW'], usage: 'DICONDE' }),
    el('FFFEE000', 'Item', 'Item', { vr: [], vrSeeNote: true }),
    // A retired element sharing a keyword: Tag keeps the non-retired one.
    el('00189999', 'PatientName', 'Old Patient Name', { vr: ['PN'], retired: true }),
    ...HOSTILE.map((name, i) => el(`0099${(0x10 + i).toString(16).toUpperCase().padStart(4, '0')}`, `Hostile${i}`, name, { prov: prov(10 + i) })),
  );
  ir.uids.push(
    uid('1.2.840.10008.1.1', 'Verification', 'Verification SOP Class'),
    uid('1.2.840.10008.1.2', 'ImplicitVRLittleEndian', 'Implicit VR Little Endian: Default Transfer Syntax for DICOM', { type: 'Transfer Syntax', typeText: 'Transfer Syntax', keywordDerived: true }),
    uid('1.2.840.10008.1.2.2', 'ExplicitVRBigEndian', 'Explicit VR Big Endian', { type: 'Transfer Syntax', typeText: 'Transfer Syntax', retired: true }),
    uid('1.2.840.10008.1.5.1', 'HotIronPalette', 'Hot Iron Color Palette SOP Instance', { type: 'Well-known SOP Instance', typeText: 'Well-known SOP Instance', part: 'PS3.6' }),
    uid('1.2.840.10008.6.1.1', 'AnatomicModifier', 'Anatomic Modifier', { type: 'Context Group Name', typeText: 'Context Group Name', cid: 2 }),
    uid('1.2.840.10008.5.1.4.1.1.6', 'UltrasoundImageStorage', 'Ultrasound Image Storage', { retired: true }),
    uid('1.2.840.10008.5.1.4.1.1.6.1', 'UltrasoundImageStorage', 'Ultrasound Image Storage'),
    ...HOSTILE.map((name, i) => uid(`1.2.840.10008.99.${i + 1}`, `HostileUid${i}`, name, { typeText: name })),
  );
  return ir;
}

const dir = mkdtempSync(join(tmpdir(), 'dictgen-emit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function emitAll(ir: Ir): { files: Map<string, string>; results: EmitResult[] } {
  const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };
  const results = [emitTags(ctx), emitDictionary(ctx), emitUids(ctx)];
  const files = new Map<string, string>();
  for (const r of results) for (const f of r.files) files.set(f.path, f.content);
  const vrs = [...new Set(ir.dataElements.flatMap((e) => e.vr))].sort();
  files.set('vr.ts', `export type VR = ${vrs.map((v) => JSON.stringify(v)).join(' | ')};\n`);
  const entry = results.flatMap((r) => r.entry ?? []);
  files.set('index.ts', entry.map((e) => (e.as ? `export * as ${e.as} from '${e.from}';` : `export * from '${e.from}';`)).join('\n') + '\n');
  files.set('package.json', '{ "type": "module", "sideEffects": false }\n');
  for (const [p, c] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return { files, results };
}

describe('tags, dictionary and uids emitters', () => {
  const ir = fixtureIr();
  const report = emptyReport();
  const v = validateIr(ir, report);
  const { files, results } = emitAll(ir);

  it('starts from an IR the validator accepts (with warnings only)', () => {
    expect(v.blocking).toBe(false);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['duplicate-retired-keyword', 'duplicate-retired-keyword']);
  });

  it('compiles under strict with NodeNext (.js imports)', () => {
    const program = ts.createProgram({
      rootNames: [...files.keys()].filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
      options: {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        types: [],
        lib: ['lib.es2022.d.ts'],
      },
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diags).toEqual([]);
  });

  it('keeps hostile names inside comments and strings', () => {
    for (const [path, content] of files) {
      if (!path.endsWith('.ts')) continue;
      const sf = ts.createSourceFile(path, content, ts.ScriptTarget.ES2022, true);
      for (const st of sf.statements) {
        // No statement can have been injected: every exported const is a known keyword.
        if (ts.isVariableStatement(st)) {
          for (const d of st.declarationList.declarations) expect(d.name.getText()).not.toBe('Pwned');
        }
      }
      expect(content).not.toMatch(/^\s*export const Pwned/m);
      expect(content).not.toContain('\u2028');
      expect(content).not.toContain('\u2029');
    }
    const tags = files.get('tags.ts')!;
    const doc = tags.slice(tags.lastIndexOf('/**', tags.indexOf('  Hostile0 = ')), tags.indexOf('  Hostile0 = '));
    expect(doc).toContain('Evil *\u2215 export const Pwned = 1; \u2215* name');
    expect(tags).not.toMatch(/^\s*\*\s*@deprecated not really/m);
  });

  it('emits one Tag constant per non-repeating element, retired ones @deprecated', () => {
    const tags = files.get('tags.ts')!;
    // One `export const` statement, a declarator (with its own doc comment) per element.
    expect(tags.match(/^export const\b/gm)).toHaveLength(1);
    expect(tags).toMatch(/^  PatientName = 0x00100010,$/m);
    expect(tags).toMatch(/^  CommandGroupLength = 0x00000000,$/m);
    expect(tags).toMatch(/^  TransferSyntaxUID = 0x00020010,$/m);
    expect(tags).toMatch(/@deprecated Retired in PS3\.6 2099a\.\s*\*\/\s*LengthToEnd = 0x00080001,/);
    expect(tags).toMatch(/= 0x[0-9A-F]{8};\n$/);
    expect(tags).not.toMatch(/OverlayData =/);
    expect(tags).not.toMatch(/0x00189999/);
    expect(tags).toMatch(/\| "OverlayData"/);
    expect(results[0]!.entry).toEqual([{ from: './tags.js', as: 'Tag', node: './tag-object.js' }]);
  });

  it('looks up tags in every accepted form, repeating groups included', async () => {
    const m = (await import(pathToFileURL(join(dir, 'dictionary.ts')).href)) as typeof import('./helpers/dictionary-shape.ts');
    expect(m.lookupTag(0x00100010)).toMatchObject({ tag: 0x00100010, tagString: '(0010,0010)', keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, repeating: false });
    for (const s of ['(0010,0010)', '0010,0010', '00100010', '(00100010)', '0x00100010', '0X00100010']) expect(m.lookupTag(s)?.keyword).toBe('PatientName');
    expect(m.lookupTag('(7fe0,0010)')?.keyword).toBe('PixelData');
    expect(m.lookupTag('(0010,001G)')).toBeUndefined();
    expect(m.lookupTag('0010-0010')).toBeUndefined();
    expect(m.lookupTag('(0010,0010')).toBeUndefined();
    expect(m.lookupTag('x0x00100010')).toBeUndefined();
    expect(m.lookupTag(0x60023000)).toMatchObject({ keyword: 'OverlayData', tagString: '(60xx,3000)', repeating: true, vr: ['OB', 'OW'] });
    expect(m.lookupTag('(601E,3000)')?.keyword).toBe('OverlayData');
    expect(m.lookupTag(0x60013000)).toBeUndefined();
    expect(m.lookupTag(0x002804a0)?.keyword).toBe('RowsForNthOrderCoefficients');
    expect(m.lookupTag(0x10001231)?.keyword).toBe('RunLengthTriplet');
    expect(m.lookupTag(0x50043000)?.keyword).toBe('CurveData');
    expect(m.lookupTag(0x00281200)).toMatchObject({ vr: ['US', 'SS', 'OW'], vm: '1-n or 1', retired: true });
    expect(m.lookupTag(0xfffee000)).toMatchObject({ keyword: 'Item', vr: [], vrSeeNote: true });
    expect(m.lookupTag(0x7fe00010)?.usage).toBe('DICONDE');
    expect(m.lookupTag(0x00000001)).toMatchObject({ table: 'command-retired', retired: true });
    expect(m.lookupTag(0x12345678)).toBeUndefined();
    // Not tags: never an entry, whatever the slots filled so far (the fast path compares tags only).
    for (const n of [-1, 0x00100010 - 2 ** 32, 0x00100010 + 2 ** 32, 0x00100010 + 0.5, NaN, Infinity, -0]) expect(m.lookupTag(n)?.keyword).not.toBe('PatientName');
    expect(m.lookupTag(-0)).toBe(m.lookupTag(0));
    // A repeated lookup by number returns the same frozen entry as the other forms.
    expect(m.lookupTag(0x00100010)).toBe(m.lookupTag(0x00100010));
    expect(m.lookupTag(0x00100010)).toBe(m.lookupTag('(0010,0010)'));
    expect(m.lookupTag(0xfffee000)).toBe(m.lookupTag('(FFFE,E000)'));
    expect(Object.isFrozen(m.lookupTag(0xfffee000))).toBe(true);
    expect(m.lookupKeyword('PatientName')?.tag).toBe(0x00100010);
    expect(m.lookupKeyword('OverlayData')?.tag).toBe(0x60003000);
    expect(m.lookupKeyword('NoSuchKeyword')).toBeUndefined();
    HOSTILE.forEach((name, i) => expect(m.lookupKeyword(`Hostile${i}`)?.name).toBe(name));
    // Indexes are prototype-less: inherited names are not keywords or tags.
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(m.lookupKeyword(k)).toBeUndefined();
      expect(m.lookupTag(k)).toBeUndefined();
    }
    // One entry object per element, reused by every form of lookup.
    expect(m.lookupTag('(0010,0010)')).toBe(m.lookupKeyword('PatientName'));
    expect(m.lookupTag(0x00100010)).toBe(m.dataElements().find((e) => e.tag === 0x00100010 && !e.retired));
    expect(m.dataElements().map((e) => e.tagString)).toContain('(1000,xxx1)');
  });

  it('writes its lookup indexes at generation time (no index is built on import or on the first call)', () => {
    const src = files.get('dictionary.ts')!;
    expect(src).toMatch(/^const TAG_SLOTS = "[(-}\\]+";$/m);
    expect(src).toMatch(/^const KEYWORD_SLOTS = "[(-}\\]+";$/m);
    expect(src).toMatch(/^const TAGS = "00000000000000010002001000041130/m);
    expect(src).not.toMatch(/new Map|\.set\(|JSON\.parse/);
    // Import splits nothing (the word lists are sliced per decoded entry).
    expect(src).not.toMatch(/\.split\(/);
    // The module's source is ASCII (one byte per character in V8), whatever the names hold.
    expect(/^[\x00-\x7f]*$/.test(src.slice(src.indexOf('const TAGS')))).toBe(true);
  });

  it('decodes repeating groups, retired rows, shared keywords and derived keywords', async () => {
    const m = (await import(pathToFileURL(join(dir, 'dictionary.ts')).href)) as typeof import('./helpers/dictionary-shape.ts');
    // (60xx,3000) and (50xx,3000): every even group of the range, never an odd (private) one.
    for (const g of [0x6000, 0x6002, 0x601e]) expect(m.lookupTag(((g << 16) | 0x3000) >>> 0)).toMatchObject({ keyword: 'OverlayData', tagString: '(60xx,3000)', tag: 0x60003000, mask: 0xff00ffff, repeating: true });
    for (const g of [0x5000, 0x5010, 0x50fe]) expect(m.lookupTag(((g << 16) | 0x3000) >>> 0)).toMatchObject({ keyword: 'CurveData', tagString: '(50xx,3000)', retired: true });
    expect(m.lookupTag(0x50013000)).toBeUndefined();
    expect(m.lookupTag(0x61003000)).toBeUndefined();
    // Two repeating masks over one group: the element nibble decides.
    expect(m.lookupTag(0x10001230)).toMatchObject({ keyword: 'EscapeTriplet', tagString: '(1000,xxx0)', mask: 0xffff000f });
    expect(m.lookupTag('(1000,ABC1)')?.keyword).toBe('RunLengthTriplet');
    expect(m.lookupTag('(60xx,3000)')).toBeUndefined();
    // Private creator slots and private elements (odd groups) are not in the dictionary.
    for (const t of [0x00090010, 0x00290010, 0x002910ff, 0x7fe10010, 0x60033000]) expect(m.lookupTag(t)).toBeUndefined();
    // Retired rows; a keyword shared with a retired element resolves to the current one.
    expect(m.lookupTag(0x00080001)).toMatchObject({ keyword: 'LengthToEnd', retired: true, name: 'Length to End' });
    expect(m.lookupTag(0x00189999)).toMatchObject({ keyword: 'PatientName', name: 'Old Patient Name', retired: true });
    expect(m.lookupKeyword('PatientName')).toMatchObject({ tag: 0x00100010, retired: false });
    // A keyword the name does not imply is written out; one it implies is derived.
    expect(m.lookupTag(0x00041130)).toMatchObject({ keyword: 'FileSetID', name: 'File-set ID' });
    expect(m.lookupKeyword('FileSetID')?.tag).toBe(0x00041130);
    expect(m.lookupKeyword('FilesetID')).toBeUndefined();
    expect(m.lookupTag(0x00100010)?.keyword).toBe('PatientName');
    // Not numbers of the tag space.
    for (const t of [-1, 0.5, NaN, 2 ** 32, Infinity]) expect(m.lookupTag(t)).toBeUndefined();
    // Entries are frozen and shared; repeated lookups return the same object.
    const e = m.lookupTag('(0010,0010)')!;
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.vr)).toBe(true);
    expect(m.lookupTag('(0010,0010)')).toBe(e);
    expect(m.lookupTag('(0010,0010)')).toBe(m.lookupTag(0x00100010));
    expect(m.dataElements()).toHaveLength(ir.dataElements.length);
  });

  it('emits UID namespaces and lookupUid', async () => {
    const sop = files.get('uids/sop-class.ts')!;
    expect(sop.match(/^export const\b/gm)).toHaveLength(1);
    expect(sop).toMatch(/^  Verification = "1\.2\.840\.10008\.1\.1"[,;]$/m);
    expect(sop).toMatch(/^  UltrasoundImageStorage = "1\.2\.840\.10008\.5\.1\.4\.1\.1\.6\.1"[,;]$/m);
    expect(files.get('uids/transfer-syntax.ts')).toMatch(/@deprecated Retired in PS3\.6 2099a\.\s*\*\/\s*ExplicitVRBigEndian = /);
    expect(results[2]!.entry).toEqual(
      expect.arrayContaining([
        { from: './uids/sop-class.js', as: 'SopClass' },
        { from: './uids/transfer-syntax.js', as: 'TransferSyntax' },
        { from: './uids/well-known-sop-instance.js', as: 'WellKnownSopInstance' },
        { from: './uids/lookup.js' },
      ]),
    );
    // Context group UIDs grow with PS3.16: a subpath, not a root namespace (issue 13).
    expect(results[2]!.entry).not.toContainEqual({ from: './uids/context-group.js', as: 'ContextGroupUid' });
    expect(results[2]!.subpaths).toContainEqual({ subpath: './uids/context-group', file: 'uids/context-group.ts' });
    const m = (await import(pathToFileURL(join(dir, 'uids/lookup.ts')).href)) as {
      lookupUid(u: string): { uid: string; keyword: string; name: string; type: string; retired: boolean; part?: string; cid?: number } | undefined;
    };
    expect(m.lookupUid('1.2.840.10008.1.2')).toEqual({ uid: '1.2.840.10008.1.2', keyword: 'ImplicitVRLittleEndian', name: 'Implicit VR Little Endian: Default Transfer Syntax for DICOM', type: 'Transfer Syntax', retired: false });
    expect(m.lookupUid('1.2.840.10008.1.5.1')).toMatchObject({ part: 'PS3.6', type: 'Well-known SOP Instance' });
    expect(m.lookupUid('1.2.840.10008.6.1.1')).toMatchObject({ cid: 2, type: 'Context Group Name' });
    expect(m.lookupUid('1.2.840.10008.5.1.4.1.1.6')).toMatchObject({ retired: true, keyword: 'UltrasoundImageStorage' });
    expect(m.lookupUid('9.9')).toBeUndefined();
    HOSTILE.forEach((name, i) => expect(m.lookupUid(`1.2.840.10008.99.${i + 1}`)?.name).toBe(name));
  });
});

describe('lookupUid over the generation-time registry', () => {
  it('decodes each UID on first lookup, keeps the first of a duplicated UID, and builds no index', async () => {
    const ir = fixtureIr();
    ir.uids.push(uid('1.2.840.10008.1.1', 'VerificationAgain', 'Duplicate row'), uid('1.2.840.10008.99.\u00b5\u2028', 'NonAscii', 'Caf\u00e9 \u2028 \ud83d\ude00 name'), uid('1.3.6.1.4.1.5962.1.7', 'OutsideRootName7', 'Outside Root (Name 7)'), uid('1.2.840.100081.2', 'RootLookalike', 'Root Lookalike'));
    const out = mkdtempSync(join(dir, 'uids-'));
    for (const f of emitUids({ ir, generatorVersion: '0.0.0-test', selection: {} }).files) {
      mkdirSync(dirname(join(out, f.path)), { recursive: true });
      writeFileSync(join(out, f.path), f.content);
    }
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    const src = readFileSync(join(out, 'uids/lookup.ts'), 'utf8');
    expect(src).not.toMatch(/new Map|\.set\(|\.split\(/);
    expect(/^[\x00-\x7f]*$/.test(src.slice(src.indexOf('const TYPES')))).toBe(true);
    // The registry string itself holds no non-ASCII character either (JSON escapes instead): one
    // would make V8 keep the whole string with two bytes per character.
    // The registry is a function's literal (materialized on the first lookup, not on import).
    const records = /^const recordsText = \(\): string => ('.*');$/m.exec(src)![1]!;
    expect(/^[\x00-\x7f]*$/.test(new Function(`return ${records}`)() as string)).toBe(true);
    type Info = { uid: string; keyword: string; name: string; retired: boolean };
    const m = (await import(pathToFileURL(join(out, 'uids/lookup.ts')).href)) as { lookupUid(u: string): Info | undefined; uidEntries(): Info[] };
    const v = m.lookupUid('1.2.840.10008.1.1')!;
    expect(v).toMatchObject({ keyword: 'Verification', name: 'Verification SOP Class' });
    expect(m.lookupUid('1.2.840.10008.1.1')).toBe(v);
    expect(Object.isFrozen(v)).toBe(true);
    expect(m.lookupUid('1.2.840.10008.99.\u00b5\u2028')?.name).toBe('Caf\u00e9 \u2028 \ud83d\ude00 name');
    for (const k of ['__proto__', 'constructor', 'toString', '', '1.2.840.10008.1']) expect(m.lookupUid(k)).toBeUndefined();
    // The registry writes the DICOM root as a leading `.` and derivable keywords as 0: both read back.
    expect(src).toContain('[".1.1","Verification","Verification SOP Class"');
    expect(src).toContain('["1.3.6.1.4.1.5962.1.7",0,"Outside Root (Name 7)"');
    expect(m.lookupUid('1.3.6.1.4.1.5962.1.7')).toMatchObject({ uid: '1.3.6.1.4.1.5962.1.7', keyword: 'OutsideRootName7', name: 'Outside Root (Name 7)' });
    expect(m.lookupUid('1.2.840.100081.2')).toMatchObject({ uid: '1.2.840.100081.2', keyword: 'RootLookalike' });
    const all = m.uidEntries();
    expect(all.map((u) => u.uid)).toEqual([...new Set(ir.uids.map((u) => u.uid))]);
    expect(all[0]).toBe(v);
  });
});

describe('unsafe identifiers', () => {
  it('the emitters refuse a keyword that is not an identifier (the validator reports it first)', () => {
    const ir = fixtureIr();
    ir.dataElements.push(el('00991000', 'x = 1; export const y', 'Injected'));
    const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };
    expect(() => emitTags(ctx)).toThrow(/unsafe identifier/);
    const ir2 = fixtureIr();
    ir2.uids.push(uid('1.2.840.10008.99.99', 'default', 'Reserved word'));
    expect(() => emitUids({ ir: ir2, generatorVersion: '0.0.0-test', selection: {} })).toThrow(/unsafe identifier/);
    const report = emptyReport();
    expect(validateIr(ir, report).blocking).toBe(true);
    expect(report.diagnostics.find((d) => d.code === 'invalid-keyword')?.message).toContain('x = 1; export const y');
  });
});

describe('bundle size of one constant', () => {
  it('esbuild keeps only the constant a program imports from the tags module', async () => {
    const { build } = await import('esbuild');
    const entry = join(dir, 'one-tag.ts');
    writeFileSync(entry, "import * as Tag from './tags.js';\nconsole.log(Tag.PatientName);\n");
    const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
    const out = r.outputFiles[0]!.text;
    expect(out.length).toBeLessThan(2048);
    expect(out).not.toContain('LengthToEnd');
  });
});

describeShared('emitted package of PS3.6 / PS3.7 2013', () => {
  const into = { ir: emptyIr(), report: emptyReport() };
  scrapeFile(sharedPath('standard/nema/2013/part06.xml'), [scrapePart06DataElements, scrapePart06Uids], into);
  scrapeFile(sharedPath('standard/nema/2013/part07.xml'), [scrapeCommandElements], into);
  const real = mkdtempSync(join(tmpdir(), 'dictgen-2013-'));
  afterAll(() => rmSync(real, { recursive: true, force: true }));

  it('compiles and looks up real entries', async () => {
    expect(validateIr(into.ir, into.report).blocking).toBe(false);
    const ctx: EmitContext = { ir: into.ir, generatorVersion: '0.0.0-test', selection: {} };
    const files = [...emitTags(ctx).files, ...emitDictionary(ctx).files, ...emitUids(ctx).files];
    const vrs = [...new Set(into.ir.dataElements.flatMap((e) => e.vr))].sort();
    files.push({ path: 'vr.ts', content: `export type VR = ${vrs.map((v) => JSON.stringify(v)).join(' | ')};\n` }, { path: 'package.json', content: '{ "type": "module" }\n' });
    for (const f of files) {
      mkdirSync(dirname(join(real, f.path)), { recursive: true });
      writeFileSync(join(real, f.path), f.content);
    }
    const program = ts.createProgram({
      rootNames: files.filter((f) => f.path.endsWith('.ts')).map((f) => join(real, f.path)),
      options: { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'] },
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    const tags = files.find((f) => f.path === 'tags.ts')!.content;
    expect(tags.match(/^  [A-Za-z]\w* = 0x[0-9A-F]{8}[,;]$/gm)).toHaveLength(3795 - into.ir.dataElements.filter((e) => e.tag.includes('x')).length);
    const m = (await import(pathToFileURL(join(real, 'dictionary.ts')).href)) as typeof import('./helpers/dictionary-shape.ts');
    expect(m.lookupTag(0x60023000)).toMatchObject({ keyword: 'OverlayData', tagString: '(60xx,3000)' });
    expect(m.lookupTag('(0010,0010)')?.keyword).toBe('PatientName');
    expect(m.lookupTag(0x00000000)?.keyword).toBe('CommandGroupLength');
    expect(m.lookupTag(0x00020010)?.keyword).toBe('TransferSyntaxUID');
    expect(m.lookupTag(0x7f023000)).toBeUndefined();
    expect(m.lookupTag(0x7f020010)?.keyword).toBe('VariablePixelData');
    // Every element decodes to what the IR says, by tag and by keyword.
    const byTagString = new Map(m.dataElements().map((d) => [d.tagString, d]));
    expect(byTagString.size).toBe(into.ir.dataElements.length);
    for (const e of into.ir.dataElements) {
      const tagString = `(${e.tag.slice(0, 4)},${e.tag.slice(4)})`;
      const found = e.tag.includes('x') ? byTagString.get(tagString) : m.lookupTag(tagString);
      expect(found).toBe(byTagString.get(tagString));
      expect(found).toMatchObject({ keyword: e.keyword, name: e.name, vr: e.vr, vm: e.vm, retired: e.retired, table: e.table });
      if (!e.retired) expect(m.lookupKeyword(e.keyword)).toBe(found);
    }
  });
});
