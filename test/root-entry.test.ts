/**
 * The package root as a consumer meets it (issue 13): what `tsc` loads for one constant through the
 * root, and what bundlers keep of it. Runs on a fresh emit of the embedded default (not on the
 * committed generated/), so it checks what the emitters produce now.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { rollupBundle } from '../bench/bundle.ts';
import { loadIrSnapshot } from '../generator/pipeline.ts';
import { defaultSnapshot } from '../generator/defaults.ts';
import { emitPackage, exportDeclarations } from '../generator/emit/run.ts';

let pkg = '';
let exportsMap: Record<string, unknown> = {};

beforeAll(() => {
  const files = emitPackage(loadIrSnapshot(defaultSnapshot), { selection: {}, generatorVersion: '0.1.0' });
  pkg = mkdtempSync(join(tmpdir(), 'dictgen-root-'));
  for (const f of files) {
    mkdirSync(dirname(join(pkg, f.path)), { recursive: true });
    writeFileSync(join(pkg, f.path), f.content);
  }
  exportsMap = (JSON.parse(files.find((f) => f.path === 'package.json')!.content) as { exports: Record<string, unknown> }).exports;
}, 120_000);

/** Package files (relative paths) in the program of a consumer that imports `code` from the root. */
function declarationGraph(code: string): { files: string[]; errors: string[] } {
  const main = join(pkg, 'consumer', 'main.ts');
  mkdirSync(dirname(main), { recursive: true });
  writeFileSync(main, code);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: [] };
  const program = ts.createProgram([main], options);
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(main)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const files = program
    .getSourceFiles()
    .map((s) => relative(pkg, s.fileName))
    .filter((f) => !f.startsWith('..') && !f.startsWith('consumer/'));
  return { files, errors };
}

describe('root entry: what tsc loads for one constant', () => {
  it('`import { Tag, lookupTag, lookupUid }` from the root loads no IOD interface, no context group, no registry of groups', () => {
    const { files, errors } = declarationGraph(
      "import { Tag, lookupTag, lookupUid } from '../index.js';\nexport const x: number = Tag.PatientName;\nexport const k = lookupTag(x)?.keyword;\nexport const u = lookupUid('1.2.840.10008.1.2')?.name;\n",
    );
    expect(errors).toEqual([]);
    expect(files).toContain('tags.ts');
    // The IOD registry and the private dictionaries are subpaths (`./iods`, `./private`), not the root.
    expect(files.filter((f) => f.startsWith('iods/') || f.startsWith('private/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('cid/') || f === 'context-groups/registry.ts' || f === 'dcm.ts' || f === 'uids/context-group.ts')).toEqual([]);
    expect(files.filter((f) => f.startsWith('validate/'))).toEqual([]);
    // Every module the root lists plus their own imports: a few dozen, not the package's thousands.
    expect(files.length).toBeLessThan(40);
  });

  it('tags.ts binds its constants as one statement, and each still hovers with its name, tag, VR, VM and retirement', () => {
    const main = join(pkg, 'consumer', 'hover.ts');
    mkdirSync(dirname(main), { recursive: true });
    const code = "import { Tag } from '../index.js';\nexport const a: 0x00100010 = Tag.PatientName;\nexport const b = Tag.LengthToEnd;\n";
    writeFileSync(main, code);
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: [] };
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [main],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
      getCurrentDirectory: () => pkg,
      getCompilationSettings: () => options,
      getDefaultLibFileName: ts.getDefaultLibFilePath,
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
    };
    const ls = ts.createLanguageService(host);
    const hover = (word: string) => {
      const q = ls.getQuickInfoAtPosition(main, code.lastIndexOf(word) + 1)!;
      return { type: ts.displayPartsToString(q.displayParts), doc: ts.displayPartsToString(q.documentation), tags: (q.tags ?? []).map((t) => t.name) };
    };
    expect(ls.getSemanticDiagnostics(main)).toEqual([]);
    expect(hover('PatientName')).toEqual({ type: 'const PatientName: 1048592', doc: "Patient's Name (0010,0010): VR PN, VM 1.", tags: [] });
    expect(hover('LengthToEnd')).toMatchObject({ doc: 'Length to End (0008,0001): VR UL, VM 1.', tags: ['deprecated'] });
    const tags = ls.getProgram()!.getSourceFile(join(pkg, 'tags.ts'))!;
    expect(tags.statements.filter(ts.isVariableStatement)).toHaveLength(1);
  });

  it('the root reads lib.es5.d.ts before its own declarations (a warm parser for tags.ts), and its .d.ts keeps that directive', () => {
    const main = join(pkg, 'consumer', 'order.ts');
    mkdirSync(dirname(main), { recursive: true });
    writeFileSync(main, "import { Tag } from '../index.js';\nexport const x: number = Tag.PatientName;\n");
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: [] };
    const host = ts.createCompilerHost(options);
    const read: string[] = [];
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, ...rest) => (read.push(fileName.split('/').pop()!), getSourceFile(fileName, ...rest));
    ts.createProgram([main], options, host);
    expect(read.indexOf('lib.es5.d.ts')).toBeGreaterThan(-1);
    expect(read.indexOf('lib.es5.d.ts')).toBeLessThan(read.indexOf('tags.ts'));
    expect(read.indexOf('lib.es5.d.ts')).toBeLessThan(read.indexOf('coding-schemes.ts'));
    // The same program without the directive would read the package first: the order is what the directive changes.
    const plain = join(pkg, 'consumer', 'plain.ts');
    writeFileSync(plain, "import * as Tag from '../tags.js';\nexport const x: number = Tag.PatientName;\n");
    read.length = 0;
    ts.createProgram([plain], options, host);
    expect(read.indexOf('tags.ts')).toBeLessThan(read.indexOf('lib.es5.d.ts'));
    for (const index of ['index.ts', 'index.node.ts']) {
      const dts = ts.transpileDeclaration(readFileSync(join(pkg, index), 'utf8'), { compilerOptions: options }).outputText;
      expect(dts.startsWith('/// <reference lib="es5" preserve="true" />\n')).toBe(true);
    }
  });

  it('each UID namespace derives its Uid and Keyword types from its constants (no second list to parse)', () => {
    const sop = readFileSync(join(pkg, 'uids', 'sop-class.ts'), 'utf8');
    expect(sop).toContain('export type Uid = (typeof Self)[Keyword];');
    expect(sop).toContain('export type Keyword = keyof typeof Self;');
    expect(sop).not.toMatch(/^\s*\| "1\.2\.840/m);
    const { errors } = declarationGraph(
      [
        "import { SopClass, TransferSyntax, type SopClassUid, type TransferSyntaxUid } from '../index.js';",
        'export const a: SopClassUid = SopClass.CTImageStorage;',
        "export const b: SopClassUid = '1.2.840.10008.5.1.4.1.1.2';",
        "export const k: SopClass.Keyword = 'CTImageStorage';",
        'export const t: TransferSyntaxUid = TransferSyntax.ImplicitVRLittleEndian;',
        "// @ts-expect-error: not a SOP class UID",
        "export const c: SopClassUid = '1.2.840.10008.1.2';",
        "// @ts-expect-error: a UID is not a keyword",
        "export const d: SopClass.Keyword = '1.2.840.10008.5.1.4.1.1.2';",
        "// @ts-expect-error: Uid and Keyword are types, not constants of the namespace",
        "export const e: SopClass.Keyword = 'Uid';",
      ].join('\n') + '\n',
    );
    expect(errors).toEqual([]);
  });

  it('the moved families stay reachable through their subpaths (IOD interfaces, the group registry, the groups)', () => {
    const target = (subpath: string) => (exportsMap[subpath] as { types: string }).types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
    expect(target('./context-groups')).toBe('context-groups/registry.ts');
    expect(target('./iods')).toBe('iods/index.ts');
    expect(target('./private')).toBe('private/index.ts');
    expect(target('./iods/*')).toBe('iods/*.ts');
    expect(target('./cid/*')).toBe('cid/cid-*.ts');
    expect(target('./tags')).toBe('tags.ts');
    expect(target('./uids/*')).toBe('uids/*.ts'); // ContextGroupUid: `…/uids/context-group`, not a root namespace
    // Type-checked use of the moved exports: test/context-groups-emit.test.ts (registry) and
    // test/iods-types.test.ts (interfaces), on small packages.
  });
});

describe('root entry: what bundlers keep of `Tag.PatientName`', () => {
  const consumer = (from: string) => `import { Tag } from ${JSON.stringify(from)};\nconsole.log(Tag.PatientName);\n`;

  it('rollup (as in Vite builds) keeps one number from the root', async () => {
    const { bytes, text } = await rollupBundle(consumer(join(pkg, 'index.ts')));
    expect(text).toMatch(/1048592|0x0*100010/i);
    expect(text).not.toMatch(/PatientBirthDate|OverlayData/);
    expect(bytes).toBeLessThan(2048);
  });

  it('esbuild keeps one number through the tags subpath (`import * as Tag`)', async () => {
    const r = await esbuild.build({ stdin: { contents: `import * as Tag from ${JSON.stringify(join(pkg, 'tags.ts'))};\nconsole.log(Tag.PatientName);\n`, resolveDir: pkg, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
    const text = r.outputFiles[0]!.text;
    expect(text).toMatch(/1048592/);
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
  });

  it('esbuild from the root keeps the Tag namespace (its known limit) and nothing else of the package', async () => {
    const r = await esbuild.build({ stdin: { contents: consumer('./index.js'), resolveDir: pkg, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.entries(r.metafile.outputs[Object.keys(r.metafile.outputs)[0]!]!.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => relative(pkg, join(process.cwd(), k)))
      .filter((k) => !k.startsWith('..') && k !== '<stdin>');
    // No dictionary, registry, de-identification or UID table: a module evaluated for its side
    // effects or a namespace re-exported beside Tag would show here.
    expect(inputs).toEqual(['tags.ts']);
  });
});

describe('root entry: what an import evaluates', () => {
  it('the root module graph holds neither the IOD registry nor the private dictionaries (their text would stay on the heap)', () => {
    const index = readFileSync(join(pkg, 'index.ts'), 'utf8');
    expect(index).toMatch(/from '\.\/dictionary\.js'/);
    expect(index).not.toMatch(/from '\.\/(iods|private)\//);
  });

  it('the de-identification table, IOD registry and private creators are decoded on first use, not on import', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const deid = (await import(pathToFileURL(join(pkg, 'deidentification.ts')).href)) as {
        DEIDENTIFICATION_RULES: readonly { tag: string }[];
        deidentificationRules(): readonly { tag: string }[];
        deidentificationAction(tag: number): string | undefined;
      };
      await import(pathToFileURL(join(pkg, 'iods', 'index.ts')).href);
      await import(pathToFileURL(join(pkg, 'private', 'index.ts')).href);
      expect(parse).not.toHaveBeenCalled();
      expect(deid.deidentificationAction(0x00100010)).toBe('Z');
      expect(parse).toHaveBeenCalledTimes(1);
      // The exported array is a view of the same rows: an array to every reader, decoded once.
      expect(Array.isArray(deid.DEIDENTIFICATION_RULES)).toBe(true);
      expect(deid.DEIDENTIFICATION_RULES.length).toBe(deid.deidentificationRules().length);
      expect([...deid.DEIDENTIFICATION_RULES][0]).toBe(deid.deidentificationRules()[0]);
      expect(deid.DEIDENTIFICATION_RULES.find((r) => r.tag === 'ggggeeee')).toBeDefined();
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('root entry in Node: `Tag` as one object (heap after import)', () => {
  it('package.json sends Node to index.node.js, and bundlers (condition `module`, listed before `node`) to index.js', () => {
    const root = exportsMap['.'] as Record<string, string>;
    expect(Object.keys(root)).toEqual(['types', 'module', 'node', 'import', 'default']);
    expect(root).toMatchObject({ types: './dist/index.d.ts', module: './dist/index.js', node: './dist/index.node.js', import: './dist/index.js' });
  });

  it('index.node.ts exports what index.ts exports, with `Tag` from tag-object.ts instead of the namespace', () => {
    const exportsOf = (f: string) => readFileSync(join(pkg, f), 'utf8').split('\n').filter((l) => l.startsWith('export '));
    const node = exportsOf('index.node.ts');
    expect(node).toContain("export { Tag } from './tag-object.js';");
    expect(node.filter((l) => !/\bTag\b/.test(l))).toEqual(exportsOf('index.ts').filter((l) => l !== "export * as Tag from './tags.js';"));
    expect(node.join('\n')).not.toMatch(/tags\.js/);
    expect(() => exportDeclarations([{ from: './tags.js', as: 'Tag', node: "./x.js'; evil();//" }], 'node')).toThrow(/not a relative module path/);
    expect(() => exportDeclarations([{ from: './tags.js', as: 'Tag x', node: './x.js' }], 'node')).toThrow();
  });

  it('the object holds every constant of tags.ts with its value, in a namespace key order, frozen and without a prototype', async () => {
    const ns = (await import(pathToFileURL(join(pkg, 'tags.ts')).href)) as Record<string, unknown>;
    const { Tag } = (await import(pathToFileURL(join(pkg, 'tag-object.ts')).href)) as { Tag: Record<string, unknown> };
    const keys = Object.keys(Tag);
    expect(keys.length).toBeGreaterThan(4000);
    expect(keys).toEqual([...keys].sort());
    expect([...keys]).toEqual(Object.keys(ns).sort());
    expect({ ...Tag }).toEqual({ ...ns });
    expect(Tag.PatientName).toBe(0x00100010);
    expect(Object.isFrozen(Tag)).toBe(true);
    expect(Object.getPrototypeOf(Tag)).toBeNull();
    expect('toString' in Tag).toBe(false);
  });
});
