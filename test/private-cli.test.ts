import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../generator/cli.ts';
import type { CliIo } from '../generator/commands/index.ts';
import { validatePrivateJson, type PrivateJsonDocument } from '../sources/private/private-json.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'private', name);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, cwd: repoRoot };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('dicom-dictgen private extract', () => {
  it('prints a table of what was found, the accounting and the problems', async () => {
    const r = await run(['private', 'extract', fixture('spectral-space-runs.txt')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('spectral-space-runs.txt: conformance statement (conformance-statement)');
    expect(r.stdout).toContain('private attribute tables: 22 lines, 12 parsed, 2 rejected, 8 skipped');
    expect(r.stdout).toContain('8 private element(s) of 2 creator(s)');
    expect(lines.some((l) => /^Creator\s+Tag\s+VR\s+VM\s+Name\s+Line$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ELSCINT1\s+\(01F7,xxCB\)\s+DS\s+-\s+Monochromatic energy keV\s+10$/.test(l))).toBe(true);
    expect(r.stdout).toContain('Problems: 3 (plus 6 note(s) on repairs; --all lists them)');
    expect(r.stdout).toMatch(/warning private-creator-unknown: spectral-space-runs\.txt line 19: \(01FB,xx10\)/);
    expect(r.stdout).toMatch(/warning private-tag-unparsed: spectral-space-runs\.txt line 20/);
  });
  it('--json prints the native format, which validates and loads back as a layer', async () => {
    const r = await run(['private', 'extract', fixture('siemens-rt-conformance.txt'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PrivateJsonDocument;
    expect(validatePrivateJson(doc)).toEqual([]);
    expect(doc.creators.map((c) => [c.creator, c.elements.length])).toEqual([
      ['SIEMENS CT RT Structure Set', 5],
      ['SIEMENS MED DISPLAY', 1],
    ]);
    expect(doc.creators[0]!.elements[1]).toEqual({
      tag: '(0029,xx10)',
      name: 'Contour Algorithm',
      vr: 'CS',
      vm: '1',
      source: { document: 'siemens-rt-conformance.txt', line: 7, table: 'Table 5-3: Private attributes of the RT Structure Set', raw: '(0029,SIEMENS CT RT Structure Set,10)    Contour Algorithm    CS    1' },
    });
    expect(doc.problems!.map((p) => p.code)).toEqual(['private-tag-unparsed', 'private-offset-range-summary']);
  });
  it('hostile names cannot steer the terminal', async () => {
    const r = await run(['private', 'extract', fixture('hostile.private.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('line\nbreak');
    expect(r.stdout).toContain('line break sep');
  });
  it('usage errors exit 2 in one line; a missing file exits 1 naming it', async () => {
    const a = await run(['private']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toMatch(/private: unknown subcommand \(none\)\. Run `dicom-dictgen private extract <file> \[--json\]`/);
    const b = await run(['private', 'extract']);
    expect(b.code).toBe(2);
    const c = await run(['private', 'extract', 'nope.txt']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/nope\.txt: cannot read private dictionary source \(ENOENT\)\. Check the path/);
    const d = await run(['private', 'extract', fixture('acme.dic'), '--bogus']);
    expect(d.code).toBe(2);
  });
  it('runs through the real bin', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), 'private', 'extract', fixture('acme.dic'), '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as PrivateJsonDocument;
    expect(doc.creators.map((c) => c.creator)).toEqual(['ACME 1.1', 'ACME OVL', 'acme 1.1']);
  });
});

describeShared('private extract on conformance statement 003', () => {
  it('lists the twelve ELSCINT1 attributes and the one problem', async () => {
    const r = await run(['private', 'extract', sharedPath('seeds', '003_90dfa96442564ae8.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ELSCINT1  ('))).toHaveLength(12);
    expect(r.stdout).toContain('Problems: 1 ');
    const j = JSON.parse((await run(['private', 'extract', sharedPath('seeds', '003_90dfa96442564ae8.txt'), '--json'])).stdout) as PrivateJsonDocument;
    expect(j.creators).toHaveLength(1);
    expect(j.creators[0]!.groups).toEqual(['01E1', '01F1', '01F7']);
    expect(j.creators[0]!.elements.map((e) => `${e.tag} ${e.vr}`)).toEqual([
      '(01E1,xx55) SQ',
      '(01E1,xx56) CS',
      '(01E1,xx57) CS',
      '(01F1,xx4F) US',
      '(01F7,xxCB) DS',
      '(01F7,xxCC) ST',
      '(01F7,xxCD) CS',
      '(01F7,xxCE) LT',
      '(01F7,xxD3) LT',
      '(01F7,xxD4) SH',
      '(01F7,xxD6) IS',
      '(01F7,xxDC) DS',
    ]);
  });
});
