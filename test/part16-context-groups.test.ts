import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { partScrapers } from '../sources/nema/index.ts';
import { crossCheckContextGroupUids, finishContextGroups, scrapeContextGroups } from '../sources/nema/part16-context-groups.ts';
import { emptyIr, emptyReport, type Ir, type Report, type UidEntry } from '../generator/ir.ts';
import { codeMeaningIdentifier, codeValueOf, finalizeContextGroups, loadIdentifierAliasTable, type ContextGroup } from '../generator/ir-context-groups.ts';
import { repoRoot } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'nema', name);

function scrape(path: string, text?: string, groupsOnly = false): { ir: Ir; report: Report } {
  const doc = loadNemaDocument(path, text === undefined ? undefined : Buffer.from(text));
  const ir = emptyIr();
  const report = emptyReport();
  const source = { id: `nema-${doc.edition}-part16`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  if (groupsOnly) scrapeContextGroups(doc, { ir, report, source });
  else for (const s of partScrapers.filter((p) => p.part === 16)) s.scrape(doc, { ir, report, source });
  return { ir, report };
}

const main = scrape(fixture('part16-2025b.xml'));
const group = (ir: Ir, cid: number): ContextGroup => {
  const g = ir.contextGroups!.groups.find((x) => x.cid === cid);
  if (!g) throw new Error(`CID ${cid} missing`);
  return g;
};
const codesOf = (g: ContextGroup) => g.codes.map((c) => `${c.codingSchemeDesignator}:${codeValueOf(c)}`);

describe('PS3.16 context groups (DocBook fixture)', () => {
  it('reads the edition and every CID section', () => {
    expect(main.ir.contextGroups!.groups.map((g) => g.cid)).toEqual([29, 244, 270, 4031, 7150, 7151, 7152, 7166, 7167, 9800, 9801, 9900]);
  });

  it('reads the variablelist metadata', () => {
    const g = group(main.ir, 7151);
    expect(g).toMatchObject({
      keyword: 'SegmentationPropertyType',
      fhirKeyword: 'dicom-cid-7151-SegmentationPropertyType',
      name: 'Segmentation Property Type',
      version: '20240112',
      uid: '1.2.840.10008.6.1.528',
      extensible: true,
      retired: false,
      prov: { source: 'nema-2025b-part16', table: 'Annex B' },
    });
    expect(group(main.ir, 270).extensible).toBe(false);
  });

  it('keeps retired groups, marked, from a title marker or a status attribute', () => {
    const byTitle = group(main.ir, 9800);
    expect(byTitle).toMatchObject({ retired: true, name: 'Superseded Test Codes', codes: [], extensible: null });
    const byStatus = group(main.ir, 9801);
    expect(byStatus.retired).toBe(true);
    expect(codesOf(byStatus)).toEqual(['DCM:121006']);
  });

  it('resolves Include rows transitively and keeps which codes are direct and which included', () => {
    const g = group(main.ir, 7151);
    expect(g.includes).toEqual([7152, 7166]);
    expect(codesOf(g)).toEqual(['SCT:85756007', 'SCT:80891009', 'SCT:74281007', 'SCT:87878005', 'SCT:55603005', 'SCT:272673000', 'SCT:87612001', 'SCT:78014005']);
    const direct = g.codes.filter((c) => c.includedFrom === undefined).map((c) => c.codeMeaning);
    expect(direct).toEqual(['Tissue']);
    const blood = g.codes.find((c) => c.codeMeaning === 'Blood')!;
    expect(blood.includedFrom).toBe(7167);
    expect(blood.includePath).toEqual([7166, 7167]);
    expect(blood.prov).toEqual({ source: 'nema-2025b-part16', table: 'CID 7167', row: 1 });
    // Tissue is also in CID 7167: the direct row of CID 7151 wins, no duplicate.
    expect(g.codes.filter((c) => c.codeMeaning === 'Tissue')).toHaveLength(1);
    // The included group itself still has its own direct codes first.
    expect(group(main.ir, 7166).codes.map((c) => [c.codeMeaning, c.includedFrom ?? null])).toEqual([
      ['Adipose tissue', null],
      ['Bone', null],
      ['Blood', 7167],
      ['Urine', 7167],
      ['Tissue', 7167],
    ]);
  });

  it('allows the same code in several groups', () => {
    const heart = (cid: number) => group(main.ir, cid).codes.find((c) => c.codeValue === '80891009');
    expect(heart(4031)?.includedFrom).toBeUndefined();
    expect(heart(7152)?.includedFrom).toBeUndefined();
    expect(heart(7151)?.includedFrom).toBe(7152);
  });

  it('maps optional columns by header (SNOMED-RT ID, UMLS CUI) and leaves empty cells out', () => {
    const g = group(main.ir, 7152);
    expect(g.codes.map((c) => c.extra ?? {})).toEqual([
      { snomedRtId: 'T-32000', umlsCui: 'C0018787' },
      { umlsCui: 'C0027061' },
      { snomedRtId: 'T-32600' },
    ]);
  });

  it('reads Long Code Value, URN Code Value and Coding Scheme Version columns, and infers the form from a Code Value cell', () => {
    const g = group(main.ir, 9900);
    const by = (m: string) => g.codes.find((c) => c.codeMeaning === m)!;
    expect(by('Heart rate')).toMatchObject({ codingSchemeDesignator: 'LN', codeValue: '8867-4', codingSchemeVersion: '2.77' });
    expect(by('SNOMED CT core module')).toMatchObject({ longCodeValue: '900000000000207008' });
    expect(by('SNOMED CT core module').codeValue).toBeUndefined();
    expect(by('3D rendering')).toMatchObject({ urnCodeValue: 'urn:oid:1.2.826.0.1.3680043.10.1234.1' });
    expect(by('Inferred long value')).toMatchObject({ longCodeValue: '12345678901234567890' });
    expect(by('Inferred URN value').urnCodeValue).toMatch(/^urn:uuid:/);
    expect(main.report.diagnostics.filter((d) => d.code === 'code-value-form')).toHaveLength(2);
  });

  it('reports every row that is neither a code nor an include, and accounts for every row', () => {
    const d = main.report.diagnostics.filter((x) => x.table === 'CID 7151');
    expect(d.map((x) => [x.code, x.row])).toEqual([
      ['cid-row-unrecognized', 4],
      ['malformed-code-row', 5],
    ]);
    expect(d[1]!.raw).toBe('SCT |  | Connective tissue');
    const acc = main.report.accounts.find((a) => a.table === 'Table CID 7151')!;
    expect(acc).toMatchObject({ bodyRows: 5, parsed: 3, rejected: 2, skipped: 0 });
    for (const a of main.report.accounts) expect(a.parsed + a.rejected + a.skipped).toBe(a.bodyRows);
    expect(main.report.accounts.find((a) => a.table === 'Table CID 9900')).toMatchObject({ skipped: 1 });
  });

  it('finds the group table by containment, whatever its id', () => {
    expect(codesOf(group(main.ir, 7166)).slice(0, 2)).toEqual(['SCT:55603005', 'SCT:272673000']);
  });

  it('fails loudly on an unknown column header, naming file and table', () => {
    const text = readFileSync(fixture('part16-2025b.xml'), 'utf8').replace('UMLS Concept Unique ID', 'Frobnication Index');
    expect(() => scrape(fixture('part16-2025b.xml'), text)).toThrow(/part16-2025b\.xml Table CID 7152: unknown column header "Frobnication Index"/);
  });

  it('throws on a document without CID sections', () => {
    const text = '<?xml version="1.0"?><book xmlns="http://docbook.org/ns/docbook" xml:id="PS3.16"><subtitle>DICOM PS3.16 2025b - Content Mapping Resource</subtitle></book>';
    const doc = loadNemaDocument('part16.xml', Buffer.from(text));
    const ir = emptyIr();
    const source = { id: 's', part: 'PS3.16', edition: '2025b', format: 'docbook' as const, file: 'part16.xml', sha256: '', bytes: 0 };
    expect(() => scrapeContextGroups(doc, { ir, report: emptyReport(), source })).toThrow(/no sections labelled "CID n"/);
  });
});

describe('include cycles', () => {
  const { ir, report } = scrape(fixture('part16-cycle.xml'), undefined, true);
  it('cuts each cycle once, reports it, and still resolves every group', () => {
    const cycles = report.diagnostics.filter((d) => d.code === 'include-cycle');
    expect(cycles.map((d) => d.severity)).toEqual(['error', 'error']);
    expect(cycles.map((d) => d.message).join('\n')).toMatch(/CID 9901 → CID 9902 → CID 9901/);
    expect(cycles.map((d) => d.message).join('\n')).toMatch(/CID 9903 → CID 9903/);
    expect(codesOf(group(ir, 9901))).toEqual(['99DICTGEN:A1', '99DICTGEN:B1', '99DICTGEN:C1']);
    expect(codesOf(group(ir, 9902))).toEqual(['99DICTGEN:B1', '99DICTGEN:C1', '99DICTGEN:A1']);
    expect(codesOf(group(ir, 9903))).toEqual(['99DICTGEN:C1']);
  });
  it('reports includes of CIDs no source defines', () => {
    expect(group(ir, 9903).unresolvedIncludes).toEqual([9999]);
    expect(report.diagnostics.filter((d) => d.code === 'include-missing').map((d) => d.message)).toEqual([
      'CID 9903 includes CID 9999, which no source defines; its codes are missing from CID 9903',
    ]);
  });
});

describe('code meaning identifiers', () => {
  it('follows docs/identifiers.md', () => {
    expect(codeMeaningIdentifier('Right and left')).toBe('RightAndLeft');
    expect(codeMeaningIdentifier('Computed Tomography')).toBe('ComputedTomography');
    expect(codeMeaningIdentifier("Crohn's disease")).toBe('CrohnsDisease');
    expect(codeMeaningIdentifier('3D rendering')).toBe('_3DRendering');
    expect(codeMeaningIdentifier('>= 50 %')).toBe('GreaterThanOrEqual50Percent');
    expect(codeMeaningIdentifier('T1 < 2 ms')).toBe('T1LessThan2Ms');
    expect(codeMeaningIdentifier('Café au lait spot')).toBe('CafeAuLaitSpot');
    expect(codeMeaningIdentifier('(?)')).toBe('Unnamed');
    expect(codeMeaningIdentifier('µg/mL')).toBe('MicrogML');
    expect(codeMeaningIdentifier('CT')).toBe('CT');
  });
  it('resolves collisions within a group by code value, first come keeps the bare name', () => {
    expect(group(main.ir, 244).codes.map((c) => c.identifier)).toEqual(['Right', 'Left', 'RightAndLeft', 'Unilateral', 'Right_G_A100']);
    expect(group(main.ir, 9900).codes.map((c) => c.identifier)).toEqual([
      'HeartRate', 'SNOMEDCTCoreModule', '_3DRendering', 'InferredLongValue', 'InferredURNValue',
      'CrohnsDisease', 'GreaterThanOrEqual50Percent', 'Unnamed', 'HeartRate_T4', 'HeartRate_T5', 'CafeAuLaitSpot',
    ]);
  });
});

describe('PS3.16 Table 8-1 and Annex D', () => {
  it('reads coding schemes by header and rejects a row without designator', () => {
    const cs = main.ir.contextGroups!.codingSchemes;
    expect(cs.map((c) => c.designator)).toEqual(['DCM', 'LN', 'RADLEX', 'SCT', 'SRT', 'UCUM']);
    expect(cs[0]).toEqual({ designator: 'DCM', name: 'DICOM Controlled Terminology', uid: '1.2.840.10008.2.16.4', fhirUri: 'http://dicom.nema.org/resources/ontology/DCM', organization: 'NEMA', version: '01', prov: { source: 'nema-2025b-part16', table: 'Table 8-1', row: 1 } });
    expect(cs.find((c) => c.designator === 'SRT')!.fhirUri).toBeUndefined();
    expect(main.report.accounts.find((a) => a.table === 'Table 8-1')).toMatchObject({ parsed: 6, rejected: 1 });
  });
  it('reads DCM codes with definitions and retired markers', () => {
    const dcm = main.ir.contextGroups!.dcmCodes;
    expect(dcm.map((d) => d.identifier)).toEqual(['ComputedTomography', 'MagneticResonance', 'Ultrasound', 'PositronEmissionTomography', 'DigitalSubtractionAngiography', 'Person', 'Device', 'Segmentation', '_3D']);
    expect(dcm.find((d) => d.codeValue === 'DS')).toMatchObject({ codeMeaning: 'Digital Subtraction Angiography', retired: true });
    expect(dcm[0]!.definition).toBe('Modality: x-ray tomography.');
    expect(main.report.diagnostics.find((d) => d.code === 'malformed-dcm-row')?.row).toBe(10);
  });
});

describe('PS3.6 Table A-3 against PS3.16 (crossCheckContextGroupUids)', () => {
  const a3 = (cid: number, uid: string, row: number, retired = false): UidEntry => ({
    uid, name: `group ${cid}`, keyword: `G${cid}`, type: 'Context Group Name', typeText: 'Context Group Name', retired, cid, prov: { source: 'nema-2025b-part06', table: 'Table A-3', row },
  });
  it('agrees silently, reports mismatches, UIDs PS3.6 lacks, and fills a missing UID from A-3', () => {
    const { ir } = scrape(fixture('part16-2025b.xml'));
    group(ir, 270).uid = undefined;
    ir.uids.push(a3(29, '1.2.840.10008.6.1.19', 1), a3(7151, '1.2.840.10008.6.1.999', 2), a3(270, '1.2.840.10008.6.1.129', 3), a3(9800, '1.2.826.0.1.3680043.10.1234.9800', 4, true));
    ir.uids.push({ ...a3(1, '1.2.840.10008.6.1.1', 5), type: 'SOP Class', cid: undefined });
    const report = emptyReport();
    crossCheckContextGroupUids(ir, report);
    const byCode = (c: string) => report.diagnostics.filter((d) => d.code === c);
    expect(byCode('context-group-uid-mismatch').map((d) => d.message)).toEqual(['CID 7151: PS3.16 states UID 1.2.840.10008.6.1.528 but PS3.6 Table A-3 row 2 gives 1.2.840.10008.6.1.999']);
    expect(byCode('context-group-uid-mismatch')[0]!.severity).toBe('error');
    expect(byCode('context-group-uid-from-ps36')).toHaveLength(1);
    expect(group(ir, 270).uid).toBe('1.2.840.10008.6.1.129');
    // 244, 4031, 7150, 7152, 7166, 7167, 9900 have UIDs PS3.6 lacks (the retired 9801 is not reported).
    expect(byCode('context-group-uid-not-in-ps36').map((d) => d.table)).toEqual(['CID 244', 'CID 4031', 'CID 7150', 'CID 7152', 'CID 7166', 'CID 7167', 'CID 9900']);
    expect(byCode('context-group-retired-mismatch')).toHaveLength(0);
  });
  it('says so when there is no Table A-3 to compare with', () => {
    const report = emptyReport();
    crossCheckContextGroupUids(scrape(fixture('part16-2025b.xml')).ir, report);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['context-group-uids-unchecked']);
  });
});

describe('identifier stability across editions', () => {
  const prev = scrape(fixture('part16-2025b.xml')).ir.contextGroups!;
  const nextText = readFileSync(fixture('part16-2025b.xml'), 'utf8')
    .replace('2025b - Content', '2026a - Content')
    .replace(/>Heart</g, '>Entire heart<')
    .replace(/>Computed Tomography</g, '>Computed tomography imaging<');
  it('keeps the previous name as a deprecated alias and reports the change', () => {
    const next = scrape(fixture('part16-2025b.xml'), nextText);
    const report = emptyReport();
    finalizeContextGroups(next.ir.contextGroups!, (d) => report.diagnostics.push(d), { previous: prev });
    const heart7152 = group(next.ir, 7152).codes.find((c) => c.codeValue === '80891009')!;
    expect(heart7152).toMatchObject({ identifier: 'EntireHeart', aliases: ['Heart'] });
    const heart7151 = group(next.ir, 7151).codes.find((c) => c.codeValue === '80891009')!;
    expect(heart7151).toMatchObject({ identifier: 'EntireHeart', aliases: ['Heart'] });
    const ct = next.ir.contextGroups!.dcmCodes.find((d) => d.codeValue === 'CT')!;
    expect(ct).toMatchObject({ identifier: 'ComputedTomographyImaging', aliases: ['ComputedTomography'] });
    const renamed = report.diagnostics.filter((d) => d.code === 'identifier-renamed');
    expect(renamed.map((d) => d.table)).toEqual(['CID 29', 'CID 4031', 'CID 7151', 'CID 7152', 'DCM codes']);
    expect(renamed[1]!.message).toBe('CID 4031: SCT 80891009 is now EntireHeart (meaning "Entire heart"); Heart kept as deprecated alias');
    // Aliases carry forward to the edition after that, even with no further change.
    const third = scrape(fixture('part16-2025b.xml'), nextText);
    finalizeContextGroups(third.ir.contextGroups!, () => {}, { previous: next.ir.contextGroups! });
    expect(group(third.ir, 7152).codes.find((c) => c.codeValue === '80891009')!.aliases).toEqual(['Heart']);
  });
  it('takes aliases from an explicit alias table', () => {
    const { ir } = scrape(fixture('part16-2025b.xml'));
    const report = emptyReport();
    finalizeContextGroups(ir.contextGroups!, (d) => report.diagnostics.push(d), { aliasTable: { aliases: [{ cid: 29, code: 'DCM:CT', alias: 'CT' }, { code: 'DCM:MR', alias: 'MR' }, { cid: 244, code: 'SCT:7771000', alias: 'Right' }] } });
    expect(group(ir, 29).codes[0]!.aliases).toEqual(['CT']);
    expect(ir.contextGroups!.dcmCodes.find((d) => d.codeValue === 'MR')!.aliases).toEqual(['MR']);
    // An alias that another code's identifier already uses is refused and reported.
    expect(group(ir, 244).codes[1]!.aliases).toBeUndefined();
    expect(report.diagnostics.filter((d) => d.code === 'identifier-alias-clash')).toHaveLength(1);
  });
});

describe('PS3.16 context groups (NEMA HTML fixture)', () => {
  const doc = loadNemaDocument(fixture('part16-2025b.html'));
  const ir = emptyIr();
  const report = emptyReport();
  const source = { id: 'nema-2025b-part16-html', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  scrapeContextGroups(doc, { ir, report, source });
  it('reads sections, variablelists, tables and Include links of the HTML rendering', () => {
    expect(doc.format).toBe('html');
    expect(ir.contextGroups!.groups.map((g) => [g.cid, g.keyword, g.extensible, g.retired])).toEqual([
      [270, 'ObserverType', false, false],
      [7151, 'SegmentationPropertyType', true, false],
      [7152, 'CardiacStructureSegmentationType', true, false],
      [9800, 'SupersededTestCodes', null, true],
    ]);
    expect(group(ir, 7151)).toMatchObject({ name: 'Segmentation Property Type', uid: '1.2.840.10008.6.1.528', includes: [7152] });
    expect(codesOf(group(ir, 7151))).toEqual(['SCT:85756007', 'SCT:80891009', 'SCT:74281007']);
    expect(group(ir, 9800).name).toBe('Superseded Test Codes');
  });
  it('gives the same codes as the DocBook for the same groups', () => {
    const strip = (g: ContextGroup) => g.codes.map((c) => ({ ...c, prov: undefined }));
    expect(strip(group(ir, 270))).toEqual(strip(group(main.ir, 270)));
    expect(strip(group(ir, 7152)).slice(0, 2)).toEqual(strip(group(main.ir, 7152)).slice(0, 2));
  });
  it('reports the zero-width space in a UID and the row that is neither code nor include', () => {
    expect(report.diagnostics.map((d) => [d.code, d.table])).toEqual([
      ['invisible-characters', 'CID 7151'],
      ['cid-row-unrecognized', 'CID 7151'],
    ]);
  });
});

describe('finishContextGroups (the post-merge step)', () => {
  it('dedupes groups read twice, applies an alias table file, keeps aliases on re-runs, cross-checks A-3', () => {
    const a = scrape(fixture('part16-2025b.xml'));
    const fhirLike = structuredClone(group(a.ir, 270));
    fhirLike.prov = { source: 'fhir-valueset-cid-270', table: 'CID 270' };
    a.ir.contextGroups!.groups.push(fhirLike);
    const report = emptyReport();
    finishContextGroups(a.ir, report, { aliasTable: fixture('part16-aliases.json') });
    expect(a.ir.contextGroups!.groups.filter((g) => g.cid === 270)).toHaveLength(1);
    expect(report.diagnostics.filter((d) => d.code === 'duplicate-cid')).toHaveLength(1);
    expect(group(a.ir, 7151).codes[0]).toMatchObject({ identifier: 'Tissue', aliases: ['TissueType'] });
    expect(a.ir.contextGroups!.dcmCodes.find((d) => d.codeValue === '121006')!.aliases).toEqual(['HumanObserver']);
    expect(report.diagnostics.some((d) => d.code === 'context-group-uids-unchecked')).toBe(true);
    // Re-running without the table keeps the aliases and reports no new rename.
    const again = emptyReport();
    finishContextGroups(a.ir, again);
    expect(group(a.ir, 7151).codes[0]!.aliases).toEqual(['TissueType']);
    expect(again.diagnostics.filter((d) => d.code === 'identifier-renamed')).toEqual([]);
  });
  it('refuses a malformed alias table, naming the entry', () => {
    expect(() => loadIdentifierAliasTable(join(repoRoot, 'package.json'))).toThrow(/package\.json: no "aliases" array/);
  });
});

describe('older PS3.16 layout (metadata in paragraphs, no Keyword)', () => {
  const text = `<?xml version="1.0" encoding="utf-8"?>
<book xmlns="http://docbook.org/ns/docbook" label="PS3.16" version="5.0" xml:id="PS3.16"><title>PS3.16</title><subtitle>DICOM PS3.16 2013 - Content Mapping Resource</subtitle>
<appendix label="B" xml:id="chapter_B"><title>Context Groups</title>
<section label="CID 244" xml:id="sect_CID_244"><title>Laterality</title><para>Type: Extensible Version: 20100317</para>
<table frame="box" rules="all" xml:id="table_CID_244"><caption>Laterality</caption><thead><tr><th><para>Coding Scheme Designator (CSD)</para></th><th><para>Code Value (CV)</para></th><th><para>Code Meaning (CM)</para></th></tr></thead>
<tbody><tr><td><para>SRT</para></td><td><para>G-A100</para></td><td><para>Right</para></td></tr></tbody></table></section></appendix></book>`;
  it('reads Type and Version from one paragraph and derives the keyword', () => {
    const { ir, report } = scrape('part16.xml', text, true);
    expect(group(ir, 244)).toMatchObject({ keyword: 'Laterality', keywordDerived: true, extensible: true, version: '20100317', name: 'Laterality' });
    expect(codesOf(group(ir, 244))).toEqual(['SRT:G-A100']);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['keyword-derived']);
  });
});
