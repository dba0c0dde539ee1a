/**
 * Normalization for the release diff: two editions read from different formats (NEMA 2013 DocBook,
 * NEMA HTML, innolitics JSON) must compare equal where they differ only in formatting, and differ
 * wherever the standard really changed. The rules are listed in docs/diff.md ("Normalization");
 * every difference they absorb is counted (`FormattingTally`) so nothing disappears silently.
 */
import { cleanText, foldLookalikes } from '../../sources/common/text.ts';
import { irTag } from '../../sources/common/tags.ts';

/**
 * Tag identity: 8 hex digits upper case, `x` for masked nibbles. Accepts `(0028,04X0)`,
 * `0028,04x0`, `002804X0`; the mask letter's case is formatting (innolitics writes `X`).
 */
export function normTag(tag: string): string {
  if (/^[0-9A-Fx]{8}$/.test(tag)) return tag; // already the IR form (fast path: called per entry)
  const t = cleanText(tag);
  return irTag(t) ?? t.replace(/[\s(),]/g, '').toUpperCase().replace(/X/g, 'x');
}

/** `00100010` → `(0010,0010)`; anything that is not an 8-nibble tag is returned unchanged. */
export function tagText(key: string): string {
  return /^[0-9A-Fx]{8}$/.test(key) ? `(${key.slice(0, 4)},${key.slice(4)})` : key;
}

/** True when `masked` (with `x` nibbles) matches `tag` nibble by nibble. */
export function maskCovers(masked: string, tag: string): boolean {
  if (masked.length !== tag.length) return false;
  for (let i = 0; i < masked.length; i++) {
    const m = masked[i]!;
    if (m !== 'x' && m !== tag[i]) return false;
  }
  return true;
}

/** Keywords are exports: only invisible characters and surrounding whitespace are formatting. */
export function normKeyword(keyword: string): string {
  if (/^[A-Za-z0-9_]*$/.test(keyword)) return keyword;
  return cleanText(keyword).replace(/\s+/g, '');
}

/** UIDs: invisible characters (U+200B, U+00AD) and whitespace are never part of a UID. */
export function normUid(uid: string): string {
  return cleanText(uid).replace(/\s+/g, '');
}

/** Characters outside `foldLookalikes` that still only differ typographically. */
const EXTRA_FOLDS: Record<string, string> = {
  '\u2032': "'", // prime used as apostrophe
  '\u00B4': "'", // acute accent used as apostrophe
  '\u02BC': "'", // modifier letter apostrophe
  '\u2015': '-', // horizontal bar
  '\uFE63': '-',
  '\uFF0D': '-',
};

/**
 * The comparison key of a name (data element, UID, IOD, code meaning …). Formatting only:
 * invisible characters, whitespace (including whether there is any: NEMA 2013 writes a zero-width
 * space where later editions have a space, `Time\u200BRange` → `TimeRange` vs `Time Range`),
 * typographic dashes/quotes (look-alikes), compatibility forms (µ micro sign vs μ),
 * trademark/registered signs and letter case. Letters, digits and punctuation stay.
 */
export function nameKey(name: string): string {
  let s = cleanText(foldLookalikes(name));
  s = s.replace(/[\u2032\u00B4\u02BC\u2015\uFE63\uFF0D]/g, (c) => EXTRA_FOLDS[c] ?? c);
  s = s.replace(/[\u00AE\u2122\u00A9]/g, '');
  s = s.normalize('NFKC');
  return s.toLowerCase().replace(/\s+/g, '');
}

/** A display form of a name: invisible characters removed and whitespace collapsed, nothing else. */
export function displayName(name: string): string {
  return cleanText(name);
}

/**
 * VR set key: `US or SS` and `SS or US` are the same, as are `OB/OW`, `ob or ow`. `See Note`
 * (any note number) becomes `(see note)`; an empty VR stays empty.
 */
export function vrList(vr: readonly string[], seeNote?: boolean): string[] {
  if (vr.length === 1 && /^[A-Z]{2}$/.test(vr[0]!)) return [vr[0]!];
  const out = new Set<string>();
  for (const v of vr) {
    for (const part of cleanText(v).split(/\s+or\s+|[/,\s]+/i)) {
      const p = part.trim().toUpperCase();
      if (p === '' || p === 'OR') continue;
      out.add(p);
    }
  }
  const list = [...out].sort();
  if (list.length === 0 && seeNote) return ['(see note)'];
  return list;
}

export function vrKey(vr: readonly string[], seeNote?: boolean): string {
  return vrList(vr, seeNote).join(' or ');
}

/** VM: whitespace and the case of `n`/`N` are formatting (`1 - n` = `1-n` = `1-N`). */
export function vmKey(vm: string): string {
  return cleanText(vm).replace(/\s+/g, '').replace(/N/g, 'n');
}

/** VM allows more than one value (the generated value type is an array). */
export function vmIsMulti(vm: string): boolean {
  const k = vmKey(vm);
  if (k === '' || k === '1') return false;
  return true;
}

/** Counts differences that normalization absorbed, per `category.field`. */
export class FormattingTally {
  readonly counts: Record<string, number> = {};

  /**
   * Compare raw values by key. Returns true when the keys are equal; counts it as
   * formatting-only when the raw values differ.
   */
  same(field: string, a: string, b: string, key: (s: string) => string): boolean {
    if (a === b) return true;
    if (key(a) === key(b)) {
      this.counts[field] = (this.counts[field] ?? 0) + 1;
      return true;
    }
    return false;
  }

  /** Record a formatting-only difference found by other means (VR order, tag mask case). */
  note(field: string): void {
    this.counts[field] = (this.counts[field] ?? 0) + 1;
  }
}

/** Sort key for UIDs: numeric arc by arc (`1.2.840.10008.1.2.4.50` < `…1.2.4.100`). */
export function uidSortKey(uid: string): string {
  return uid
    .split('.')
    .map((arc) => (/^\d+$/.test(arc) ? arc.padStart(12, '0') : arc))
    .join('.');
}

/** Compare strings by code unit order (locale-independent, deterministic). */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Index a list by key. Duplicate keys (the same tag twice in one table) get `#2`, `#3` suffixes
 * so every entry is compared; the caller reports them through the scrape's diagnostics, not here.
 */
export function indexBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    if (!out.has(k)) {
      out.set(k, it);
      continue;
    }
    let n = 2;
    while (out.has(`${k}#${n}`)) n++;
    out.set(`${k}#${n}`, it);
  }
  return out;
}
