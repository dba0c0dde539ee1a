/**
 * A linear pre-scan of an XML or HTML document, before the DOM parser sees it: bounds element
 * nesting depth (the parser's time grows super-linearly with depth, so a hostile file must fail
 * fast) and tells whether the document reaches its closing root element (a cut file otherwise
 * parses "fine" with its later tables missing).
 */
export const MAX_NESTING_DEPTH = 1000;

/** HTML elements that never have a closing tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

export interface MarkupScan {
  /** Set when nesting exceeds the bound: the 1-based line of the element that crossed it. */
  tooDeepAtLine?: number;
  /** False when the document ends with elements still open (XML) or before `</html>` (HTML). */
  complete: boolean;
  /** The id of the last table that starts in the document (`table_A-3`), for messages. */
  lastTableId?: string;
}

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?|<(\/?)([A-Za-z][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*)(>?)/g;

export function scanMarkup(text: string, format: 'xml' | 'html', maxDepth = MAX_NESTING_DEPTH): MarkupScan {
  let depth = 0;
  let sawRoot = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const name = m[2];
    if (name === undefined) continue;
    if (m[4] === '') return { complete: false, ...lastTable(text) }; // cut inside a tag
    const lname = format === 'html' ? name.toLowerCase() : name;
    if (m[1] === '/') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (m[3]!.endsWith('/') || (format === 'html' && VOID.has(lname))) continue;
    sawRoot = true;
    if (++depth > maxDepth) return { tooDeepAtLine: lineAt(text, m.index), complete: false };
  }
  // No element at all is not a truncation but "not a NEMA document", which the loader reports.
  const complete = !sawRoot || (format === 'html' ? /<\/html\s*>\s*$/i.test(text) : depth === 0);
  return complete ? { complete } : { complete, ...lastTable(text) };
}

function lastTable(text: string): { lastTableId?: string } {
  const re = /(?:xml:id|id)="(table_[^"]+)"/g;
  let id: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) id = m[1];
  return id ? { lastTableId: id } : {};
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
