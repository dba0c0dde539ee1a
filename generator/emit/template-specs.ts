/**
 * Precompiled handlebars templates (issue 13): `npm ci`'s build (generator/build.js) writes each
 * template of templates/ precompiled into `.build/templates/<name>.<key>.js`, keyed by a sha256 of
 * handlebars' version, the compile options and the template's text; the compiled CLI takes a
 * template from there instead of compiling it on every run (a cold handlebars compiler costs about
 * a tenth of a second per thread). An edited template has another key, so it is compiled as before.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type HandlebarsApi from 'handlebars';

type TemplateSpec = Parameters<typeof HandlebarsApi.template>[0];

/** The full handlebars (with its compiler), loaded only to compile a template. */
const compiler = () => createRequire(import.meta.url)('handlebars') as typeof HandlebarsApi;

/** The options every emit template is compiled with (a fresh object each time: handlebars adds keys to the one it gets). */
export const templateOptions = () => ({ noEscape: false, strict: true });

const handlebarsVersion = (createRequire(import.meta.url)('handlebars/package.json') as { version: string }).version;

/** The precompiled file of a template's text: `<name>.<16 hex digits>.js`. */
export function templateSpecFile(name: string, text: string): string {
  const key = createHash('sha256').update(`${handlebarsVersion}\0${JSON.stringify(templateOptions())}\0`).update(text).digest('hex');
  return `${name}.${key.slice(0, 16)}.js`;
}

/** The folder of precompiled templates beside the compiled generator (`.build/templates/`); none when running the TypeScript. */
function specDir(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  return extname(here) === '.js' ? join(here, '..', '..', '..', 'templates') : undefined;
}

/** The precompiled template spec of this text, if the build wrote one. */
export function precompiledSpec(name: string, text: string): TemplateSpec | undefined {
  const dir = specDir();
  if (!dir) return undefined;
  try {
    const source = readFileSync(join(dir, templateSpecFile(name, text)), 'utf8');
    return new Function(`return ${source};`)() as TemplateSpec;
  } catch {
    return undefined; // not built (or unreadable): compiled from the text
  }
}

/** The spec of a template's text compiled now, as the build precompiles it (a template without a precompiled file, or running the TypeScript). */
export function compiledSpec(text: string): TemplateSpec {
  return new Function(`return ${compiler().precompile(text, templateOptions())};`)() as TemplateSpec;
}

/** Precompile every template of `templatesDir` (top level, `.hbs`) into `outDir` (the build). */
export function precompileTemplates(templatesDir: string, outDir: string): number {
  if (!existsSync(templatesDir)) return 0;
  mkdirSync(outDir, { recursive: true });
  let n = 0;
  for (const f of readdirSync(templatesDir).filter((x) => x.endsWith('.hbs'))) {
    const name = f.slice(0, -4);
    const text = readFileSync(join(templatesDir, f), 'utf8');
    writeFileSync(join(outDir, templateSpecFile(name, text)), String(compiler().precompile(text, templateOptions())));
    n++;
  }
  return n;
}
