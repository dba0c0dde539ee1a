/** `private extract` on rows the PDF extraction wrapped, in both column forms, with cells after VM. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { scrapePrivateFile } from '../sources/private/index.ts';
import { joinWrappedCreatorRow, splitNameVrVm } from '../sources/private/conformance-statement.ts';
import { repoRoot } from './helpers/shared.ts';
import { spawnSync } from 'node:child_process';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const file = join(repoRoot, 'test', 'fixtures', 'private', 'wrapped-rows.txt');

describe('conformance statement rows wrapped across lines', () => {
  const r = scrapePrivateFile(file);
  const rows = r.ir.privateDictionaries!.elements.map((e) => [e.creator, `${e.group},xx${e.offset}`, e.name, e.vr.join('/'), e.vm, e.prov.line, e.columns ?? {}]);

  it('reads every row of both forms, names joined, cells after VM kept out of the name', () => {
    const leak = 'Safe from identity leakage';
    expect(rows).toEqual([
      ['ACME IMAGING EXTENSIONS', '0019,xx2A', 'Reconstruction Kernel Description', 'LO', '1', 6, {}],
      ['ACME IMAGING EXTENSIONS', '0019,xx2B', 'Kernel Name', 'LO', '1', 11, { [leak]: 'YES' }],
      ['ACME IMAGING EXTENSIONS', '0019,xx2C', 'Slice Sensitivity Profile', 'FD', '1-n', 12, { [leak]: 'NO' }],
      ['ACME IMAGING EXTENSIONS', '0019,xx2D', 'Dose Modulation Strength', 'US', '1', 14, { [leak]: 'YES' }],
      ['ACME DETECTOR', '0021,xx10', 'Detector Row', 'US', '1', 20, { [leak]: 'YES' }],
      ['ACME DETECTOR', '0021,xx11', 'Detector Element Gain Correction Table', 'FL', '1-n', 22, { [leak]: 'NO' }],
      ['ACME DETECTOR', '0021,xx12', 'Detector Temperature in Kelvin', 'DS', '1', 23, {}],
      ['ACME DETECTOR', '0021,xx13', 'Detector Serial Number', 'LO', '1', 25, { [leak]: 'NO' }],
    ]);
  });
  it('accounts for every line and reports each join', () => {
    const a = r.report.accounts[0]!;
    expect(a.parsed + a.rejected + a.skipped).toBe(a.bodyRows);
    expect(a.rejected).toBe(0);
    const joins = r.report.diagnostics.filter((d) => d.code === 'row-joined' || d.code === 'name-joined').map((d) => d.line);
    expect(joins).toEqual([6, 12, 22, 24]);
    expect(r.report.diagnostics.find((d) => d.line === 6)!.message).toContain('lines 6-10');
  });
  it('splitNameVrVm takes the first VR followed by a VM and leaves trailing cells out', () => {
    expect(splitNameVrVm(' Kernel Name LO 1 YES')).toEqual({ name: 'Kernel Name', vr: ['LO'], vm: '1', extras: ['YES'] });
    expect(splitNameVrVm(' Pixel Data\tOB or OW\t1\tnot safe')).toEqual({ name: 'Pixel Data', vr: ['OB', 'OW'], vm: '1', extras: ['not safe'] });
    expect(splitNameVrVm(' Table Offset DS')).toEqual({ name: 'Table Offset', vr: ['DS'], vm: '', extras: [] });
    expect(splitNameVrVm(' no representation here')).toBeUndefined();
  });
  it('does not join past a blank line or another tag', () => {
    expect(joinWrappedCreatorRow(['(0019,ACME', '', 'X,10) Name LO 1'], 0)).toBeUndefined();
    expect(joinWrappedCreatorRow(['(0019,ACME X,10) Name', '(0019,ACME X,11) Other LO 1'], 0)).toBeUndefined();
  });
  it('private extract --json carries the named cells under source.columns', () => {
    const out = cli(['private', 'extract', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as { creators: { creator: string; elements: { tag: string; name: string; source: { columns?: Record<string, string> } }[] }[] };
    const ext = doc.creators.find((c) => c.creator === 'ACME IMAGING EXTENSIONS')!;
    expect(ext.elements.find((e) => e.tag === '(0019,xx2B)')).toMatchObject({ name: 'Kernel Name', source: { columns: { 'Safe from identity leakage': 'YES' } } });
  });
});
