/**
 * Hand-written overlay for the transfer syntaxes PS3.5 defines (Section 10, Annex A), keyed by
 * UID. PS3.5 states these properties in prose (A.1–A.12, A.4.x): we record them as facts only.
 * Names and keywords are those of PS3.6 Table A-1 (facts). Retirement is NOT here: the scraper
 * reads it from the edition (a section that says the syntax was retired, or a `(Retired)` title).
 *
 * Every UID the scraper finds must be classified here, or the build fails (a new edition cannot
 * add a transfer syntax that slips through unclassified).
 *
 * `retiredSectionTitles`: newer editions keep a retired syntax's Annex A section but drop its UID
 * (2026c A.3 "DICOM Big Endian Transfer Syntax (Explicit VR)"); the title identifies it.
 */
import type { TransferSyntax } from '../../generator/ir.ts';

export type TransferSyntaxOverlayEntry = Pick<TransferSyntax, 'keyword' | 'name' | 'explicitVr' | 'byteOrder' | 'encapsulated' | 'deflated' | 'compression'> & {
  video?: boolean;
  videoFragments?: 'single' | 'multiple';
  frameFragments?: 'single' | 'multiple';
  referencedPixelData?: boolean;
  retiredSectionTitles?: string[];
};

type Props = Omit<TransferSyntaxOverlayEntry, 'keyword' | 'name'>;

const native: Props = { explicitVr: true, byteOrder: 'little', encapsulated: false, deflated: false, compression: 'none' };
/** Encapsulated pixel data; `frameFragments`: one Fragment per Frame (`single`) or a Frame may span several (`multiple`). */
const enc = (compression: TransferSyntax['compression'], frameFragments?: 'single' | 'multiple'): Props => ({
  explicitVr: true,
  byteOrder: 'little',
  encapsulated: true,
  deflated: false,
  compression,
  ...(frameFragments ? { frameFragments } : {}),
});
const video = (videoFragments: 'single' | 'multiple'): Props => ({ ...enc('lossy'), video: true, videoFragments });
const ts = (keyword: string, name: string, p: Props): TransferSyntaxOverlayEntry => ({ keyword, name, ...p });

export const TRANSFER_SYNTAX_OVERLAY: Readonly<Record<string, TransferSyntaxOverlayEntry>> = {
  // A.1–A.3, A.5: native (unencapsulated) encodings of the whole Data Set.
  '1.2.840.10008.1.2': ts('ImplicitVRLittleEndian', 'Implicit VR Little Endian', { ...native, explicitVr: false }),
  '1.2.840.10008.1.2.1': ts('ExplicitVRLittleEndian', 'Explicit VR Little Endian', native),
  '1.2.840.10008.1.2.1.99': ts('DeflatedExplicitVRLittleEndian', 'Deflated Explicit VR Little Endian', { ...native, deflated: true }),
  '1.2.840.10008.1.2.2': {
    ...ts('ExplicitVRBigEndian', 'Explicit VR Big Endian', { ...native, byteOrder: 'big' }),
    retiredSectionTitles: ['DICOM Big Endian Transfer Syntax (Explicit VR)'],
  },
  // A.4.1 JPEG (ISO/IEC 10918-1): processes 1, 2/4 are DCT (lossy); process 14 is lossless.
  // JPEG, JPEG-LS, JPEG 2000: a Fragment holds data of one Frame, a Frame may span Fragments;
  // RLE, HTJ2K, JPEG XL, A.4.11, A.4.13: each Frame in one and only one Fragment.
  '1.2.840.10008.1.2.4.50': ts('JPEGBaseline8Bit', 'JPEG Baseline (Process 1)', enc('lossy', 'multiple')),
  '1.2.840.10008.1.2.4.51': ts('JPEGExtended12Bit', 'JPEG Extended (Process 2 & 4)', enc('lossy', 'multiple')),
  '1.2.840.10008.1.2.4.57': ts('JPEGLossless', 'JPEG Lossless, Non-Hierarchical (Process 14)', enc('lossless', 'multiple')),
  '1.2.840.10008.1.2.4.70': ts('JPEGLosslessSV1', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])', enc('lossless', 'multiple')),
  // A.4.2 RLE.
  '1.2.840.10008.1.2.5': ts('RLELossless', 'RLE Lossless', enc('lossless', 'single')),
  // A.4.3 JPEG-LS: lossless mode, near-lossless mode (may be lossless when NEAR = 0).
  '1.2.840.10008.1.2.4.80': ts('JPEGLSLossless', 'JPEG-LS Lossless Image Compression', enc('lossless', 'multiple')),
  '1.2.840.10008.1.2.4.81': ts('JPEGLSNearLossless', 'JPEG-LS Lossy (Near-Lossless) Image Compression', enc('either', 'multiple')),
  // A.4.4 JPEG 2000 Part 1 / Part 2 / HTJ2K: "Lossless Only" UIDs vs. lossless-or-lossy UIDs.
  '1.2.840.10008.1.2.4.90': ts('JPEG2000Lossless', 'JPEG 2000 Image Compression (Lossless Only)', enc('lossless', 'multiple')),
  '1.2.840.10008.1.2.4.91': ts('JPEG2000', 'JPEG 2000 Image Compression', enc('either', 'multiple')),
  '1.2.840.10008.1.2.4.92': ts('JPEG2000MCLossless', 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)', enc('lossless', 'multiple')),
  '1.2.840.10008.1.2.4.93': ts('JPEG2000MC', 'JPEG 2000 Part 2 Multi-component Image Compression', enc('either', 'multiple')),
  '1.2.840.10008.1.2.4.201': ts('HTJ2KLossless', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', enc('lossless', 'single')),
  '1.2.840.10008.1.2.4.202': ts('HTJ2KLosslessRPCL', 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', enc('lossless', 'single')),
  '1.2.840.10008.1.2.4.203': ts('HTJ2K', 'High-Throughput JPEG 2000 Image Compression', enc('either', 'single')),
  // A.6, A.7, A.11, A.12 JPIP: Pixel Data is referenced (not in the Data Set); explicit VR LE.
  '1.2.840.10008.1.2.4.94': ts('JPIPReferenced', 'JPIP Referenced', { ...native, referencedPixelData: true }),
  '1.2.840.10008.1.2.4.95': ts('JPIPReferencedDeflate', 'JPIP Referenced Deflate', { ...native, deflated: true, referencedPixelData: true }),
  '1.2.840.10008.1.2.4.204': ts('JPIPHTJ2KReferenced', 'JPIP HTJ2K Referenced', { ...native, referencedPixelData: true }),
  '1.2.840.10008.1.2.4.205': ts('JPIPHTJ2KReferencedDeflate', 'JPIP HTJ2K Referenced Deflate', { ...native, deflated: true, referencedPixelData: true }),
  // A.4.5–A.4.10 video: the whole multi-frame stream in one Fragment, or (`.1` UIDs) in one or more.
  '1.2.840.10008.1.2.4.100': ts('MPEG2MPML', 'MPEG2 Main Profile / Main Level', video('single')),
  '1.2.840.10008.1.2.4.100.1': ts('MPEG2MPMLF', 'Fragmentable MPEG2 Main Profile / Main Level', video('multiple')),
  '1.2.840.10008.1.2.4.101': ts('MPEG2MPHL', 'MPEG2 Main Profile / High Level', video('single')),
  '1.2.840.10008.1.2.4.101.1': ts('MPEG2MPHLF', 'Fragmentable MPEG2 Main Profile / High Level', video('multiple')),
  '1.2.840.10008.1.2.4.102': ts('MPEG4HP41', 'MPEG-4 AVC/H.264 High Profile / Level 4.1', video('single')),
  '1.2.840.10008.1.2.4.102.1': ts('MPEG4HP41F', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1', video('multiple')),
  '1.2.840.10008.1.2.4.103': ts('MPEG4HP41BD', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', video('single')),
  '1.2.840.10008.1.2.4.103.1': ts('MPEG4HP41BDF', 'Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', video('multiple')),
  '1.2.840.10008.1.2.4.104': ts('MPEG4HP422D', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', video('single')),
  '1.2.840.10008.1.2.4.104.1': ts('MPEG4HP422DF', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', video('multiple')),
  '1.2.840.10008.1.2.4.105': ts('MPEG4HP423D', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', video('single')),
  '1.2.840.10008.1.2.4.105.1': ts('MPEG4HP423DF', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', video('multiple')),
  '1.2.840.10008.1.2.4.106': ts('MPEG4HP42STEREO', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', video('single')),
  '1.2.840.10008.1.2.4.106.1': ts('MPEG4HP42STEREOF', 'Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', video('multiple')),
  // A.4.9/A.4.10: HEVC syntaxes are fragmentable (PS3.5 Section 8.2 says so).
  '1.2.840.10008.1.2.4.107': ts('HEVCMP51', 'HEVC/H.265 Main Profile / Level 5.1', video('multiple')),
  '1.2.840.10008.1.2.4.108': ts('HEVCM10P51', 'HEVC/H.265 Main 10 Profile / Level 5.1', video('multiple')),
  // A.4.11 each frame uncompressed in its own Fragment.
  '1.2.840.10008.1.2.1.98': ts('EncapsulatedUncompressedExplicitVRLittleEndian', 'Encapsulated Uncompressed Explicit VR Little Endian', enc('none', 'single')),
  // A.4.12 JPEG XL: lossless; JPEG recompression (reversible transcoding of a lossy JPEG bit stream); any mode.
  '1.2.840.10008.1.2.4.110': ts('JPEGXLLossless', 'JPEG XL Lossless', enc('lossless', 'single')),
  '1.2.840.10008.1.2.4.111': ts('JPEGXLJPEGRecompression', 'JPEG XL JPEG Recompression', enc('lossy', 'single')),
  '1.2.840.10008.1.2.4.112': ts('JPEGXL', 'JPEG XL', enc('either', 'single')),
  // A.4.13 each frame deflated separately (lossless).
  '1.2.840.10008.1.2.8.1': ts('DeflatedImageFrameCompression', 'Deflated Image Frame Compression', enc('lossless', 'single')),
  // A.8–A.10 DICOM-RTV (PS3.22): the Metadata Flow is explicit VR LE; pixels/samples travel in a
  // separate SMPTE ST 2110 flow, uncompressed.
  '1.2.840.10008.1.2.7.1': ts('SMPTEST211020UncompressedProgressiveActiveVideo', 'SMPTE ST 2110-20 Uncompressed Progressive Active Video', { ...native, video: true }),
  '1.2.840.10008.1.2.7.2': ts('SMPTEST211020UncompressedInterlacedActiveVideo', 'SMPTE ST 2110-20 Uncompressed Interlaced Active Video', { ...native, video: true }),
  '1.2.840.10008.1.2.7.3': ts('SMPTEST211030PCMDigitalAudio', 'SMPTE ST 2110-30 PCM Digital Audio', native),
};
