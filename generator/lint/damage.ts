/**
 * Reading DICOM facts damaged by OCR and PDF extraction: letters read for digits in tags and
 * UIDs, spaces inside UIDs, and the tags a damaged one most likely was (swapped halves or bytes,
 * 0/8 confusion) — candidates only; the caller decides whether one clearly wins.
 */

/** Letters OCR reads for hex digits: O/o → 0, I/l → 1. */
export function repairHex(text: string): string {
  return text.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1').toUpperCase();
}

/** Letters and spaces OCR puts into a UID: O/o → 0, I/l → 1, spaces and soft hyphens removed. */
export function repairUid(text: string): string {
  return text.replace(/[\s\u00AD\u200B]+/g, '').replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
}

const swapBytes = (h: string) => h.slice(2) + h.slice(0, 2);

/** Tags a written tag may have been before damage: byte-swapped halves, swapped group/element, 0↔8. */
export function tagCandidates(tag: string): string[] {
  const g = tag.slice(0, 4);
  const e = tag.slice(4);
  const out = new Set<string>([swapBytes(g) + swapBytes(e), e + g, swapBytes(e) + swapBytes(g), swapBytes(g) + e, g + swapBytes(e)]);
  for (let i = 0; i < 8; i++) {
    const c = tag[i];
    if (c === '0' || c === '8') out.add(tag.slice(0, i) + (c === '0' ? '8' : '0') + tag.slice(i + 1));
  }
  out.delete(tag);
  return [...out];
}

/** `(gggg,eeee)` for an 8-hex-digit tag. */
export function showTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/** Levenshtein distance, for near-miss names (short strings only). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
