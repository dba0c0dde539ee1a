import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from './helpers/shared.ts';

/** Run the real bin (tsx loader) as a user would. */
export function cli(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI exit codes and errors', () => {
  it('no command is a usage error (2) and prints the command list', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/generate/);
    expect(r.stdout).toMatch(/lookup/);
  });
  it('an unknown command is a usage error naming it', () => {
    const r = cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
  it('an unknown option is a usage error (2) in one line', () => {
    const r = cli(['generate', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--bogus/);
  });
  it('a missing source directory is invalid input (1), one line naming the argument and the fix', () => {
    const r = cli(['generate', '--source', '/nonexistent/dir', '--out', '/tmp/never-written']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--source \/nonexistent\/dir: no such file or directory\. Pass a directory/);
  });
  it('--source and --config together are a usage error', () => {
    const r = cli(['generate', '--source', 'a', '--config', 'b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exclusive/);
  });
  it('lint and validate refuse --source with --config too, and every command refuses an empty path', () => {
    for (const args of [['lint', '--source', 'a', '--config', 'b', 'x.txt'], ['validate', '--source', 'a', '--config', 'b', 'x.json']]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${args[0]}: --source and --config are exclusive`));
    }
    const out = join(mkdtempSync(join(tmpdir(), 'dictgen-empty-config-')), 'out');
    const empty = cli(['generate', '--config', '', '--out', out]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--config: empty path/);
    expect(existsSync(out)).toBe(false);
  });
  it('lookup of a malformed query is a usage error', () => {
    const r = cli(['lookup', '(zz,00)']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a tag, keyword or UID/);
  });
});

describe('lookup', () => {
  it('prints a data element for a tag in any accepted form, human and --json', () => {
    const human = cli(['lookup', '(0010,0010)']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/keyword\s+PatientName/);
    expect(human.stdout).toMatch(/tag\s+0x00100010/);
    const json = cli(['lookup', '0x60023000', '--json']);
    expect(json.code).toBe(0);
    const e = JSON.parse(json.stdout);
    expect(e).toMatchObject({ keyword: 'OverlayData', tagString: '(60xx,3000)', vr: ['OB', 'OW'], retired: false });
  });
  it('prints a UID with its transfer syntax properties', () => {
    const r = cli(['lookup', '1.2.840.10008.1.2.1', '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e).toMatchObject({ keyword: 'ExplicitVRLittleEndian', type: 'Transfer Syntax', transferSyntax: { explicitVr: true, byteOrder: 'little' } });
  });
  it('looks up keywords and exits 1 when nothing matches', () => {
    expect(cli(['lookup', 'SOPInstanceUID']).stdout).toMatch(/0x00080018/);
    const miss = cli(['lookup', 'NoSuchKeyword']);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toMatch(/no keyword NoSuchKeyword/);
  });
});

describe('generate --quiet and progress', () => {
  it('prints progress and counts on stderr, nothing with --quiet; stdout stays empty', () => {
    const loud = cli(['generate', '--out', '/tmp/dictgen-cli-quiet-test', '--force', '--families', 'vrs']);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toBe('');
    expect(loud.stderr).toMatch(/data elements: \d+/);
    const quiet = cli(['generate', '--out', '/tmp/dictgen-cli-quiet-test', '--force', '--families', 'vrs', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('bad source files: one line, exit 1, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['not a NEMA document', 'garbage', /part06\.xml: cannot read the part and edition from the subtitle/],
    ['table missing', '<?xml version="1.0"?><book xmlns="http://docbook.org/ns/docbook"><subtitle>DICOM PS3.6 2099a - Data Dictionary</subtitle></book>', /part06\.xml \(PS3\.6 2099a\): Table 6-1 not found/],
    [
      'changed table shape',
      '<?xml version="1.0"?><book xmlns="http://docbook.org/ns/docbook"><subtitle>DICOM PS3.6 2099a - Data Dictionary</subtitle><table xml:id="table_6-1"><thead><tr><th>Tag</th><th>Name</th><th>Keyword</th><th>VR</th><th>VM</th><th>Colour</th></tr></thead><tbody><tr><td>(0010,0010)</td><td>Patient Name</td><td>PatientName</td><td>PN</td><td>1</td><td></td></tr></tbody></table></book>',
      /part06\.xml Table 6-1: unknown column header "Colour" \(column 6;/,
    ],
  ];
  for (const [what, xml, message] of cases) {
    it(what, () => {
      const dir = mkdtempSync(join(tmpdir(), 'dictgen-bad-'));
      writeFileSync(join(dir, 'part06.xml'), xml);
      const out = join(dir, 'out');
      const r = cli(['generate', '--source', dir, '--out', out, '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('entry points inside the repository', () => {
  it('npx dicom-dictgen and npm run dictgen -- run the same CLI', () => {
    const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_yes: 'false' };
    const npx = spawnSync('npx', ['--no-install', 'dicom-dictgen', '--version'], { cwd: repoRoot, encoding: 'utf8', env });
    expect(npx.status, npx.stderr).toBe(0);
    const npm = spawnSync('npm', ['run', '--silent', 'dictgen', '--', '--version'], { cwd: repoRoot, encoding: 'utf8', env });
    expect(npm.status, npm.stderr).toBe(0);
    expect(npx.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(npm.stdout.trim()).toBe(npx.stdout.trim());
  });
});
