/**
 * Names derived from DICOM titles, shared by every scraper that meets IODs, modules and SOP classes
 * (innolitics JSON, PS3.3 Annex A, PS3.4 Annex B, PS3.6 Annex A), so that all of them derive the
 * same id and the same TypeScript name from the same title and layers merge on equal keys.
 *
 *   iodId('Enhanced X-Ray Angiographic Image')       → 'enhanced-x-ray-angiographic-image'
 *   iodTypeName('Enhanced X-Ray Angiographic Image') → 'EnhancedXRayAngiographicImage'
 *   iodTypeName('CT Image') → 'CTImage';  iodTypeName('12-Lead ECG') → 'TwelveLeadECG'
 *   keywordFromName('General 32-bit ECG Waveform Storage') → 'General32bitECGWaveformStorage'
 */
import { cleanText, foldLookalikes } from './text.ts';
import { dicomId } from '../../generator/ir-iods.ts';

/** Clean a title: invisible characters, look-alikes, µ and apostrophes. */
function prepare(name: string, micro = 'u'): string {
  return foldLookalikes(cleanText(name))
    .replace(/[\u00B5\u03BC]/g, micro) // µ: PS3.6 keywords spell it a lower-case `u` (ExposureInuAs)
    .replace(/['\u2019]/g, ''); // Physician's → Physicians: an apostrophe never splits a word
}

/**
 * The id innolitics gives an IOD, module or macro: lower case, every run of characters other than
 * letters and digits replaced by one `-`, no leading or trailing `-` (`XA/XRF Grayscale Softcopy
 * Presentation State` → `xa-xrf-grayscale-softcopy-presentation-state`).
 */
export function iodId(name: string): string {
  return dicomId(prepare(name));
}

const ONES = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen'];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

/** `12` → `Twelve`: PS3.6 spells a leading number out (TwelveLeadECGWaveformStorage). */
function numberWord(digits: string): string | undefined {
  const n = Number(digits);
  if (!Number.isInteger(n) || n < 0 || n > 99 || String(n) !== digits) return undefined;
  if (n < 20) return ONES[n];
  return TENS[Math.floor(n / 10)]! + (n % 10 === 0 ? '' : ONES[n % 10]!);
}

/**
 * PascalCase that keeps every word as the standard writes it and only capitalizes its first
 * letter: acronyms stay (`CT`, `RT`, `XA`, `3D`), separators vanish (`X-Ray` → `XRay`,
 * `Multi-frame` → `MultiFrame`, `XA/XRF` → `XAXRF`). A lower-case word hyphenated to a number stays
 * lower case (`32-bit` → `32bit`, as PS3.6 writes General32bitECGWaveformStorage). A leading number
 * is spelled out so the result is a valid identifier. Throws on a title with no letters or digits.
 */
export function pascalCaseName(name: string): string {
  const text = prepare(name, '\u00B5');
  const re = /[A-Za-z0-9\u00B5]+/g;
  let out = '';
  let prevEnd = -1;
  let prevWord = '';
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[0];
    const sep = prevEnd < 0 ? '' : text.slice(prevEnd, m.index);
    // `32-bit` stays `32bit`; a leading `12-lead` becomes `TwelveLead` (the number is spelled out).
    const keepCase = sep === '-' && /[0-9]$/.test(prevWord) && /^[a-z]/.test(word) && out !== prevWord;
    out += keepCase || word[0] === '\u00B5' ? word : word[0]!.toUpperCase() + word.slice(1);
    prevEnd = m.index + word.length;
    prevWord = word;
  }
  out = out.replace(/\u00B5/g, 'u');
  if (out === '') throw new Error(`cannot derive a name from "${name}": it has no letters or digits`);
  const lead = /^[0-9]+/.exec(out);
  if (lead) {
    const word = numberWord(lead[0]);
    out = (word ?? `N${lead[0]}`) + out.slice(lead[0].length);
  }
  return out;
}

/** TypeScript interface name for an IOD (`CT Image` → `CTImage`, `RT Dose` → `RTDose`). */
export function iodTypeName(iodName: string): string {
  return pascalCaseName(iodName);
}

/**
 * A keyword for a UID or data element whose source gives none (PS3.6 before 2015, innolitics
 * sops.json), following PS3.6's convention. Marked `keywordDerived` wherever it is used.
 */
export function keywordFromName(name: string): string {
  return pascalCaseName(name.replace(/\s*\((?:Retired|RETIRED)\)\s*$/, ''));
}
