/**
 * Template safety: every interpolation in templates/*.hbs goes through one of the escaping helpers
 * of generator/emit/context.ts (`str`, `doc`, `ident`, `num`, `hex`, `json`) or `raw` (code the
 * emitter built from validated pieces). A bare `{{value}}` would paste source text into TypeScript.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { repoRoot } from './helpers/shared.ts';
import { docText, tsString, assertIdentifier } from '../generator/emit/context.ts';

const ALLOWED = new Set(['str', 'doc', 'ident', 'num', 'hex', 'json', 'raw']);
const dir = join(repoRoot, 'templates');

type Node = { type: string; path?: { original?: unknown }; params?: unknown[]; program?: { body: Node[] }; inverse?: { body: Node[] } };

function mustaches(nodes: Node[], out: { name: string; params: number; line?: number }[] = []) {
  for (const n of nodes) {
    if (n.type === 'MustacheStatement') out.push({ name: String(n.path?.original), params: n.params?.length ?? 0 });
    if (n.program) mustaches(n.program.body, out);
    if (n.inverse) mustaches(n.inverse.body, out);
  }
  return out;
}

describe('templates', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
  it('there are templates to check', () => expect(files.length).toBeGreaterThan(10));
  for (const f of files) {
    it(`${f}: every interpolation uses an escaping helper`, () => {
      const ast = Handlebars.parse(readFileSync(join(dir, f), 'utf8')) as unknown as { body: Node[] };
      const bad = mustaches(ast.body).filter((m) => !ALLOWED.has(m.name) || m.params === 0);
      expect(bad, `bare interpolations in ${f}`).toEqual([]);
    });
  }
});

describe('escaping helpers', () => {
  const hostile = ['*/ alert(1) /*', '"; process.exit(1); "', 'line\nbreak', 'sep\u2028arator', '`${x}`', '@deprecated', '</script>'];
  it('tsString round-trips any text through a TypeScript string literal', () => {
    for (const h of hostile) expect(JSON.parse(tsString(h).replace(/\\u2028/g, '\u2028').replace(/\\u2029/g, '\u2029'))).toBe(h);
    for (const h of hostile) expect(tsString(h)).not.toMatch(/[\n\u2028\u2029]/);
  });
  it('docText can never close a comment, break a line or start a JSDoc tag', () => {
    for (const h of hostile) {
      const d = docText(h);
      expect(d).not.toMatch(/\*\//);
      expect(d).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(d).not.toMatch(/(^|\s)@/);
    }
  });
  it('identifiers are checked, never escaped: anything but a plain non-reserved name is refused', () => {
    for (const bad of ['a-b', '1abc', 'class', '__proto__', 'x y', 'a;b', '']) expect(() => assertIdentifier(bad, 'test')).toThrow(/unsafe identifier/);
    expect(assertIdentifier('PatientName', 'test')).toBe('PatientName');
  });
});
