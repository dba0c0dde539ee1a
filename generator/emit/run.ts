/**
 * The emit stage: run the selected emitters (plus the families they need) over the IR and assemble
 * the publishable package around their files: the entry point (built with ts-morph), package.json
 * with an `exports` map, tsconfig for the compiled output, README and the provenance module.
 */
import type { Ir } from '../ir.ts';
import { emitters } from './index.ts';
import type { EmitContext, EmitResult, EmitSelection, EmittedFile, EntryExport, SubpathExport, Emitter } from './context.ts';
import { fileHeader, tsString, docText, assertIdentifier } from './context.ts';
import { countIr } from '../counts.ts';
import { iodProvenance } from '../iods/coverage.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.ts';

export const PACKAGE_NAME = '@dicom-dictgen/dictionary';

export interface EmitOptions {
  selection: EmitSelection;
  generatorVersion: string;
  /** `countIr(ir)` when the caller has it already (the pipeline's report): the README's counts are not computed twice. */
  counts?: Record<string, number>;
  /** Results of families emitted elsewhere from the same IR (the emit worker, generator/emit/worker.ts): used instead of running them here. */
  precomputed?: ReadonlyMap<string, EmitResult>;
  /** `iodProvenance` of the IR's IOD family when `ir` was parsed without it (the emit worker holds it, issue 13). */
  iodProvenance?: readonly (readonly [table: string, source: string])[];
}

/** Families to run: the selection (or all) plus everything they transitively need. */
export function resolveFamilies(all: Emitter[], selection: EmitSelection): Emitter[] {
  const byFamily = new Map(all.map((e) => [e.family, e]));
  if (!selection.families) return all;
  const want = new Set<string>();
  const visit = (f: string) => {
    if (want.has(f)) return;
    const e = byFamily.get(f);
    if (!e) throw new Error(`unknown output family "${f}" (known: ${[...byFamily.keys()].join(', ')})`);
    want.add(f);
    for (const n of e.needs ?? []) visit(n);
  };
  for (const f of selection.families) visit(f);
  return all.filter((e) => want.has(e.family));
}

/** `2026c` → `2026.3`; the package version encodes the newest edition of its data. */
export function editionVersion(ir: Ir, generatorVersion: string): string {
  const eds = ir.sources.map((s) => s.edition).filter((e) => /^\d{4}[a-z]?$/.test(e));
  eds.sort();
  const newest = eds[eds.length - 1] ?? '0000';
  const year = newest.slice(0, 4);
  const letter = newest.length > 4 ? newest.charCodeAt(4) - 96 : 0;
  // Patch = the generator's minor*100 + patch so generator fixes on the same data still bump.
  const [, minor = '0', patch = '0'] = generatorVersion.split('.');
  return `${Number(year)}.${letter}.${Number(minor) * 100 + Number(patch)}`;
}

/** Results of the selected families that `include` accepts, by family: emitted ahead, then handed to `emitPackage` as `precomputed`. */
export function emitFamilies(ir: Ir, opts: EmitOptions, include: (family: string) => boolean): Map<string, EmitResult> {
  const ctx: EmitContext = { ir, generatorVersion: opts.generatorVersion, selection: opts.selection };
  return new Map(resolveFamilies(emitters, opts.selection).filter((e) => include(e.family)).map((e) => [e.family, e.emit(ctx)]));
}

export function emitPackage(ir: Ir, opts: EmitOptions): EmittedFile[] {
  const ctx: EmitContext = { ir, generatorVersion: opts.generatorVersion, selection: opts.selection };
  const files: EmittedFile[] = [];
  const entry: EntryExport[] = [{ from: './edition.js' }];
  const subpaths: SubpathExport[] = [];
  const families = resolveFamilies(emitters, opts.selection);
  for (const e of families) {
    const r = opts.precomputed?.get(e.family) ?? e.emit(ctx);
    files.push(...r.files);
    entry.push(...(r.entry ?? []));
    subpaths.push(...(r.subpaths ?? []));
  }
  files.push(emitEdition(ctx, opts.iodProvenance));
  files.push({ path: 'index.ts', content: emitIndex(ctx, entry) });
  if (entry.some((e) => e.node !== undefined)) files.push({ path: 'index.node.ts', content: emitIndex(ctx, entry, 'node') });
  const version = editionVersion(ir, opts.generatorVersion);
  files.push({ path: 'package.json', content: emitPackageJson(version, subpaths) });
  files.push({ path: 'tsconfig.json', content: emitTsconfig() });
  files.push({ path: 'build.mjs', content: readFileSync(join(repoRoot, 'generator', 'runtime', 'package-build.mjs'), 'utf8') /* from the repository, so the compiled CLI in .build/ finds it too */ });
  files.push({ path: 'README.md', content: emitReadme(ctx, version, subpaths, new Set(families.map((f) => f.family)), opts.counts ?? countIr(ir)) });
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Provenance of the data: every source (part, edition, sha256) and which source fed which table. */
export function emitEdition(ctx: EmitContext, iodTables: readonly (readonly [string, string])[] = iodProvenance(ctx.ir)): EmittedFile {
  const { ir } = ctx;
  const tables = new Map<string, Set<string>>();
  const note = (entries: { prov: { source: string; table: string } }[]) => {
    for (const e of entries) {
      const s = tables.get(e.prov.table) ?? new Set<string>();
      s.add(e.prov.source);
      tables.set(e.prov.table, s);
    }
  };
  note(ir.dataElements);
  note(ir.uids);
  note(ir.valueRepresentations);
  note(ir.transferSyntaxes);
  note(ir.deidentification);
  note(iodTables.map(([table, source]) => ({ prov: { table, source } })));
  if (ir.contextGroups) {
    note(ir.contextGroups.groups);
    note(ir.contextGroups.codingSchemes);
    note(ir.contextGroups.dcmCodes);
  }
  if (ir.privateDictionaries) note(ir.privateDictionaries.elements);
  const src = ir.sources
    .map(
      (s) =>
        `  { id: ${tsString(s.id)}, part: ${tsString(s.part)}, edition: ${tsString(s.edition)}, format: ${tsString(s.format)}, file: ${tsString(s.file)}, sha256: ${tsString(s.sha256)} },`,
    )
    .join('\n');
  const tbl = [...tables.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, ids]) => `  ${tsString(t)}: [${[...ids].sort().map(tsString).join(', ')}],`)
    .join('\n');
  const content = `${fileHeader(ctx, ir.sources.map((s) => s.id), 'provenance of the data in this package')}
/** One file the data was read from. */
export interface SourceInfo {
  readonly id: string;
  readonly part: string;
  readonly edition: string;
  readonly format: string;
  readonly file: string;
  readonly sha256: string;
}

/** Provenance of this package's data: the generator, every source read, and which sources fed each table. */
export const edition: {
  readonly generator: string;
  readonly sources: readonly SourceInfo[];
  readonly tables: Readonly<Record<string, readonly string[]>>;
} = {
  generator: ${tsString(`dicom-dictgen ${ctx.generatorVersion}`)},
  sources: [
${src}
  ],
  tables: {
${tbl}
  },
};
`;
  return { path: 'edition.ts', content };
}

/**
 * The entry point: one export declaration per entry, sorted, duplicates dropped. `node`: the entry
 * Node loads (package.json condition `node`), where an entry with a `node` module re-exports from it.
 */
function emitIndex(ctx: EmitContext, entry: EntryExport[], target?: 'node'): string {
  const title = target === 'node' ? 'package entry point for Node (bundlers: index.ts)' : 'package entry point';
  return `${fileHeader(ctx, ctx.ir.sources.map((s) => s.id), title)}\n${ES5_FIRST}${exportDeclarations(entry, target)}`;
}

/**
 * A consumer's `tsc` parses the files a root file imports before its default library, so without
 * this our declarations meet a cold parser; `lib.es5.d.ts` (in every program with a default lib,
 * which `noLib` skips) read first warms it (issue 13: `tsc` for one constant through the root).
 * `preserve` keeps the directive in the emitted `.d.ts` (TypeScript ≥ 5.5 drops it otherwise).
 */
export const ES5_FIRST = `// Read lib.es5.d.ts (part of every default lib) before this package's declarations: see docs/root-entry.md.
/// <reference lib="es5" preserve="true" />

`;

/**
 * `export * from './x.js';`, `export * as X from …`, `export type * from …`, one a line, in the
 * layout ts-morph printed them (test/generate-speed.test.ts compares): printed directly because
 * loading ts-morph and the TypeScript compiler cost half a second of every run (issue 13).
 */
export function exportDeclarations(entry: readonly EntryExport[], target?: 'node'): string {
  const seen = new Set<string>();
  const sorted = [...entry].sort((a, b) => (a.from === b.from ? (a.as ?? '').localeCompare(b.as ?? '') : a.from < b.from ? -1 : 1));
  let out = '';
  for (const e of sorted) {
    const key = `${e.from} ${e.as ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!/^\.{1,2}\/[A-Za-z0-9_./-]+$/.test(e.from)) throw new Error(`internal: entry export from "${e.from}" is not a relative module path`);
    const ns = e.as ? ` as ${assertIdentifier(e.as, 'entry export')}` : '';
    if (target === 'node' && e.node !== undefined && e.as !== undefined) {
      if (!/^\.\/[A-Za-z0-9_./-]+$/.test(e.node)) throw new Error(`internal: node entry export from "${e.node}" is not a relative module path`);
      out += `export { ${assertIdentifier(e.as, 'entry export')} } from '${e.node}';\n`;
    } else out += `export ${e.typeOnly === true ? 'type ' : ''}*${ns} from '${e.from}';\n`;
  }
  return out;
}

/**
 * Subpaths as package.json lists them: a folder whose many subpaths all map `./f/<name>` to
 * `f/<prefix><name>.ts` becomes one subpath pattern `./f/*` (Node ≥ 12.20, TypeScript ≥ 4.7, every bundler);
 * the rest stay one by one.
 */
export function exportPatterns(subpaths: SubpathExport[]): SubpathExport[] {
  const byFolder = new Map<string, SubpathExport[]>();
  for (const s of subpaths) {
    const m = /^\.\/(.+)\/[^/*]+$/.exec(s.subpath);
    if (!m) continue;
    byFolder.set(m[1]!, [...(byFolder.get(m[1]!) ?? []), s]);
  }
  const out: SubpathExport[] = [];
  const patterned = new Set<string>();
  for (const [folder, list] of byFolder) {
    // The file name may add a prefix to the subpath's last segment (`./cid/7151` → `cid/cid-7151.ts`).
    const prefixOf = (s: SubpathExport) => {
      const name = s.subpath.slice(s.subpath.lastIndexOf('/') + 1);
      const base = `${folder}/`;
      return s.file.startsWith(base) && s.file.endsWith(`${name}.ts`) ? s.file.slice(base.length, s.file.length - name.length - 3) : undefined;
    };
    const prefix = prefixOf(list[0]!);
    if (list.length <= 3 || prefix === undefined || prefix.includes('/') || !list.every((s) => prefixOf(s) === prefix)) continue;
    for (const s of list) patterned.add(s.subpath);
    out.push({ subpath: `./${folder}/*`, file: `${folder}/${prefix}*.ts` });
  }
  for (const s of subpaths) if (!patterned.has(s.subpath)) out.push(s);
  return out.sort((a, b) => (a.subpath < b.subpath ? -1 : 1));
}

function emitPackageJson(version: string, subpaths: SubpathExport[]): string {
  const exportsMap: Record<string, unknown> = {
    // Node takes index.node.js (the root's `Tag` as one object: far less heap than a namespace);
    // bundlers match `module` first and take index.js, whose namespaces they tree-shake.
    '.': { types: './dist/index.d.ts', module: './dist/index.js', node: './dist/index.node.js', import: './dist/index.js', default: './dist/index.js' },
  };
  for (const s of exportPatterns(subpaths)) {
    const js = s.file.replace(/\.ts$/, '.js');
    const dts = s.file.replace(/\.ts$/, '.d.ts');
    exportsMap[s.subpath] = { types: `./dist/${dts}`, import: `./dist/${js}`, default: `./dist/${js}` };
  }
  exportsMap['./package.json'] = './package.json';
  const pkg = {
    name: PACKAGE_NAME,
    version,
    description: 'Typed DICOM data dictionary: tags, UIDs, VRs, transfer syntaxes, de-identification, IODs, context groups and private dictionaries. Generated by dicom-dictgen.',
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: exportsMap,
    files: ['dist', 'README.md'],
    scripts: { build: 'node build.mjs', prepack: 'npm run build' },
    engines: { node: '>=18' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function emitTsconfig(): string {
  const cfg = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      outDir: 'dist',
      rootDir: '.',
      skipLibCheck: true,
      // Doc comments stay in the .d.ts; build.mjs drops them from the JavaScript in the same pass.
      removeComments: false,
      lib: ['ES2022'],
      types: [],
    },
    include: ['**/*.ts'],
    exclude: ['dist', 'node_modules'],
  };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

/** `iods/ct-image`, `iods/rt-dose`, … → `iods/<id>`: one pattern per folder, single files as they are. */
function subpathPatterns(subpaths: SubpathExport[]): string[] {
  const out = new Set<string>();
  // Subpaths under each folder prefix, counted once (was a scan of every subpath per subpath).
  const under = new Map<string, number>();
  for (const s of subpaths) {
    for (let i = s.subpath.indexOf('/', 2); i >= 0; i = s.subpath.indexOf('/', i + 1)) {
      const prefix = s.subpath.slice(0, i + 1);
      under.set(prefix, (under.get(prefix) ?? 0) + 1);
    }
  }
  for (const s of subpaths) {
    const p = s.subpath.replace(/^\.\//, '');
    const slash = p.lastIndexOf('/');
    const folder = slash < 0 ? '' : p.slice(0, slash);
    const many = folder !== '' && (under.get(`./${folder}/`) ?? 0) > 3;
    out.add(many ? `${folder}/<${folder === 'iods' ? 'id' : folder === 'private' ? 'creator' : 'name'}>` : p);
  }
  return [...out].sort();
}

function emitReadme(ctx: EmitContext, version: string, subpaths: SubpathExport[], emitted: Set<string>, counts: Record<string, number>): string {
  // Examples only for what this package contains (a selection may leave families out).
  const data: Record<string, boolean> = {
    deidentification: ctx.ir.deidentification.length > 0,
    iods: (counts.IODs ?? 0) > 0, // ctx.ir.iods?.iods.length, also when the emit worker holds the family
    private: (ctx.ir.privateDictionaries?.elements.length ?? 0) > 0,
  };
  const has = (f: string) => emitted.has(f) && data[f] === true;
  const extraImports = [
    has('deidentification') && `import { deidentificationAction } from '${PACKAGE_NAME}';`,
    // Subpaths only, not the root (issue 13): their tables would load with every import of the root.
    has('iods') && `import { iodForSopClass } from '${PACKAGE_NAME}/iods';`,
    has('private') && `import { lookupPrivate } from '${PACKAGE_NAME}/private';`,
  ].filter(Boolean);
  const extraLines = [
    has('deidentification') && 'deidentificationAction(Tag.PatientID);       // PS3.15 Table E.1-1 action',
    has('iods') && `iodForSopClass(SopClass.CTImageStorage)?.name; // 'CT Image' (interfaces: import type { CTImage } from '${PACKAGE_NAME}/iods/ct-image')`,
    has('private') && "lookupPrivate('ELSCINT1', 0x01f710cb, { '01F7': { 0x10: 'ELSCINT1' } })?.name;",
  ].filter(Boolean);
  const familyCounts = Object.entries(counts).filter(([k]) => !k.includes('·'));
  const perTable = Object.entries(counts).filter(([k]) => k.includes('·'));
  return `# ${PACKAGE_NAME} ${version}

Typed DICOM dictionary generated by dicom-dictgen ${docText(ctx.generatorVersion)}. Do not edit: regenerate.
The version encodes the newest edition of the data (\`2026.3.x\` = 2026c); the patch number moves with the generator.

\`\`\`ts
import { Tag, lookupTag, lookupKeyword, SopClass, TransferSyntax, lookupUid, transferSyntaxInfo, vrInfo, edition } from '${PACKAGE_NAME}';
${extraImports.map((line) => `${line}\n`).join('')}

Tag.PatientName;                      // 0x00100010
lookupTag('(0010,0010)')?.keyword;    // 'PatientName'
lookupTag(0x60023000)?.keyword;       // 'OverlayData' (repeating group 60xx)
lookupUid(SopClass.CTImageStorage)?.name;   // 'CT Image Storage'
${extraLines.map((l) => `${l}\n`).join('')}transferSyntaxInfo(TransferSyntax.ExplicitVRLittleEndian)?.explicitVr; // true
vrInfo('OB').explicitLengthField;     // 32
edition.sources;                      // part, edition, sha256 of every source
\`\`\`

Subpath exports (${subpaths.length}): ${subpathPatterns(subpaths).map((p) => `\`${PACKAGE_NAME}/${p}\``).join(', ') || 'none'}.
The root stays small for type checking and import: IOD interfaces, the context group registry, the groups and their UIDs (\`uids/context-group\`) are subpaths only.
esbuild keeps a namespace re-exported with \`export * as\` whole (esbuild 0.25 to 0.28 alike), so with esbuild write \`import * as Tag from '${PACKAGE_NAME}/tags'\` (the same \`Tag.PatientName\`); rollup, Vite and webpack shake \`import { Tag }\` from the root.

Everything is ESM with \`.d.ts\` types and \`sideEffects: false\`: a bundler keeps only the constants a program uses.

## Contents

| family | entries |
| --- | ---: |
${familyCounts.map(([k, v]) => `| ${docText(k)} | ${v} |`).join('\n')}

## Provenance

| source | part | edition | format | sha256 |
| --- | --- | --- | --- | --- |
${ctx.ir.sources.map((s) => `| ${docText(s.file)} | ${docText(s.part)} | ${docText(s.edition)} | ${s.format} | \`${s.sha256.slice(0, 16)}…\` |`).join('\n')}

| table · edition | entries |
| --- | ---: |
${perTable.map(([k, v]) => `| ${docText(k)} | ${v} |`).join('\n')}
`;
}
