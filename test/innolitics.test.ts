/**
 * The innolitics adapter on the real mirror (../shared/standard/innolitics/2024a and 2024b):
 * exact counts per file, every record accounted for, specific entries, and no prose in the IR.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { scrapeInnoliticsFolder, INNOLITICS_FILES } from '../sources/innolitics/index.ts';
import { emptyIr, emptyReport, type Ir, type Report } from '../generator/ir.ts';
import { factsOnly } from '../generator/snapshot.ts';

function scrape(edition: string): { ir: Ir; report: Report } {
  const ir = emptyIr();
  const report = emptyReport();
  scrapeInnoliticsFolder(sharedPath('standard', 'innolitics', edition), { ir, report, layer: `innolitics-${edition}` });
  return { ir, report };
}

function codes(report: Report): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of report.diagnostics) out[`${d.severity}:${d.code}`] = (out[`${d.severity}:${d.code}`] ?? 0) + 1;
  return out;
}

const EXPECTED = {
  '2024a': {
    records: { 'attributes.json': 5120, 'ciods.json': 171, 'modules.json': 435, 'macros.json': 298, 'ciod_to_modules.json': 3255, 'ciod_to_func_group_macros.json': 464, 'sops.json': 175, 'confidentiality_profile_attributes.json': 614 },
    diagnostics: { 'warning:reserved-row': 6, 'warning:unresolved-module': 1, 'warning:workaround-applied': 29 },
    retiredElements: 465,
    elements: 5114,
  },
  '2024b': {
    records: { 'attributes.json': 5129, 'ciods.json': 171, 'modules.json': 435, 'macros.json': 298, 'ciod_to_modules.json': 3258, 'ciod_to_func_group_macros.json': 464, 'sops.json': 175, 'confidentiality_profile_attributes.json': 621 },
    diagnostics: { 'warning:reserved-row': 6 },
    retiredElements: 467,
    elements: 5123,
  },
} as const;

for (const edition of ['2024a', '2024b'] as const) {
  describeShared(`innolitics ${edition}`, () => {
    let ir: Ir;
    let report: Report;
    beforeAll(() => {
      ({ ir, report } = scrape(edition));
    });

    it('registers one SourceRecord per file with edition, sha256 and bytes', () => {
      expect(ir.sources.map((s) => s.file).sort()).toEqual([...INNOLITICS_FILES].sort());
      for (const s of ir.sources) {
        const buf = readFileSync(sharedPath('standard', 'innolitics', edition, s.file));
        expect(s).toMatchObject({ format: 'innolitics', edition, bytes: buf.length, layer: `innolitics-${edition}` });
        expect(s.sha256).toBe(createHash('sha256').update(buf).digest('hex'));
        expect(s.id).toBe(`innolitics-${edition}-${s.file.replace('.json', '').replace(/_/g, '-')}`);
      }
    });

    it('accounts for every record of every file', () => {
      const byTable = Object.fromEntries(report.accounts.map((a) => [a.table, a]));
      for (const [file, n] of Object.entries(EXPECTED[edition].records)) {
        // attributes.json: the six `RET - See Note` rows (no keyword) are skipped as reserved rows.
        const skipped = file === 'attributes.json' ? 6 : 0;
        expect(byTable[file], file).toMatchObject({ totalRows: n, bodyRows: n, parsed: n - skipped, rejected: 0, skipped });
      }
    });

    it('reports exactly the known defects of the mirror, and no errors', () => {
      expect(codes(report)).toEqual(EXPECTED[edition].diagnostics);
    });

    it('fills every family with the expected counts', () => {
      const n = EXPECTED[edition].records;
      expect(ir.dataElements).toHaveLength(EXPECTED[edition].elements);
      expect(ir.uids).toHaveLength(175);
      expect(ir.iods!.iods).toHaveLength(171);
      expect(ir.iods!.modules.filter((m) => m.kind === 'module')).toHaveLength(435);
      expect(ir.iods!.modules.filter((m) => m.kind === 'macro')).toHaveLength(298);
      expect(ir.iods!.sopClasses).toHaveLength(175);
      expect(ir.deidentification).toHaveLength(n['confidentiality_profile_attributes.json']);
      expect(ir.iods!.iods.reduce((k, i) => k + i.modules.length, 0)).toBe(n['ciod_to_modules.json']);
      expect(ir.iods!.iods.reduce((k, i) => k + i.functionalGroups.length, 0)).toBe(464);
      expect(ir.dataElements.filter((e) => e.retired)).toHaveLength(EXPECTED[edition].retiredElements);
      expect(ir.dataElements.filter((e) => e.tag.includes('x'))).toHaveLength(88);
      expect(ir.dataElements.filter((e) => e.vr.length > 1)).toHaveLength(38);
      expect(ir.dataElements.filter((e) => e.table === 'file-meta')).toHaveLength(22);
      expect(ir.dataElements.filter((e) => e.table === 'directory')).toHaveLength(19);
    });

    it('normalizes tags, VRs and retired flags', () => {
      const el = (tag: string) => ir.dataElements.find((e) => e.tag === tag);
      expect(el('00100010')).toMatchObject({ keyword: 'PatientName', name: "Patient's Name", vr: ['PN'], vm: '1', retired: false, table: 'data' });
      expect(el('002804x0')).toMatchObject({ keyword: 'RowsForNthOrderCoefficients', vr: ['US'], retired: true });
      expect(el('1000xxx0')).toMatchObject({ retired: true });
      expect(el('50xx0005')).toBeDefined();
      expect(el('00281200')).toMatchObject({ keyword: 'GrayLookupTableData', vr: ['US', 'SS', 'OW'], vm: '1-n or 1', retired: true });
      expect(el('FFFEE000')).toMatchObject({ keyword: 'Item', vr: [], vrSeeNote: true, retired: false });
      expect(el('00080202')).toBeUndefined();
      expect(el('00180061')).toBeUndefined();
      expect(report.diagnostics.find((d) => d.code === 'reserved-row')).toMatchObject({ file: 'attributes.json', row: edition === '2024b' ? 87 : 86, message: 'id 00080202: 00080202 has a tag but no keyword and no name; a reserved row, not an entry' });
      expect(el('00020010')).toMatchObject({ keyword: 'TransferSyntaxUID', table: 'file-meta' });
      expect(el('00041130')).toMatchObject({ table: 'directory' });
      expect(el('00181153')).toMatchObject({ keyword: 'ExposureInuAs', name: 'Exposure in µAs' });
      // 2024b retired the Weighting Lookup Table elements.
      expect(el('00701807')!.retired).toBe(edition === '2024b');
      for (const e of ir.dataElements) expect(e.tag).toMatch(/^[0-9A-Fx]{8}$/);
    });

    it('gives SOP classes a derived keyword and their IOD', () => {
      const uid = (u: string) => ir.uids.find((x) => x.uid === u);
      const sop = (u: string) => ir.iods!.sopClasses.find((x) => x.uid === u);
      expect(uid('1.2.840.10008.5.1.4.1.1.2')).toMatchObject({ name: 'CT Image Storage', keyword: 'CTImageStorage', keywordDerived: true, type: 'SOP Class', retired: false });
      expect(sop('1.2.840.10008.5.1.4.1.1.2')).toMatchObject({ sopClass: 'CT Image Storage', iod: 'ct-image' });
      expect(uid('1.2.840.10008.5.1.4.1.1.9.1.1')!.keyword).toBe('TwelveLeadECGWaveformStorage');
      expect(sop('1.2.840.10008.5.1.4.1.1.9.1.1')!.iod).toBe('12-lead-ecg');
      // 2024a names this IOD "CR Image": resolved through the SOP class name.
      expect(sop('1.2.840.10008.5.1.4.1.1.1')!.iod).toBe('computed-radiography-image');
      expect(sop('1.2.840.10008.5.1.4.1.1.128')!.iod).toBe('positron-emission-tomography-image');
      const iodIds = new Set(ir.iods!.iods.map((i) => i.id));
      for (const s of ir.iods!.sopClasses) expect(iodIds.has(s.iod), s.uid).toBe(true);
    });

    it('builds IODs with module lists, functional groups and type names, without prose', () => {
      const iod = (id: string) => ir.iods!.iods.find((i) => i.id === id)!;
      const ct = iod('ct-image');
      expect(ct).toMatchObject({ name: 'CT Image', typeName: 'CTImage', table: 'A.3-1', incomplete: true, functionalGroups: [] });
      expect(ct.modules).toHaveLength(24);
      expect(ct.modules[0]).toMatchObject({ ie: 'Patient', module: 'patient', usage: 'M' });
      expect(ct.modules.filter((m) => m.usage === 'C')).toHaveLength(3);
      expect(iod('rt-dose')).toMatchObject({ typeName: 'RTDose' });
      expect(iod('enhanced-ct-image').functionalGroups).toHaveLength(27);
      expect(iod('enhanced-ct-image').functionalGroups.map((g) => g.macro)).toContain('pixel-measures');
      expect(iod('x-ray-angiographic-image').typeName).toBe('XRayAngiographicImage');
      expect(iod('xa-xrf-grayscale-softcopy-presentation-state').typeName).toBe('XAXRFGrayscaleSoftcopyPresentationState');
      expect(new Set(ir.iods!.iods.map((i) => i.typeName)).size).toBe(171);
      // 2024a points photoacoustic-image's functional groups at "photoacoustic".
      expect(iod('photoacoustic-image').functionalGroups.length).toBeGreaterThan(0);
      const mod = (kind: string, id: string) => ir.iods!.modules.find((m) => m.kind === kind && m.id === id);
      expect(mod('module', 'patient')).toMatchObject({ name: 'Patient', table: 'C.7-1' });
      expect(mod('module', 'patient')!.section).toBeUndefined();
      expect(mod('macro', 'basic-code-sequence')).toMatchObject({ table: '8.8-1a' });
      expect(mod('module', 'patient')!.rows).toBeUndefined();
      expect(mod('macro', 'image-pixel')).toMatchObject({ name: 'Image Pixel', table: 'C.7-11b' });
      expect(mod('module', 'image-pixel')).toBeDefined();
      expect(mod('module', 'image-equipment-coordinate-relationship')).toBeDefined();
      // Module conditions are kept as text for the condition parser (generator/conditions/); the snapshot strips them.
      expect(iod('ct-image').modules.find((m) => m.module === 'contrast-bolus')?.condition).toMatch(/contrast/i);
      const json = JSON.stringify(factsOnly(ir));
      expect(json).not.toContain('<p>');
      expect(json).not.toContain('Required if');
      expect(json).not.toContain('"condition"');
    });

    it('maps the confidentiality profile to the PS3.15 option ids', () => {
      expect(ir.deidentificationOptions.map((o) => o.id)).toEqual([
        'basicProfile', 'retainSafePrivate', 'retainUids', 'retainDeviceIdentity', 'retainInstitutionIdentity', 'retainPatientCharacteristics',
        'retainLongitudinalFullDates', 'retainLongitudinalModifiedDates', 'cleanDescriptors', 'cleanStructuredContent', 'cleanGraphics',
      ]);
      const row = (tag: string) => ir.deidentification.find((d) => d.tag === tag)!;
      expect(row('00100010')).toMatchObject({ name: "Patient's Name", retired: false, inStdCompIod: true, actions: { basicProfile: 'Z' } });
      expect(row('00100020').actions.basicProfile).toBe(edition === '2024b' ? 'Z/D' : 'Z');
      expect(row('ggggeeee')).toMatchObject({ name: 'Private Attributes', retired: false, actions: { basicProfile: 'X', retainSafePrivate: 'C' } });
      expect(row('50xxxxxx')).toMatchObject({ name: 'Curve Data', retired: true, actions: { basicProfile: 'X', cleanGraphics: 'C' } });
      expect(row('00184000')).toMatchObject({ retired: true });
      expect(ir.deidentification.filter((d) => d.actions.retainUids)).toHaveLength(59);
      expect(ir.deidentification.filter((d) => d.actions.basicProfile === 'X/Z/U*')).toHaveLength(2);
    });
  });
}
