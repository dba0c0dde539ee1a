import { describe, expect, it } from 'vitest';
import { compareTags, compareUids } from '../generator/normalize.ts';
import { discoverSources } from '../generator/discover.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('deterministic order', () => {
  it('sorts UIDs by numeric components', () => {
    const uids = ['1.2.840.10008.1.2.10', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2', '1.2.840.10008.1.20'];
    expect([...uids].sort(compareUids)).toEqual(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.10', '1.2.840.10008.1.20']);
  });
  it('sorts tags numerically with masks after the exact tag of the same base', () => {
    expect(['60xx3000', '00100010', '00080005', '60003000'].sort(compareTags)).toEqual(['00080005', '00100010', '60003000', '60xx3000']);
  });
});

describe('source discovery', () => {
  it('recognises NEMA part files by name and lists what it ignores', () => {
    const d = mkdtempSync(join(tmpdir(), 'dictgen-disc-'));
    for (const n of ['part06.xml', 'part15-2017d.html', 'notes.txt', 'private.dic']) writeFileSync(join(d, n), '');
    const r = discoverSources(d);
    expect(r.found.map((f) => [f.kind, f.partHint ?? null])).toEqual([
      ['nema', 6],
      ['nema', 15],
      ['private', null],
    ]);
    expect(r.ignored).toEqual(['notes.txt']);
  });
  it('fails with a one-line error naming the argument for a missing directory', () => {
    expect(() => discoverSources('/nonexistent/dir')).toThrow(/--source \/nonexistent\/dir: no such file or directory\. Pass/);
  });
});
