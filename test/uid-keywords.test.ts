import { describe, expect, it } from 'vitest';
import { deriveUidKeyword, disambiguateRetired } from '../sources/nema/uid-keywords.ts';

// Name (as PS3.6 2013 Table A-1 writes it, without "(Retired)") → keyword of the `UID Keyword`
// column of later editions. Facts, not prose.
const REPRODUCED: [string, string][] = [
  ['Verification SOP Class', 'Verification'],
  ['Implicit VR Little Endian: Default Transfer Syntax for DICOM', 'ImplicitVRLittleEndian'],
  ['Explicit VR Little Endian', 'ExplicitVRLittleEndian'],
  ['Deflated Explicit VR Little Endian', 'DeflatedExplicitVRLittleEndian'],
  ['Explicit VR Big Endian (Retired)', 'ExplicitVRBigEndian'],
  ['JPEG Extended (Process 3 & 5)', 'JPEGExtended35'],
  ['JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)', 'JPEGSpectralSelectionNonHierarchical68'],
  ['JPEG Full Progression, Hierarchical (Process 25 & 27)', 'JPEGFullProgressionHierarchical2527'],
  ['JPEG Lossless, Non-Hierarchical (Process 15)', 'JPEGLosslessNonHierarchical15'],
  ['JPEG Lossless, Hierarchical (Process 29)', 'JPEGLosslessHierarchical29'],
  ['JPEG-LS Lossless Image Compression', 'JPEGLSLossless'],
  ['JPEG 2000 Image Compression (Lossless Only)', 'JPEG2000Lossless'],
  ['JPEG 2000 Image Compression', 'JPEG2000'],
  ['JPIP Referenced Deflate', 'JPIPReferencedDeflate'],
  ['RLE Lossless', 'RLELossless'],
  ['RFC 2557 MIME encapsulation', 'RFC2557MIMEEncapsulation'],
  ['XML Encoding', 'XMLEncoding'],
  ['Media Storage Directory Storage', 'MediaStorageDirectoryStorage'],
  ['Talairach Brain Atlas Frame of Reference', 'TalairachBrainAtlas'],
  ['SPM2 FIL T1 Frame of Reference', 'SPM2FILT1'],
  ['ICBM 452 T1 Frame of Reference', 'ICBM452T1'],
  ['Hot Iron Color Palette SOP Instance', 'HotIronPalette'],
  ['PET 20 Step Color Palette SOP Instance', 'PET20StepPalette'],
  ['Storage Commitment Push Model SOP Instance', 'StorageCommitmentPushModelInstance'],
  ['Printer SOP Instance', 'PrinterInstance'],
  ['Print Queue SOP Instance', 'PrintQueueInstance'],
  ['Detached Patient Management Meta SOP Class', 'DetachedPatientManagementMeta'],
  ['Basic Grayscale Print Management Meta SOP Class', 'BasicGrayscalePrintManagementMeta'],
  ['Storage Service Class', 'Storage'],
  ['Media Creation Management SOP Class UID', 'MediaCreationManagement'],
  ['VOI LUT Box SOP Class', 'VOILUTBox'],
  ['Digital X-Ray Image Storage - For Presentation', 'DigitalXRayImageStorageForPresentation'],
  ['Digital Intra-Oral X-Ray Image Storage - For Processing', 'DigitalIntraOralXRayImageStorageForProcessing'],
  ['Multi-frame Grayscale Byte Secondary Capture Image Storage', 'MultiFrameGrayscaleByteSecondaryCaptureImageStorage'],
  ['Waveform Storage - Trial', 'WaveformStorageTrial'],
  ['12-lead ECG Waveform Storage', 'TwelveLeadECGWaveformStorage'],
  ['Pseudo-Color Softcopy Presentation State Storage SOP Class', 'PseudoColorSoftcopyPresentationStateStorage'],
  ['XA/XRF Grayscale Softcopy Presentation State Storage SOP Class', 'XAXRFGrayscaleSoftcopyPresentationStateStorage'],
  ['VL Slide-Coordinates Microscopic Image Storage', 'VLSlideCoordinatesMicroscopicImageStorage'],
  ['Macular Grid Thickness and Volume Report Storage', 'MacularGridThicknessAndVolumeReportStorage'],
  ['Patient Root Query/Retrieve Information Model - FIND', 'PatientRootQueryRetrieveInformationModelFind'],
  ['Patient/Study Only Query/Retrieve Information Model - MOVE', 'PatientStudyOnlyQueryRetrieveInformationModelMove'],
  ['Composite Instance Root Retrieve - GET', 'CompositeInstanceRootRetrieveGet'],
  ['Unified Worklist and Procedure Step Service Class - Trial', 'UnifiedWorklistAndProcedureStepTrial'],
  ['Unified Procedure Step - Push SOP Class - Trial', 'UnifiedProcedureStepPushTrial'],
  ['Unified Procedure Step - Watch SOP Class', 'UnifiedProcedureStepWatch'],
  ['Abstract Multi-Dimensional Image Model', 'AbstractMultiDimensionalImageModel'],
  ['Native DICOM Model', 'NativeDICOMModel'],
  ['DICOS 2D AIT Storage', 'DICOS2DAITStorage'],
  ['Eddy Current Multi-frame Image Storage', 'EddyCurrentMultiFrameImageStorage'],
  ['dicomDeviceName', 'dicomDeviceName'],
  ['dicomTLSCyphersuite', 'dicomTLSCyphersuite'],
];

// Hand-made abbreviations of later editions that no rule reproduces: the derived keyword is kept
// (stable, unique, and flagged keywordDerived in the IR).
const KNOWN_DIFFERENCES: [string, string, string][] = [
  ['JPEG Baseline (Process 1) : Default Transfer Syntax for Lossy JPEG 8 Bit Image Compression', 'JPEGBaseline1', 'JPEGBaseline8Bit'],
  ['JPEG Lossless, Non-Hierarchical (Process 14)', 'JPEGLosslessNonHierarchical14', 'JPEGLossless'],
  ['JPEG-LS Lossy (Near-Lossless) Image Compression', 'JPEGLSLossyNearLossless', 'JPEGLSNearLossless'],
  ['MPEG2 Main Profile @ Main Level', 'MPEG2MainProfileMainLevel', 'MPEG2MPML'],
  ['DICOM Controlled Terminology', 'DICOMControlledTerminology', 'DCM'],
  ['DICOM Application Context Name', 'DICOMApplicationContextName', 'DICOMApplicationContext'],
  ['Universal Coordinated Time', 'UniversalCoordinatedTime', 'UTC'],
  ['DICOS Quadrupole Resonance (QR) Storage', 'DICOSQuadrupoleResonanceQRStorage', 'DICOSQuadrupoleResonanceStorage'],
];

describe('UID keyword derivation', () => {
  it.each(REPRODUCED)('%s → %s', (name, keyword) => {
    expect(deriveUidKeyword(name)).toBe(keyword);
  });
  it.each(KNOWN_DIFFERENCES)('%s → %s (later editions: %s)', (name, derived, later) => {
    expect(deriveUidKeyword(name)).toBe(derived);
    expect(derived).not.toBe(later);
  });
  it('always gives an identifier', () => {
    for (const n of ['3D Thing', '99 Luftballons', 'Ünïcödé Nämé', 'a-b-c', '(Retired)']) {
      expect(deriveUidKeyword(n)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$|^$/);
    }
    expect(deriveUidKeyword('3D Thing')).toBe('ThreeDThing');
    expect(deriveUidKeyword('99 Luftballons')).toBe('_99Luftballons');
  });
  it('suffixes Retired only where a non-retired entry keeps the plain keyword', () => {
    expect(
      disambiguateRetired([
        { keyword: 'UltrasoundImageStorage', retired: true },
        { keyword: 'UltrasoundImageStorage', retired: false },
        { keyword: 'StandaloneCurveStorage', retired: true },
      ]),
    ).toEqual(['UltrasoundImageStorageRetired', 'UltrasoundImageStorage', 'StandaloneCurveStorage']);
  });
});
