/**
 * Consumer of the generated `iods` family (compiled by test/iods-types.test.ts inside a generated
 * package, at `<package>/consumer/`). Every `@ts-expect-error` must fire: an unused one is a
 * compile error, so the test proves each rejected shape is rejected.
 */
import type { CTImage, CTImageDataset, CTImageJson, CTImageJsonDataset } from '../iods/ct-image.js';
import type { EnhancedCTImage, EnhancedCTImageDataset } from '../iods/enhanced-ct-image.js';
import type { RTDose, RTDoseDataset } from '../iods/rt-dose.js';

/** Every Type 1 and Type 2 attribute of the mandatory modules of the CT Image IOD; no Type 3 attribute. */
export const minimal: CTImage = {
  PatientName: [{ Alphabetic: 'Doe^Jane' }],
  PatientID: 'P1',
  PatientBirthDate: null,
  PatientSex: 'F',
  StudyInstanceUID: '1.2.3',
  StudyDate: '20240101',
  StudyTime: null,
  ReferringPhysicianName: null,
  StudyID: null,
  AccessionNumber: null,
  Modality: 'CT',
  SeriesInstanceUID: '1.2.3.4',
  SeriesNumber: null,
  FrameOfReferenceUID: '1.2.3.5',
  PositionReferenceIndicator: null,
  Manufacturer: null,
  InstanceNumber: 1,
  ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
  AcquisitionNumber: null,
  SamplesPerPixel: 1,
  PhotometricInterpretation: 'MONOCHROME2',
  Rows: 512,
  Columns: 512,
  BitsAllocated: 16,
  BitsStored: 12,
  HighBit: 11,
  PixelRepresentation: 0,
  PixelSpacing: [0.5, 0.5],
  ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
  ImagePositionPatient: [0, 0, 0],
  SliceThickness: 1,
  RescaleIntercept: -1024,
  RescaleSlope: 1,
  KVP: 120,
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
  SOPInstanceUID: '1.2.3.6',
};

// A Type 3 attribute may be absent (above) or present; a defined term may be any string.
export const withType3: CTImage = { ...minimal, RotationDirection: 'CW', ExposureModulationType: 'ANGULAR' };

// Image Type is Type 3 in General Image but Type 1 in CT Image: required in CTImage.
// @ts-expect-error ImageType is missing
export const noImageType: CTImage = (({ ImageType: _omit, ...rest }) => rest)(minimal);

// @ts-expect-error SOPInstanceUID (Type 1, SOP Common) is missing
export const noSopInstance: CTImage = (({ SOPInstanceUID: _omit, ...rest }) => rest)(minimal);

// Type 2 must be present, but may be empty.
// @ts-expect-error KVP (Type 2) is missing
export const noKvp: CTImage = (({ KVP: _omit, ...rest }) => rest)(minimal);

// Type 1 must not be empty.
// @ts-expect-error StudyInstanceUID (Type 1) cannot be null
export const emptyType1: CTImage = { ...minimal, StudyInstanceUID: null };

// @ts-expect-error Image Type (Type 1, VM 2-n) needs at least one value
export const emptyImageType: CTImage = { ...minimal, ImageType: [] };

// Enumerated values are closed.
// @ts-expect-error Rotation Direction is CW or CC
export const badRotation: CTImage = { ...minimal, RotationDirection: 'CLOCKWISE' };

// @ts-expect-error Patient's Sex is M, F or O
export const badSex: CTImage = { ...minimal, PatientSex: 'X' };

// Sequences are arrays of item interfaces.
export const withSequence: CTImage = {
  ...minimal,
  ReferencedImageSequence: [{ ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2', ReferencedSOPInstanceUID: '1.2.3.7' }],
};
// @ts-expect-error ReferencedSOPInstanceUID (Type 1 in the Image SOP Instance Reference Macro) is missing in the item
export const badItem: CTImage = { ...minimal, ReferencedImageSequence: [{ ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2' }] };

// Bulk data is a typed reference, not a string.
export const withPixels: CTImage = { ...minimal, PixelData: { BulkDataURI: 'https://example.org/frames/1' } };
// @ts-expect-error PixelData is bulk data
export const badPixels: CTImage = { ...minimal, PixelData: 'pixels' };

// The DICOM JSON Model form, keyed by tag.
export const json: Pick<CTImageJson, '00080008' | '00180060'> = { '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] }, '00180060': { vr: 'DS' } };
// @ts-expect-error Image Type (Type 1) needs a Value
export const badJson: Pick<CTImageJson, '00080008'> = { '00080008': { vr: 'CS' } };

// Functional groups are typed per IOD.
export function frameContent(e: EnhancedCTImage): unknown {
  return e.PerFrameFunctionalGroupsSequence[0].FrameContentSequence;
}
export function dose(d: RTDose): string {
  return d.DoseUnits;
}

// Functional groups (PS3.3 C.7.6.16, Table A.38.1-2): Frame Content is M and per-frame only.
type PerFrame = EnhancedCTImage['PerFrameFunctionalGroupsSequence'][number];
type Shared = EnhancedCTImage['SharedFunctionalGroupsSequence'][number];
export const frame: PerFrame = { FrameContentSequence: [{ StackID: '1', InStackPositionNumber: 1 }], PixelMeasuresSequence: [{ PixelSpacing: [0.5, 0.5], SliceThickness: 1 }] };
// @ts-expect-error Frame Content is required in every per-frame item
export const noFrameContent: PerFrame = { PixelMeasuresSequence: [{ PixelSpacing: [0.5, 0.5], SliceThickness: 1 }] };
// @ts-expect-error Frame Content may not be used as a shared functional group
export const sharedFrameContent: Shared = { FrameContentSequence: [{ StackID: '1' }] };
// A macro that is present keeps its own Types: Pixel Spacing is Type 1 in the Pixel Measures Macro.
// @ts-expect-error PixelSpacing cannot be empty
export const emptySpacing: Shared = { PixelMeasuresSequence: [{ PixelSpacing: null, SliceThickness: 1 }] };

// Overlapping modules: the Enumerated Values of CT Series and Enhanced CT Image apply on top of General Series and Image Pixel.
export const ctModality: EnhancedCTImage['Modality'] = 'CT';
// @ts-expect-error General Series allows MR, CT Series does not
export const mrModality: EnhancedCTImage['Modality'] = 'MR';
// @ts-expect-error Enhanced CT Image allows MONOCHROME2 only
export const rgb: EnhancedCTImage['PhotometricInterpretation'] = 'RGB';

// The open variant for readers of real files: extra, private and retired attributes, dcmjs's _vrMap, missing or non-standard values.
export const read: CTImageDataset = {
  PatientName: [{ Alphabetic: 'Doe^Jane' }],
  Rows: 512,
  _vrMap: { PixelData: 'OW' },
  '00091040': 'private',
  '00080000': 1234,
  DataSetTrailingPadding: new ArrayBuffer(2),
  StudyInstanceUID: undefined,
  ImageType: 'ORIGINAL',
  Modality: 'XX',
  ReferencedImageSequence: [{ ReferencedSOPClassUID: '1.2.3', '00291010': 'x', _vrMap: {} }],
};
export const readJson: CTImageJsonDataset = {
  '00080060': { vr: 'CS', Value: ['XX'] },
  '00091040': { vr: 'LO', Value: ['private'] },
  '00081140': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2.3'] } }] },
};
// An authored (strict) value passes where the open variant is expected, sequence items included.
export const authored: CTImageDataset = minimal;
export const authoredEnhanced = (e: EnhancedCTImage): EnhancedCTImageDataset => e;
export const authoredDose = (d: RTDose): RTDoseDataset => d;
// Standard attributes keep their VR's value type in the open variant: Rows is a number.
// @ts-expect-error Rows is US
export const badRows: CTImageDataset = { Rows: 'many' };
