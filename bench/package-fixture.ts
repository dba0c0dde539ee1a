/**
 * The generated package as a user installs it: `tsc` of generated/ into `pkg/dist`, its
 * package.json beside it, and an `app/` whose node_modules holds it (as `@dicom-dictgen/dictionary`)
 * next to the peers (dcmjs, @iwharris/dicom-data-dictionary). Cold imports, lookups, bundles and
 * `tsc` all run from `app/`. Cached in the temp dir by a fingerprint of generated/.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { repo } from './kit.ts';

export const PACKAGE = '@dicom-dictgen/dictionary';
const generated = join(repo, 'generated');

function fingerprint(): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      if (n === 'dist' || n === 'node_modules') continue;
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else h.update(`${p} ${s.size} ${s.mtimeMs}\n`);
    }
  };
  walk(generated);
  return h.digest('hex').slice(0, 16);
}

export interface PackageFixture {
  /** Package root: package.json + dist/. */
  pkg: string;
  /** A consumer project: node_modules with the package and the peers. */
  app: string;
}

export function packageFixture(): PackageFixture {
  const root = join(tmpdir(), `dictgen-bench-pkg-${fingerprint()}`);
  const pkg = join(root, 'pkg');
  const app = join(root, 'app');
  if (existsSync(join(root, 'ready'))) return { pkg, app };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(pkg, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('bench: compiling generated/ to dist/ with tsc…\n');
  // The package's own build (build.mjs: comment-free JavaScript, .d.ts with doc comments) where it has one.
  const build = join(generated, 'build.mjs');
  const argv = existsSync(build) ? [build, '--outDir', join(pkg, 'dist')] : [tsc, '-p', join(generated, 'tsconfig.json'), '--outDir', join(pkg, 'dist')];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build of generated/ failed: ${(r.stdout + r.stderr).split('\n').slice(0, 3).join(' | ')}`);
  copyFileSync(join(generated, 'package.json'), join(pkg, 'package.json'));
  const nm = join(app, 'node_modules');
  mkdirSync(join(nm, '@dicom-dictgen'), { recursive: true });
  mkdirSync(join(nm, '@iwharris'), { recursive: true });
  symlinkSync(pkg, join(nm, PACKAGE));
  for (const peer of ['dcmjs', '@iwharris/dicom-data-dictionary']) symlinkSync(join(repo, 'node_modules', peer), join(nm, peer));
  writeFileSync(join(app, 'package.json'), '{ "name": "bench-app", "private": true, "type": "module" }\n');
  writeFileSync(join(root, 'ready'), '');
  return { pkg, app };
}

/** Static ESM import graph size from an entry file: how many modules a cold import evaluates. */
export function moduleCount(entry: string): number {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readText(file);
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"](\.[^'"]+)['"]/g)) visit(join(dirname(file), m[1]!));
    for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) visit(join(dirname(file), m[1]!));
  };
  visit(entry);
  return seen.size;
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}
