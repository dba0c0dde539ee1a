/**
 * Where NEMA publishes each part of each edition, and what we call the files locally.
 * Layout (PS3.x "Sources" page of dicom.nema.org):
 *   <base>/medical/dicom/<edition>/source/docbook/partNN/partNN.xml   (DocBook, the source of truth)
 *   <base>/medical/dicom/<edition>/output/html/partNN.html            (NEMA's single-page HTML rendering)
 * `<edition>` is `current` or a release name such as `2013`, `2025b`.
 */
export type FetchFormat = 'docbook' | 'html';

export const DEFAULT_BASE_URL = 'https://dicom.nema.org';

/** The parts the generator reads: IODs/modules (3), SOP classes (4), VRs/transfer syntaxes (5),
 * data dictionary and UIDs (6), command elements (7), de-identification (15), context groups (16). */
export const DEFAULT_PARTS: readonly number[] = [3, 4, 5, 6, 7, 15, 16];

/** `current`, or a release: a year with an optional letter (2013, 2025b). */
const EDITION = /^(?:current|\d{4}[a-z]?)$/;

export function isEditionName(s: string): boolean {
  return EDITION.test(s);
}

/** `part06.xml` / `part06.html`. */
export function partFileName(part: number, format: FetchFormat): string {
  return `part${String(part).padStart(2, '0')}.${format === 'docbook' ? 'xml' : 'html'}`;
}

/** `PS3.6` */
export function partLabel(part: number): string {
  return `PS3.${part}`;
}

export function partUrl(baseUrl: string, edition: string, part: number, format: FetchFormat): string {
  const base = baseUrl.replace(/\/+$/, '');
  const nn = String(part).padStart(2, '0');
  return format === 'docbook'
    ? `${base}/medical/dicom/${edition}/source/docbook/part${nn}/part${nn}.xml`
    : `${base}/medical/dicom/${edition}/output/html/part${nn}.html`;
}

/** Parts are numbered 1–22 today; allow headroom for new parts but reject nonsense. */
export function isPartNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 99;
}
