/**
 * The only sanctioned ways to put text into the site's HTML: every name, keyword, UID, code
 * meaning and creator string comes from a source and is untrusted. Templates (templates/site/)
 * use the `text`, `url`, `id`, `num`, `parts` and `table` helpers registered here, never a bare
 * `{{value}}` and never unescaped output (test/site.test.ts).
 * Link parts and tables, the bulk of every page, are rendered here by `partsHtml` and `tableHtml`
 * (plain string building with the same escaping, several times faster than a template per cell).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.ts';
import Handlebars from 'handlebars';
import type { Part, Table } from './page.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Text safe in element content and in a quoted attribute value; control characters become spaces. */
const NEEDS_ESCAPE = /[&<>"'`=\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function escapeHtml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ').replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A relative link the site builder made from validated path segments (`../tags/00100010/index.html#x`).
 * Refused when it holds anything but unreserved URL characters and `/#%.-`, so no source text can
 * smuggle a scheme (`javascript:`) or a quote into an href.
 */
export function safeUrl(u: string): string {
  if (!/^(?:[A-Za-z0-9._~/%#-]*|https:\/\/dicom\.nema\.org\/[A-Za-z0-9._~/%#-]+)$/.test(u)) throw new Error(`refusing unsafe site URL ${JSON.stringify(u)}`);
  return u;
}

/** An HTML id / URL fragment built from a tag path or an id (`00081115-00081150`, `ct-image`). */
export function safeId(s: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(s)) throw new Error(`refusing unsafe HTML id ${JSON.stringify(s)}`);
  return s;
}

/** JSON inside a `.js` file: no line separators that old parsers reject, and no `<` or `>` at all (markup-free even if inlined one day). */
export function jsJson(v: unknown): string {
  return JSON.stringify(v).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029').replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}

const templatesDir = join(repoRoot, 'templates', 'site');
const hb = Handlebars.create();
hb.registerHelper('text', (s: unknown) => new Handlebars.SafeString(escapeHtml(String(s))));
hb.registerHelper('url', (s: unknown) => new Handlebars.SafeString(escapeHtml(safeUrl(String(s)))));
hb.registerHelper('id', (s: unknown) => new Handlebars.SafeString(safeId(String(s))));
hb.registerHelper('num', (n: unknown) => {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`site template num helper got ${String(n)}`);
  return new Handlebars.SafeString(String(n));
});

hb.registerHelper('parts', (p: unknown) => new Handlebars.SafeString(partsHtml(p as Part[])));
hb.registerHelper('table', (t: unknown) => new Handlebars.SafeString(tableHtml(t as Table)));

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Render `templates/site/<name>.hbs`; compiled once per process. */
export function renderSite(name: string, data: unknown): string {
  let t = compiled.get(name);
  if (!t) {
    t = hb.compile(readFileSync(join(templatesDir, `${name}.hbs`), 'utf8'), { preventIndent: true });
    compiled.set(name, t);
  }
  return t(data);
}

/** A static asset shipped with the site (CSS, the search script), read verbatim. */
export function siteAsset(name: string): string {
  return readFileSync(join(templatesDir, 'assets', name), 'utf8');
}

/** Text, code and link parts of a cell or fact, escaped. */
export function partsHtml(parts: Part[]): string {
  let out = '';
  for (const p of parts) {
    const body = p.code ? `<code>${escapeHtml(p.t)}</code>` : p.ed ? `<span class="ed">${escapeHtml(p.t)}</span>` : escapeHtml(p.t);
    out += p.href === undefined ? body : `<a href="${escapeHtml(safeUrl(p.href))}">${body}</a>`;
  }
  return out;
}

const renderedTables = new WeakMap<Table, string>();

/**
 * A table with a caption, column headers (scope col) and the first cell of each row as its row
 * header. A table object shared by several pages (a module as every IOD uses it) is rendered once.
 */
export function tableHtml(t: Table): string {
  let html = renderedTables.get(t);
  if (html === undefined) {
    html = renderTable(t);
    renderedTables.set(t, html);
  }
  return html;
}

function renderTable(t: Table): string {
  const caption = escapeHtml(t.caption);
  let out = `<div class="scroll" tabindex="0" role="region" aria-label="${caption}"><table>\n<caption>${caption}</caption>\n<thead><tr>`;
  for (const c of t.columns) out += `<th scope="col">${escapeHtml(c)}</th>`;
  out += '</tr></thead>\n<tbody>\n';
  for (const r of t.rows) {
    out += `<tr${r.id ? ` id="${safeId(r.id)}"` : ''}${r.cls ? ` class="${safeId(r.cls)}"` : ''}>`;
    r.cells.forEach((c, i) => {
      out += i === 0 ? `<th scope="row"${c.depth ? ` class="d${Math.min(c.depth, 10)}"` : ''}>${partsHtml(c.parts)}</th>` : `<td>${partsHtml(c.parts)}</td>`;
    });
    out += '</tr>\n';
  }
  return `${out}</tbody></table></div>`;
}
