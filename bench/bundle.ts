/**
 * Bundle a consumer of the generated package the way an application build would, to measure what
 * tree shaking leaves. Rollup is what Vite uses for production builds; the generated TypeScript is
 * transpiled per file with esbuild (no type checking) and `.js` specifiers resolve to `.ts`.
 * esbuild itself is measured too: it keeps a namespace re-exported with `export * as` whole
 * (a known esbuild limitation), so its users should import `@dicom-dictgen/dictionary/tags`.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup, type Plugin } from 'rollup';
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const repoNodeModules = fileURLToPath(new URL('../node_modules', import.meta.url));

function typescriptSources(): Plugin {
  return {
    name: 'dictgen-ts',
    resolveId(source, importer) {
      if (importer && source.startsWith('.') && source.endsWith('.js')) {
        const ts = join(importer, '..', source.replace(/\.js$/, '.ts'));
        if (existsSync(ts)) return ts;
      }
      return null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const r = await esbuild.transform(code, { loader: 'ts', format: 'esm', target: 'es2022' });
      return { code: r.code, map: null };
    },
  };
}

/** Minified bytes of `code` bundled with rollup (tree shaking on) and minified with esbuild. */
export async function rollupBundle(code: string): Promise<{ bytes: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-rollup-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, code);
  const bundle = await rollup({ input: entry, plugins: [typescriptSources()], logLevel: 'silent', treeshake: { moduleSideEffects: false } });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const min = await esbuild.transform(output[0].code, { minify: true, format: 'esm' });
  return { bytes: Buffer.byteLength(min.code), text: min.code };
}

/** Minified bytes of `code` bundled with esbuild alone. */
export async function esbuildBundle(code: string): Promise<{ bytes: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dictgen-esbuild-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, code);
  // Peers resolve from the repository's node_modules although the entry sits in a temp dir.
  const r = await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent', platform: 'neutral', mainFields: ['module', 'main'], nodePaths: [repoNodeModules] });
  const text = r.outputFiles[0]!.text;
  return { bytes: Buffer.byteLength(text), text };
}
