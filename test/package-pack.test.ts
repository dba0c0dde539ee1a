/**
 * The published package works the way a TypeScript monorepo expects: `npm pack` builds ESM + .d.ts,
 * a consumer installs the tarball and compiles and runs under moduleResolution bundler and node16,
 * importing from the root and from subpaths. No dependency on the generator at run time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { repoRoot } from './helpers/shared.ts';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const env = { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
let tarball = '';
let consumer = '';
let pkgJson: { name: string; version: string; dependencies?: object; exports: Record<string, unknown> };

/** A subpath under `prefix`; a subpath pattern (`./iods/*`) is filled with a module the package ships. */
function subpathOf(prefix: string): string | undefined {
  const key = Object.keys(pkgJson.exports).find((k) => k.startsWith(prefix));
  if (!key?.endsWith('/*')) return key;
  const installed = join(consumer, 'node_modules', ...pkgJson.name.split('/'), 'dist', key.slice(2, -2));
  const name = readdirSync(installed).find((f) => f.endsWith('.js') && !['index.js', 'lookup.js', 'modules.js', 'types.js'].includes(f));
  return name === undefined ? undefined : `${key.slice(0, -1)}${name.slice(0, -3)}`;
}

// npm pack runs the package's build (tsc): asynchronously, so the test worker keeps answering
// vitest's RPC while it runs (a synchronous call blocked it past vitest's timeout on a busy machine).
const execFileAsync = promisify(execFile);

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'dictgen-pack-'));
  const pkgDir = join(work, 'pkg');
  cpSync(join(repoRoot, 'generated'), pkgDir, { recursive: true, filter: (s) => !s.includes(`${join('generated', 'dist')}`) && !s.includes('node_modules') });
  // build.mjs is a copy of generator/runtime/package-build.mjs: test the repository's, as a regeneration writes it.
  cpSync(join(repoRoot, 'generator', 'runtime', 'package-build.mjs'), join(pkgDir, 'build.mjs'));
  pkgJson = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const { stdout: out } = await execFileAsync('npm', ['pack', '--silent'], { cwd: pkgDir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  tarball = join(pkgDir, out.trim().split('\n').pop()!);
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await execFileAsync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: consumer, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}, 300_000);

describe('npm pack → install → compile → run', () => {
  it('the package has no runtime dependencies and ships dist with types', () => {
    expect(pkgJson.dependencies).toBeUndefined();
    const installed = join(consumer, 'node_modules', ...pkgJson.name.split('/'));
    const dist = readdirSync(join(installed, 'dist'));
    expect(dist).toContain('index.js');
    expect(dist).toContain('index.d.ts');
    // Node resolves the root to its own entry (`Tag` as one object), bundlers to index.js (root-entry.test.ts).
    expect(createRequire(join(consumer, 'probe.js')).resolve(pkgJson.name)).toBe(join(installed, 'dist', 'index.node.js'));
    expect(pkgJson.version).toMatch(/^\d{4}\.\d+\.\d+$/);
  });

  it('ships JavaScript without source comments and .d.ts files that keep the doc comments (hovers)', () => {
    const dist = join(consumer, 'node_modules', ...pkgJson.name.split('/'), 'dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' });
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(5);
    // A comment opens a line in tsc's output; a '/*' inside a string literal never starts one.
    const withComments = js.filter((f) => /^\s*(\/\*|\/\/)(?!\s*@__PURE__)/m.test(readFileSync(join(dist, f), 'utf8')));
    expect(withComments).toEqual([]);
    // tags.js is a data module: printed compact (its source text stays on the heap after import).
    expect(readFileSync(join(dist, 'tags.js'), 'utf8')).toMatch(/^export const CommandGroupLength=0,.*,PatientName=1048592,/m);
    expect(readFileSync(join(dist, 'tags.d.ts'), 'utf8')).toMatch(/\/\*\*\n \* Patient's Name \(0010,0010\): VR PN, VM 1\.\n \*\/\nPatientName = 1048592, ?\n/);
  });

  for (const mode of ['bundler', 'node16'] as const) {
    it(`compiles and runs a consumer under moduleResolution ${mode}, root and subpath imports`, async () => {
      const dir = join(consumer, mode);
      mkdirSync(dir, { recursive: true });
      const iod = subpathOf('./iods/');
      const priv = subpathOf('./private/');
      // The context group registry is a subpath, not a root export (issue 13: the root's declarations stay small).
      const groups = pkgJson.exports['./context-groups'] !== undefined;
      const lines = [
        `import { Tag, lookupTag, lookupUid, edition } from '${pkgJson.name}';`,
        iod ? `import type * as Iod from '${pkgJson.name}/${iod.slice(2)}';` : '',
        priv ? `import * as Creator from '${pkgJson.name}/${priv.slice(2)}';` : '',
        groups ? `import { contextGroupCids } from '${pkgJson.name}/context-groups';` : '',
        `const t: number = Tag.PatientName;`,
        `const e = lookupTag('(0010,0010)');`,
        `if (!e || e.keyword !== 'PatientName' || t !== 0x00100010) throw new Error('lookup failed');`,
        `if (lookupTag(0x60023000)?.keyword !== 'OverlayData') throw new Error('repeating group failed');`,
        `if (!lookupUid('1.2.840.10008.1.2')) throw new Error('uid failed');`,
        iod ? `type Probe = keyof typeof Iod; const probe: Probe[] = []; void probe;` : '',
        priv ? `if (Object.keys(Creator).length === 0) throw new Error('creator module empty');` : '',
        groups ? `if (contextGroupCids.length === 0) throw new Error('no context group');` : '',
        `console.log('ok', edition.sources.length);`,
      ];
      writeFileSync(join(dir, 'main.ts'), lines.filter(Boolean).join('\n') + '\n');
      const compilerOptions =
        mode === 'bundler'
          ? { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, outDir: 'out', types: [], skipLibCheck: false }
          : { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, outDir: 'out', types: [], skipLibCheck: false };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['main.ts'] }));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const c = await execFileAsync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? String(e) }));
      expect(c.stdout + c.stderr).toBe('');
      const run = spawnSync(process.execPath, [join(dir, 'out', 'main.js')], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^ok \d+/);
    });
  }
});
