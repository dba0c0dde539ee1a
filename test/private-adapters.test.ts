import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { emptyIr, emptyReport } from '../generator/ir.ts';
import { detectPrivateFormat, scrapePrivateDictionary, scrapePrivateFile } from '../sources/private/index.ts';
import { CREATOR_KEYS, DOCUMENT_KEYS, ELEMENT_KEYS, parsePrivateJsonTag, PRIVATE_JSON_FORMAT, validatePrivateJson } from '../sources/private/private-json.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'private', name);
const codes = (r: { report: { diagnostics: { code: string }[] } }) => r.report.diagnostics.map((d) => d.code);

describe('DCMTK dictionary adapter (fixture)', () => {
  const r = scrapePrivateFile(fixture('acme.dic'));
  const els = r.ir.privateDictionaries!.elements;
  const find = (creator: string, group: string, offset: string) => els.find((e) => e.creator === creator && e.group === group && e.offset === offset);

  it('accounts for every line', () => {
    expect(r.source.format).toBe('dcmtk');
    expect(r.report.accounts).toEqual([
      { source: r.source.id, table: 'DCMTK dictionary', totalRows: 16, headerRows: 0, bodyRows: 16, parsed: 9, rejected: 4, skipped: 3 },
    ]);
    expect(r.report.counts[`private.${r.source.id}`]).toBe(9);
  });
  it('reads (gggg,"CREATOR",ee) with keyword, derived name, VR, VM, line and raw text', () => {
    expect(find('ACME 1.1', '0019', '12')).toMatchObject({ keyword: 'CoilName', name: 'Coil Name', vr: ['LO'], vm: '1-n', retired: false, prov: { line: 5 } });
    expect(find('ACME 1.1', '0019', '12')!.raw).toContain('CoilName');
  });
  it('reads the fixed eeee form as a pinned block', () => {
    expect(find('ACME 1.1', '0019', '20')).toMatchObject({ block: '10', keyword: 'FixedBlockElement' });
  });
  it('reads odd group ranges and element ranges', () => {
    expect(find('ACME OVL', '6001', '10')).toMatchObject({ groupLast: '60FF' });
    expect(find('ACME 1.1', '0021', '30')).toMatchObject({ offsetLast: '3F', vr: ['FL'] });
  });
  it('keeps creators exactly (case is significant)', () => {
    expect(find('acme 1.1', '0021', '10')).toBeDefined();
  });
  it('reports violations: even group, low offset, reservation element, odd group without creator, broken tag', () => {
    const c = codes(r);
    expect(c).toEqual(expect.arrayContaining(['private-group-even', 'private-offset-range', 'private-reservation-element', 'private-no-creator', 'private-tag-syntax', 'dcmtk-no-version']));
    expect(find('ACME 1.1', '0020', '10')).toBeUndefined();
    // An offset below 10 is legal in PS3.5 but reported; the entry is kept.
    expect(find('ACME 1.1', '0019', '05')).toBeDefined();
    expect(r.report.diagnostics.find((d) => d.code === 'private-offset-range')!.severity).toBe('info');
    expect(r.report.diagnostics.find((d) => d.code === 'private-offset-range-summary')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^acme\.dic: 1 private element\(s\) with an offset below 10/) });
    const broken = r.report.diagnostics.find((d) => d.code === 'private-tag-syntax')!;
    expect(broken.message).toMatch(/^acme\.dic line 16: /);
    expect(broken.line).toBe(16);
  });
});

describe('fo-dicom and GDCM XML adapters (fixtures)', () => {
  it('fo-dicom: <dictionary creator><tag>, xxEE and bbEE elements, row accounting and violations', () => {
    const r = scrapePrivateFile(fixture('acme-private-dictionary.xml'));
    expect(r.source.format).toBe('fo-dicom');
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 8, parsed: 6, rejected: 2, skipped: 0 });
    const els = r.ir.privateDictionaries!.elements;
    expect(els.find((e) => e.offset === '20')).toMatchObject({ block: '10', name: 'Fixed Block Element', keyword: 'FixedBlockElement', keywordDerived: true });
    expect(els.find((e) => e.creator === 'Acme 1.1')).toBeDefined();
    expect(codes(r)).toEqual(expect.arrayContaining(['private-group-even', 'private-tag-syntax']));
    const bad = r.report.diagnostics.find((d) => d.code === 'private-tag-syntax')!;
    expect(bad.message).toMatch(/^acme-private-dictionary\.xml line 10: element "xxZZ"/);
  });
  it('GDCM: owner entries are private, standard and CSA entries are skipped with accounting, odd without owner rejected', () => {
    const r = scrapePrivateFile(fixture('acme-gdcm.xml'));
    expect(r.source.format).toBe('gdcm');
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 4, parsed: 1, rejected: 1, skipped: 2 });
    expect(r.ir.privateDictionaries!.elements).toEqual([expect.objectContaining({ creator: 'ACME 1.1', group: '0019', offset: '15', vr: ['FD'], vm: '2', name: 'Table Position' })]);
    expect(codes(r)).toContain('private-no-creator');
  });
});

describe('native JSON format', () => {
  it('rejects invalid elements one by one with a JSON path, a problem and a fix', () => {
    const r = scrapePrivateFile(fixture('invalid-elements.private.json'));
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 6, parsed: 1, rejected: 5 });
    const msgs = r.report.diagnostics.map((d) => d.message);
    expect(msgs).toContain('invalid-elements.private.json $.creators[0].elements[1].tag: "(0019,10)" is not a private tag. Write "(gggg,xxee)" with the block as xx, e.g. "(01F7,xxCB)"');
    expect(msgs.some((m) => /elements\[2\]\.vr: "D5" is not a PS3\.5 VR/.test(m))).toBe(true);
    expect(msgs.some((m) => /elements\[3\]\.vm: "one" is not a VM/.test(m))).toBe(true);
    expect(msgs.some((m) => /elements\[5\]\.colour: unknown property/.test(m))).toBe(true);
    expect(codes(r)).toContain('private-group-even');
  });
  it('stops on document-level errors with one line naming the file', () => {
    expect(validatePrivateJson({ format: 'x', version: 2, creators: {} })).toEqual([
      '$.format: expected "dicom-dictgen-private-dictionary", got "x". Set the format marker',
      '$.version: expected 1, got 2. This generator reads version 1 files',
      '$.creators: expected an array, got object. List one object per private creator',
    ]);
    expect(() => scrapePrivateFile(fixture('acme.dic').replace('acme.dic', 'no-such.private.json'))).toThrow(/no-such\.private\.json: cannot read private dictionary source \(ENOENT\)\. Check the path/);
  });
});

describe('every problem is one line naming the file (and line or row)', () => {
  it.each(['acme.dic', 'acme-private-dictionary.xml', 'acme-gdcm.xml', 'invalid-elements.private.json', 'spectral-space-runs.txt', 'siemens-rt-conformance.txt', 'tag-first-columns.txt'])('%s', (name) => {
    const r = scrapePrivateFile(fixture(name));
    const problems = r.report.diagnostics.filter((d) => d.severity !== 'info');
    expect(problems.length).toBeGreaterThan(0);
    for (const d of problems) {
      expect(d.message.startsWith(name)).toBe(true);
      expect(d.message).not.toMatch(/[\n\r]/);
      expect(d.file).toBe(name);
      if (d.code !== 'private-offset-range-summary') expect(d.line ?? d.row).toBeGreaterThan(0);
    }
  });
});

describe('JSON schema for editors', () => {
  it('names the same properties, required fields and tag/VR/VM forms as the validator', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'sources', 'private', 'private-dictionary.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual([...DOCUMENT_KEYS]);
    expect(Object.keys(schema.$defs.creator.properties)).toEqual([...CREATOR_KEYS]);
    expect(Object.keys(schema.$defs.element.properties)).toEqual([...ELEMENT_KEYS]);
    expect(schema.properties.format.const).toBe(PRIVATE_JSON_FORMAT);
    const tag = new RegExp(schema.$defs.element.properties.tag.pattern);
    for (const t of ['(0029,xx10)', '(0029,1010)', '(6001-60FF,xx10)', '(0021,xx30-xx3F)']) expect([t, tag.test(t), parsePrivateJsonTag(t) !== undefined]).toEqual([t, true, true]);
    for (const t of ['(0029,10)', '0029,xx10', '(0029,xxZZ)']) expect([t, tag.test(t), parsePrivateJsonTag(t) !== undefined]).toEqual([t, false, false]);
    // The schema's fixtures-level check: every fixture the validator accepts matches the schema's required fields.
    const doc = JSON.parse(readFileSync(fixture('hostile.private.json'), 'utf8'));
    expect(validatePrivateJson(doc)).toEqual([]);
    for (const r of schema.required) expect(doc).toHaveProperty(r);
  });
});

describe('format detection and the pipeline entry point', () => {
  it('detects each format from content', () => {
    expect(detectPrivateFormat('x.txt', readFileSync(fixture('acme.dic'), 'utf8'))).toBe('dcmtk');
    expect(detectPrivateFormat('x', readFileSync(fixture('acme-private-dictionary.xml'), 'utf8'))).toBe('fo-dicom');
    expect(detectPrivateFormat('x', readFileSync(fixture('acme-gdcm.xml'), 'utf8'))).toBe('gdcm');
    expect(detectPrivateFormat('x', readFileSync(fixture('hostile.private.json'), 'utf8'))).toBe('private-json');
    expect(detectPrivateFormat('x.txt', readFileSync(fixture('spectral-space-runs.txt'), 'utf8'))).toBe('conformance-statement');
    expect(detectPrivateFormat('x.txt', readFileSync(fixture('siemens-rt-conformance.txt'), 'utf8'))).toBe('conformance-statement');
    // Text from a PDF may start with markup; only dictionary XML is read as XML.
    expect(detectPrivateFormat('x.txt', '<u>Conformance Statement</u>\nPrivate Creator Data Element  0029,00xx  LO  ACME\n')).toBe('conformance-statement');
  });
  it('registers its own SourceRecord when the pipeline passes only ir, report and layer', () => {
    const ir = emptyIr();
    const report = emptyReport();
    scrapePrivateDictionary(fixture('acme.dic'), { ir, report, layer: 'vendor' });
    expect(ir.sources).toEqual([expect.objectContaining({ id: 'private-acme-dic', format: 'dcmtk', file: 'acme.dic', layer: 'vendor' })]);
    expect(ir.privateDictionaries!.elements.every((e) => e.prov.source === 'private-acme-dic')).toBe(true);
  });
});

describeShared('private dictionaries of ../shared: counts per source', () => {
  it('DCMTK private.dic: every line accounted, 16 ELSCINT1 and the SIEMENS rows read', () => {
    const r = scrapePrivateFile(sharedPath('peers', 'dcmtk-3.6.7', 'private.dic'));
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 3043, parsed: 2826, rejected: 10, skipped: 207 });
    expect(r.report.counts[`private.${r.source.id}`]).toBe(2823);
    const els = r.ir.privateDictionaries!.elements;
    expect(els.filter((e) => e.creator === 'ELSCINT1')).toHaveLength(16);
    expect(els.filter((e) => e.creator.startsWith('SIEMENS')).length).toBeGreaterThan(900);
    // The rejected rows are the groups PS3.5 §7.1 reserves (0003, 0005, …), each reported.
    expect(r.report.diagnostics.filter((d) => d.code === 'private-group-reserved')).toHaveLength(10);
  });
  it('DCMTK dicom.dic: standard entries skipped with accounting (no private entries)', () => {
    const r = scrapePrivateFile(sharedPath('peers', 'dcmtk-3.6.7', 'dicom.dic'));
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 5096, parsed: 0, rejected: 0, skipped: 5096 });
    expect(r.report.counts[`private.${r.source.id}.standardSkipped`]).toBe(4992);
    expect(r.ir.privateDictionaries?.elements ?? []).toHaveLength(0);
  });
  it('fo-dicom private-dictionary.xml: 4,567 rows, even groups reported', () => {
    const r = scrapePrivateFile(sharedPath('peers', 'fo-dicom-2024-10', 'private-dictionary.xml'));
    expect(r.report.accounts[0]).toMatchObject({ bodyRows: 4567, parsed: 4530, rejected: 37 });
    expect(r.report.counts[`private.${r.source.id}`]).toBe(4216);
    expect(r.report.diagnostics.filter((d) => d.code === 'private-group-even')).toHaveLength(27);
    expect(r.ir.privateDictionaries!.elements.find((e) => e.creator === 'ELSCINT1' && e.group === '00E1' && e.offset === '21')).toMatchObject({ name: 'DLP', vr: ['DS'], vm: '1' });
  });
  it('GDCM CSAHeader.xml and Part6.xml hold no private data elements: all skipped with reasons', () => {
    const csa = scrapePrivateFile(sharedPath('peers', 'gdcm-3.0.21', 'CSAHeader.xml'));
    expect(csa.report.accounts[0]).toMatchObject({ bodyRows: 263, skipped: 263 });
    expect(csa.report.counts[`private.${csa.source.id}.csaFieldsSkipped`]).toBe(263);
    const p6 = scrapePrivateFile(sharedPath('peers', 'gdcm-3.0.21', 'Part6.xml'));
    expect(p6.report.accounts[0]).toMatchObject({ bodyRows: 4202, skipped: 4202 });
    expect(p6.report.counts[`private.${p6.source.id}.standardSkipped`]).toBe(4202);
  });
});
