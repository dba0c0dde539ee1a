/**
 * Cell grammars shared by every source of the data dictionary (PS3.6 tables, the innolitics
 * mirror, overrides): the VR cell and the UID syntax of PS3.5 §9.1.
 */
import { cleanText } from './text.ts';

export interface VrCell {
  vr: string[];
  seeNote: boolean;
}

/** `US`, `US or SS`, `US or SS or OW`, `OB or OW`, `See Note`, `See Note 2`; undefined when unreadable. */
export function parseVrCell(text: string): VrCell | undefined {
  const t = cleanText(text);
  if (t === '') return { vr: [], seeNote: false };
  if (/^see note\b/i.test(t)) return { vr: [], seeNote: true };
  const parts = t.split(/\s*(?:\bor\b|,|\/)\s*/i).filter((p) => p !== '').map((p) => p.toUpperCase());
  if (parts.length === 0 || !parts.every((p) => /^[A-Z]{2}$/.test(p))) return undefined;
  return { vr: parts, seeNote: false };
}

/** PS3.5 §9.1: the reason a UID is invalid, or undefined when it is valid. */
export function uidProblem(uid: string): string | undefined {
  if (uid.length === 0) return 'empty';
  if (uid.length > 64) return `${uid.length} characters (at most 64)`;
  if (!/^[0-9.]+$/.test(uid)) return 'characters other than digits and dots';
  const comps = uid.split('.');
  if (comps.some((c) => c.length === 0)) return 'an empty component';
  const lead = comps.find((c) => c.length > 1 && c.startsWith('0'));
  if (lead !== undefined) return `component "${lead}" has a leading zero`;
  return undefined;
}

export function isValidUid(uid: string): boolean {
  return uidProblem(uid) === undefined;
}
