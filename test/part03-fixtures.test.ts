/**
 * PS3.3 scraper and include resolution on hand-written fixtures (test/fixtures/nema/part03-*.xml):
 * include cycles, unresolved includes, modules without attribute tables, rowspan IE cells,
 * values in descriptions and referenced sections, conditions (and their removal from snapshots).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './helpers/shared.ts';
import { emptyIr, emptyReport, type DataElement, type Ir, type Report } from '../generator/ir.ts';
import { irWithoutProse, type AttributeRow, type IncludeRow } from '../generator/ir-iods.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { scrapePart03 } from '../sources/nema/part03-iods.ts';
import { resolveIods } from '../generator/iods/resolve.ts';
import { writeIodPackage } from '../bench/iods.ts';

/** The few data elements the fixtures use (facts from PS3.6). */
const ELEMENTS: [string, string, string, string][] = [
  ['00080008', 'ImageType', 'CS', '2-n'],
  ['00080090', 'ReferringPhysicianName', 'PN', '1'],
  ['00081140', 'ReferencedImageSequence', 'SQ', '1'],
  ['00081150', 'ReferencedSOPClassUID', 'UI', '1'],
  ['00081155', 'ReferencedSOPInstanceUID', 'UI', '1'],
  ['00081160', 'ReferencedFrameNumber', 'IS', '1-n'],
  ['00180022', 'ScanOptions', 'CS', '1-n'],
  ['00181140', 'RotationDirection', 'CS', '1'],
  ['00200020', 'PatientOrientation', 'CS', '2'],
  ['00280010', 'Rows', 'US', '1'],
  ['00280300', 'QualityControlImage', 'CS', '1'],
];

function scrapeFixture(name: string): { ir: Ir; report: Report } {
  const ir = emptyIr();
  const report = emptyReport();
  ir.dataElements = ELEMENTS.map(([tag, keyword, vr, vm]): DataElement => ({ tag, keyword, name: keyword, vr: [vr], vm, retired: false, table: 'data', prov: { source: 'fixture-part06', table: 'Table 6-1' } }));
  const doc = loadNemaDocument(join(repoRoot, 'test', 'fixtures', 'nema', name));
  const source = { id: 'nema-2099a-part03', part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  scrapePart03(doc, { ir, report, source });
  return { ir, report };
}

function compiles(ir: Ir): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-part03-fixture-'));
  try {
    const files = writeIodPackage(ir, dir);
    const program = ts.createProgram(
      files.map((f) => join(dir, f.path)),
      { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] },
    );
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('part03 fixture: include cycle', () => {
  const { ir, report } = scrapeFixture('part03-cycle.xml');

  it('scrapes the IOD, the module and both macros with their include rows', () => {
    expect(ir.iods!.iods.map((i) => [i.id, i.typeName, i.section, i.incomplete])).toEqual([['widget-image', 'WidgetImage', 'A.1', false]]);
    expect(ir.iods!.modules.map((m) => `${m.kind}:${m.id}:${m.table}`)).toEqual(['module:widget-image:C.1-1', 'macro:alpha:C.1-2', 'macro:beta:C.1-3']);
    const beta = ir.iods!.modules.find((m) => m.id === 'beta')!;
    expect(beta.rows![1]).toMatchObject({ kind: 'include', depth: 0, target: 'alpha', targetKind: 'macro', targetTable: 'table_C.1-2' });
    expect(report.accounts.map((a) => [a.table, a.bodyRows, a.parsed, a.rejected, a.skipped])).toEqual([
      ['Table C.1-1', 3, 3, 0, 0],
      ['Table C.1-2', 2, 2, 0, 0],
      ['Table C.1-3', 2, 2, 0, 0],
      ['Table A.1-1', 1, 1, 0, 0],
    ]);
  });

  it('reports the cycle once, with its path, and still resolves what it can', () => {
    const { iods, report: r } = resolveIods(ir);
    expect(r.cycles.map((c) => c.path)).toEqual([['Table C.1-2', 'Table C.1-3', 'Table C.1-2']]);
    expect(r.unresolved).toEqual([]);
    const item = iods[0]!.attributes.find((a) => a.keyword === 'ReferencedImageSequence')!;
    expect(item.items!.map((a) => a.keyword)).toEqual(['ReferencedSOPClassUID', 'ReferencedSOPInstanceUID']);
  });

  it('emits interfaces that compile (the cycle does not become a recursive base type)', () => {
    expect(compiles(ir)).toEqual([]);
  });
});

describe('part03 fixture: unresolved include, missing module table, values, conditions', () => {
  const { ir, report } = scrapeFixture('part03-unresolved.xml');
  const rows = (id: string) => ir.iods!.modules.find((m) => m.id === id)!.rows!;
  const attr = (id: string, keyword: string) => rows(id).find((r): r is AttributeRow => r.kind === 'attribute' && r.keyword === keyword)!;

  it('accounts for every row: parsed, rejected with a diagnostic, or skipped', () => {
    expect(report.accounts.find((a) => a.table === 'Table C.2-1')).toMatchObject({ bodyRows: 8, parsed: 6, rejected: 1, skipped: 1 });
    const bad = report.diagnostics.find((d) => d.code === 'invalid-type')!;
    expect(bad).toMatchObject({ severity: 'error', table: 'Table C.2-1', row: 8 });
    expect(bad.message).toMatch(/^type "X" is not one of 1, 1C, 2, 2C, 3$/);
  });

  it('carries the IE cell down its rowspan and marks the IOD incomplete', () => {
    const iod = ir.iods!.iods[0]!;
    expect(iod.modules.map((m) => [m.ie, m.module, m.usage])).toEqual([
      ['Image', 'gadget-image', 'M'],
      ['Image', 'gadget-extra', 'C'],
      ['Image', 'gadget-missing', 'U'],
    ]);
    expect(iod.incomplete).toBe(true);
    expect(ir.iods!.modules.find((m) => m.id === 'gadget-missing')).toMatchObject({ kind: 'module', name: 'Gadget Missing' });
    expect(ir.iods!.modules.find((m) => m.id === 'gadget-missing')!.rows).toBeUndefined();
    expect(report.diagnostics.filter((d) => d.code === 'module-table-missing').map((d) => [d.table, d.row])).toEqual([['Table A.2-1', 3]]);
  });

  it('reads depth, includes with CID notes, values and conditions', () => {
    const inc = rows('gadget-image').find((r): r is IncludeRow => r.kind === 'include')!;
    expect(inc).toMatchObject({ depth: 1, target: '', targetTable: 'table_C.2-9', cids: [{ kind: 'defined', cid: 7201 }] });
    expect(attr('gadget-image', 'ReferencedFrameNumber').depth).toBe(1);
    expect(attr('gadget-image', 'RotationDirection').enumeratedValues).toEqual(['CW', 'CC']);
    expect(attr('gadget-extra', 'ScanOptions')).toMatchObject({ definedTerms: ['HELICAL', 'AXIAL'], valuesFrom: 'C.2.2.1' });
    // An untitled list after a paragraph "Enumerated Values:".
    expect(attr('gadget-extra', 'QualityControlImage').enumeratedValues).toEqual(['YES', 'NO']);
    expect(attr('gadget-image', 'PatientOrientation').condition).toBe('Required if the fixture says so.');
    expect(ir.iods!.iods[0]!.modules[1]!.condition).toBe('Required if the fixture has extras.');
  });

  it('irWithoutProse strips every condition text and nothing else', () => {
    const stripped = irWithoutProse(ir);
    const text = JSON.stringify(stripped);
    expect(text).not.toMatch(/"condition"/);
    expect(text).not.toMatch(/Required if/);
    expect(JSON.stringify(ir)).toMatch(/Required if the fixture says so/);
    expect(stripped.iods!.modules.length).toBe(ir.iods!.modules.length);
  });

  it('reports the unresolved include (table and row), the incomplete IOD and the requirement overlap', () => {
    const { iods, report: r } = resolveIods(ir);
    expect(r.unresolved).toEqual([{ table: 'Table C.2-1', row: 6, source: 'nema-2099a-part03', target: 'table_C.2-9' }]);
    expect(r.cycles).toEqual([]);
    expect(r.incomplete).toEqual([{ iod: 'gadget-image', modules: ['gadget-missing'] }]);
    // Image Type: Type 3 in the mandatory module, Type 1 in a conditional one → conditionally required (1C).
    expect(r.overlaps).toEqual([
      { iod: 'gadget-image', tag: '00080008', keyword: 'ImageType', winner: { def: 'gadget-extra', type: '1', usage: 'C' }, others: [{ def: 'gadget-image', type: '3', usage: 'M' }] },
    ]);
    expect(iods[0]!.attributes.find((a) => a.keyword === 'ImageType')!.type).toBe('1C');
    // The sequence keeps its own item row; the unresolved macro contributes nothing.
    expect(iods[0]!.attributes.find((a) => a.keyword === 'ReferencedImageSequence')!.items!.map((a) => a.keyword)).toEqual(['ReferencedFrameNumber']);
  });

  it('still emits the incomplete IOD with its module list, and it compiles', () => {
    expect(compiles(ir)).toEqual([]);
  });
});

describe('part03 fixture: NEMA HTML rendering gives the same IR as DocBook', () => {
  it('part03-unresolved.html (generated link texts, div.variablelist) scrapes to the same IOD section and accounts', () => {
    const xml = scrapeFixture('part03-unresolved.xml');
    const html = scrapeFixture('part03-unresolved.html');
    expect(html.ir.sources[0]!.format).toBe('html');
    expect(html.ir.iods).toEqual(xml.ir.iods);
    expect(html.report.accounts).toEqual(xml.report.accounts);
    expect(html.report.diagnostics.map((d) => [d.code, d.table, d.row])).toEqual(xml.report.diagnostics.map((d) => [d.code, d.table, d.row]));
  });
});
