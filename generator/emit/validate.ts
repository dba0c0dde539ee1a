/**
 * Family `validate` → `validate/`: the engine (generator/runtime/validate-engine.ts, copied), one
 * rule file per module/macro (`validate/defs/<kind>-<id>.ts`) and per IOD (`validate/rules/<id>.ts`),
 * and `validate/index.ts` (`validate(dataset, { iod? })` dispatching on SOP Class UID through lazy
 * imports, so one IOD's validator never pulls every IOD into a bundle).
 *
 * Rule data is JSON text in a string literal (`tsString`): compact, not reformatted by prettier,
 * and parsed fast. Each file imports only the definitions it links to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.ts';
import { buildValidationRules, defJson, iodJson, type DefRuleData, type IodRuleData } from '../iods/validation-rules.ts';
import { assertIdentifier, fileHeader, tsString, type EmitContext, type EmitResult, type EmittedFile, type Emitter } from './context.ts';

const FILE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ENGINE = join(repoRoot, 'generator', 'runtime', 'validate-engine.ts');

function defFile(key: string): string {
  const [kind, id] = key.split(/:(.*)/s) as [string, string];
  if (!FILE_ID.test(id)) throw new Error(`validate emitter: ${kind} id ${JSON.stringify(id)} is not a file-safe id`);
  return `${kind}-${id}`;
}

/** `import { def as l0 } from '…'` lines and the `{ key: () => l0 }` link object for a list of definition keys. */
function links(keys: string[], dir: string): { imports: string; object: string } {
  const imports = keys.map((k, n) => `import { def as l${n} } from ${tsString(`${dir}${defFile(k)}.js`)};`).join('\n');
  const object = `{ ${keys.map((k, n) => `${tsString(k)}: () => l${n}`).join(', ')} }`;
  return { imports, object };
}

function emitDef(ctx: EmitContext, d: DefRuleData): EmittedFile {
  const l = links(d.links, './');
  const json = JSON.stringify(defJson(d));
  const what = d.transparent ? `sequence item rows shared by several rule files` : `validation rules of ${d.key} (PS3.3 ${d.table})`;
  const content = `${fileHeader(ctx, d.sources, what)}
import { defRules, type DefRules } from '../engine.js';
${l.imports}

export const def: DefRules = /* @__PURE__ */ defRules(${tsString(json)}, ${l.object});
`;
  return { path: `validate/defs/${defFile(d.key)}.ts`, content, preformatted: true };
}

function emitIod(ctx: EmitContext, d: IodRuleData, withTypes: boolean): EmittedFile {
  const keys = [...new Set([...d.modules, ...d.functionalGroups].map((u) => u.def))];
  const l = links(keys, '../defs/');
  const typeName = assertIdentifier(d.typeName, `IOD ${d.id}`);
  const type = withTypes ? `${typeName} | ${typeName}Json` : 'unknown';
  const content = `${fileHeader(ctx, d.sources, `validation rules of the ${d.name} IOD (PS3.3 ${d.table})`)}
import { iodRules, isConformant, type IodRules } from '../engine.js';
${withTypes ? `import type { ${typeName}, ${typeName}Json } from '../../iods/${d.id}.js';\n` : ''}${l.imports}

export const rules: IodRules<${type}> = /* @__PURE__ */ iodRules(${tsString(JSON.stringify(iodJson(d)))}, ${l.object});

/** True when the dataset (DICOM JSON model or naturalized) has no error against the ${d.name.replace(/[^A-Za-z0-9 ()/-]/g, '')} IOD. */
export function is${typeName}(dataset: unknown): dataset is ${type} {
  return isConformant(rules, dataset);
}
`;
  return { path: `validate/rules/${d.id}.ts`, content };
}

function emitIndex(ctx: EmitContext, iods: IodRuleData[]): EmittedFile {
  const loaders = iods.map((i) => `  ${tsString(i.id)}: () => import(${tsString(`./rules/${i.id}.js`)}).then((m) => m.rules as IodRules),`).join('\n');
  const sops = iods.flatMap((i) => i.sopClasses.map((u) => `  ${tsString(u)}: ${tsString(i.id)},`)).join('\n');
  const union = iods.length === 0 ? 'never' : iods.map((i) => tsString(i.id)).join(' | ');
  const content = `${fileHeader(ctx, iods.flatMap((i) => i.sources), 'dataset validation against IODs')}
import { sopClassOf, validateWith, type IodRules, type ValidateOptions, type ValidationResult } from './engine.js';

export * from './engine.js';

/** IODs this package can validate. */
export type ValidatableIod = ${union};

/** Lazy loaders: a bundler splits each IOD's rules into its own chunk. */
export const IOD_RULES: Record<ValidatableIod, () => Promise<IodRules>> = {
${loaders}
};

/** SOP Class UID → IOD id (PS3.4 Table B.5-1). */
export const SOP_CLASS_IOD: Record<string, ValidatableIod> = {
${sops}
};

/** The IOD a dataset claims by its SOP Class UID (0008,0016). */
export function iodOfDataset(dataset: unknown): ValidatableIod | undefined {
  const uid = sopClassOf(dataset);
  return uid === undefined ? undefined : SOP_CLASS_IOD[uid];
}

/**
 * Validate a dataset (DICOM JSON model or naturalized) against its IOD: \`iod\` (an id or rules
 * imported from \`validate/rules/<id>\`), or the IOD of its SOP Class UID. \`dicomdir\`: also warn about
 * Type 1 keys of the DICOMDIR records (PS3.3 F.5) the dataset lacks.
 */
export async function validate(dataset: unknown, options: { iod?: ValidatableIod | IodRules } & ValidateOptions = {}): Promise<ValidationResult> {
  const given = options.iod;
  if (given !== undefined && typeof given !== 'string') return validateWith(given, dataset, options);
  const id = given ?? iodOfDataset(dataset);
  const load = id === undefined ? undefined : IOD_RULES[id];
  if (!load) {
    const uid = sopClassOf(dataset);
    return {
      iod: id ?? '',
      errors: 1,
      warnings: 0,
      findings: [{ severity: 'error', path: '', tag: '(0008,0016)', keyword: 'SOPClassUID', module: '', rule: 'unknown-iod', message: id ? \`no rules for IOD \${id}\` : \`SOP Class UID \${uid ?? '(absent)'} names no IOD this package validates; pass { iod }\`, table: '', edition: '' }],
    };
  }
  return validateWith(await load(), dataset, options);
}
`;
  return { path: 'validate/index.ts', content };
}

function selected(ctx: EmitContext, d: IodRuleData): boolean {
  const sel = ctx.selection.iods;
  return !sel || sel.size === 0 || sel.has(d.id) || sel.has(d.name) || sel.has(d.typeName);
}

export function emitValidate(ctx: EmitContext): EmitResult {
  if (!ctx.ir.iods || ctx.ir.iods.iods.length === 0) return { files: [] };
  const set = buildValidationRules(ctx.ir);
  const iods = set.iods.filter((i) => selected(ctx, i));
  for (const i of iods) if (!FILE_ID.test(i.id)) throw new Error(`validate emitter: IOD id ${JSON.stringify(i.id)} is not a file-safe id`);
  const withTypes = !ctx.selection.families || ctx.selection.families.has('iods');
  // Definitions reachable from the selected IODs.
  const reach = new Set<string>();
  const visit = (k: string) => {
    if (reach.has(k) || !set.defs.has(k)) return;
    reach.add(k);
    for (const l of set.defs.get(k)!.links) visit(l);
  };
  for (const i of iods) for (const u of [...i.modules, ...i.functionalGroups]) visit(u.def);
  const engine = readFileSync(ENGINE, 'utf8');
  const files: EmittedFile[] = [
    { path: 'validate/engine.ts', content: `${fileHeader(ctx, [], 'the validation engine (a copy of generator/runtime/validate-engine.ts)')}${engine}` },
    emitIndex(ctx, iods),
    ...[...reach].sort().map((k) => emitDef(ctx, set.defs.get(k)!)),
    ...iods.map((i) => emitIod(ctx, i, withTypes)),
  ];
  const subpaths = [
    { subpath: './validate', file: 'validate/index.ts' },
    { subpath: './validate/engine', file: 'validate/engine.ts' },
    ...iods.map((i) => ({ subpath: `./validate/rules/${i.id}`, file: `validate/rules/${i.id}.ts` })),
  ];
  return { files, subpaths };
}

export const validateEmitter: Emitter = {
  family: 'validate',
  needs: ['iods'],
  emit: emitValidate,
};
