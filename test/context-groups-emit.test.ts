import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import * as esbuild from 'esbuild';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { partScrapers } from '../sources/nema/index.ts';
import { scrapeContextGroups } from '../sources/nema/part16-context-groups.ts';
import { emptyIr, emptyReport, type Ir } from '../generator/ir.ts';
import { finalizeContextGroups } from '../generator/ir-context-groups.ts';
import { emitContextGroups } from '../generator/emit/context-groups.ts';
import type { EmitContext, EmitResult } from '../generator/emit/context.ts';
import { repoRoot } from './helpers/shared.ts';

const fixture = join(repoRoot, 'test', 'fixtures', 'nema', 'part16-2025b.xml');

function scrape(text: string): Ir {
  const doc = loadNemaDocument(fixture, Buffer.from(text));
  const ir = emptyIr();
  const source = { id: `nema-${doc.edition}-part16`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  for (const s of partScrapers.filter((p) => p.part === 16)) s.scrape(doc, { ir, report: emptyReport(), source });
  return ir;
}

// Edition N (the fixture) and edition N+1 with two meanings reworded: the emitted package is N+1's.
const original = readFileSync(fixture, 'utf8');
const previous = scrape(original);
const ir = scrape(original.replace('2025b - Content', '2026a - Content').replace(/>Heart</g, '>Entire heart<').replace(/>Computed Tomography</g, '>Computed tomography imaging<'));
const report = emptyReport();
finalizeContextGroups(ir.contextGroups!, (d) => report.diagnostics.push(d), { previous: previous.contextGroups! });
const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };
const result: EmitResult = emitContextGroups(ctx);
const file = (p: string) => result.files.find((f) => f.path === p)?.content ?? '';

/** Write the emitted files plus an index assembled from `entry` (as emit/run.ts does) and a usage file. */
function writePackage(r: EmitResult, extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-cid-'));
  const write = (p: string, c: string) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  };
  for (const f of r.files) write(f.path, f.content);
  write('index.ts', (r.entry ?? []).map((e) => (e.as ? `export * as ${e.as} from '${e.from}';` : `export * from '${e.from}';`)).join('\n') + '\n');
  write('package.json', '{ "type": "module" }\n');
  for (const [p, c] of Object.entries(extra)) write(p, c);
  return dir;
}

const usage = `
import { codingScheme, type CodeSequenceItem } from './index.js';
import { contextGroup, isCodeIn, contextGroupCids, type Cid } from './context-groups/registry.js';
import { CID7151, CID244, CID270, CID9800, CID9900 } from './cid/index.js';
import * as Dcm from './dcm.js';
import * as Direct from './cid/cid-7152.js';

export const designator: 'SCT' = CID7151.Tissue.CodingSchemeDesignator;
export const value: '85756007' = CID7151.Tissue.CodeValue;
// @ts-expect-error code values are literal types
export const wrong: '1' = CID7151.Tissue.CodeValue;
export const long: '900000000000207008' = CID9900.SNOMEDCTCoreModule.LongCodeValue;
export const urn: 'urn:oid:1.2.826.0.1.3680043.10.1234.1' = CID9900._3DRendering.URNCodeValue;
export const version: '2.77' = CID9900.HeartRate.CodingSchemeVersion;
export const collided: 'G-A100' = CID244.Right_G_A100.CodeValue;
export const renamed: '80891009' = CID7151.EntireHeart.CodeValue;
export const alias: typeof CID7151.EntireHeart = CID7151.Heart;
export const union: CID7151.Code[] = [CID7151.Tissue, Direct.Myocardium, CID7151.Urine];
// @ts-expect-error a code of another group is not in the union
export const notInUnion: CID7151.Code = CID244.Left;
export const g = contextGroup(7151);
export const kw: string = g.keyword;
export const codes: readonly CID7151.Code[] = g.codes;
export const ext: boolean | null = contextGroup(270).extensible;
export const retired: boolean = CID9800.group.retired;
export const empty: readonly never[] = CID9800.codes;
export const unknown = contextGroup(1234567);
// @ts-expect-error a CID this package lacks may be undefined
unknown.keyword;
export const cids: readonly Cid[] = contextGroupCids;
export function check(item: CodeSequenceItem): 'SCT' | '99DICTGEN' | undefined {
  if (isCodeIn(7151, item)) {
    const d: 'SCT' = item.CodingSchemeDesignator;
    return d;
  }
  if (CID270.isCode(item)) {
    // @ts-expect-error narrowed to DCM codes only
    const d: 'SCT' = item.CodingSchemeDesignator;
    return d;
  }
  return undefined;
}
export const ct: 'CT' = Dcm.ComputedTomographyImaging.CodeValue;
export const ctOld: typeof Dcm.ComputedTomographyImaging = Dcm.ComputedTomography;
export const person: '121006' = Dcm.Person.CodeValue;
export const sct: string | undefined = codingScheme('SCT').uid;
export const other = codingScheme('XYZ');
// @ts-expect-error an unknown designator may be undefined
other.name;
`;

describe('context-groups emitter', () => {
  it('emits one module per group, the registry, DCM constants and coding schemes', () => {
    expect(result.files.map((f) => f.path)).toEqual([
      'context-groups/code.ts',
      ...[29, 244, 270, 4031, 7150, 7151, 7152, 7166, 7167, 9800, 9801, 9900].map((c) => `cid/cid-${c}.ts`),
      'cid/index.ts',
      'context-groups/registry.ts',
      'dcm.ts',
      'coding-schemes.ts',
    ]);
    // The root carries the code types and coding schemes; the registry, group namespaces and DCM are
    // subpaths (`./context-groups`, `./cid`, `./cid/7151`, `./dcm`).
    expect(result.entry!.map((e) => e.from)).toEqual(['./context-groups/code.js', './coding-schemes.js']);
    expect(result.subpaths).toContainEqual({ subpath: './context-groups', file: 'context-groups/registry.ts' });
    expect(result.subpaths).toContainEqual({ subpath: './cid/7151', file: 'cid/cid-7151.ts' });
    expect(result.subpaths).toContainEqual({ subpath: './cid', file: 'cid/index.ts' });
    expect(result.subpaths).toContainEqual({ subpath: './dcm', file: 'dcm.ts' });
    // The registry loads no group module: its data is one table decoded on the first call.
    expect(file('context-groups/registry.ts')).not.toMatch(/^import \* as/m);
    expect(file('cid/index.ts')).toContain("export * as CID7151 from './cid-7151.js';");
  });

  it('writes code sequence items as const, with the code value form of the IR', () => {
    const m = file('cid/cid-9900.ts');
    expect(m).toContain('export const HeartRate = { CodeValue: "8867-4", CodingSchemeDesignator: "LN", CodeMeaning: "Heart rate", CodingSchemeVersion: "2.77" } as const;');
    expect(m).toContain('export const SNOMEDCTCoreModule = { LongCodeValue: "900000000000207008", CodingSchemeDesignator: "SCT", CodeMeaning: "SNOMED CT core module" } as const;');
    expect(m).toContain('export const _3DRendering = { URNCodeValue: "urn:oid:1.2.826.0.1.3680043.10.1234.1"');
    expect(m).toMatch(/^\/\/ Generated by dicom-dictgen 0\.0\.0-test/);
    expect(m).toMatch(/sha256 [0-9a-f]{64}/);
  });

  it('keeps renamed constants as deprecated aliases', () => {
    const m = file('cid/cid-7152.ts');
    expect(m).toContain('export const EntireHeart = { CodeValue: "80891009"');
    expect(m).toMatch(/@deprecated Renamed to \{@link EntireHeart \}[^\n]*\nexport const Heart = EntireHeart;/);
    expect(file('dcm.ts')).toContain('export const ComputedTomography = ComputedTomographyImaging;');
    expect(report.diagnostics.filter((d) => d.code === 'identifier-renamed').length).toBeGreaterThan(0);
  });

  it('marks retired groups and retired DCM codes, records extensibility', () => {
    expect(file('cid/cid-9800.ts')).toContain('retired: true');
    expect(file('cid/cid-9800.ts')).toContain('extensible: null');
    expect(file('cid/cid-270.ts')).toContain('extensible: false');
    expect(file('dcm.ts')).toMatch(/@deprecated Retired from DICOM Controlled Terminology\.\n \*\/\nexport const DigitalSubtractionAngiography/);
  });

  it('imports included codes from the group that lists them instead of repeating them', () => {
    const m = file('cid/cid-7151.ts');
    expect(m).toContain("import { EntireHeart, Myocardium, LeftVentricle } from './cid-7152.js';");
    expect(m).toContain("import { Blood, Urine } from './cid-7167.js';");
    expect(m).toContain('export { EntireHeart, Myocardium, LeftVentricle, AdiposeTissue, Bone, Blood, Urine };');
    expect(m).toContain('export const Heart = EntireHeart;');
    // Not selected: the included codes are written out.
    const only = emitContextGroups({ ...ctx, selection: { cids: new Set([7151]) } }).files.find((f) => f.path === 'cid/cid-7151.ts')!.content;
    expect(only).not.toContain('import { EntireHeart');
    expect(only).toContain('export const Blood = { CodeValue: "87612001"');
  });

  it('never imports along an include cycle (modules stay acyclic and evaluate)', async () => {
    const doc = loadNemaDocument(join(repoRoot, 'test', 'fixtures', 'nema', 'part16-cycle.xml'));
    const cyc = emptyIr();
    const source = { id: 'nema-2025b-part16', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
    cyc.sources.push(source);
    scrapeContextGroups(doc, { ir: cyc, report: emptyReport(), source });
    const r = emitContextGroups({ ir: cyc, generatorVersion: 'x', selection: {} });
    const m9901 = r.files.find((f) => f.path === 'cid/cid-9901.ts')!.content;
    expect(m9901).not.toContain("from './cid-9902.js'");
    expect(m9901).toContain("import { Gamma } from './cid-9903.js';");
    const dir = writePackage(r, {});
    const out = join(dir, 'bundle.mjs');
    await esbuild.build({ entryPoints: [join(dir, 'context-groups', 'registry.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'silent' });
    const mod = (await import(pathToFileURL(out).href)) as { contextGroup: (c: number) => { codes: { CodeValue: string }[] } };
    expect(mod.contextGroup(9902).codes.map((c) => c.CodeValue)).toEqual(['B1', 'C1', 'A1']);
  });

  it('emits only the selected CIDs', () => {
    const r = emitContextGroups({ ...ctx, selection: { cids: new Set([7151]) } });
    expect(r.files.filter((f) => f.path.startsWith('cid/cid-')).map((f) => f.path)).toEqual(['cid/cid-7151.ts']);
  });

  it('emits nothing for an IR without PS3.16 data', () => {
    expect(emitContextGroups({ ...ctx, ir: emptyIr() }).files).toEqual([]);
  });

  it('refuses an unsafe identifier in the IR', () => {
    const bad = structuredClone(ir);
    bad.contextGroups!.groups[0]!.codes[0]!.identifier = 'x = 1; alert(1)';
    expect(() => emitContextGroups({ ...ctx, ir: bad })).toThrow(/unsafe identifier/);
  });

  it('compiles under tsc --strict (TypeScript compiler API), including typed usage', () => {
    const dir = writePackage(result, { 'usage.ts': usage });
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      exactOptionalPropertyTypes: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
      lib: ['lib.es2022.d.ts'],
    };
    const roots = [...result.files.map((f) => join(dir, f.path)), join(dir, 'index.ts'), join(dir, 'usage.ts')];
    const program = ts.createProgram(roots, options);
    const diags = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(dir.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diags).toEqual([]);
  });

  it('runs: contextGroup, isCodeIn (designator + value, never meaning), codingScheme', async () => {
    const dir = writePackage(result, { 'all.ts': "export * from './index.js';\nexport * from './context-groups/registry.js';\nexport * from './cid/index.js';\nexport * as Dcm from './dcm.js';\n" });
    const out = join(dir, 'bundle.mjs');
    await esbuild.build({ entryPoints: [join(dir, 'all.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'silent' });
    const m = (await import(pathToFileURL(out).href)) as Record<string, unknown> & {
      contextGroup: (cid: number) => { cid: number; keyword: string; extensible: boolean | null; retired: boolean; uid?: string; codes: { CodeValue?: string }[] } | undefined;
      isCodeIn: (cid: number, code: object) => boolean;
      codingScheme: (d: string) => { uid?: string } | undefined;
      contextGroupCids: number[];
    };
    const g = m.contextGroup(7151)!;
    expect(g).toMatchObject({ cid: 7151, keyword: 'SegmentationPropertyType', extensible: true, retired: false, uid: '1.2.840.10008.6.1.528' });
    expect(g.codes.map((c) => c.CodeValue)).toEqual(['85756007', '80891009', '74281007', '87878005', '55603005', '272673000', '87612001', '78014005']);
    expect(m.contextGroup(42)).toBeUndefined();
    expect(m.isCodeIn(7151, { CodingSchemeDesignator: 'SCT', CodeValue: '87612001', CodeMeaning: 'any wording at all' })).toBe(true);
    expect(m.isCodeIn(7151, { CodingSchemeDesignator: 'SRT', CodeValue: '87612001', CodeMeaning: 'Blood' })).toBe(false);
    expect(m.isCodeIn(7151, { CodingSchemeDesignator: 'SCT', CodeValue: '24028007', CodeMeaning: 'Blood' })).toBe(false);
    expect(m.isCodeIn(9900, { CodingSchemeDesignator: 'SCT', LongCodeValue: '900000000000207008' })).toBe(true);
    expect(m.isCodeIn(42, { CodingSchemeDesignator: 'SCT', CodeValue: '1' })).toBe(false);
    expect(m.codingScheme('SCT')?.uid).toBe('2.16.840.1.113883.6.96');
    expect(m.codingScheme('nope')).toBeUndefined();
    expect(m.contextGroupCids).toEqual([29, 244, 270, 4031, 7150, 7151, 7152, 7166, 7167, 9800, 9801, 9900]);
    const ns = m.CID244 as { isCode: (c: object) => boolean; Right_G_A100: object };
    expect(ns.isCode({ CodingSchemeDesignator: 'SRT', CodeValue: 'G-A100' })).toBe(true);
    expect((m.Dcm as Record<string, { CodeValue: string }>).Person!.CodeValue).toBe('121006');
    // An included code is the same object in both groups.
    expect((m.CID7151 as Record<string, unknown>).Urine).toBe((m.CID7167 as Record<string, unknown>).Urine);
  });

  // Bundlers differ: rollup (Vite) and webpack shake through the `export * as CID7151` re-export of
  // the package root; esbuild keeps re-exported namespace objects whole, so with esbuild import
  // the group module itself (subpath `./cid/7151`), which it shakes member by member.
  const absent = ['Adipose tissue', 'Magnetic Resonance', 'Right and left', 'A human observer', 'SNOMED International', 'SegmentationPropertyType'];

  it('tree-shakes with rollup from the ./cid subpath: one constant pulls in neither other codes, nor other groups, nor the registry, nor DCM', async () => {
    const dir = writePackage(result, { 'app.ts': "import { CID7151 } from './cid/index.js';\nconsole.log(CID7151.Tissue.CodeValue);\n" });
    const js = mkdtempSync(join(tmpdir(), 'dictgen-cid-js-'));
    for (const f of [...result.files.map((x) => x.path), 'index.ts', 'app.ts']) {
      const out = await esbuild.transform(readFileSync(join(dir, f), 'utf8'), { loader: 'ts', format: 'esm' });
      mkdirSync(dirname(join(js, f)), { recursive: true });
      writeFileSync(join(js, f.replace(/\.ts$/, '.js')), out.code);
    }
    const { rollup } = await import('rollup');
    const bundle = await rollup({ input: join(js, 'app.js'), treeshake: { moduleSideEffects: false } });
    const text = (await bundle.generate({ format: 'esm' })).output[0].code;
    expect(text).toContain('85756007');
    for (const a of absent) expect(text).not.toContain(a);
  });

  it('tree-shakes with esbuild from the group module', async () => {
    const dir = writePackage(result, { 'app.ts': "import * as CID7151 from './cid/cid-7151.js';\nconsole.log(CID7151.Tissue.CodeValue);\n" });
    const r = await esbuild.build({ entryPoints: [join(dir, 'app.ts')], bundle: true, format: 'esm', write: false, treeShaking: true, logLevel: 'silent' });
    const text = r.outputFiles[0]!.text;
    expect(text).toContain('85756007');
    for (const a of absent) expect(text).not.toContain(a);
  });
});
