/**
 * Hand-written overlay for PS3.5 Table 6.2-1: encoding facts about each VR that the standard
 * states only in prose, keyed by VR code. Our own summary of the rules, not the standard's text:
 *
 * - kind: value is characters (`string`), bytes/numbers (`binary`) or items (`sequence`).
 * - padding: odd-length values of string VRs are padded with a space (20H), UI with NUL (00H),
 *   OB/UN with NUL (PS3.5 §6.2, §7.1). Word/number VRs never have odd lengths (`none`).
 * - explicitLengthField: in Explicit VR encodings most VRs have a 16-bit Value Length; the VRs of
 *   PS3.5 §7.1.2 (Table 7.1-1) have 2 reserved bytes and a 32-bit Value Length.
 * - repertoire: `default` = Default Character Repertoire only (or a subset of it), `specific` =
 *   may be extended/replaced by Specific Character Set (0008,0005) (PS3.5 §6.1.2.3), `none` = binary.
 * - singleValued: VM is always 1 (PS3.5 §6.4: LT, OB, OD, OF, OL, OV, OW, SQ, ST, UN, UR, UT).
 *
 * Every VR the scraped table contains must be classified here: the scraper fails otherwise,
 * so a new edition cannot add a VR that slips through unclassified.
 */
import type { ValueRepresentation } from '../../generator/ir.ts';

export type VrOverlayEntry = Pick<ValueRepresentation, 'kind' | 'padding' | 'explicitLengthField' | 'repertoire' | 'singleValued'>;

const str = (repertoire: 'default' | 'specific', explicitLengthField: 16 | 32 = 16, singleValued = false): VrOverlayEntry => ({
  kind: 'string',
  padding: 'space',
  explicitLengthField,
  repertoire,
  singleValued,
});
const num = (explicitLengthField: 16 | 32 = 16): VrOverlayEntry => ({
  kind: 'binary',
  padding: 'none',
  explicitLengthField,
  repertoire: 'none',
  singleValued: false,
});
const other = (padding: 'null' | 'none'): VrOverlayEntry => ({
  kind: 'binary',
  padding,
  explicitLengthField: 32,
  repertoire: 'none',
  singleValued: true,
});

export const VR_OVERLAY: Readonly<Record<string, VrOverlayEntry>> = {
  AE: str('default'),
  AS: str('default'),
  AT: num(),
  CS: str('default'),
  DA: str('default'),
  DS: str('default'),
  DT: str('default'),
  FD: num(),
  FL: num(),
  IS: str('default'),
  LO: str('specific'),
  LT: str('specific', 16, true),
  OB: other('null'),
  OD: other('none'),
  OF: other('none'),
  OL: other('none'),
  OV: other('none'),
  OW: other('none'),
  PN: str('specific'),
  SH: str('specific'),
  SL: num(),
  SQ: { kind: 'sequence', padding: 'none', explicitLengthField: 32, repertoire: 'none', singleValued: true },
  SS: num(),
  ST: str('specific', 16, true),
  // SV/UV were added with a 32-bit length field (PS3.5 Table 7.1-1).
  SV: num(32),
  TM: str('default'),
  UC: str('specific', 32),
  UI: { kind: 'string', padding: 'null', explicitLengthField: 16, repertoire: 'default', singleValued: false },
  UL: num(),
  UN: other('null'),
  UR: str('default', 32, true),
  US: num(),
  UT: str('specific', 32, true),
  UV: num(32),
};

// ---------------------------------------------------------------------------------------------
// Ambiguous VRs (PS3.6 cells such as `US or SS`, `OB or OW`, `US or SS or OW`)

/**
 * How an element with more than one VR is resolved, summarised from PS3.5 §8.1 / §8.2, Annex A.1,
 * A.2, A.4 and PS3.3 C.7.6.3.1.5, C.10.9.1, C.11.1.1.1 (the same rules pydicom and fo-dicom apply):
 *
 * - `pixel-representation` (US or SS): US when Pixel Representation (0028,0103) is 0, SS when 1.
 * - `lut-descriptor` (US or SS on LUT/palette descriptors): always US; only the second value's
 *   interpretation follows Pixel Representation, the encoding does not.
 * - `pixel-data` (OB or OW on Pixel Data (7FE0,0010) and the retired Variable Pixel Data): OB when
 *   the transfer syntax encapsulates pixel data (only Pixel Data is ever encapsulated, PS3.5 A.4);
 *   otherwise as `bits-allocated`.
 * - `bits-allocated` (every other OB or OW: waveform, curve and audio data, DICONDE counts): OW in
 *   Implicit VR; in Explicit VR OW when Bits Allocated (Waveform Bits Allocated for waveforms) > 8,
 *   else OB.
 * - `overlay-data` (OB or OW on Overlay Data (60xx,3000)): OW (Implicit VR requires it; Explicit
 *   VR allows either, OW is what writers use).
 * - `lut-data` (US or OW, US or SS or OW on LUT data): OW (the form every encoding allows).
 */
export type AmbiguousVrRule = 'pixel-representation' | 'lut-descriptor' | 'pixel-data' | 'bits-allocated' | 'overlay-data' | 'lut-data';

/** Default rule per VR combination (VRs sorted and joined by `|`). */
export const AMBIGUOUS_VR_DEFAULT_RULE: Readonly<Record<string, AmbiguousVrRule>> = {
  'SS|US': 'pixel-representation',
  'OB|OW': 'bits-allocated',
  'OW|US': 'lut-data',
  'OW|SS|US': 'lut-data',
};

/**
 * Tag-specific rules, tags as 8 hex digits with `x` masks (as in the IR). Tags not listed use the
 * default rule of their VR combination.
 */
export const AMBIGUOUS_VR_TAG_RULE: Readonly<Record<string, AmbiguousVrRule>> = {
  '00281100': 'lut-descriptor', // Gray Lookup Table Descriptor (retired)
  '00281101': 'lut-descriptor', // Red Palette Color Lookup Table Descriptor
  '00281102': 'lut-descriptor',
  '00281103': 'lut-descriptor',
  '00281111': 'lut-descriptor', // Large … Palette Color Lookup Table Descriptor (retired)
  '00281112': 'lut-descriptor',
  '00281113': 'lut-descriptor',
  '00283002': 'lut-descriptor', // LUT Descriptor
  '60xx3000': 'overlay-data',
  '7FE00010': 'pixel-data', // Pixel Data
  '7Fxx0010': 'pixel-data', // Variable Pixel Data (retired)
};

export function ambiguousVrKey(vrs: readonly string[]): string {
  return [...vrs].sort().join('|');
}
