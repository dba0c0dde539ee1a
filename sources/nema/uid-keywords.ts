/**
 * Keywords for UIDs of editions whose PS3.6 Table A-1 has no `UID Keyword` column (before 2016),
 * derived by the rules later editions visibly follow when they form a keyword from a UID name:
 *
 * 1. The name is cut at the first `:` (`Implicit VR Little Endian: Default Transfer Syntax for
 *    DICOM` → `Implicit VR Little Endian`), and `(Retired)` is dropped.
 * 2. Words that only state the kind of UID are dropped: `SOP Class` (and `SOP Class UID`),
 *    `Service Class`, `Frame of Reference`; `SOP Instance` becomes `Instance`, and `Color Palette
 *    SOP Instance` becomes `Palette` (`HotIronPalette`); `Meta SOP Class` keeps `Meta`; for
 *    compression transfer syntaxes `Image Compression` goes and `(Lossless Only)` becomes
 *    `Lossless` (`JPEG2000Lossless`, `JPEGLSLossless`).
 * 3. In `(Process 2 & 4)` the word `Process` and the `&` go (`JPEGExtended24`).
 * 4. The rest is split on every character that is not a letter or digit; each word keeps its
 *    letters and gets an upper-case first letter (`Multi-frame` → `MultiFrame`, `X-Ray` → `XRay`,
 *    `and` → `And`), except the DIMSE words `FIND`, `MOVE`, `GET`, which become `Find`, `Move`, `Get`.
 * 5. A name that is one identifier already (`dicomDeviceName`, LDAP OIDs) is kept verbatim.
 * 6. A leading number is spelled out (`12-lead ECG` → `TwelveLeadECG`), since identifiers cannot
 *    start with a digit.
 * 7. A retired UID whose keyword equals that of a non-retired UID gets the suffix `Retired`
 *    (`UltrasoundImageStorageRetired`): see `disambiguateRetired`.
 *
 * Later editions also abbreviate some names by hand (`MPEG2 Main Profile @ Main Level` → `MPEG2MPML`,
 * `Universal Coordinated Time` → `UTC`); those cannot be derived, and the
 * derived keyword is then longer but still stable and unique. test/uid-keywords.test.ts lists both
 * the pairs the rules reproduce and the known differences.
 */

const NUMBER_WORDS = [
  'Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten',
  'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen', 'Twenty',
];

const DIMSE_WORDS = new Set(['FIND', 'MOVE', 'GET']);

function spellLeadingNumber(id: string): string {
  const m = /^(\d+)(.*)$/.exec(id);
  if (!m) return id;
  const n = Number(m[1]);
  const word = NUMBER_WORDS[n];
  return word !== undefined ? `${word}${m[2]}` : `_${id}`;
}

/** Derive a UID keyword from a UID name (rules 1–6 above). */
export function deriveUidKeyword(name: string): string {
  let s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  s = s.replace(/\(\s*Retired\s*\)/gi, ' ').trim();
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return s;
  s = s
    .replace(/\bColor Palette SOP Instance\b/g, 'Palette')
    .replace(/\bSOP Class UID\b/g, ' ')
    .replace(/\bSOP Class\b/g, ' ')
    .replace(/\bSOP Instance\b/g, 'Instance')
    .replace(/\bService Class\b/g, ' ')
    .replace(/\bFrame of Reference\b/gi, ' ')
    .replace(/\bImage Compression\b/g, ' ')
    .replace(/\(\s*Lossless Only\s*\)/gi, ' Lossless ')
    .replace(/\(\s*Process\s+([^)]*)\)/g, (_, inner: string) => ` ${inner.replace(/&|\band\b/g, ' ')} `);
  const words = s.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const id = words
    .map((w) => {
      if (DIMSE_WORDS.has(w)) return w[0] + w.slice(1).toLowerCase();
      return w[0]!.toUpperCase() + w.slice(1);
    })
    .join('');
  return spellLeadingNumber(id);
}

/**
 * Rule 7: among entries that derive the same keyword, retired ones get `Retired` appended when a
 * non-retired one keeps the plain keyword. Returns the keywords in input order.
 */
export function disambiguateRetired(entries: { keyword: string; retired: boolean }[]): string[] {
  const active = new Set(entries.filter((e) => !e.retired).map((e) => e.keyword));
  return entries.map((e) => (e.retired && active.has(e.keyword) ? `${e.keyword}Retired` : e.keyword));
}
