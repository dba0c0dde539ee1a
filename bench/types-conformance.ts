/**
 * Conformance corpus of the IOD types: each real file of ../shared/dicom-files (DICOM JSON model)
 * is converted to both forms (naturalized with dcmjs, and the JSON model as it is), typed as its
 * IOD in one TypeScript program, and the type errors are compared with dciodvfy's findings.
 *
 * Per attribute, so that every finding is attributed: each top-level attribute of the file is
 * checked alone against `Pick<IOD, keyword>` (a nested error names its innermost attribute), the
 * missing required attributes are read from the checker (`Exclude<required keys, present keys>`),
 * and the whole file is checked against the open variant (`…Dataset`, `…JsonDataset`), which
 * must accept it as it is. Used by test/types-conformance.test.ts and bench/suite-types.ts.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface CorpusFile {
  name: string;
  iodTypeName: string;
  iodFile: string;
}

export interface TypeFinding {
  /** `missing` (a required attribute absent), `invalid` (a value the type rejects), `outside` (not an attribute of the IOD's modules). */
  kind: 'missing' | 'invalid' | 'outside';
  /** Top-level keyword (or tag) and the innermost attribute the message names. */
  attribute: string;
  inner: string;
  form: 'natural' | 'json';
  message: string;
}

export interface ValidatorFinding {
  severity: 'Error' | 'Warning';
  text: string;
  /** `Element=<X>` or the attribute of the message, when it names one. */
  keyword?: string;
  /** `Missing attribute Type 1 …` → `1`. */
  missingType?: string;
}

export interface FileResult {
  name: string;
  iod: string;
  findings: TypeFinding[];
  validator: ValidatorFinding[];
  /** Keywords both report as missing or invalid. */
  agreed: string[];
  /** Type errors on attributes of the IOD's modules that dciodvfy does not report as errors. */
  typeOnly: TypeFinding[];
  /** dciodvfy errors with no type error on the same attribute. */
  validatorOnly: ValidatorFinding[];
  /** Attributes outside the IOD, which the strict types reject: private elements, group lengths (keyed by tag) and Data Set Trailing Padding (PS3.10), */
  outsidePrivate: string[];
  /** … standard attributes dciodvfy also calls "not present in standard DICOM IOD" (agreement on a warning), */
  outsideWarned: string[];
  /** … and standard attributes dciodvfy accepts in the IOD (its edition has them in a module): false positives, each documented. */
  outsideNotWarned: string[];
  /** Diagnostics of the open variant (must be empty): natural and JSON form. */
  openErrors: string[];
}

/** The compiler options every check of the IOD types uses (the corpus here, the type tests and the hover test). */
export const iodTypeOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ['lib.es2022.d.ts'],
  types: [],
};
const options = iodTypeOptions;

/** SOP Class UID → IOD interface and file, from the generated registry (`iodForSopClass`). */
export async function corpusFiles(shared: string, pkg: string): Promise<CorpusFile[]> {
  const registry = (await import(pathToFileURL(join(pkg, 'iods', 'index.ts')).href)) as { iodForSopClass(uid: string): { id: string; typeName: string } | undefined };
  return readdirSync(join(shared, 'dicom-files', 'json'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const json = JSON.parse(readFileSync(join(shared, 'dicom-files', 'json', f), 'utf8')) as Record<string, { Value?: unknown[] }>;
      const sop = String(json['00080016']?.Value?.[0] ?? '');
      const iod = registry.iodForSopClass(sop);
      if (!iod) throw new Error(`${f}: SOP class ${sop} has no IOD in ${pkg}/iods/index.ts; regenerate the package`);
      return { name: f.replace(/\.json$/, ''), iodFile: iod.id, iodTypeName: iod.typeName };
    });
}

type JsonDataset = Record<string, { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string }>;

/** Bulk data bytes are irrelevant to the types: inline binary becomes empty (keeps the file small). */
function stripBulk(ds: JsonDataset): JsonDataset {
  const out: JsonDataset = {};
  for (const [k, v] of Object.entries(ds)) {
    if (v.InlineBinary !== undefined) out[k] = { ...v, InlineBinary: 'AAAA' };
    else if (v.vr === 'SQ' && v.Value) out[k] = { ...v, Value: v.Value.map((i) => stripBulk(i as JsonDataset)) };
    else out[k] = v;
  }
  return out;
}

/** A TypeScript expression for a naturalized value: ArrayBuffers as `new ArrayBuffer(0)`. */
function literal(v: unknown): string {
  if (v instanceof ArrayBuffer) return 'new ArrayBuffer(0)';
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')} }`;
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function naturalize(json: JsonDataset): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const dcmjs = require('dcmjs') as { data: { DicomMetaDictionary: { naturalizeDataset(d: unknown): Record<string, unknown> } } };
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(structuredClone(json));
}

/** The checks of one file in one form, as TypeScript source. */
function checks(file: CorpusFile, form: 'natural' | 'json', ds: Record<string, unknown>, pkg: string): string {
  const T = form === 'natural' ? file.iodTypeName : `${file.iodTypeName}Json`;
  const open = form === 'natural' ? `${file.iodTypeName}Dataset` : `${file.iodTypeName}JsonDataset`;
  const keys = Object.keys(ds).filter((k) => k !== '_vrMap');
  const lines = [
    `import type { ${T}, ${open} } from ${JSON.stringify(join(pkg, 'iods', `${file.iodFile}.js`))};`,
    `type Required<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];`,
    `export type Missing = Exclude<Required<${T}>, ${keys.map((k) => JSON.stringify(k)).join(' | ') || 'never'}>;`,
    `export declare const missing: Missing;`,
    `export type Outside = Exclude<${keys.map((k) => JSON.stringify(k)).join(' | ') || 'never'}, keyof ${T}>;`,
    `export declare const outside: Outside;`,
    `export const open: ${open} = ${literal(ds)};`,
  ];
  keys.forEach((k, i) => lines.push(`export const a${i}: Pick<${T}, Extract<${JSON.stringify(k)}, keyof ${T}>> = { ${JSON.stringify(k)}: ${literal(ds[k])} };`));
  return `${lines.join('\n')}\n`;
}

/** The string literals of the type of `export declare const <name>` (a union of keys the checker computed). */
function literalsOf(checker: ts.TypeChecker, sf: ts.SourceFile, name: string): string[] {
  const decl = sf.statements.flatMap((s) => (ts.isVariableStatement(s) ? [...s.declarationList.declarations] : [])).find((d) => d.name.getText(sf) === name)!;
  const t = checker.getTypeAtLocation(decl.name);
  const parts = t.isUnion() ? t.types : [t];
  return parts.filter((x) => x.isStringLiteral()).map((x) => (x as ts.StringLiteralType).value);
}

/** The innermost attribute a diagnostic names (`Property 'X' is missing`, `Types of property 'X'`). */
function innermost(text: string, fallback: string): string {
  const names = [...text.matchAll(/(?:Property|property) '([^']+)'/g)].map((m) => m[1]!);
  return names.length > 0 ? names[names.length - 1]! : fallback;
}

/** dciodvfy's output for one file: errors and warnings after the IOD name line (and the file-level ones before it). */
export function readValidator(shared: string, name: string): ValidatorFinding[] {
  const text = readFileSync(join(shared, 'dicom-files', 'dciodvfy', `${name}.txt`), 'utf8');
  return text
    .split('\n')
    .map((l) => /(Error|Warning) - (.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const f: ValidatorFinding = { severity: m[1] as 'Error' | 'Warning', text: m[2]!.trim() };
      const el = /Element=<(\w+)>/.exec(f.text) ?? /attribute <([^>]+)>/.exec(f.text);
      if (el) f.keyword = el[1]!.replace(/[^A-Za-z0-9]/g, '');
      const mt = /Missing attribute Type (\w+)/.exec(f.text);
      if (mt) f.missingType = mt[1]!;
      return f;
    });
}

/** Run the whole corpus in one program. `work` is a scratch directory (created and removed). */
export async function runCorpus(shared: string, pkg: string, work: string): Promise<FileResult[]> {
  const files = await corpusFiles(shared, pkg);
  mkdirSync(work, { recursive: true });
  const paths: { file: CorpusFile; form: 'natural' | 'json'; path: string; keys: string[] }[] = [];
  try {
    for (const file of files) {
      const json = stripBulk(JSON.parse(readFileSync(join(shared, 'dicom-files', 'json', `${file.name}.json`), 'utf8')) as JsonDataset);
      for (const [form, ds] of [['natural', naturalize(json)], ['json', json]] as const) {
        const path = join(work, `${file.name}.${form}.ts`);
        writeFileSync(path, checks(file, form, ds, pkg));
        paths.push({ file, form, path, keys: Object.keys(ds).filter((k) => k !== '_vrMap') });
      }
    }
    const program = ts.createProgram(paths.map((p) => p.path), options);
    const checker = program.getTypeChecker();
    const diags = ts.getPreEmitDiagnostics(program);
    return files.map((file) => {
      const findings: TypeFinding[] = [];
      const openErrors: string[] = [];
      for (const p of paths.filter((x) => x.file === file)) {
        const sf = program.getSourceFile(p.path)!;
        // Missing required attributes, as the checker evaluates them.
        for (const l of literalsOf(checker, sf, 'missing')) findings.push({ kind: 'missing', attribute: l, inner: l, form: p.form, message: 'required attribute absent' });
        for (const l of literalsOf(checker, sf, 'outside')) findings.push({ kind: 'outside', attribute: l, inner: l, form: p.form, message: 'not an attribute of the IOD' });
        for (const d of diags.filter((x) => x.file === sf)) {
          const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line;
          const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
          const stmt = sf.text.split('\n')[line] ?? '';
          const m = /^export const a(\d+):/.exec(stmt);
          if (/^export const open:/.test(stmt)) openErrors.push(`${file.name} ${p.form}: ${text.slice(0, 300)}`);
          else if (m) {
            const key = p.keys[Number(m[1])]!;
            findings.push({ kind: 'invalid', attribute: key, inner: innermost(text, key), form: p.form, message: text.slice(0, 400) });
          } else openErrors.push(`${file.name} ${p.form} (check program): ${text.slice(0, 300)}`);
        }
      }
      return compare(file, findings, readValidator(shared, file.name), openErrors);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** JSON keys are tags: findings are compared by keyword, so the JSON form's tags are named by the natural form's findings where both exist. */
function compare(file: CorpusFile, findings: TypeFinding[], validator: ValidatorFinding[], openErrors: string[]): FileResult {
  const natural = findings.filter((f) => f.form === 'natural');
  const errorsOf = (f: TypeFinding[]) => f.filter((x) => x.kind !== 'outside');
  const typeKeys = new Set(errorsOf(natural).flatMap((f) => [f.attribute, f.inner]));
  const validatorErrors = validator.filter((v) => v.severity === 'Error');
  const agreed = [...new Set(validatorErrors.filter((v) => v.keyword && typeKeys.has(v.keyword)).map((v) => v.keyword!))];
  return {
    name: file.name,
    iod: file.iodTypeName,
    findings,
    validator,
    agreed,
    typeOnly: errorsOf(natural).filter((f) => !agreed.includes(f.attribute) && !agreed.includes(f.inner)),
    validatorOnly: validatorErrors.filter((v) => !v.keyword || !typeKeys.has(v.keyword)),
    ...splitOutside(natural.filter((f) => f.kind === 'outside').map((f) => f.attribute), validator),
    openErrors,
  };
}

/** Attributes outside the IOD by kind: private or group length, standard and warned by dciodvfy, standard and accepted by it. */
function splitOutside(keys: string[], validator: ValidatorFinding[]): Pick<FileResult, 'outsidePrivate' | 'outsideWarned' | 'outsideNotWarned'> {
  const require = createRequire(import.meta.url);
  const dcmjs = require('dcmjs') as { data: { DicomMetaDictionary: { nameMap: Record<string, { tag: string }> } } };
  const warned = new Set(validator.filter((v) => /not present in standard DICOM IOD - \(0x/.test(v.text)).map((v) => /\(0x(\w{4}),0x(\w{4})\)/.exec(v.text)!.slice(1).join('').toUpperCase()));
  const out = { outsidePrivate: [] as string[], outsideWarned: [] as string[], outsideNotWarned: [] as string[] };
  for (const k of keys) {
    if (/^[0-9A-F]{8}$/i.test(k) || k === 'DataSetTrailingPadding') out.outsidePrivate.push(k);
    else if (warned.has((dcmjs.data.DicomMetaDictionary.nameMap[k]?.tag ?? '').replace(/[(),]/g, '').toUpperCase())) out.outsideWarned.push(k);
    else out.outsideNotWarned.push(k);
  }
  return out;
}

/** Per-file and total counts, as a markdown table. */
export function corpusTable(results: FileResult[]): string {
  const rows = results.map((r) => [r.name, r.iod, r.validator.filter((v) => v.severity === 'Error').length, r.agreed.length, r.typeOnly.length, r.validatorOnly.length, r.outsidePrivate.length, r.outsideWarned.length, r.outsideNotWarned.length, r.openErrors.length === 0 ? 'yes' : 'NO']);
  const total = ['total', '', ...[2, 3, 4, 5, 6, 7, 8].map((i) => rows.reduce((n, r) => n + Number(r[i]), 0)), `${results.filter((r) => r.openErrors.length === 0).length}/${results.length}`];
  const head =
    '| file | IOD | dciodvfy errors | agreed | type-only | validator-only | outside IOD: private, group length, padding | outside IOD: dciodvfy warns too | outside IOD: dciodvfy accepts | open variant accepts |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  return [head, ...[...rows, total].map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
