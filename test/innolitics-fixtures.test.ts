/**
 * The innolitics adapter on small hand-written fixtures in the mirror's real shape: every record is
 * parsed or rejected with a diagnostic naming file, record and id; a changed shape stops the build;
 * the edition comes from the folder name. Also the shared IOD naming (sources/common/iod-names.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';
import { scrapeInnoliticsFolder, innoliticsEditionFromFolder } from '../sources/innolitics/index.ts';
import { iodId, iodTypeName, keywordFromName } from '../sources/common/iod-names.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { factsOnly } from '../generator/snapshot.ts';

const fixture = (...p: string[]) => join(repoRoot, 'test', 'fixtures', 'innolitics', ...p);

function scrape(dir: string) {
  const ir = emptyIr();
  const report = emptyReport();
  const result = scrapeInnoliticsFolder(fixture(dir), { ir, report, layer: 'mirror' });
  return { ir, report, result };
}

describe('innolitics adapter on fixtures', () => {
  const { ir, report, result } = scrape('mini-2024b');
  const account = (file: string) => report.accounts.find((a) => a.table === file);
  const diags = (file: string) => report.diagnostics.filter((d) => d.file === file).map((d) => `${d.severity} ${d.code} row ${d.row}`);

  it('reads the edition from the folder name', () => {
    expect(result.edition).toBe('2024b');
    expect(result.missing).toEqual([]);
    expect(ir.sources.every((s) => s.edition === '2024b' && s.layer === 'mirror')).toBe(true);
    expect(innoliticsEditionFromFolder('/x/innolitics/2024a')).toBe('2024a');
    expect(innoliticsEditionFromFolder('/x/no-edition')).toBeUndefined();
  });

  it('attributes.json: parses good records and rejects bad ones by name', () => {
    expect(account('attributes.json')).toMatchObject({ totalRows: 10, parsed: 5, rejected: 4, skipped: 1 });
    expect(diags('attributes.json')).toEqual([
      'warning reserved-row row 5',
      'error invalid-vr row 7',
      'error duplicate-tag row 8',
      'error id-mismatch row 9',
      'error invalid-retired row 10',
    ]);
    const dup = report.diagnostics.find((d) => d.code === 'duplicate-tag')!;
    expect(dup).toMatchObject({ file: 'attributes.json', row: 8, source: 'innolitics-2024b-attributes', message: 'id 00100010: tag 00100010 already defined by record 1' });
    expect(dup.raw).toContain('PatientNameAgain');
    expect(ir.dataElements.map((e) => [e.tag, e.vr.join('/')])).toEqual([
      ['00100010', 'PN'],
      ['00280010', 'US'],
      ['00280106', 'US/SS'],
      ['60xx3000', 'OB/OW'],
      ['FFFEE000', ''],
    ]);
    expect(ir.dataElements[0]!.prov).toEqual({ source: 'innolitics-2024b-attributes', table: 'attributes.json', row: 1 });
  });

  it('IOD files: resolves references, keeps unresolved ones, rejects what cannot be placed', () => {
    expect(account('ciod_to_modules.json')).toMatchObject({ totalRows: 7, parsed: 4, rejected: 3 });
    expect(diags('ciod_to_modules.json')).toEqual([
      'warning unresolved-module row 4',
      'error unknown-iod row 5',
      'error duplicate-module-ref row 6',
      'error invalid-usage row 7',
    ]);
    expect(account('ciod_to_func_group_macros.json')).toMatchObject({ totalRows: 2, parsed: 1, rejected: 1 });
    expect(diags('ciod_to_func_group_macros.json')).toEqual(['warning workaround-applied row 1', 'error invalid-module-type row 2']);
    const ct = ir.iods!.iods.find((i) => i.id === 'ct-image')!;
    expect(ct.modules.map((m) => `${m.ie}/${m.module}/${m.usage}`)).toEqual([
      'Patient/patient/M',
      'Image/image-pixel/M',
      'Image/image-equipment-coordinate-relationship/C',
      'Image/not-a-module/U',
    ]);
    const xa = ir.iods!.iods.find((i) => i.id === 'enhanced-x-ray-angiographic-image')!;
    expect(xa).toMatchObject({ typeName: 'EnhancedXRayAngiographicImage', table: 'A.47-1', incomplete: true });
    expect(xa.functionalGroups).toEqual([{ macro: 'pixel-measures', usage: 'C', condition: 'fixture condition', prov: { source: 'innolitics-2024b-ciod-to-func-group-macros', table: 'ciod_to_func_group_macros.json', row: 1 } }]);
    expect(ir.iods!.modules.map((m) => `${m.kind}:${m.id}:${m.table}`)).toEqual([
      'module:patient:C.7-1',
      'module:image-pixel:C.7-11a',
      'module:image-equipment-coordinate-relationship:C.8-1',
      'macro:image-pixel:C.7-11b',
      'macro:pixel-measures:C.7.6.16-2',
    ]);
    expect(JSON.stringify(ir)).not.toContain('fixture text');
    expect(JSON.stringify(factsOnly(ir))).not.toContain('fixture condition');
  });

  it('sops.json: SOP class UIDs and SOP class → IOD', () => {
    expect(account('sops.json')).toMatchObject({ totalRows: 4, parsed: 1, rejected: 3 });
    expect(diags('sops.json')).toEqual(['error unknown-iod row 2', 'error invalid-uid row 3', 'error unknown-iod row 4']);
    expect(ir.uids).toEqual([
      {
        uid: '1.2.840.10008.5.1.4.1.1.2',
        name: 'CT Image Storage',
        keyword: 'CTImageStorage',
        keywordDerived: true,
        type: 'SOP Class',
        typeText: 'SOP Class',
        retired: false,
        prov: { source: 'innolitics-2024b-sops', table: 'sops.json', row: 1 },
      },
    ]);
    expect(ir.iods!.sopClasses.map((s) => [s.uid, s.iod])).toEqual([['1.2.840.10008.5.1.4.1.1.2', 'ct-image']]);
  });

  it('confidentiality profile: option ids, private attributes row, bad actions rejected', () => {
    expect(account('confidentiality_profile_attributes.json')).toMatchObject({ totalRows: 5, parsed: 4, rejected: 1 });
    expect(diags('confidentiality_profile_attributes.json')).toEqual(['error invalid-action row 5']);
    expect(ir.deidentification.map((d) => [d.tag, d.actions])).toEqual([
      ['00100010', { basicProfile: 'Z' }],
      ['00100020', { basicProfile: 'Z', retainLongitudinalFullDates: 'K' }],
      ['ggggeeee', { basicProfile: 'X', retainSafePrivate: 'C' }],
      ['60xx3000', { basicProfile: 'X', cleanGraphics: 'C' }],
    ]);
  });

  it('fails loudly on an unknown field (the mirror changed shape)', () => {
    expect(() => scrape('shape-2099a')).toThrow(
      'innolitics 2099a attributes.json record 2 (id 00100020): unknown field "valueLength" (known: tag, name, keyword, valueRepresentation, valueMultiplicity, retired, id)',
    );
  });

  it('records an unknown edition and the files it did not find', () => {
    const { ir: ir2, report: r2, result: res } = scrape('no-edition');
    expect(res.edition).toBe('unknown');
    expect(ir2.sources.map((s) => s.id)).toEqual(['innolitics-unknown-attributes']);
    expect(r2.diagnostics.find((d) => d.code === 'edition-unknown')?.severity).toBe('warning');
    expect(res.missing).toHaveLength(7);
    expect(ir2.iods).toBeUndefined();
  });

  it('refuses a folder without attributes.json', () => {
    expect(() => scrapeInnoliticsFolder(fixture(), { ir: emptyIr(), report: emptyReport() })).toThrow(/no attributes\.json/);
  });
});

describe('IOD names (sources/common/iod-names.ts)', () => {
  it('keeps acronyms as the standard writes them', () => {
    expect(iodTypeName('CT Image')).toBe('CTImage');
    expect(iodTypeName('RT Dose')).toBe('RTDose');
    expect(iodTypeName('Enhanced CT Image')).toBe('EnhancedCTImage');
    expect(iodTypeName('Enhanced X-Ray Angiographic Image')).toBe('EnhancedXRayAngiographicImage');
    expect(iodTypeName('Multi-frame True Color Secondary Capture Image')).toBe('MultiFrameTrueColorSecondaryCaptureImage');
    expect(iodTypeName('XA/XRF Grayscale Softcopy Presentation State')).toBe('XAXRFGrayscaleSoftcopyPresentationState');
    expect(iodTypeName('Comprehensive 3D SR')).toBe('Comprehensive3DSR');
    expect(iodTypeName('12-Lead ECG')).toBe('TwelveLeadECG');
    expect(iodTypeName('General 32-bit ECG')).toBe('General32bitECG');
    expect(iodTypeName('Macular Grid Thickness and Volume Report')).toBe('MacularGridThicknessAndVolumeReport');
  });

  it('derives ids like innolitics and keywords like PS3.6', () => {
    expect(iodId('Enhanced X-Ray Angiographic Image')).toBe('enhanced-x-ray-angiographic-image');
    expect(iodId('XA/XRF Grayscale Softcopy Presentation State')).toBe('xa-xrf-grayscale-softcopy-presentation-state');
    expect(iodId('Plane Position (Patient)')).toBe('plane-position-patient');
    expect(keywordFromName('12-lead ECG Waveform Storage')).toBe('TwelveLeadECGWaveformStorage');
    expect(keywordFromName('Digital X-Ray Image Storage - For Presentation')).toBe('DigitalXRayImageStorageForPresentation');
    expect(keywordFromName("Consulting Physician's Name")).toBe('ConsultingPhysiciansName');
    expect(keywordFromName('Exposure in µAs')).toBe('ExposureInuAs');
  });
});
