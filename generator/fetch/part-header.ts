/**
 * Recognising a NEMA part from the first and last bytes of a download, without parsing the
 * whole document (PS3.3 is tens of megabytes): the subtitle (`DICOM PS3.6 2025b - Data Dictionary`)
 * sits in the first kilobytes, and a complete file ends with `</book>` or `</html>`.
 */
import { detectFormat, parseSubtitle } from '../../sources/nema/document.ts';
import { cleanText } from '../../sources/common/text.ts';
import type { FetchFormat } from './nema-urls.ts';

/** How much of the start of a file to keep for identification. */
export const HEAD_BYTES = 64 * 1024;
/** How much of the end of a file to keep for the completeness check. */
export const TAIL_BYTES = 1024;

export interface PartHeader {
  format: FetchFormat;
  partNumber: number;
  edition: string;
  subtitle: string;
}

export type PartCheck = { ok: true; header: PartHeader } | { ok: false; problem: string };

const DOCBOOK_SUBTITLE = /<subtitle\b[^>]*>([\s\S]*?)<\/subtitle>/;
const HTML_SUBTITLE = /<h2\b[^>]*\bclass="[^"]*\bsubtitle\b[^"]*"[^>]*>([\s\S]*?)<\/h2>/i;

function stripMarkup(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;|&#xa0;/gi, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The subtitle text (markup removed), or undefined when the head has none. */
export function readSubtitle(head: string, format: FetchFormat): string | undefined {
  const m = (format === 'docbook' ? DOCBOOK_SUBTITLE : HTML_SUBTITLE).exec(head);
  return m ? cleanText(stripMarkup(m[1]!)) : undefined;
}

/**
 * Is this download the part we asked for? `expectedEdition` undefined means "any" (for `current`).
 * Problems are phrased to follow "<url> " ("is PS3.5, not PS3.6 …").
 */
export function checkPart(
  file: string,
  head: Buffer,
  tail: Buffer,
  expected: { format: FetchFormat; partNumber: number; edition?: string },
): PartCheck {
  const headText = head.toString('utf8');
  const format = detectFormat(file, headText);
  const looksLike = headText.slice(0, 200).replace(/\s+/g, ' ').trim().slice(0, 60);
  if (format !== expected.format || (format === 'docbook' && !/<book[\s>]/.test(headText))) {
    return { ok: false, problem: `is not NEMA ${expected.format === 'docbook' ? 'DocBook' : 'HTML'} (starts with "${looksLike}")` };
  }
  const subtitle = readSubtitle(headText, format);
  if (subtitle === undefined) return { ok: false, problem: `is not a NEMA part: no subtitle in the first ${HEAD_BYTES / 1024} KiB (starts with "${looksLike}")` };
  const parsed = parseSubtitle(subtitle);
  if (!parsed) return { ok: false, problem: `is not a NEMA part: its subtitle "${subtitle.slice(0, 80)}" names no part and edition` };
  if (parsed.partNumber !== expected.partNumber) {
    return { ok: false, problem: `is PS3.${parsed.partNumber}, not PS3.${expected.partNumber} (subtitle "${subtitle.slice(0, 80)}")` };
  }
  if (expected.edition !== undefined && parsed.edition !== expected.edition) {
    return { ok: false, problem: `is edition ${parsed.edition}, not ${expected.edition} (subtitle "${subtitle.slice(0, 80)}")` };
  }
  const end = tail.toString('utf8').trimEnd();
  const closing = format === 'docbook' ? /<\/book>$/ : /<\/html>$/i;
  if (!closing.test(end)) {
    return { ok: false, problem: `is incomplete: it does not end with ${format === 'docbook' ? '</book>' : '</html>'}` };
  }
  return { ok: true, header: { format, partNumber: parsed.partNumber, edition: parsed.edition, subtitle } };
}
