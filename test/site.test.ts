/**
 * The reference site (generator/site/, docs/site.md): every entry gets its page at a stable URL,
 * links resolve, source text is escaped, output is deterministic, each page names its editions,
 * and the search ranks the right entry first. A hand-written IR covers the details; the embedded
 * default is built once, in memory, for the "every entry has a page" and ranking checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Ir } from '../generator/ir.ts';
import { buildSite as buildSiteFiles, type SiteOptions } from '../generator/site/index.ts';
import { buildSiteModel } from '../generator/site/model.ts';
import { buildSearchIndex } from '../generator/site/search-index.ts';
import { escapeHtml, safeUrl } from '../generator/site/html.ts';
import { pagePath } from '../generator/site/paths.ts';
import { uidTypes } from '../generator/site/pages-uids.ts';
import { buildIr } from '../generator/pipeline.ts';
import { defaultSnapshot } from '../generator/defaults.ts';
import { irToJson } from '../generator/normalize.ts';
import { main } from '../generator/cli.ts';
import { repoRoot } from './helpers/shared.ts';
import { HOSTILE, siteFixtureIr } from './helpers/site-ir.ts';
import { loadSiteSearch } from './helpers/site-search.ts';

interface TextFile {
  path: string;
  content: string;
}
/** The site as text (pages are UTF-8 bytes). */
const buildSite = (ir: Ir, opts: SiteOptions): TextFile[] => buildSiteFiles(ir, opts).map((f) => ({ path: f.path, content: f.content.toString('utf8') }));
const byPath = (files: TextFile[]) => new Map(files.map((f) => [f.path, f.content]));

/** Every relative href of every page resolves to an emitted file (fragments: to an id on that page). */
function brokenLinks(files: TextFile[]): string[] {
  const map = byPath(files);
  const ids = new Map<string, Set<string>>();
  const idsOf = (p: string) => {
    let s = ids.get(p);
    if (!s) {
      s = new Set([...(map.get(p) ?? '').matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));
      ids.set(p, s);
    }
    return s;
  };
  const bad: string[] = [];
  for (const f of files) {
    if (!f.path.endsWith('.html')) continue;
    const dir = f.path.split('/').slice(0, -1);
    for (const m of f.content.matchAll(/ (?:href|src)="([^"]+)"/g)) {
      const href = m[1]!;
      if (href.startsWith('https://')) continue;
      const [path, frag] = href.split('#') as [string, string | undefined];
      const parts = [...dir];
      for (const seg of path.split('/')) {
        if (seg === '..') parts.pop();
        else if (seg !== '' && seg !== '.') parts.push(seg);
      }
      const target = path === '' ? f.path : parts.join('/');
      if (!map.has(target)) bad.push(`${f.path} → ${href}`);
      else if (frag && !idsOf(target).has(frag)) bad.push(`${f.path} → ${href} (no id)`);
      if (bad.length > 20) return bad;
    }
  }
  return bad;
}

describe('site from a hand-written IR', () => {
  let files: TextFile[];
  let map: Map<string, string>;
  beforeAll(() => {
    files = buildSite(siteFixtureIr(), { generatorVersion: '0.0.0-test' });
    map = byPath(files);
  });

  it('gives every IOD, module, tag, UID, context group and private creator a page at its stable URL', () => {
    for (const p of [
      'index.html',
      'iods/ct-image/index.html',
      'iods/ct-image/patient/index.html',
      'modules/patient/index.html',
      'tags/00100010/index.html',
      'tags/60xx3000/index.html',
      'uids/1.2.840.10008.5.1.4.1.1.2/index.html',
      'uids/types/sop-class/index.html',
      'cid/244/index.html',
      'cid/245/index.html',
      'private/acme-1-0/index.html',
      'assets/search-index.js',
    ]) {
      expect(map.has(p), p).toBe(true);
    }
    expect([...map.keys()].filter((p) => p.startsWith('private/') && p !== 'private/index.html')).toHaveLength(2);
  });

  it('navigates IOD → module in IOD → attribute, with the Type and the anchored row', () => {
    expect(map.get('iods/ct-image/index.html')).toContain('href="../../iods/ct-image/patient/index.html"');
    const mod = map.get('iods/ct-image/patient/index.html')!;
    expect(mod).toMatch(/<tr id="00100010"><th scope="row"><a href="..\/..\/..\/tags\/00100010\/index.html">Patient&#39;s Name<\/a><\/th>/);
    expect(mod).toContain('2 attributes in its items');
    const modPage = map.get('modules/patient/index.html')!;
    expect(modPage).toContain('<tr id="00081120-00081150"><th scope="row" class="d1">&gt;<a');
    const tag = map.get('tags/00100010/index.html')!;
    expect(tag).toContain('<a href="../../iods/ct-image/index.html">CT Image</a></th><td><a href="../../iods/ct-image/patient/index.html#00100010">Patient (M)</a>');
    expect(tag).toMatch(/Basic Prof\.<\/td>|Basic Prof\.<\/th><td><code>Z<\/code>/);
  });

  it('shows context group includes as links and marks included codes', () => {
    const cid = map.get('cid/244/index.html')!;
    expect(cid).toContain('href="../../cid/245/index.html">CID 245 Laterality extra</a>');
    expect(cid).toMatch(/51440002<\/code><\/td><td>Bilateral<\/td><td>via <a href="..\/..\/cid\/245\/index.html"/);
    expect(map.get('uids/1.2.840.10008.6.1.308/index.html')).toContain('href="../../cid/244/index.html"');
  });

  it('every link and anchor resolves inside the site', () => {
    expect(brokenLinks(files)).toEqual([]);
  });

  it('escapes source text: no markup or script from names reaches a page', () => {
    const all = files.map((f) => f.content).join('\n');
    expect(all).not.toContain('<script>alert');
    expect(all).not.toContain('<img src=x');
    expect(all).toContain(escapeHtml(HOSTILE));
    // The search index is a script: the hostile name is inside a JSON string with `<` and `>` escaped.
    expect(map.get('assets/search-index.js')).not.toMatch(/[<>]/);
    for (const f of files) for (const m of f.content.matchAll(/<script[^>]*>/g)) expect(m[0], f.path).toMatch(/^<script (defer )?src="(\.\.\/)*assets\/(theme|search)\.js">$/);
  });

  it('refuses unsafe URLs and ids instead of writing them', () => {
    expect(() => safeUrl('javascript:alert(1)')).toThrow(/unsafe site URL/);
    expect(() => safeUrl('x" onmouseover="y')).toThrow(/unsafe site URL/);
    expect(safeUrl('../../tags/00100010/index.html#00100010')).toBe('../../tags/00100010/index.html#00100010');
  });

  it('is deterministic: the same IR gives byte-identical files in the same order', () => {
    const again = buildSite(siteFixtureIr(), { generatorVersion: '0.0.0-test' });
    expect(again.map((f) => f.path)).toEqual(files.map((f) => f.path));
    expect(again.every((f, i) => f.content === files[i]!.content)).toBe(true);
  });

  it('every page lists the sources (with editions) of the facts it shows', () => {
    for (const f of files.filter((x) => x.path.endsWith('.html'))) {
      expect(f.content, f.path).toContain('Sources of the facts on this page');
    }
    expect(map.get('tags/00100010/index.html')).toMatch(/<dt>VR<\/dt><dd>PN <span class="ed">PS3.6 2013<\/span>/);
    expect(map.get('cid/244/index.html')).toContain('<span class="ed">PS3.16 2025b</span> nema-2025b-part16.xml');
    expect(map.get('private/acme-1-0/index.html')).toContain('private dictionary (edition unstated)');
  });

  it('limits a build to a selection', () => {
    const ir = siteFixtureIr();
    const small = byPath(buildSite(ir, { generatorVersion: 'x', selection: { iods: new Set(['ct-image']), cids: new Set([245]), creators: new Set(['ACME 1.0']) } }));
    expect(small.has('cid/244/index.html')).toBe(false);
    expect(small.has('cid/245/index.html')).toBe(true);
    expect(small.has('tags/60xx3000/index.html')).toBe(false);
    expect(small.has('tags/00100010/index.html')).toBe(true);
  });

  it('adds a changelog page when given a previous IR', () => {
    const prev: Ir = siteFixtureIr();
    prev.dataElements = prev.dataElements.filter((e) => e.tag !== '00100040');
    const site = byPath(buildSite(siteFixtureIr(), { generatorVersion: 'x', previousIr: prev }));
    expect(site.get('changelog/index.html')).toContain('href="../tags/00100040/index.html"');
    expect(site.get('index.html')).toContain('href="changelog/index.html"');
  });

  it('search ranks the right entry first for keyword, tag notations, UID and CID', () => {
    const search = loadSiteSearch();
    const index = buildSearchIndex(buildSiteModel(siteFixtureIr()));
    const first = (q: string) => search(index, q, 5)[0]?.url;
    expect(first('PatientName')).toBe('tags/00100010/index.html');
    expect(first('patient name')).toBe('tags/00100010/index.html');
    for (const q of ['(0008,0016)', '00080016', '0008,0016', '0008 0016', '(0008, 0016)']) expect(first(q), q).toBe('tags/00080016/index.html');
    expect(first('(6000,3000)')).toBe('tags/60xx3000/index.html');
    expect(first('1.2.840.10008.5.1.4.1.1.2')).toBe('uids/1.2.840.10008.5.1.4.1.1.2/index.html');
    expect(first('CID 244')).toBe('cid/244/index.html');
    expect(first('cid244')).toBe('cid/244/index.html');
    expect(search(index, 'acme', 5).map((h) => h.url)).toContain('private/acme-1-0/index.html');
    expect(search(index, '', 5)).toEqual([]);
  });
});

describe('site templates', () => {
  const dir = join(repoRoot, 'templates', 'site');
  const ALLOWED = new Set(['text', 'url', 'id', 'num', 'parts', 'table']);
  type Node = { type: string; path?: { original?: unknown }; params?: unknown[]; program?: { body: Node[] }; inverse?: { body: Node[] } };
  const mustaches = (nodes: Node[], out: string[] = []): string[] => {
    for (const n of nodes) {
      if (n.type === 'MustacheStatement' && (!ALLOWED.has(String(n.path?.original)) || (n.params?.length ?? 0) === 0)) out.push(String(n.path?.original));
      if (n.program) mustaches(n.program.body, out);
      if (n.inverse) mustaches(n.inverse.body, out);
    }
    return out;
  };
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.hbs'))) {
    it(`${f}: every interpolation goes through an escaping helper`, () => {
      const ast = Handlebars.parse(readFileSync(join(dir, f), 'utf8')) as unknown as { body: Node[] };
      expect(mustaches(ast.body)).toEqual([]);
    });
  }
  it('no template writes unescaped output ({{{ }}} or an html helper)', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.hbs'))) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/\{\{\{|\{\{&|\{\{html /);
  });
});

describe('site of the embedded default (built once, in memory)', () => {
  let ir: Ir;
  let files: TextFile[];
  let map: Map<string, string>;
  beforeAll(async () => {
    ir = (await buildIr({ snapshot: defaultSnapshot })).ir;
    files = buildSite(ir, { generatorVersion: '0.0.0-test' });
    map = byPath(files);
  }, 120_000);

  it('every IOD, module, macro, tag, UID, UID type, context group and private creator has its page', () => {
    const m = buildSiteModel(ir);
    const want = [
      ...m.iods.map((i) => pagePath.iod(i.id)),
      ...m.iods.flatMap((i) => i.modules.map((r) => pagePath.iodModule(i.id, r.module))),
      ...[...m.defs.values()].map((d) => pagePath.module(d.kind, d.id)),
      ...[...m.elements.keys()].map((t) => pagePath.tag(t)),
      ...m.uids.map((u) => pagePath.uid(u.uid)),
      ...uidTypes(m).map((t) => pagePath.uidType(t.slug)),
      ...m.groups.map((g) => pagePath.cid(g.cid)),
      ...m.creators.map((c) => pagePath.creator(c.slug)),
    ];
    expect(want.filter((p) => !map.has(p))).toEqual([]);
    expect(m.iods.length).toBe(ir.iods?.iods.length);
    expect(m.uids.length).toBe(ir.uids.length);
    expect(m.groups.length).toBe(ir.contextGroups?.groups.length ?? 0);
    expect(m.creators.length).toBe(new Set(ir.privateDictionaries?.elements.map((e) => e.creator)).size);
    expect(new Set(ir.dataElements.map((e) => e.tag)).size).toBe(m.elements.size);
  });

  it('every link and anchor resolves', () => {
    expect(brokenLinks(files)).toEqual([]);
  });

  it('search answers the issue queries with the right first result on the full index', () => {
    const search = loadSiteSearch();
    const index = buildSearchIndex(buildSiteModel(ir));
    expect(search(index, 'PatientName', 5)[0]?.url).toBe('tags/00100010/index.html');
    expect(search(index, '(0008,0016)', 5)[0]?.url).toBe('tags/00080016/index.html');
    expect(search(index, '1.2.840.10008.5.1.4.1.1.2', 5)[0]?.url).toBe('uids/1.2.840.10008.5.1.4.1.1.2/index.html');
    expect(search(index, 'CID 244', 5)[0]?.url).toBe('cid/244/index.html');
  });
});

describe('dicom-dictgen site (CLI)', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['site', ...args], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), isTTY: false, cwd: repoRoot });
    return { code, out: out.join(''), err: err.join('') };
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dictgen-site-cli-'));
    writeFileSync(join(dir, 'fixture.ir.json'), irToJson(siteFixtureIr()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds from --source, then finds the site up to date; --force rebuilds', async () => {
    const site = join(dir, 'site');
    const first = await run(['--source', join(dir, 'fixture.ir.json'), '--out', site]);
    expect(first.code, first.err).toBe(0);
    expect(readFileSync(join(site, 'iods', 'ct-image', 'patient', 'index.html'), 'utf8')).toContain('<h1>Patient in CT Image</h1>');
    const again = await run(['--source', join(dir, 'fixture.ir.json'), '--out', site]);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/up to date/);
    const forced = await run(['--source', join(dir, 'fixture.ir.json'), '--out', site, '--force']);
    expect(forced.err).toMatch(/files built in \d+ ms; wrote 0, [1-9]\d* unchanged/);
  });

  it('refuses bad arguments with one line and exit 2, writing nothing', async () => {
    const site = join(dir, 'nothing');
    const unknownIod = await run(['--source', join(dir, 'fixture.ir.json'), '--out', site, '--iods', 'nope', '--quiet']);
    expect(unknownIod.code).toBe(2);
    expect(unknownIod.err).toMatch(/^dicom-dictgen: --iods: "nope" is not an IOD of these sources\. Known: ct-image\n$/);
    expect((await run(['--bogus'])).code).toBe(2);
    expect((await run(['--source', 'a', '--config', 'b'])).code).toBe(2);
    expect(existsSync(site)).toBe(false);
  });
});
