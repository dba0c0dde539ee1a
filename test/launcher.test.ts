/**
 * The CLI launcher (generator/dicom-dictgen.js): it runs the plain-JS build (generator/build.js)
 * only while the build's stamp matches the sources, and otherwise the TypeScript through tsx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';
// @ts-expect-error plain-JS module (the launcher imports it without a TypeScript loader)
import { buildIsFresh, sourceStamp, STAMP_FILE } from '../generator/build-stamp.js';

const isFresh = buildIsFresh as (root: string, buildDir: string) => boolean;
const stamp = sourceStamp as (root: string) => string;

describe('build stamp', () => {
  const root = mkdtempSync(join(tmpdir(), 'dictgen-stamp-'));
  const build = join(root, '.build');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const writeStamp = () => {
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, STAMP_FILE as string), JSON.stringify({ sources: stamp(root) }));
  };
  beforeAll(() => {
    mkdirSync(join(root, 'generator', 'emit'), { recursive: true });
    mkdirSync(join(root, 'sources'), { recursive: true });
    writeFileSync(join(root, 'generator', 'cli.ts'), 'export {};\n');
    writeFileSync(join(root, 'generator', 'emit', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'sources', 'b.ts'), 'export const b = 2;\n');
  });

  it('no build or no stamp is stale', () => {
    expect(isFresh(root, build)).toBe(false);
    mkdirSync(build, { recursive: true });
    expect(isFresh(root, build)).toBe(false);
  });
  it('a stamp of the current sources is fresh', () => {
    writeStamp();
    expect(isFresh(root, build)).toBe(true);
  });
  it('touching a source makes the build stale', () => {
    writeStamp();
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'generator', 'emit', 'a.ts'), later, later);
    expect(isFresh(root, build)).toBe(false);
  });
  it('an edit of the same size and an added or removed file make it stale', () => {
    writeStamp();
    const f = join(root, 'sources', 'b.ts');
    const t = new Date(Date.now() + 10_000);
    writeFileSync(f, 'export const b = 3;\n');
    utimesSync(f, t, t);
    expect(isFresh(root, build)).toBe(false);
    writeStamp();
    writeFileSync(join(root, 'sources', 'c.ts'), 'export {};\n');
    expect(isFresh(root, build)).toBe(false);
    writeStamp();
    unlinkSync(join(root, 'sources', 'c.ts'));
    expect(isFresh(root, build)).toBe(false);
  });
  it('files other than .ts do not count', () => {
    writeStamp();
    writeFileSync(join(root, 'generator', 'notes.md'), 'x\n');
    expect(isFresh(root, build)).toBe(true);
  });
});

/** Every file under dir (relative path → bytes). */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rel of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (rel.isFile()) out.set(relative(dir, join(rel.parentPath, rel.name)), readFileSync(join(rel.parentPath, rel.name)));
  }
  return out;
}

describe('launcher with a real build', () => {
  // Inside the repository (git-ignored `.build*/`) so the build's .js files are ESM through package.json.
  const build = mkdtempSync(join(repoRoot, '.build-test-'));
  const work = mkdtempSync(join(tmpdir(), 'dictgen-launcher-'));
  afterAll(() => {
    rmSync(build, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  const launch = (args: string[], buildDir: string) =>
    spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DICTGEN_BUILD_DIR: buildDir, DICTGEN_LAUNCHER_TRACE: '1', FORCE_COLOR: '0' },
    });
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'build.js'), '--out', build], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('writes plain JS with .js imports and a stamp of the sources', () => {
    const cli = readFileSync(join(build, 'generator', 'cli.js'), 'utf8');
    expect(cli).toMatch(/from ["']\.\/commands\/index\.js["']/);
    expect(cli).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(readFileSync(join(build, 'generator', 'commands', 'index.js'), 'utf8')).toMatch(/import\("\.\/generate\.js"\)/);
    expect(isFresh(repoRoot, build)).toBe(true);
  });
  it('runs the build while it is fresh', () => {
    const r = launch(['--version'], build);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`launcher: build ${build}`);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
  it('raises V8\'s tier-up budget for generate only (issue 13: TurboFan\'s background compiles took CPU from the busy threads)', () => {
    expect(launch(['generate', '--help'], build).stderr).toContain(`launcher: build ${build} (V8 --interrupt-budget=4000000)`);
    expect(launch(['--version'], build).stderr).not.toContain('V8 --interrupt-budget');
    expect(launch(['validate', '--help'], build).stderr).not.toContain('V8 --interrupt-budget');
  });
  it('falls back to tsx when the stamp no longer matches or the build is missing', () => {
    const stampFile = join(build, STAMP_FILE as string);
    const saved = readFileSync(stampFile, 'utf8');
    writeFileSync(stampFile, JSON.stringify({ sources: 'a source was edited after this build' }));
    try {
      const r = launch(['--version'], build);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('launcher: tsx');
    } finally {
      writeFileSync(stampFile, saved);
    }
    expect(launch(['--version'], join(work, 'no-build')).stderr).toContain('launcher: tsx');
  });

  it('the build loads a dicom-dictgen.config.ts as tsx does (tsx registered on demand)', () => {
    const config = join(work, 'dicom-dictgen.config.ts');
    writeFileSync(config, 'const layers: unknown[] = [];\nexport default { layers, bogusKey: 1 };\n');
    const viaBuild = launch(['generate', '--config', config, '--out', join(work, 'never')], build);
    const viaTsx = launch(['generate', '--config', config, '--out', join(work, 'never')], join(work, 'no-build'));
    expect(viaBuild.stderr).toContain('launcher: build');
    expect(viaBuild.stderr).toMatch(/bogusKey/);
    expect(viaBuild.stderr.split('\n').slice(1)).toEqual(viaTsx.stderr.split('\n').slice(1));
    expect(viaBuild.status).toBe(1);
  });

  describeShared('same output as the TypeScript', () => {
    it('generate --families tags from PS3.6 2013 is byte-identical through the build and through tsx', () => {
      const src = join(work, 'part06');
      mkdirSync(src);
      symlinkSync(sharedPath('standard', 'nema', '2013', 'part06.xml'), join(src, 'part06.xml'));
      const args = (out: string) => ['generate', '--source', src, '--families', 'tags', '--out', out, '--force', '--quiet'];
      const viaBuild = launch(args(join(work, 'build-out')), build);
      expect(viaBuild.stderr).toContain('launcher: build');
      expect(viaBuild.status).toBe(0);
      const viaTsx = launch(args(join(work, 'tsx-out')), join(work, 'no-build'));
      expect(viaTsx.stderr).toContain('launcher: tsx');
      expect(viaTsx.status).toBe(0);
      const a = tree(join(work, 'build-out'));
      const b = tree(join(work, 'tsx-out'));
      expect(a.size).toBeGreaterThan(2);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
    }, 120_000);
  });
});
