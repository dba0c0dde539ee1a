import { describe, expect, it } from 'vitest';
import { parseCondition, type ConditionDictionary } from '../generator/conditions/grammar.ts';
import { countConditions, parseIrConditions } from '../generator/conditions/index.ts';
import { isConditionParsed, type Condition } from '../generator/ir-conditions.ts';
import { OUTSIDE_FACT_PHRASES } from '../generator/conditions/outside-facts.ts';
import { emptyIr, emptyReport, type DataElement } from '../generator/ir.ts';
import { factsOnly } from '../generator/snapshot.ts';

const ELEMENTS: [string, string, string][] = [
  ['00080008', 'ImageType', 'Image Type'],
  ['00080060', 'Modality', 'Modality'],
  ['00280004', 'PhotometricInterpretation', 'Photometric Interpretation'],
  ['00280002', 'SamplesPerPixel', 'Samples per Pixel'],
  ['00280009', 'FrameIncrementPointer', 'Frame Increment Pointer'],
  ['00181063', 'FrameTime', 'Frame Time'],
  ['00181065', 'FrameTimeVector', 'Frame Time Vector'],
  ['0008010F', 'ContextIdentifier', 'Context Identifier'],
  ['00080100', 'CodeValue', 'Code Value'],
  ['00080119', 'LongCodeValue', 'Long Code Value'],
  ['00080120', 'URNCodeValue', 'URN Code Value'],
  ['00281052', 'RescaleIntercept', 'Rescale Intercept'],
  ['7FE00008', 'FloatPixelData', 'Float Pixel Data'],
  ['7FE00009', 'DoubleFloatPixelData', 'Double Float Pixel Data'],
  ['00081140', 'ReferencedImageSequence', 'Referenced Image Sequence'],
  ['00081160', 'ReferencedFrameNumber', 'Referenced Frame Number'],
  ['00080102', 'CodingSchemeDesignator', 'Coding Scheme Designator'],
  ['0062000B', 'ReferencedSegmentNumber', 'Referenced Segment Number'],
  ['00220015', 'AcquisitionDeviceTypeCodeSequence', 'Acquisition Device Type Code Sequence'],
  ['00089205', 'PixelPresentation', 'Pixel Presentation'],
  ['00540030', 'PhaseVector', 'Phase Vector'],
];
const dict: ConditionDictionary = {
  byTag: (t) => {
    const e = ELEMENTS.find((x) => x[0] === t);
    return e && { keyword: e[1], name: e[2] };
  },
  byName: (n) => {
    const e = ELEMENTS.find((x) => x[2].toLowerCase() === n.toLowerCase());
    return e && { tag: e[0], keyword: e[1] };
  },
  moduleByName: (n) => ({ 'Contrast/Bolus': 'contrast-bolus', 'Palette Color Lookup Table': 'palette-color-lookup-table' })[n],
};
const parse = (t: string) => parseCondition(t, dict);

describe('condition grammar', () => {
  it('reads presence, absence and values', () => {
    expect(parse('Required if Context Identifier (0008,010F) is present.')).toEqual({ test: { op: 'present', tag: '0008010F', keyword: 'ContextIdentifier' } });
    expect(parse('Required if Referenced Frame Number (0008,1160) is not present.').test).toMatchObject({ op: 'absent', tag: '00081160' });
    expect(parse('Required if Modality (0008,0060) is "CT".').test).toMatchObject({ op: 'equals', values: ['CT'] });
    expect(parse('Required if Modality (0008,0060) is not MR.').test).toMatchObject({ op: 'not-equals', values: ['MR'] });
    expect(parse('Required if Samples per Pixel (0028,0002) has a value greater than 1.').test).toMatchObject({ op: 'greater-than', value: 1 });
    expect(parse('Required if a value of Modality (0008,0060) is XA.').test).toMatchObject({ op: 'equals', values: ['XA'], tag: '00080060' });
    expect(parse('Required if Referenced Image Sequence (0008,1140) is used.').test).toMatchObject({ op: 'present', tag: '00081140' });
  });

  it('reads value numbers, value lists and the otherwise clause', () => {
    const r = parse('Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED. May be present otherwise.');
    expect(r).toEqual({ test: { op: 'equals', values: ['ORIGINAL', 'MIXED'], tag: '00080008', keyword: 'ImageType', valueNumber: 1 }, otherwise: 'may-be-present' });
    expect(parse('Required if Value 3 of Image Type (0008,0008) is A, B, or C TOMO. Shall not be present otherwise.')).toMatchObject({
      test: { op: 'equals', values: ['A', 'B', 'C TOMO'], valueNumber: 3 },
      otherwise: 'shall-not-be-present',
    });
  });

  it('reads and / or, shared predicates, untagged names and tags as values', () => {
    expect(parse('Required if Photometric Interpretation (0028,0004) has a value of PALETTE COLOR or Modality (0008,0060) equals XA.').test).toMatchObject({
      op: 'or',
      of: [{ op: 'equals', values: ['PALETTE COLOR'] }, { op: 'equals', values: ['XA'] }],
    });
    expect(parse('Required if Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009) are present.').test).toMatchObject({
      op: 'or',
      of: [{ op: 'present', tag: '7FE00008' }, { op: 'present', tag: '7FE00009' }],
    });
    expect(parse('Required if Rescale Intercept is present.').test).toMatchObject({ op: 'present', tag: '00281052' });
    expect(parse('Required if Frame Increment Pointer (0028,0009) is Frame Time (0018,1063) or Frame Time Vector (0018,1065)').test).toMatchObject({ op: 'equals', values: ['00181063', '00181065'] });
    expect(parse('Required if Contrast/Bolus Module is present.').test).toEqual({ op: 'module-present', module: 'contrast-bolus' });
  });

  it('reads the code value rule of the Code Sequence Macro as the three alternative attributes', () => {
    expect(parse('Shall be present if the code value length is 16 characters or less, and the code value is not a URN or URL.').test).toEqual({
      op: 'and',
      of: [
        { op: 'absent', tag: '00080119', keyword: 'LongCodeValue' },
        { op: 'absent', tag: '00080120', keyword: 'URNCodeValue' },
      ],
    });
  });

  it('never guesses: facts outside the dataset and leftovers are not parsed', () => {
    expect(parse('Required if the contrast agent was injected.').test).toEqual({ op: 'not-parsed' });
    expect(parse('Required if Modality (0008,0060) is CT and the scanner is new.').test).toEqual({ op: 'not-parsed' });
    expect(parse('Described elsewhere.').test).toEqual({ op: 'not-parsed' });
    expect(parse('Required if the frame is special. May be present otherwise.')).toEqual({ test: { op: 'not-parsed' }, otherwise: 'may-be-present' });
    expect(isConditionParsed({ op: 'and', of: [{ op: 'present', tag: '00080060', keyword: 'Modality' }, { op: 'not-parsed' }] })).toBe(false);
  });
});

describe('condition grammar: shapes added for the 90 % point (issue 15)', () => {
  const csd = { op: 'present', tag: '00080102', keyword: 'CodingSchemeDesignator' };
  it('reads facts outside the dataset as depends-on nodes, alone or beside data tests', () => {
    // PS3.3 §8.2: whether a designator alone identifies a code is a fact about the scheme's history.
    expect(parse('Required if the value of Coding Scheme Designator (0008,0102) is present and is not sufficient to identify the Code Value (0008,0100) or Long Code Value (0008,0119) unambiguously. May be present otherwise.')).toEqual({
      test: { op: 'and', of: [csd, { op: 'depends-on', fact: 'coding-scheme-designator-ambiguous' }] },
      otherwise: 'may-be-present',
    });
    expect(parse('Required if contrast media were used in this image.').test).toEqual({ op: 'depends-on', fact: 'contrast-applied' });
    expect(parse('Required if Modality (0008,0060) is MG and contrast was administered.').test).toMatchObject({ op: 'and', of: [{ op: 'equals', values: ['MG'] }, { op: 'depends-on', fact: 'contrast-applied' }] });
    expect(parse('Required if present and consistent in the contributing SOP Instances.').test).toEqual({ op: 'depends-on', fact: 'present-and-consistent-in-contributing-instances' });
    expect(parse('Required if the Referenced SOP Instance is a multi-frame image and the reference does not apply to all frames, and Referenced Segment Number (0062,000B) is not present.').test).toEqual({
      op: 'and',
      of: [
        { op: 'depends-on', fact: 'referenced-instance-is-multi-frame' },
        { op: 'depends-on', fact: 'reference-not-to-all-frames' },
        { op: 'absent', tag: '0062000B', keyword: 'ReferencedSegmentNumber' },
      ],
    });
    expect(parse('Required if a VOI LUT is to be applied to referenced image(s)').test).toEqual({ op: 'depends-on', fact: 'voi-lut-applied' });
  });

  // One hand-written sentence per outside fact: dropping a phrasing fails here.
  const FACT_SENTENCES: [string, string][] = [
    ['coding-scheme-designator-ambiguous', 'Required if the value of Coding Scheme Designator (0008,0102) is not sufficient to identify the Code Value (0008,0100) unambiguously.'],
    ['present-and-consistent-in-contributing-instances', 'Required if present and have an equal value in the contributing SOP Instances.'],
    ['referenced-instance-is-multi-frame', 'Required if the Referenced SOP Instance is a multi-frame image.'],
    ['referenced-instance-is-segmentation', 'Required if the Referenced SOP Instance is a Segmentation or Surface Segmentation.'],
    ['reference-not-to-all-frames', 'Required if Modality (0008,0060) is SEG and the reference does not apply to all frames.'],
    ['reference-not-to-all-segments', 'Required if the reference does not apply to all segments.'],
    ['created-by-frame-level-retrieve', 'Required if the SOP Instance was created in response to a Frame-Level retrieve request.'],
    ['performed-procedure-step-involved', 'Required if a Performed Procedure Step SOP Class was involved in the creation of this Series.'],
    ['numeric-value-precision-insufficient', 'Required if Numeric Value (0040,A30A) has insufficient precision to represent a rational value as a string. May be present otherwise.'],
    ['derived-from-another-instance', 'Required if the surface has been derived from another SOP Instance.'],
    ['planned-on-another-image', 'Required if the image or frame has been planned on another image or frame.'],
    ['time-synchronization-applied', 'Required if time synchronization was applied'],
    ['system-time-synchronized-externally', 'Shall be present if system time is synchronized to an external reference. May be present otherwise.'],
    ['cardiac-synchronization-applied', 'Required if cardiac synchronization was used for image acquisition.'],
    ['respiratory-synchronization-applied', 'Required if Respiratory Synchronization is used'],
    ['bulk-motion-synchronization-applied', 'Required if bulk motion synchronization was applied.'],
    ['contrast-applied', 'Required if contrast media was applied.'],
    ['contrast-usage-registered', 'Required if contrast was administered and the system is able to register contrast usage.'],
    ['imaging-subject-is-specimen', 'Required if Imaging Subject is a specimen'],
    ['image-calibrated', 'Required if the image has been calibrated.'],
    ['procedure-scheduled', 'Required if procedure was scheduled. Note This lets a reason be given without a schedule.'],
    ['lossy-compression-performed', 'Required if Lossy Compression has been performed on the image.'],
    ['patient-is-animal', 'Required if the patient is an animal and Modality (0008,0060) is not present.'],
    ['annotation-present', 'Required if graphic annotation is present'],
    ['graphic-annotations-applied', 'Required if Graphic Annotations are to be applied'],
    ['overlays-applied', 'Required if Overlay is to be applied to referenced image(s) or the Contrast/Bolus Module is present.'],
    ['display-shutter-applied', 'Required if a Display Shutter is to be applied to referenced image(s) and the Contrast/Bolus Module is not present'],
    ['spatial-transformation-applied', 'Required if rotation or flipping are to be applied'],
    ['voi-lut-applied', 'Required if a VOI LUT is to be applied to referenced image(s).'],
    ['modality-lut-applied', 'Required if a Modality LUT is to be applied to referenced image(s)'],
  ];
  it('reads each outside fact the phrasing table lists (and the table has no fact without a sentence here)', () => {
    const facts = (c: Condition): string[] => (c.op === 'depends-on' ? [c.fact] : c.op === 'and' || c.op === 'or' ? c.of.flatMap(facts) : []);
    for (const [fact, sentence] of FACT_SENTENCES) {
      const r = parse(sentence);
      expect(isConditionParsed(r.test), sentence).toBe(true);
      expect(facts(r.test), sentence).toContain(fact);
    }
    expect(FACT_SENTENCES.map(([f]) => f).sort()).toEqual(OUTSIDE_FACT_PHRASES.map(([f]) => f).sort());
  });

  it('reads several "Required if" sentences as alternatives, and stops at a note', () => {
    expect(parse('Required if present and consistent in the contributing SOP Instances. Required if Modality (0008,0060) is MG.').test).toEqual({
      op: 'or',
      of: [{ op: 'depends-on', fact: 'present-and-consistent-in-contributing-instances' }, { op: 'equals', values: ['MG'], tag: '00080060', keyword: 'Modality' }],
    });
    expect(parse('Required if Rescale Intercept (0028,1052) is absent. May be present otherwise. Required if Image Type (0008,0008) is ORIGINAL.')).toMatchObject({
      test: { op: 'or', of: [{ op: 'absent', tag: '00281052' }, { op: 'equals', tag: '00080008' }] },
      otherwise: 'may-be-present',
    });
    expect(parse('Required if Modality (0008,0060) is CT. Note Required if the moon is full, in some devices.').test).toMatchObject({ op: 'equals', values: ['CT'] });
    // Every sentence must read: one unreadable sentence leaves the whole condition unread (a partial reading would drop a case).
    expect(parse('Required if Modality (0008,0060) is CT. Required if the table moved.').test).toEqual({ op: 'not-parsed' });
  });

  it('reads code items, modules that are absent, tags as values, "present with value" and module scopes', () => {
    expect(parse('Required if Acquisition Device Type Code Sequence (0022,0015) contains an item with the value (99T, 99TEST, "A test device") .').test).toEqual({
      op: 'contains-code',
      tag: '00220015',
      keyword: 'AcquisitionDeviceTypeCodeSequence',
      codes: [{ value: '99T', scheme: '99TEST' }],
    });
    expect(parse('Required if Acquisition Device Type Code Sequence (0022,0015) equals (A1, 99X, "One") or (B2, 99X, "Two").').test).toMatchObject({ op: 'contains-code', codes: [{ value: 'A1' }, { value: 'B2' }] });
    expect(parse('Required if Pixel Presentation (0008,9205) is MONOCHROME and the Palette Color Lookup Table Module is not present.').test).toMatchObject({
      op: 'and',
      of: [{ op: 'equals' }, { op: 'module-absent', module: 'palette-color-lookup-table' }],
    });
    expect(parse('Required if the value of Frame Increment Pointer (0028,0009) includes the Tag for Phase Vector (0054,0030).').test).toMatchObject({ op: 'equals', values: ['00540030'], tag: '00280009' });
    expect(parse('Required if Modality (0008,0060) is present with value SEG.').test).toMatchObject({ op: 'equals', values: ['SEG'] });
    expect(parse('Required if Modality (0008,0060) is present with a value of SEG.').test).toMatchObject({ op: 'equals', values: ['SEG'] });
    expect(parse('Required if Image Type (0008,0008) Value 3 contains the value LOCALIZER.').test).toMatchObject({ op: 'equals', values: ['LOCALIZER'], valueNumber: 3 });
    expect(parse('Required if Pixel Presentation (0008,9205) in the Enhanced Test Image Module equals COLOR or MIXED.').test).toMatchObject({ op: 'equals', values: ['COLOR', 'MIXED'], tag: '00089205' });
    expect(parse('Required if Frame Increment Pointer (0028,0009) points to Frame Time.').test).toMatchObject({ op: 'equals', values: ['00181063'], tag: '00280009' });
    expect(parse('Required if Frame Increment Pointer (0028,0009) contains the Tag for Frame Time Vector (0018,1065).').test).toMatchObject({ op: 'equals', values: ['00181065'] });
    expect(parse('Required if Image Type (0008,0008) Value 3 is: LOCALIZER or AXIAL.').test).toMatchObject({ op: 'equals', values: ['LOCALIZER', 'AXIAL'], valueNumber: 3 });
    expect(parse('Required if Samples per Pixel (0028,0002) has a value of more than 1.').test).toMatchObject({ op: 'greater-than', value: 1 });
    expect(parse('Required if Modality (0008,0060) is present with a value other than OT.').test).toMatchObject({ op: 'not-equals', values: ['OT'] });
    expect(parse('Required if Samples per Pixel (0028,0002) is not zero.').test).toMatchObject({ op: 'not-equals', values: ['0'] });
    expect(parse('Required if the value of Referenced Image Sequence (0008,1140) contains Items').test).toMatchObject({ op: 'has-value', tag: '00081140' });
  });

  it('an attribute given as a value must be named exactly: prose before a tag is not a value', () => {
    expect(parse('Required if Frame Increment Pointer (0028,0009) is not a multiple of Frame Time (0018,1063).').test).toEqual({ op: 'not-parsed' });
    expect(parse('Required if Modality (0008,0060) is present and is not sufficient to describe Frame Time (0018,1063).').test).toEqual({ op: 'not-parsed' });
  });
});

describe('condition pipeline step', () => {
  it('fills `when`, counts per source, and the snapshot keeps `when` but not the text', () => {
    const ir = emptyIr();
    ir.sources.push({ id: 's1', part: 'PS3.3', edition: '2099a', format: 'docbook', file: 'x.xml', sha256: '0', bytes: 0 });
    ir.dataElements = ELEMENTS.map(([tag, keyword, name]): DataElement => ({ tag, keyword, name, vr: ['CS'], vm: '1', retired: false, table: 'data', prov: { source: 's1', table: '6-1' } }));
    ir.iods = {
      iods: [],
      sopClasses: [],
      modules: [
        {
          id: 'm',
          name: 'M',
          kind: 'module',
          prov: { source: 's1', table: 'C.1' },
          rows: [
            { kind: 'attribute', depth: 0, tag: '00080060', keyword: 'Modality', name: 'Modality', type: '1C', condition: 'Required if Rescale Intercept is present.', prov: { source: 's1', table: 'C.1', row: 1 } },
            { kind: 'attribute', depth: 0, tag: '00080008', keyword: 'ImageType', name: 'Image Type', type: '2C', condition: 'Required if the moon is full.', prov: { source: 's1', table: 'C.1', row: 2 } },
          ],
        },
      ],
    };
    const report = emptyReport();
    const counts = parseIrConditions(ir, report);
    expect(counts.get('s1')).toEqual({ parsed: 1, notParsed: 1 });
    expect(report.diagnostics.filter((d) => d.code === 'condition-not-parsed')).toHaveLength(1);
    const facts = factsOnly(ir);
    const rows = facts.iods!.modules[0]!.rows!;
    expect(rows[0]).toMatchObject({ when: { test: { op: 'present', tag: '00281052' } } });
    expect(rows[0]).not.toHaveProperty('condition');
    const c: Record<string, number> = {};
    countConditions(facts, (k, n = 1) => (c[k] = (c[k] ?? 0) + n));
    expect(c).toMatchObject({ 'conditions parsed': 1, 'conditions not parsed': 1, 'conditions parsed · PS3.3 2099a': 1 });
  });
});
