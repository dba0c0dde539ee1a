import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers/shared.ts';

/** Run the real bin (tsx loader) as a user would. */
export function cli(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'dicom-dictgen.js'), ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
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
  it('lookup of a malformed query is a usage error', () => {
    const r = cli(['lookup', '(zz,00)']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a tag, keyword or UID/);
  });
});
