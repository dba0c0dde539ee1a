/**
 * Type tests of the `iods` family: generate the IOD interfaces from the real PS3.3 2016c excerpt,
 * compile consumer files against them with the TypeScript compiler API, and check that what must
 * not compile does not (with the error on the expected attribute) and what must compile does.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { iodTypeOptions } from '../bench/types-conformance.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';
import { declaration } from './helpers/declaration.ts';
import { buildIodIr, writeIodPackage } from '../bench/iods.ts';
import type { EmittedFile } from '../generator/emit/context.ts';

const options = iodTypeOptions;

/** The shape of the generated `iods/index.ts`, as far as these tests use it. */
interface Registry {
  IODS: Record<string, { id: string; typeName: string; incomplete: boolean; modules: { ie: string; module: string; usage: string }[]; functionalGroups: { macro: string; placement?: string }[] }>;
  iodForSopClass(uid: string): { id: string; typeName: string } | undefined;
  sopClassesForIod(name: string): readonly string[];
  iodModuleInfo(kind: 'module' | 'macro', id: string): { name: string; table?: string; typeName?: string } | undefined;
}

function compile(files: string[]): ts.Diagnostic[] {
  const program = ts.createProgram(files, options);
  return [...ts.getPreEmitDiagnostics(program)];
}

function text(d: ts.Diagnostic): string {
  const where = d.file ? `${d.file.fileName.split('/').slice(-2).join('/')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
  return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
}

describeShared('iods: generated interfaces compile and reject invalid datasets', () => {
  let dir = '';
  let files: EmittedFile[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dictgen-iods-types-'));
    const { ir } = buildIodIr({ shared: sharedPath() });
    files = writeIodPackage(ir, dir);
    mkdirSync(join(dir, 'consumer'));
    for (const f of readdirSync(join(repoRoot, 'test', 'types'))) {
      if (f.endsWith('.ts')) cpSync(join(repoRoot, 'test', 'types', f), join(dir, 'consumer', f));
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('emits one module per IOD, the shared modules once, types and the registry', () => {
    const paths = files.map((f) => f.path).sort();
    expect(paths).toEqual([
      'iods/attribute-tags.ts',
      'iods/ct-image.ts',
      'iods/enhanced-ct-image.ts',
      'iods/enhanced-x-ray-angiographic-image.ts',
      'iods/index.ts',
      'iods/modules.ts',
      'iods/rt-dose.ts',
      'iods/types.ts',
    ]);
    const modules = files.find((f) => f.path === 'iods/modules.ts')!.content;
    // Shared modules exist once and are composed, not copied into the IODs.
    expect(modules.match(/^export interface PatientModule\b/gm)).toHaveLength(1);
    const ct = files.find((f) => f.path === 'iods/ct-image.ts')!.content;
    // An IOD is the intersection of its modules (a type alias: tsc resolves it only where it is used).
    // It refers to the modules through one namespace import (one import binding for tsc to check).
    expect(ct).toMatch(/^import type \* as M from '\.\/modules\.js';$/m);
    // Modules of usage U/C through their `Partial<…>` alias, declared once in modules.ts; modules
    // several IODs include alike (here the Patient and Study IE modules of both CT IODs and RT Dose)
    // through one group alias there (intersections flatten: the same type).
    const group = /export type CTImage = M\.(SharedModules\d*) & /.exec(ct)?.[1] ?? '';
    expect(declaration(modules, group)).toMatch(/= PatientModule & PartialClinicalTrialSubjectModule & GeneralStudyModule & /);
    expect(files.find((f) => f.path === 'iods/rt-dose.ts')!.content).toContain(`M.${group} &`);
    expect(modules).toMatch(/^export type PartialClinicalTrialSubjectModule = Partial<ClinicalTrialSubjectModule>;$/m);
    expect(ct).not.toMatch(/PatientBirthDate/);
    // The strictest requirement wins where modules overlap: General Image's Image Type is left out
    // (a named Without<…> alias in modules.ts, shared by the IODs that leave out the same attributes)
    // and declared once in the IOD's overlap interface (shared by the IODs with the same overlaps).
    const generalImage = /& M\.(GeneralImageModuleWithout\d*) &/.exec(ct)?.[1] ?? '';
    expect(declaration(modules, generalImage)).toMatch(/= Without<GeneralImageModule, [^>]*"ImageType"/);
    expect(ct).toMatch(/& M\.CTImageOverlaps;/);
    expect(declaration(modules, 'CTImageOverlaps')).toMatch(/^\s+ImageType: \[string, \.\.\.string\[\]\];$/m);
    expect(ct).toMatch(/export type CTImageJson<T = CTImage> = import\('\.\/modules\.js'\)\.Json<T>;/);
    // Every relative import carries its .js extension.
    for (const f of files) for (const m of f.content.matchAll(/from '(\.[^']*)'/g)) expect(m[1]).toMatch(/\.js$/);
  });

  it('an IOD file has tsc read lib.es5.d.ts before modules.ts (a warm parser for the large file)', () => {
    const ct = files.find((f) => f.path === 'iods/ct-image.ts')!.content;
    expect(ct).toMatch(/^\/\/\/ <reference lib="es5" preserve="true" \/>$/m);
    const order: string[] = [];
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, ...rest) => {
      order.push(name.split('/').pop()!);
      return read(name, ...rest);
    };
    ts.createProgram([join(dir, 'iods', 'ct-image.ts')], options, host);
    expect(order.indexOf('lib.es5.d.ts')).toBeGreaterThan(-1);
    expect(order.indexOf('lib.es5.d.ts')).toBeLessThan(order.indexOf('modules.ts'));
  });

  it('modules.ts opts out of tsc\'s own checks (@ts-nocheck) and has no error when they run', () => {
    const modules = files.find((f) => f.path === 'iods/modules.ts')!.content;
    const pragma = /^\/\/ @ts-nocheck\b.*\n/m;
    expect(modules).toMatch(pragma);
    // The pragma only spares a consumer's tsc the check of these generated declarations: with it
    // stripped, the package must still check without a single diagnostic (an error inside
    // modules.ts would otherwise go unseen).
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name.endsWith('/iods/modules.ts') ? ts.createSourceFile(name, modules.replace(pragma, ''), lang) : read(name, lang, ...rest);
    const program = ts.createProgram(files.filter((f) => f.path !== 'iods/index.ts').map((f) => join(dir, f.path)), options, host);
    const sf = program.getSourceFile(join(dir, 'iods', 'modules.ts'))!;
    expect(sf.text).not.toMatch(pragma);
    expect([...ts.getPreEmitDiagnostics(program)].map(text)).toEqual([]);
    // A wrong declaration there is reported once the pragma is gone (the check above can fail).
    const broken = modules.replace(pragma, '') + '\nexport interface BrokenItem extends PersonName { Alphabetic: number }\n';
    host.getSourceFile = (name, lang, ...rest) => (name.endsWith('/iods/modules.ts') ? ts.createSourceFile(name, broken, lang) : read(name, lang, ...rest));
    const again = ts.createProgram([join(dir, 'iods', 'modules.ts')], options, host);
    expect([...ts.getPreEmitDiagnostics(again)].map(text).join('\n')).toMatch(/TS2430 .*BrokenItem/);
  });

  it('compiles the package and every consumer file (each @ts-expect-error fires)', () => {
    const all = [...files.map((f) => join(dir, f.path)), ...readdirSync(join(dir, 'consumer')).map((f) => join(dir, 'consumer', f))];
    const diags = compile(all);
    expect(diags.map(text)).toEqual([]);
  });

  it('a CT Image missing a Type 1 attribute does not compile, naming the attribute', () => {
    const f = join(dir, 'consumer', 'missing-type1.ts');
    writeFileSync(
      f,
      `import type { CTImage } from '../iods/ct-image.js';
import { minimal } from './ct-image.js';
const { ImageType: _x, ...rest } = minimal;
export const bad: CTImage = rest;
`,
    );
    const diags = compile([f]).map(text);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatch(/TS2322 [^\n]* is not assignable to type 'CTImage'\.\n\s*Property 'ImageType' is missing/);
    rmSync(f);
  });

  it('a wrong enumerated value does not compile; a Type 3 attribute may be absent', () => {
    const f = join(dir, 'consumer', 'enum.ts');
    writeFileSync(
      f,
      `import type { CTImage } from '../iods/ct-image.js';
import { minimal } from './ct-image.js';
export const ok: CTImage = { ...minimal, RotationDirection: 'CC' };
export const absent: CTImage['RotationDirection'] = undefined;
export const bad: CTImage = { ...minimal, RotationDirection: 'SIDEWAYS' };
`,
    );
    const diags = compile([f]).map(text);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatch(/consumer\/enum\.ts:5 TS2322 Type '"SIDEWAYS"' is not assignable to type '"CW" \| "CC"/);
    rmSync(f);
  });

  it('the registry maps SOP classes to IODs and back (runtime)', async () => {
    const reg = (await import(join(dir, 'iods', 'index.ts'))) as Registry;
    expect(reg.iodForSopClass('1.2.840.10008.5.1.4.1.1.2')?.id).toBe('ct-image');
    expect(reg.iodForSopClass('1.2.840.10008.5.1.4.1.1.481.2')?.typeName).toBe('RTDose');
    expect(reg.iodForSopClass('1.2.3')).toBeUndefined();
    expect(reg.sopClassesForIod('CT Image')).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
    expect(reg.sopClassesForIod('EnhancedCTImage')).toEqual(['1.2.840.10008.5.1.4.1.1.2.1']);
    expect(reg.sopClassesForIod('enhanced-x-ray-angiographic-image')).toEqual(['1.2.840.10008.5.1.4.1.1.12.1.1']);
    const ct = reg.IODS['ct-image']!;
    expect(ct.incomplete).toBe(false);
    expect(ct.modules[0]).toEqual({ ie: 'Patient', module: 'patient', usage: 'M' });
    expect(ct.modules.find((m) => m.module === 'contrast-bolus')?.usage).toBe('C');
    expect(reg.iodModuleInfo('module', 'ct-image')).toEqual({ name: 'CT Image', table: 'C.8-3', typeName: 'CTImageModule' });
    const ect = reg.IODS['enhanced-ct-image']!;
    expect(ect.functionalGroups).toHaveLength(24);
    expect(ect.functionalGroups.find((g) => g.macro === 'frame-content')?.placement).toBe('per-frame');
  });
});
