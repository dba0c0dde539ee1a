/**
 * The emitted dictionary's lookup paths (issue 13, first lookup and lookupTag speed): by number,
 * by `(gggg,eeee)` text and by the other accepted forms they must give the same entry for every
 * row, whichever path decodes it first and however the hash table's slots have been filled; keys
 * that are not tags give undefined before and after; the warm-up run at import changes nothing a
 * program can see, and it leaves the first lookup by a source literal, by a string built at run
 * time and by number no inline cache to miss (V8's IC log). A hand-made IR of 600 elements (many
 * probe chains in the tag hash table).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyIr, type Ir } from '../generator/ir.ts';
import type { EmitContext } from '../generator/emit/context.ts';
import { emitTags } from '../generator/emit/tags.ts';
import { emitDictionary } from '../generator/emit/dictionary.ts';
import { dataElement } from './helpers/data-element.ts';

type Dictionary = typeof import('./helpers/dictionary-shape.ts');

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/** 600 ordinary elements over a few groups, two repeating groups, a large (non-Smi) tag, a DICOS one. */
function fixtureIr(): Ir {
  const ir = emptyIr();
  ir.sources.push({ id: 'nema-2099a-part06', part: 'PS3.6', edition: '2099a', format: 'docbook', file: 'part06.xml', sha256: '0'.repeat(64), bytes: 1 });
  const el = dataElement;
  for (let i = 0; i < 600; i++) {
    const group = [0x0008, 0x0010, 0x0018, 0x0020, 0x0028, 0x7fe0][i % 6]!;
    ir.dataElements.push(el(`${hex4(group)}${hex4(0x10 + i)}`, `Element${i}`, `Element ${i}`, { retired: i % 7 === 0, usage: i === 5 ? 'DICOS' : undefined }));
  }
  ir.dataElements.push(
    el('60xx3000', 'OverlayData', 'Overlay Data', { vr: ['OB', 'OW'] }),
    el('1000xxx1', 'RunLengthTriplet', 'Run Length Triplet', { vr: ['US'], vm: '3', retired: true }),
    el('FFFEE000', 'Item', 'Item', { vr: [], vrSeeNote: true }),
  );
  return ir;
}

const dir = mkdtempSync(join(tmpdir(), 'dictgen-lookup-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ir = fixtureIr();
const ctx: EmitContext = { ir, generatorVersion: '0.0.0-test', selection: {} };

/** A fresh copy of the emitted module (its caches empty but for the warm-up at import). */
let copies = 0;
async function freshDictionary(): Promise<Dictionary> {
  const sub = join(dir, `copy${copies++}`);
  mkdirSync(sub);
  for (const f of [...emitTags(ctx).files, ...emitDictionary(ctx).files]) writeFileSync(join(sub, f.path), f.content);
  writeFileSync(join(sub, 'vr.ts'), `export type VR = 'LO' | 'OB' | 'OW' | 'US';\n`);
  writeFileSync(join(sub, 'package.json'), '{ "type": "module" }\n');
  return (await import(pathToFileURL(join(sub, 'dictionary.ts')).href)) as Dictionary;
}

const ordinary = ir.dataElements.filter((e) => !e.tag.includes('x'));
const forms = (tag: string) => [`(${tag.slice(0, 4)},${tag.slice(4)})`, `(${tag.slice(0, 4)},${tag.slice(4)})`.toLowerCase(), `${tag.slice(0, 4)},${tag.slice(4)}`, tag, `(${tag})`, `0x${tag}`];

describe('lookupTag: number and text paths', () => {
  it('agree on every row, number first', async () => {
    const m = await freshDictionary();
    for (const e of ordinary) {
      const n = Number.parseInt(e.tag, 16);
      const byNumber = m.lookupTag(n);
      expect(byNumber).toMatchObject({ tag: n, keyword: e.keyword, name: e.name, retired: e.retired, repeating: false, mask: 0xffffffff });
      for (const s of forms(e.tag)) expect(m.lookupTag(s)).toBe(byNumber);
    }
  });

  it('agree on every row, text first (slots filled by the text path)', async () => {
    const m = await freshDictionary();
    const seen = ordinary.map((e) => m.lookupTag(forms(e.tag)[1]!));
    ordinary.forEach((e, i) => {
      expect(seen[i]).toMatchObject({ tag: Number.parseInt(e.tag, 16), tagString: `(${e.tag.slice(0, 4)},${e.tag.slice(4)})`, keyword: e.keyword });
      expect(m.lookupTag(Number.parseInt(e.tag, 16))).toBe(seen[i]);
      expect(m.lookupTag(seen[i]!.tagString)).toBe(seen[i]);
      expect(m.lookupKeyword(e.keyword)).toBe(seen[i]);
    });
    expect(m.lookupTag(5)).toBeUndefined();
  });

  it('decodes every row as the IR says, the warm-up rows included, and freezes it', async () => {
    const m = await freshDictionary();
    const all = m.dataElements();
    expect(all).toHaveLength(ir.dataElements.length);
    for (const e of ir.dataElements) {
      const tagString = `(${e.tag.slice(0, 4)},${e.tag.slice(4)})`;
      const found = all.find((d) => d.tagString === tagString)!;
      expect(found).toMatchObject({ keyword: e.keyword, name: e.name, vr: e.vr, vm: e.vm, retired: e.retired, table: e.table });
      expect(Object.isFrozen(found)).toBe(true);
      if (!e.tag.includes('x')) expect(m.lookupTag(tagString)).toBe(found);
    }
    expect(m.lookupTag(0xfffee000)).toMatchObject({ keyword: 'Item', tag: 0xfffee000, vrSeeNote: true });
    expect(m.lookupTag(0x60023000)).toMatchObject({ keyword: 'OverlayData', tag: 0x60003000, mask: 0xff00ffff, repeating: true });
    expect(m.lookupTag('(1000,0AB1)')).toMatchObject({ keyword: 'RunLengthTriplet', mask: 0xffff000f });
    expect(m.lookupKeyword('Element5')?.usage).toBe('DICOS');
  });

  it('gives undefined for keys that are not tags of the dictionary, before and after the slots fill', async () => {
    const m = await freshDictionary();
    const notTags = [-1, -0.5, 0.5, NaN, Infinity, -Infinity, 2 ** 32, 0x00100010 + 2 ** 32, 0x00100010 - 2 ** 32, 0x00100011 + 0.25, 0x12345678, 0x00090010];
    const notText = ['', '(0010,001G)', '(001g,0010)', '(0010,0010', '(0010;0010)', '0010-0010', 'x0x00100010', '(0010,00100)', ' (0010,0010)', '(\u0660010,0010)', '(60xx,3000)', '__proto__', 'toString'];
    const check = () => {
      for (const n of notTags) expect(m.lookupTag(n)).toBeUndefined();
      for (const s of notText) expect(m.lookupTag(s)).toBeUndefined();
    };
    check();
    for (const e of ordinary) m.lookupTag(Number.parseInt(e.tag, 16));
    check();
    expect(m.lookupTag(-0)).toBeUndefined();
    expect(m.lookupTag(-0x00080010)).toBeUndefined();
  });
});

describe('the warm-up at import', () => {
  /**
   * IC state changes V8 logs (`--log-ic`) between two markers the script stores, other than the
   * script's own loads and stores (`allowed`): each one is a miss handled in V8's C++ runtime.
   */
  function icChangesDuringFirstLookups(lookups: string, allowed: string[]): string[] {
    const sub = join(dir, `ic${copies++}`);
    mkdirSync(sub);
    const source = emitDictionary(ctx).files[0]!.content;
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(sub, 'dictionary.js'), js);
    writeFileSync(join(sub, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(sub, 'first.mjs'), `const m = await import('./dictionary.js');\nglobalThis.MARK_BEFORE = 1;\n${lookups}\nglobalThis.MARK_AFTER = 1;\n`);
    const log = join(sub, 'ic.log');
    const r = spawnSync(process.execPath, ['--log-ic', `--logfile=${log}`, '--no-logfile-per-isolate', join(sub, 'first.mjs')], { cwd: sub, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // IC lines: kind,code address,time,line,column,old state,new state,map,name,...
    const ics = readFileSync(log, 'utf8').split('\n').filter((l) => /^\w*IC,/.test(l));
    const from = ics.findIndex((l) => l.split(',')[8] === 'MARK_BEFORE');
    const to = ics.findIndex((l) => l.split(',')[8] === 'MARK_AFTER');
    expect([from >= 0, to > from]).toEqual([true, true]);
    return ics.slice(from + 1, to).filter((l) => !allowed.includes(l.split(',')[8]!));
  }

  it('leaves no inline cache of the dictionary to miss on the first lookups after import', () => {
    // Rows the warm-up does not decode: a source literal (internalized), a string built at run time, a number.
    const lookups = [
      "globalThis.a = m.lookupTag('(0010,0011)');",
      "globalThis.b = m.lookupTag(['(0018', '0012)'].join(','));",
      'globalThis.c = m.lookupTag(0x00200013);',
    ].join('\n');
    expect(icChangesDuringFirstLookups(lookups, ['lookupTag', 'join', 'globalThis', 'a', 'b', 'c'])).toEqual([]);
  });

  it('gives the entries it decodes the shape of the entries decoded after it (none left on a deprecated map)', () => {
    // Row 0 is decoded at import, (FFFE,E000) (not a small integer) too; (0010,0011) after import.
    // An entry built before the tag field had to hold a large number keeps a deprecated map.
    const sub = join(dir, `maps${copies++}`);
    mkdirSync(sub);
    const js = ts.transpileModule(emitDictionary(ctx).files[0]!.content, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(sub, 'dictionary.js'), js);
    writeFileSync(join(sub, 'package.json'), '{ "type": "module" }\n');
    const check = [
      "const m = await import('./dictionary.js');",
      "const early = m.lookupTag(0x00080010), item = m.lookupTag(0xfffee000), late = m.lookupTag('(0010,0011)');",
      // Maps compared before any property load: a load migrates an object off a deprecated map.
      'const same = [%HaveSameMap(early, late), %HaveSameMap(item, late)];',
      'console.log(JSON.stringify([early.keyword, item.keyword, late.keyword, ...same]));',
    ];
    writeFileSync(join(sub, 'maps.mjs'), `${check.join('\n')}\n`);
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', join(sub, 'maps.mjs')], { cwd: sub, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['Element0', 'Item', 'Element1', true, true]);
  });
});
