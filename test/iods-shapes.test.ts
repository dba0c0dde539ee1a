/**
 * Shapes of the IOD types that real files need: the nesting rule for rows after an include
 * inside a sequence item (PS3.3 Tables C.18.4-1/C.18.5-1, checked on every table of the real
 * excerpt where it applies), SR content items as a union discriminated by Value Type (recursive
 * through Content Sequence), functional group items of an IOD whose macros lack tables, and the
 * SR fact table against the data dictionary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { buildIodIr, writeIodPackage } from '../bench/iods.ts';
import { emptyIr, type Ir, type Prov } from '../generator/ir.ts';
import type { AttributeRow, IncludeRow, ModuleDef, ModuleRow } from '../generator/ir-iods.ts';
import { IodResolver } from '../generator/iods/resolve.ts';
import { IodComposer } from '../generator/iods/compose.ts';
import { SR_VALUE_TYPES, valueTypesOfTag } from '../generator/iods/sr-value-types.ts';
import { scrapeInnoliticsAttributes } from '../sources/innolitics/innolitics-attributes.ts';
import { loadInnoliticsFile } from '../sources/innolitics/innolitics-json.ts';
import { emptyReport } from '../generator/ir.ts';

const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es2022.d.ts'], types: [] };

function diagnostics(files: string[]): string[] {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.split('/').pop() : ''}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Rows after an include that are one level deeper than it: they belong inside the included macro's last sequence at that level. */
function includeThenDeeper(def: ModuleDef): { include: IncludeRow; rows: AttributeRow[] }[] {
  const rows = def.rows ?? [];
  const out: { include: IncludeRow; rows: AttributeRow[] }[] = [];
  rows.forEach((r, i) => {
    if (r.kind !== 'include' || r.functionalGroups) return;
    const deeper: AttributeRow[] = [];
    for (const n of rows.slice(i + 1)) {
      if (n.depth <= r.depth) break;
      if (n.kind === 'attribute' && n.depth === r.depth + 1) deeper.push(n);
    }
    if (deeper.length > 0) out.push({ include: r, rows: deeper });
  });
  return out;
}

describeShared('nesting: rows after an include inside a sequence item (PS3.3 2016c excerpt)', () => {
  let ir: Ir;
  beforeAll(() => {
    ir = buildIodIr({ shared: sharedPath() }).ir;
  });

  it('places them in the item of the included sequence, on every table where the rule applies', () => {
    const resolver = new IodResolver(ir);
    const applies = resolver.allDefs().filter((d) => includeThenDeeper(d).length > 0);
    // The excerpt has exactly the two tables the issue names.
    expect(applies.map((d) => d.table).sort()).toEqual(['C.18.4-1', 'C.18.5-1']);
    for (const def of applies) {
      const top = resolver.flatten(def);
      for (const { include, rows } of includeThenDeeper(def)) {
        const target = resolver.includeTarget(include)!;
        const seq = [...resolver.flatten(target)].reverse().find((a) => a.vr.includes('SQ'))!;
        const holder = top.find((a) => a.tag === seq.tag)!;
        for (const r of rows) {
          if (r.tag !== seq.tag) expect(top.some((a) => a.tag === r.tag), `${def.table} ${r.keyword} is not at the top level`).toBe(false);
          expect(holder.items?.some((a) => a.tag === r.tag), `${def.table} ${r.keyword} is in the ${seq.keyword} item`).toBe(true);
        }
      }
    }
    const image = resolver.def('macro', 'image-reference')!;
    const item = resolver.flatten(image).find((a) => a.keyword === 'ReferencedSOPSequence')!.items!.map((a) => a.keyword);
    expect(item).toEqual(expect.arrayContaining(['ReferencedSOPClassUID', 'ReferencedSOPInstanceUID', 'ReferencedFrameNumber', 'ReferencedSOPSequence']));
    const waveform = resolver.def('macro', 'waveform-reference')!;
    expect(resolver.flatten(waveform).find((a) => a.keyword === 'ReferencedSOPSequence')!.items!.map((a) => a.keyword)).toContain('ReferencedWaveformChannels');
  });

  it('emits the macro with the attributes inside the item interface', () => {
    const composer = new IodComposer(new IodResolver(ir));
    const models = composer.defInterfaces(composer.resolver.def('macro', 'image-reference')!);
    const macro = models[models.length - 1]!;
    expect(macro.props.map((p) => p.key)).toEqual(['ReferencedSOPSequence']);
    const itemName = /\[(\w+), /.exec(macro.props[0]!.type)![1]!;
    expect(models.find((m) => m.name === itemName)!.props.map((p) => p.key)).toEqual(expect.arrayContaining(['ReferencedFrameNumber', 'ReferencedSegmentNumber']));
  });
});

// ------------------------------------------------------------------------------------------
// SR content items: a hand-written module in the real structure of PS3.3 Table C.17-5 after
// the macros are expanded (as the innolitics module tables give it: no include rows).

const prov: Prov = { source: 'hand', table: 'Table SR-1' };
const el = (tag: string, keyword: string, vr: string, vm = '1') => ({ tag, keyword, name: keyword, vr: [vr], vm, retired: false, table: 'data' as const, prov });
function attr(depth: number, tag: string, keyword: string, type: AttributeRow['type'], enumeratedValues?: string[]): ModuleRow {
  return { kind: 'attribute', depth, tag, keyword, name: keyword, type, ...(enumeratedValues ? { enumeratedValues } : {}), prov };
}
const VT = ['TEXT', 'NUM', 'CODE', 'CONTAINER'];
const code = (d: number): ModuleRow[] => [attr(d, '00080100', 'CodeValue', '1C'), attr(d, '00080102', 'CodingSchemeDesignator', '1C'), attr(d, '00080104', 'CodeMeaning', '1')];
function contentItem(d: number): ModuleRow[] {
  return [
    attr(d, '0040A040', 'ValueType', '1', VT),
    { ...(attr(d, '0040A043', 'ConceptNameCodeSequence', '1C') as AttributeRow), when: { test: { op: 'not-equals', tag: '0040A040', keyword: 'ValueType', values: ['CONTAINER'] }, otherwise: 'may-be-present' } },
    ...code(d + 1),
    attr(d, '0040A160', 'TextValue', '1C'),
    attr(d, '0040A300', 'MeasuredValueSequence', '2'),
    attr(d + 1, '0040A30A', 'NumericValue', '1'),
    attr(d + 1, '004008EA', 'MeasurementUnitsCodeSequence', '1'),
    ...code(d + 2),
    attr(d, '0040A168', 'ConceptCodeSequence', '1'),
    ...code(d + 1),
    attr(d, '0040A050', 'ContinuityOfContent', '1', ['SEPARATE', 'CONTINUOUS']),
  ];
}

function srIr(): Ir {
  const ir = emptyIr();
  ir.dataElements = [
    el('00080100', 'CodeValue', 'SH'),
    el('00080102', 'CodingSchemeDesignator', 'SH'),
    el('00080104', 'CodeMeaning', 'LO'),
    el('0040A040', 'ValueType', 'CS'),
    el('0040A043', 'ConceptNameCodeSequence', 'SQ'),
    el('0040A160', 'TextValue', 'UT'),
    el('0040A300', 'MeasuredValueSequence', 'SQ'),
    el('0040A30A', 'NumericValue', 'DS', '1-n'),
    el('004008EA', 'MeasurementUnitsCodeSequence', 'SQ'),
    el('0040A168', 'ConceptCodeSequence', 'SQ'),
    el('0040A050', 'ContinuityOfContent', 'CS'),
    el('0040A730', 'ContentSequence', 'SQ'),
    el('0040A010', 'RelationshipType', 'CS'),
    el('00080016', 'SOPClassUID', 'UI'),
  ];
  const sr: ModuleDef = {
    id: 'sr-document-content',
    name: 'SR Document Content',
    kind: 'module',
    rows: [...contentItem(0), attr(0, '0040A730', 'ContentSequence', '1C'), attr(1, '0040A010', 'RelationshipType', '1', ['CONTAINS', 'HAS PROPERTIES']), ...contentItem(1)],
    prov,
  };
  const common: ModuleDef = { id: 'sop-common', name: 'SOP Common', kind: 'module', rows: [attr(0, '00080016', 'SOPClassUID', '1')], prov };
  ir.iods = {
    iods: [{ id: 'basic-text-sr', name: 'Basic Text SR', typeName: 'BasicTextSR', modules: [{ ie: 'Document', module: 'sr-document-content', usage: 'M', prov }, { ie: 'Document', module: 'sop-common', usage: 'M', prov }], functionalGroups: [], incomplete: false, prov }],
    modules: [sr, common],
    sopClasses: [],
  };
  return ir;
}

const SR_CONSUMER = `import type { BasicTextSR, BasicTextSRDataset } from '../iods/basic-text-sr.js';
const name = [{ CodeValue: '1', CodingSchemeDesignator: 'DCM', CodeMeaning: 'x' }] as [{ CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }];
export const ok: BasicTextSR = {
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
  ValueType: 'CONTAINER',
  ContinuityOfContent: 'SEPARATE',
  ConceptNameCodeSequence: name,
  ContentSequence: [
    { RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: name, TextValue: 'hello' },
    { RelationshipType: 'CONTAINS', ValueType: 'NUM', ConceptNameCodeSequence: name, MeasuredValueSequence: [{ NumericValue: 3, MeasurementUnitsCodeSequence: name }] },
    { RelationshipType: 'CONTAINS', ValueType: 'CONTAINER', ContinuityOfContent: 'SEPARATE', ContentSequence: [{ RelationshipType: 'HAS PROPERTIES', ValueType: 'CODE', ConceptCodeSequence: name }] },
  ],
};
// a TEXT item without its value
export const noText: BasicTextSR = { ...ok, ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'TEXT' }] };
// a TEXT item carrying a container's attribute
export const textWithContinuity: BasicTextSR = { ...ok, ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'TEXT', TextValue: 'x', ContinuityOfContent: 'SEPARATE' }] };
// a nested CONTAINER without Continuity Of Content (recursion through Content Sequence)
export const nested: BasicTextSR = { ...ok, ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'CONTAINER', ContinuityOfContent: 'SEPARATE', ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'CONTAINER' }] }] };
// the root is a CONTAINER
export const rootText: BasicTextSR = { ...ok, ValueType: 'TEXT' };
// the open variant reads any of these
export const read: BasicTextSRDataset = { ValueType: 'TEXT', ContentSequence: [{ ValueType: 'TEXT', '00091010': 1, _vrMap: {} }] };
`;

describe('SR content items: a union discriminated by Value Type, recursive through Content Sequence', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dictgen-sr-'));
    writeIodPackage(srIr(), dir);
    mkdirSync(join(dir, 'consumer'));
    writeFileSync(join(dir, 'consumer', 'sr.ts'), SR_CONSUMER);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a report of TEXT, NUM, CODE and nested CONTAINER items and rejects exactly the four wrong ones', () => {
    const d = diagnostics([join(dir, 'consumer', 'sr.ts')]);
    expect(d.map((x) => x.split(' ')[0])).toEqual(['sr.ts:15', 'sr.ts:17', 'sr.ts:19', 'sr.ts:21']);
    expect(d[0]).toMatch(/TextValue/);
    expect(d[1]).toMatch(/ContinuityOfContent/);
    expect(d[2]).toMatch(/ContinuityOfContent/);
    expect(d[3]).toMatch(/"TEXT"/);
  });

  it('declares one variant per Value Type on a shared base, and a self-referencing Content Sequence', () => {
    const composer = new IodComposer(new IodResolver(srIr()));
    const models = composer.defInterfaces(composer.resolver.def('module', 'sr-document-content')!);
    const union = models.find((m) => m.name === 'ContentItem')!;
    expect(union.union).toEqual(['ContentItemText', 'ContentItemNum', 'ContentItemCode', 'ContentItemContainer']);
    const base = models.find((m) => m.name === 'ContentItemBase')!;
    expect(base.props.map((p) => p.key)).toEqual(['RelationshipType', 'ConceptNameCodeSequence', 'ContentSequence', '_vrMap']);
    expect(base.props.find((p) => p.key === 'ContentSequence')!.type).toBe('[ContentItem, ...ContentItem[]]');
    // Hovers render the parsed condition (facts), never the standard's sentence.
    expect(base.props.find((p) => p.key === 'ConceptNameCodeSequence')!.doc).toBe(
      'ConceptNameCodeSequence (0040,A043) · Type 1C · VR SQ · VM 1 · conditional (optional in the type): required if ValueType is not CONTAINER; may be present otherwise',
    );
    const text = models.find((m) => m.name === 'ContentItemText')!;
    expect(text.extends).toBe('ContentItemBase');
    expect(text.props.map((p) => `${p.key}${p.optional ? '?' : ''}: ${p.type}`)).toEqual(['ValueType: "TEXT"', 'TextValue: string']);
  });
});

describeShared('the SR fact table', () => {
  it('names every tag with the keyword the data dictionary gives it', () => {
    const ir = emptyIr();
    const ctx = { ir, report: emptyReport(), layer: 'innolitics' };
    scrapeInnoliticsAttributes(loadInnoliticsFile(sharedPath('standard', 'innolitics', '2024b'), 'attributes.json', '2024b', ctx), ctx);
    const byTag = new Map(ir.dataElements.map((e) => [e.tag, e.keyword]));
    for (const v of SR_VALUE_TYPES) for (const a of v.attributes) expect(`${v.valueType} ${a.tag} ${byTag.get(a.tag)}`).toBe(`${v.valueType} ${a.tag} ${a.keyword}`);
    expect(valueTypesOfTag('00081199')).toEqual(['COMPOSITE', 'IMAGE', 'WAVEFORM']);
    expect(valueTypesOfTag('00100010')).toEqual([]);
  });
});

describe('functional groups of an IOD whose macros have no table', () => {
  it('admit any attribute in the items and say why', () => {
    const ir = srIr();
    ir.iods!.iods[0]!.functionalGroups = [{ macro: 'segmentation', usage: 'C', prov }];
    const composer = new IodComposer(new IodResolver(ir));
    const fg = composer.functionalGroupsInterfaces(ir.iods!.iods[0]!)!;
    expect(fg.models[0]!.index).toBe('[keyword: string]: unknown');
    expect(fg.models[0]!.doc.join(' ')).toMatch(/No attribute table in the inputs for segmentation/);
    // The per-frame item holds the same macros with the same usage: it names the shared item (one interface to check).
    expect(fg.models[1]).toMatchObject({ name: fg.perFrame, union: [fg.shared], props: [] });
  });
});

describeShared('functional group placement from the innolitics mirror (2024b)', () => {
  it('reads "shall not be used as a Shared Functional Group" as per-frame only', () => {
    const { ir } = buildIodIr({ shared: sharedPath(), innoliticsIods: true });
    const seg = ir.iods!.iods.find((i) => i.id === 'segmentation')!;
    expect(seg.functionalGroups.find((g) => g.macro === 'frame-content')).toMatchObject({ usage: 'C', placement: 'per-frame' });
    expect(seg.functionalGroups.find((g) => g.macro === 'pixel-measures')!.placement).toBeUndefined();
    // Segmentation's per-frame item has no Frame Content requirement (usage C) and its shared item has no Frame Content:
    // the two items differ, so both are declared (identical ones are one type and an alias).
    const composer = new IodComposer(new IodResolver(ir));
    const fg = composer.functionalGroupsInterfaces(seg)!;
    expect(fg.models[0]!.extends).not.toMatch(/FrameContentMacro/);
    expect(fg.models[1]!.extends).toMatch(/\bPartialFrameContentMacro\b/);
  });
});
