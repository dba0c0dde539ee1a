/**
 * `lookupPrivate` returns the most specific entry (an entry pinned to the tag's block over an `xx`
 * one), and a written private name is never replaced by a DCMTK-derived or placeholder one.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { emptyIr, emptyReport, type Ir } from '../generator/ir.ts';
import type { PrivateElement } from '../generator/ir-private.ts';
import { emitPrivate } from '../generator/emit/private.ts';
import { mergePrivateDictionaries, scrapePrivateFile } from '../sources/private/index.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

interface Match {
  name: string;
  vr: string[];
  vm: string;
  block?: number;
  tag: number;
}
type Lookup = (creator: string, tag: number | string, reservation?: unknown) => Match | undefined;

function irOf(paths: string[]): Ir {
  const parts = paths.map((p) => scrapePrivateFile(p));
  const ir = emptyIr();
  ir.sources = parts.map((p) => p.source);
  // Lowest precedence first, as generator/merge.ts passes the layers.
  ir.privateDictionaries = mergePrivateDictionaries(
    parts.map((p) => ({ layer: p.source.id, section: p.ir.privateDictionaries! })).reverse(),
    emptyReport(),
  );
  return ir;
}

async function lookupFor(ir: Ir): Promise<Lookup> {
  const result = emitPrivate({ ir, generatorVersion: '0.0.0-test', selection: {} });
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-private-specific-'));
  for (const f of result.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const out = join(dir, 'bundle.mjs');
  await esbuild.build({ entryPoints: [join(dir, 'private', 'index.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'silent' });
  return ((await import(pathToFileURL(out).href)) as { lookupPrivate: Lookup }).lookupPrivate;
}

const el = (over: Partial<PrivateElement>): PrivateElement => ({
  creator: 'ACME PINNED',
  group: '0019',
  offset: '0D',
  keyword: 'AnyBlock',
  name: 'Any Block',
  vr: ['DS'],
  vm: '1',
  retired: false,
  prov: { source: 'fixture', table: 't' },
  ...over,
});

describe('lookupPrivate: the most specific entry wins (hand-written entries)', () => {
  it('returns the entry pinned to the block over the xx entry, whatever their order', async () => {
    const ir = emptyIr();
    ir.privateDictionaries = {
      elements: [
        el({}),
        el({ block: '10', keyword: 'PinnedTen', name: 'Pinned Ten', vr: ['FL'], vm: '3' }),
        el({ offset: '10', offsetLast: '1F', keyword: 'Range', name: 'Range', vr: ['UN'] }),
        el({ offset: '12', keyword: 'Twelve', name: 'Twelve', vr: ['US'] }),
      ],
    };
    const lookup = await lookupFor(ir);
    expect(lookup('ACME PINNED', 0x0019100d)).toMatchObject({ name: 'Pinned Ten', vr: ['FL'], vm: '3', block: 0x10 });
    expect(lookup('ACME PINNED', 0x0019110d)).toMatchObject({ name: 'Any Block', vr: ['DS'] });
    expect(lookup('ACME PINNED', 0x00191012)).toMatchObject({ name: 'Twelve' });
    expect(lookup('ACME PINNED', 0x00191013)).toMatchObject({ name: 'Range' });
  });
});

describeShared('lookupPrivate over DCMTK + fo-dicom + the Philips statement (as the default merges them)', () => {
  const ir = irOf([
    sharedPath('seeds', '003_90dfa96442564ae8.txt'),
    sharedPath('peers', 'dcmtk-3.6.7', 'private.dic'),
    sharedPath('peers', 'fo-dicom-2024-10', 'private-dictionary.xml'),
  ]);
  const elements = ir.privateDictionaries!.elements;
  const pinned = elements.filter((e) => e.block !== undefined && e.groupLast === undefined && e.offsetLast === undefined);

  it('every pinned entry of every creator is what lookupPrivate returns for its tag', async () => {
    const lookup = await lookupFor(ir);
    expect(pinned.length).toBeGreaterThan(0);
    const wrong = pinned.filter((e) => {
      const m = lookup(e.creator, parseInt(`${e.group}${e.block}${e.offset}`, 16));
      return !m || m.block !== parseInt(e.block!, 16) || m.name !== e.name || m.vr.join('/') !== e.vr.join('/') || m.vm !== e.vm;
    });
    expect(wrong.map((e) => `${e.creator} (${e.group},${e.block}${e.offset})`)).toEqual([]);
    expect(pinned).toHaveLength(98);
    expect(pinned.filter((e) => e.creator === 'PHILIPS MR/PART')).toHaveLength(88);
    expect(new Set(pinned.map((e) => e.creator)).size).toBe(6);
    expect(lookup('PHILIPS MR/PART', 0x0019100d)).toMatchObject({ name: 'AP Offcenter' });
  });

  it('written names beat DCMTK-derived and placeholder ones', () => {
    const find = (creator: string, group: string, offset: string) => elements.find((e) => e.creator === creator && e.group === group && e.offset === offset && e.block === undefined);
    expect(find('SIEMENS CM VA0  CMS', '0021', '20')).toMatchObject({ name: 'FoV', vr: ['DS'], vm: '2' });
    expect(find('SIEMENS CM VA0  LAB', '0009', '12')!.nameDerived).toBeUndefined();
    expect(find('SIEMENS CM VA0  LAB', '0009', '12')!.name).toBe('X- Ray Tube Identification Label');
  });
});
