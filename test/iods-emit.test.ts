/**
 * The `iods` emitter on the real PS3.3 2016c excerpt: deterministic output (independent of IR
 * order), selection of IODs, functional groups typed per IOD, conditions in doc comments, the
 * DICOM JSON form, and the entry/subpath exports it hands the package assembler.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { declaration } from './helpers/declaration.ts';
import { buildIodIr } from '../bench/iods.ts';
import type { Ir } from '../generator/ir.ts';
import { emitIods, iodsEmitter } from '../generator/emit/iods.ts';
import type { EmitResult, EmitSelection } from '../generator/emit/context.ts';

function emit(ir: Ir, selection: EmitSelection = {}): EmitResult {
  return emitIods({ ir, generatorVersion: '0.0.0-test', selection });
}
function file(r: EmitResult, path: string): string {
  const f = r.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in ${r.files.map((x) => x.path).join(', ')}`);
  return f.content;
}

describeShared('iods emitter on the PS3.3 2016c excerpt', () => {
  let ir: Ir;
  let all: EmitResult;
  beforeAll(() => {
    ir = buildIodIr({ shared: sharedPath() }).ir;
    all = emit(ir);
  });

  it('is registered as family iods, needing vrs and tags', () => {
    expect(iodsEmitter.family).toBe('iods');
    expect(iodsEmitter.needs).toEqual(['vrs', 'tags']);
  });

  it('exports the registry (`./iods`) and every IOD as subpaths only, nothing from the root (issue 13: the root stays small for tsc and the heap)', () => {
    expect(all.entry).toEqual([]);
    expect(all.subpaths!.map((s) => `${s.subpath} ${s.file}`)).toContain('./iods iods/index.ts');
    expect(all.subpaths!.map((s) => `${s.subpath} ${s.file}`)).toContain('./iods/ct-image iods/ct-image.ts');
  });

  it('is deterministic and independent of the order of the IR', () => {
    const again = emit(ir);
    expect(again.files).toEqual(all.files);
    const shuffled: Ir = structuredClone(ir);
    shuffled.iods!.modules.reverse();
    shuffled.iods!.iods.reverse();
    shuffled.iods!.sopClasses.reverse();
    expect(emit(shuffled).files).toEqual(all.files);
  });

  it('emits only the selected IODs and the modules they use', () => {
    const one = emit(ir, { iods: new Set(['ct-image']) });
    expect(one.files.map((f) => f.path).sort()).toEqual(['iods/attribute-tags.ts', 'iods/ct-image.ts', 'iods/index.ts', 'iods/modules.ts', 'iods/types.ts']);
    const modules = file(one, 'iods/modules.ts');
    expect(modules).toMatch(/export interface CTImageModule\b/);
    expect(modules).not.toMatch(/MultiFrameFunctionalGroupsModule|RTDoseModule/);
    expect(file(one, 'iods/index.ts')).toMatch(/export type IodId = "ct-image";/);
  });

  it('types the functional group sequences of an enhanced IOD with that IOD’s macros, usage and placement honoured', () => {
    const ect = file(all, 'iods/enhanced-ct-image.ts');
    // Frame Content is M and per-frame only (PS3.3 A.38.1-2): required in every per-frame item, absent from the shared item.
    expect(ect).toMatch(/export type EnhancedCTImageSharedFunctionalGroups = M\.PartialPixelMeasuresMacro & M\.PartialPlanePositionPatientMacro/);
    expect(ect).toMatch(/export type EnhancedCTImagePerFrameFunctionalGroups = M\.PartialPixelMeasuresMacro & M\.FrameContentMacro & /);
    expect(ect.slice(0, ect.indexOf('EnhancedCTImagePerFrameFunctionalGroups = '))).not.toMatch(/FrameContentMacro\b/);
    expect(ect).toMatch(/M\.MultiFrameFunctionalGroupsModule<EnhancedCTImageSharedFunctionalGroups, EnhancedCTImagePerFrameFunctionalGroups>/);
    const modules = file(all, 'iods/modules.ts');
    expect(modules).toMatch(/export interface MultiFrameFunctionalGroupsModule<S = Record<string, unknown>, P = Record<string, unknown>> \{/);
    expect(modules).toMatch(/SharedFunctionalGroupsSequence: \[S, \.\.\.S\[\]\];/);
    expect(modules).toMatch(/PerFrameFunctionalGroupsSequence: \[P, \.\.\.P\[\]\];/);
  });

  it('intersects the enumerated values of overlapping modules (CT Series and Enhanced CT Image win over General Series and Image Pixel)', () => {
    const ect = file(all, 'iods/enhanced-ct-image.ts');
    const modules = file(all, 'iods/modules.ts');
    const generalSeries = /& M\.(GeneralSeriesModuleWithout\d*) &/.exec(ect)?.[1] ?? '';
    expect(declaration(modules, generalSeries)).toMatch(/= Without<GeneralSeriesModule, [^>]*"Modality"/);
    const overlaps = declaration(modules, /& M\.(EnhancedCTImageOverlaps\d*);/.exec(ect)?.[1] ?? '');
    expect(overlaps).toMatch(/^\s+Modality: "CT";$/m);
    expect(overlaps).toMatch(/^\s+PhotometricInterpretation: "MONOCHROME2";$/m);
  });

  it('documents Type, presence and why in hovers; enumerated values and defined terms as literals; no condition prose', () => {
    const modules = file(all, 'iods/modules.ts');
    expect(modules).toMatch(/\/\*\* Patient Orientation \(0020,0020\) · Type 2C · VR CS · VM 2 · conditional: optional in the type \*\/\n\s+PatientOrientation\?: string\[\] \| null;/);
    expect(modules).toMatch(/\/\*\* Patient's Name \(0010,0010\) · Type 2 · VR PN · VM 1 · required when its module \(or macro\) is present \(may be empty\) \*\//);
    expect(modules).toMatch(/PatientSex: "M" \| "F" \| "O" \| null;/);
    expect(modules).toMatch(/RescaleType\?: "OD" \| "HU" \| "US" \| \(string & \{\}\);/);
    expect(modules).not.toMatch(/Required if/);
    // Every doc comment stays one line: no source text can close it.
    for (const line of modules.split('\n').filter((l) => l.includes('/**') && !l.trim().endsWith('*/') && l.trim() !== '/**')) {
      throw new Error(`multi-line doc comment: ${line}`);
    }
  });

  it('interns sequence items by shape: one interface however many sequences share it', () => {
    const modules = file(all, 'iods/modules.ts');
    const names = [...modules.matchAll(/^export interface (\w+)/gm)].map((m) => m[1]!);
    expect(new Set(names).size).toBe(names.length);
    // The Code Sequence Macro's item shape exists once, used by many sequences.
    const bodies = new Map<string, number>();
    for (const m of modules.matchAll(/^export interface \w+Item\d* \{\n([\s\S]*?)^\}/gm)) bodies.set(m[1]!, (bodies.get(m[1]!) ?? 0) + 1);
    expect([...bodies.values()].every((n) => n === 1)).toBe(true);
  });

  it('derives the DICOM JSON Model form from the interfaces with one keyword → tag/VR table', () => {
    const ct = file(all, 'iods/ct-image.ts');
    // The parameter defers the mapping until use: checking the declaration does not resolve the IOD.
    expect(ct).toMatch(/export type CTImageJson<T = CTImage> = import\('\.\/modules\.js'\)\.Json<T>;/);
    expect(ct).toMatch(/export type CTImageDataset<T = CTImage> = import\('\.\/modules\.js'\)\.DicomDataset<T>;/);
    const tags = file(all, 'iods/attribute-tags.ts');
    // One table, one string type with a line per keyword: `Keyword=<JSON key> <VR>;` (`|` between VRs).
    expect(tags).toMatch(/^export type AttributeTags = `;$/m);
    expect(tags).toMatch(/^PatientName=00100010 PN;$/m);
    expect(tags).toMatch(/^PixelData=7FE00010 OB\|OW;$/m);
    // modules.ts only re-exports the helper (for the IOD files' one namespace import); it declares no JSON form.
    const modules = file(all, 'iods/modules.ts');
    expect(modules).toMatch(/^export type \{[^}]*\bJson\b[^}]*\} from '\.\/types\.js';$/m);
    expect(modules.replace(/^\/\*\*[^\n]*\*\/\nexport type \{[^}]*\} from '\.\/types\.js';$/m, '')).not.toMatch(/Json\b/);
  });
});

describe('iods emitter: source text cannot break out of strings, comments or identifiers', () => {
  it('escapes hostile names, conditions and values, and the output compiles', async () => {
    const { emptyIr } = await import('../generator/ir.ts');
    const ts = (await import('typescript')).default;
    const ir = emptyIr();
    const prov = { source: 'hand', table: 'Table X-1', row: 1 };
    ir.dataElements = [
      { tag: '00181140', keyword: 'RotationDirection', name: 'Rotation Direction', vr: ['CS'], vm: '1', retired: false, table: 'data', prov },
      { tag: '00200020', keyword: 'PatientOrientation', name: 'Patient Orientation', vr: ['CS'], vm: '2', retired: false, table: 'data', prov },
    ];
    ir.iods = {
      iods: [{ id: 'evil-image', name: 'Evil */ Image', typeName: 'EvilImage', modules: [{ ie: 'Image */', module: 'evil', usage: 'C', condition: '*/ process.exit(1); /*', prov }], functionalGroups: [], incomplete: false, prov }],
      modules: [
        {
          id: 'evil',
          name: 'Evil */ Module',
          kind: 'module',
          table: 'X-1',
          rows: [
            { kind: 'attribute', depth: 0, tag: '00181140', keyword: '', name: 'Rotation */ Direction', type: '1', enumeratedValues: ['A"B', "*/ x", '\u2028'], prov },
            { kind: 'attribute', depth: 0, tag: '00200020', keyword: '', name: 'Patient Orientation', type: '1C', condition: '*/ process.exit(2); /* @internal', prov },
          ],
          prov,
        },
      ],
      sopClasses: [{ uid: '1.2.3', sopClass: "Evil'); Storage", iod: 'evil-image', prov }],
    };
    const r = emitIods({ ir, generatorVersion: '0.0.0-test', selection: {} });
    const text = r.files.map((f) => f.content).join('\n');
    expect(text).not.toMatch(/\*\/ process\.exit/);
    expect(text).toMatch(/RotationDirection: "A\\"B" \| "\*\/ x" \| "\\u2028";/);
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeIodPackage } = await import('../bench/iods.ts');
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-iods-hostile-'));
    const written = writeIodPackage(ir, dir);
    // modules.ts opts out of a consumer's checks (@ts-nocheck): check it here all the same.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const modulesPath = join(dir, 'iods', 'modules.ts');
    writeFileSync(modulesPath, readFileSync(modulesPath, 'utf8').replace(/^\/\/ @ts-nocheck\b.*\n/m, ''));
    const program = ts.createProgram(written.map((f) => join(dir, f.path)), { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] });
    const diags = ts.getPreEmitDiagnostics(program);
    rmSync(dir, { recursive: true, force: true });
    expect(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
