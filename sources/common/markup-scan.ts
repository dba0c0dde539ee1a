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

/** `<!--…-->`, `<![CDATA[…]]>`, `<!…>` / `<?…?>`, or a start/end tag; names start with a letter. */
const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const DQUOTE = 34;
const SQUOTE = 39;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[\w:.-]` */
function isNameChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 46 || c === 45;
}

/**
 * One pass with indexOf and char codes (a regex with captures per tag cost more than the parse
 * on a 4 MB part). Tokens as the grammar above: a comment or CDATA section runs to its end (or
 * the end of the text), another `<!`/`<?` to the next `>`; in a tag, quoted values may contain
 * `>`; a tag that reaches the end of the text without `>` (or stops at an unmatched quote) is cut.
 */
export function scanMarkup(text: string, format: 'xml' | 'html', maxDepth = MAX_NESTING_DEPTH): MarkupScan {
  let depth = 0;
  let sawRoot = false;
  const n = text.length;
  for (let lt = text.indexOf('<'); lt >= 0; ) {
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 33 || c1 === 63) {
      // <! or <?
      let end: number;
      if (text.startsWith('<!--', lt)) end = closeAfter(text, '-->', lt + 4);
      else if (text.startsWith('<![CDATA[', lt)) end = closeAfter(text, ']]>', lt + 9);
      else {
        const gt = text.indexOf('>', lt + 2);
        end = gt < 0 ? n : gt + 1;
      }
      lt = text.indexOf('<', end);
      continue;
    }
    const at = lt;
    const closing = c1 === SLASH;
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isLetter(text.charCodeAt(nameStart))) {
      lt = text.indexOf('<', lt + 1);
      continue;
    }
    let i = nameStart + 1;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    const nameEnd = i;
    // Attributes: quoted values (which may hold `>`) or any other character but a quote or `>`.
    let cut = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === GT) break;
      if (c === DQUOTE || c === SQUOTE) {
        const q = text.indexOf(c === DQUOTE ? '"' : "'", i + 1);
        if (q < 0) {
          cut = true;
          break;
        }
        i = q + 1;
      } else i++;
    }
    if (cut || i >= n) return { complete: false, ...lastTable(text) }; // cut inside a tag
    const gt = i;
    lt = text.indexOf('<', gt + 1);
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (text.charCodeAt(gt - 1) === SLASH && gt - 1 >= nameEnd) continue;
    if (format === 'html' && VOID.has(text.slice(nameStart, nameEnd).toLowerCase())) continue;
    sawRoot = true;
    if (++depth > maxDepth) return { tooDeepAtLine: lineAt(text, at), complete: false };
  }
  // No element at all is not a truncation but "not a NEMA document", which the loader reports.
  const complete = !sawRoot || (format === 'html' ? /<\/html\s*>\s*$/i.test(text) : depth === 0);
  return complete ? { complete } : { complete, ...lastTable(text) };
}

/** The index just past `close` at or after `from`, or the end of the text. */
function closeAfter(text: string, close: string, from: number): number {
  const i = text.indexOf(close, from);
  return i < 0 ? text.length : i + close.length;
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
