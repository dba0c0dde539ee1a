/**
 * `dicom-dictgen diff` as a command: sides from IR snapshots (hand-written fixtures), source files
 * and configs; --format, --only, --fail-on exit codes, --out; one-line errors.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../generator/cli.ts';
import type { CliIo } from '../generator/commands/index.ts';
import type { DiffResult } from '../generator/diff/index.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fx = join(repoRoot, 'test', 'fixtures', 'diff');

async function run(args: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd };
  const code = await main(['diff', ...args], io);
  return { code, stdout, stderr };
}

describe('diff command on IR snapshots', () => {
  it('Markdown by default: semver first, the hand-made changes listed, exit 0 without --fail-on', async () => {
    const r = await run(['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/new.ir.json', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[2]).toBe('**Semver impact: MAJOR** — 1 breaking · 3 additions · 2 metadata-only');
    expect(r.stdout).toContain('`test/fixtures/diff/old.ir.json` (snapshot)');
    expect(r.stdout).toMatch(/\| `\(0008,1190\)` \| RetrieveURL \| UT \| UR \|/);
    expect(r.stdout).toMatch(/\| `\(0008,001C\)` \| SyntheticData \| Synthetic Data \| CS \| 1 \|/);
    expect(r.stdout).toMatch(/\| `\(0010,0020\)` \| Patient ID \| basicProfile \| Z \| Z\/D \|/);
    // formatting only: `Patient’s Name`, `TimeRange`/`Time Range`, `(Retired)` in a UID name, option header wording
    expect(r.stdout).not.toMatch(/\(0010,0010\)|\(0008,1163\)/);
    expect(r.stdout).toMatch(/Formatting-only differences ignored .*elements\.name 2/);
  });

  it('--format json: every change with provenance and both sides\' sources', async () => {
    const r = await run(['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/new.ir.json', '--format', 'json', '-q']);
    const j = JSON.parse(r.stdout) as DiffResult;
    expect(j.semver).toBe('major');
    expect(j.old.sources.map((s) => `${s.part} ${s.edition} ${s.sha256.slice(0, 4)}`)).toEqual(['PS3.6 2013 1111', 'PS3.15 2013 2222']);
    expect(j.new.kind).toBe('snapshot');
    expect(j.changes.map((c) => `${c.category} ${c.kind} ${c.key}`)).toEqual([
      'elements added 0008001C',
      'elements vr-changed 00081190',
      'elements unretired 21000140',
      'uids retired 1.2.840.10008.1.2.2',
      'uids added 1.2.840.10008.1.2.4.201',
      'deidentification action-changed 00100020',
    ]);
    const vr = j.changes.find((c) => c.kind === 'vr-changed')!;
    expect(vr.oldProv).toEqual({ source: 'nema-2013-part06', table: 'Table 6-1', row: 4 });
    expect(vr.newProv).toEqual({ source: 'nema-2026c-part06', table: 'Table 6-1', row: 4 });
  });

  it('--fail-on: breaking → 1 on a major impact, any → 1 on any change, 0 when identical', async () => {
    const args = ['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/new.ir.json', '-q'];
    expect((await run([...args, '--fail-on', 'breaking'])).code).toBe(1);
    expect((await run([...args, '--fail-on', 'any'])).code).toBe(1);
    expect((await run([...args, '--fail-on', 'breaking', '--only', 'uids,deidentification'])).code).toBe(0); // minor + patch only
    expect((await run([...args, '--fail-on', 'any', '--only', 'uids'])).code).toBe(1);
    const same = ['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/old.ir.json', '-q'];
    const r = await run([...same, '--fail-on', 'any']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Semver impact: none/);
  });

  it('--max-rows cuts long tables and says how many rows are left out', async () => {
    const r = await run(['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/new.ir.json', '--max-rows', '0', '-q']);
    expect(r.stdout).toContain('… and 1 more (use `--format json` for every change).');
  });

  it('--only restricts categories; --out writes the report to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-diff-'));
    const out = join(dir, 'changes.json');
    const r = await run(['test/fixtures/diff/old.ir.json', 'test/fixtures/diff/new.ir.json', '--only', 'uids', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/semver impact: minor \(0 breaking, 1 additions, 1 metadata-only\)/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as DiffResult;
    expect(j.categories).toEqual(['uids']);
    expect(j.changes.every((c) => c.category === 'uids')).toBe(true);
  });

  it('--help lists the options and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const o of ['--format md|json', '--fail-on breaking|any', '--only', '--max-rows', '--out']) expect(r.stdout).toContain(o);
  });

  it('usage errors exit 2 in one line; bad inputs exit 1 in one line naming the argument', async () => {
    const one = async (args: string[], code: number, re: RegExp) => {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    };
    await one(['test/fixtures/diff/old.ir.json'], 2, /expected <old> and <new>, got 1/);
    await one(['a', 'b', '--format', 'html'], 2, /--format: "html" is not md or json/);
    await one(['a', 'b', '--fail-on', 'minor'], 2, /--fail-on: "minor" is not breaking or any/);
    await one(['a', 'b', '--only', 'elements,tags'], 2, /--only: unknown category "tags"/);
    await one(['a', 'b', '--max-rows', 'ten'], 2, /--max-rows: "ten" is not a whole number/);
    await one(['/nonexistent/old.ir.json', 'test/fixtures/diff/new.ir.json'], 1, /diff \/nonexistent\/old\.ir\.json: no such file or directory\. Pass an IR snapshot/);
    await one(['test/fixtures/diff/not-an-ir.json', 'test/fixtures/diff/new.ir.json'], 1, /neither an IR snapshot .* nor a config/);
  });

  it('an IR snapshot of another IR version is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-diff-'));
    const f = join(dir, 'v0.ir.json');
    writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(join(fx, 'old.ir.json'), 'utf8')), irVersion: 0 }));
    const r = await run([f, join(fx, 'new.ir.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/IR version 0 is not the supported version 1/);
  });

  it('the real bin: exit code 1 with --fail-on breaking', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), 'diff', join(fx, 'old.ir.json'), join(fx, 'new.ir.json'), '--fail-on', 'breaking'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Semver impact: MAJOR/);
    expect(r.stderr).toMatch(/semver impact: major/);
  });
});

describeShared('diff command on sources and configs', () => {
  it('a layered config on one side, a NEMA file on the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dictgen-diff-'));
    const config = join(dir, 'dicom-dictgen.config.json');
    writeFileSync(config, JSON.stringify({ layers: [{ name: 'nema-2013', kind: 'nema', path: sharedPath('standard', 'nema', '2013'), parts: [15] }] }));
    const r = await run([config, sharedPath('standard', 'nema', '2026c', 'part15.xml'), '--format', 'json', '-q']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as DiffResult;
    expect(j.old.kind).toBe('config');
    expect(j.new.kind).toBe('sources');
    expect(j.old.sources.map((s) => `${s.part} ${s.edition} ${s.layer ?? ''}`)).toEqual(['PS3.15 2013 nema-2013']);
    const sig = j.changes.find((c) => c.kind === 'action-changed' && c.key === '04000100')!;
    expect([sig.before, sig.after]).toEqual(['X', 'U']);
  });
});
