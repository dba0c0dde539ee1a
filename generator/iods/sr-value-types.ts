/**
 * SR content items: which attributes each Value Type brings (facts of PS3.3). A content item
 * includes a value-type macro if and only if its Value Type (0040,A040) is that type (PS3.3 Table
 * C.17-5 Document Content Macro and Table 10-2 Content Item Macro); the generated types model a
 * content item as a union discriminated by `ValueType`, and the run-time validator reads the same
 * table to know which attributes a given Value Type requires.
 *
 * One table for both kinds of content item: a tag listed here occurs only in content items of
 * the listed Value Types. `required` marks the attributes that carry the item's value: their row
 * says 1C with exactly the Value Type as condition, so inside the variant of that Value Type they
 * are Type 1 (a Type 2 row stays Type 2: present, maybe empty). Every other attribute keeps the
 * Type of its own table row. Where a table does not enumerate its Value Types, a level holds the
 * Value Types whose required attributes it has.
 */

export interface SrValueTypeAttribute {
  /** 8 hex digits, upper case, as `AttributeRow.tag`. */
  tag: string;
  keyword: string;
  /** Required (Type 1) in a content item of this Value Type. */
  required?: boolean;
}

export interface SrValueType {
  /** The Value Type (0040,A040) value (`NUM`). */
  valueType: string;
  /** The macro whose rows the Value Type brings, and its PS3.3 table (Document Content Macro rows where it has none). */
  macro: string;
  table: string;
  attributes: SrValueTypeAttribute[];
}

/** Value Type (0040,A040). */
export const VALUE_TYPE_TAG = '0040A040';
/** Content Sequence (0040,A730): its items are content items again, to any depth (PS3.3 Table C.17-6). */
export const CONTENT_SEQUENCE_TAG = '0040A730';
/** The root content item of an SR document is a CONTAINER (PS3.3 C.17.3). */
export const ROOT_VALUE_TYPE = 'CONTAINER';

const REF_SOP = { tag: '00081199', keyword: 'ReferencedSOPSequence', required: true };
const GRAPHIC = [
  { tag: '00700022', keyword: 'GraphicData', required: true },
  { tag: '00700023', keyword: 'GraphicType', required: true },
];

/** PS3.3 Tables C.17-5, C.18.1-1 … C.18.10-1 and 10-2 (whose numeric Value Type is NUMERIC, not NUM), by Value Type. */
export const SR_VALUE_TYPES: readonly SrValueType[] = [
  { valueType: 'TEXT', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A160', keyword: 'TextValue', required: true }] },
  { valueType: 'DATETIME', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A120', keyword: 'DateTime', required: true }] },
  { valueType: 'DATE', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A121', keyword: 'Date', required: true }] },
  { valueType: 'TIME', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A122', keyword: 'Time', required: true }] },
  { valueType: 'PNAME', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A123', keyword: 'PersonName', required: true }] },
  { valueType: 'UIDREF', macro: 'Document Content Macro', table: 'C.17-5', attributes: [{ tag: '0040A124', keyword: 'UID', required: true }] },
  {
    valueType: 'NUM',
    macro: 'Numeric Measurement Macro',
    table: 'C.18.1-1',
    attributes: [
      { tag: '0040A300', keyword: 'MeasuredValueSequence', required: true },
      { tag: '0040A301', keyword: 'NumericValueQualifierCodeSequence' },
    ],
  },
  { valueType: 'CODE', macro: 'Code Macro', table: 'C.18.2-1', attributes: [{ tag: '0040A168', keyword: 'ConceptCodeSequence', required: true }] },
  { valueType: 'COMPOSITE', macro: 'Composite Object Reference Macro', table: 'C.18.3-1', attributes: [REF_SOP] },
  { valueType: 'IMAGE', macro: 'Image Reference Macro', table: 'C.18.4-1', attributes: [REF_SOP] },
  { valueType: 'WAVEFORM', macro: 'Waveform Reference Macro', table: 'C.18.5-1', attributes: [REF_SOP] },
  { valueType: 'SCOORD', macro: 'Spatial Coordinates Macro', table: 'C.18.6-1', attributes: [...GRAPHIC, { tag: '00480301', keyword: 'PixelOriginInterpretation' }, { tag: '0070031A', keyword: 'FiducialUID' }] },
  {
    valueType: 'TCOORD',
    macro: 'Temporal Coordinates Macro',
    table: 'C.18.7-1',
    attributes: [
      { tag: '0040A130', keyword: 'TemporalRangeType', required: true },
      { tag: '0040A132', keyword: 'ReferencedSamplePositions' },
      { tag: '0040A138', keyword: 'ReferencedTimeOffsets' },
      { tag: '0040A13A', keyword: 'ReferencedDateTime' },
    ],
  },
  {
    valueType: 'CONTAINER',
    macro: 'Container Macro',
    table: 'C.18.8-1',
    attributes: [
      { tag: '0040A050', keyword: 'ContinuityOfContent', required: true },
      { tag: '0040A504', keyword: 'ContentTemplateSequence' },
    ],
  },
  {
    valueType: 'NUMERIC',
    macro: 'Content Item Macro',
    table: '10-2',
    attributes: [
      { tag: '0040A30A', keyword: 'NumericValue', required: true },
      { tag: '0040A161', keyword: 'FloatingPointValue' },
      { tag: '0040A162', keyword: 'RationalNumeratorValue' },
      { tag: '0040A163', keyword: 'RationalDenominatorValue' },
      { tag: '004008EA', keyword: 'MeasurementUnitsCodeSequence', required: true },
      { tag: '0040A301', keyword: 'NumericValueQualifierCodeSequence' },
    ],
  },
  { valueType: 'TABLE', macro: 'Table Content Macro', table: 'C.18.10-1', attributes: [{ tag: '0040A801', keyword: 'TabulatedValuesSequence', required: true }] },
  {
    valueType: 'SCOORD3D',
    macro: 'Spatial Coordinates 3D Macro',
    table: 'C.18.9-1',
    attributes: [...GRAPHIC, { tag: '30060024', keyword: 'ReferencedFrameOfReferenceUID', required: true }, { tag: '0070031A', keyword: 'FiducialUID' }],
  },
];

/** The Value Types whose items may carry a tag (empty for a tag no value-type macro has). */
export function valueTypesOfTag(tag: string): string[] {
  return SR_VALUE_TYPES.filter((v) => v.attributes.some((a) => a.tag === tag)).map((v) => v.valueType);
}

/** The entry of a Value Type, or undefined for a Value Type this table does not know. */
export function srValueType(valueType: string): SrValueType | undefined {
  return SR_VALUE_TYPES.find((v) => v.valueType === valueType);
}
