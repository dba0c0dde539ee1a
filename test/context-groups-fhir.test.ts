import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrapeFhirValueSets, cidFromReference, designatorForSystem } from '../sources/fhir/valueset.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { scrapeContextGroups } from '../sources/nema/part16-context-groups.ts';
import { emptyIr, emptyReport, type Ir } from '../generator/ir.ts';
import { codeValueOf, type ContextGroup } from '../generator/ir-context-groups.ts';
import { repoRoot } from './helpers/shared.ts';

const dir = join(repoRoot, 'test', 'fixtures', 'fhir');
const ir = emptyIr();
const report = emptyReport();
scrapeFhirValueSets(dir, { ir, report });
const group = (x: Ir, cid: number): ContextGroup => x.contextGroups!.groups.find((g) => g.cid === cid)!;
const shape = (g: ContextGroup) => g.codes.map((c) => [c.codingSchemeDesignator, codeValueOf(c), c.codeMeaning, c.includedFrom ?? null, c.identifier]);

describe('NEMA FHIR ValueSet JSON (CID_<n>.json)', () => {
  it('reads one source per file, in CID order', () => {
    expect(ir.sources.map((s) => s.id)).toEqual(['fhir-valueset-cid-29', 'fhir-valueset-cid-7151', 'fhir-valueset-cid-7152', 'fhir-valueset-cid-7166', 'fhir-valueset-cid-7167', 'fhir-valueset-cid-9801', 'fhir-valueset-cid-9900']);
    expect(ir.sources[1]).toMatchObject({ format: 'fhir-valueset', edition: '20240112', file: 'CID_7151.json', part: 'DICOM FHIR ValueSet CID 7151' });
  });

  it('maps the metadata: keyword, FHIR keyword, UID, version, status; extensibility unknown unless stated', () => {
    expect(group(ir, 7151)).toMatchObject({ keyword: 'SegmentationPropertyType', fhirKeyword: 'dicom-cid-7151-SegmentationPropertyType', name: 'Segmentation Property Type', uid: '1.2.840.10008.6.1.528', version: '20240112', retired: false, extensible: null, includes: [7152, 7166] });
    expect(group(ir, 9801)).toMatchObject({ retired: true, extensible: false });
  });

  it('resolves valueSet includes across files, exactly as the DocBook tables do', () => {
    const doc = loadNemaDocument(join(repoRoot, 'test', 'fixtures', 'nema', 'part16-2025b.xml'));
    const nema = emptyIr();
    const source = { id: 'nema-2025b-part16', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
    scrapeContextGroups(doc, { ir: nema, report: emptyReport(), source });
    for (const cid of [29, 7151, 7152, 7166, 7167]) expect(shape(group(ir, cid))).toEqual(shape(group(nema, cid)));
    expect(group(ir, 7151).codes.find((c) => c.codeMeaning === 'Urine')!.includePath).toEqual([7166, 7167]);
  });

  it('maps FHIR systems back to designators and code values to their DICOM form', () => {
    const g = group(ir, 9900);
    expect(g.codes.map((c) => ({ ...c, prov: undefined }))).toEqual([
      { codingSchemeDesignator: 'LN', codeValue: '8867-4', codingSchemeVersion: '2.77', codeMeaning: 'Heart rate', identifier: 'HeartRate', prov: undefined },
      { codingSchemeDesignator: 'SCT', longCodeValue: '900000000000207008', codeMeaning: 'SNOMED CT core module', identifier: 'SNOMEDCTCoreModule', prov: undefined },
      { codingSchemeDesignator: 'UCUM', codeValue: 'mm', codeMeaning: 'millimeter', identifier: 'Millimeter', prov: undefined },
      { codingSchemeDesignator: 'DCM', urnCodeValue: 'urn:uuid:7e2f5a34-5b1c-4d4e-9a51-0f6c2d1b8e11', codeMeaning: 'Inferred URN value', identifier: 'InferredURNValue', prov: undefined },
    ]);
    expect(g.codes[2]!.prov).toEqual({ source: 'fhir-valueset-cid-9900', table: 'CID 9900', row: 4 });
    const d = report.diagnostics.filter((x) => x.table === 'CID 9900').map((x) => [x.severity, x.code]);
    expect(d).toEqual([
      ['warning', 'malformed-code-row'],
      ['error', 'unknown-fhir-system'],
    ]);
    expect(designatorForSystem('http://snomed.info/sct', emptyIr())).toBe('SCT');
    expect(designatorForSystem('http://dicom.nema.org/resources/ontology/DCM', emptyIr())).toBe('DCM');
    expect(designatorForSystem('http://loinc.org', emptyIr())).toBe('LN');
    expect(designatorForSystem('http://unitsofmeasure.org', emptyIr())).toBe('UCUM');
  });

  it('checks a present expansion against the resolved compose', () => {
    const m = report.diagnostics.filter((x) => x.code === 'fhir-expansion-mismatch');
    expect(m.map((x) => x.table)).toEqual(['CID 7152']);
    expect(m[0]!.message).toMatch(/lacks 1 it has \(e\.g\. SCT 87878005\)/);
  });

  it('reads CIDs from canonical URLs, ids and file names', () => {
    expect(cidFromReference('http://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_7151.html')).toBe(7151);
    expect(cidFromReference('dicom-cid-244-Laterality')).toBe(244);
    expect(cidFromReference('CID_29.json')).toBe(29);
    expect(cidFromReference('something else')).toBeUndefined();
  });

  it('refuses a file that is not a ValueSet', () => {
    expect(() => scrapeFhirValueSets([join(repoRoot, 'package.json')], { ir: emptyIr(), report: emptyReport() })).toThrow(/package\.json: not a FHIR ValueSet/);
  });
});
