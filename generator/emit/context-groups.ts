/**
 * Family `context-groups`: PS3.16 context groups as typed, tree-shakable constants.
 *
 * - `cid/cid-<n>.ts`, one module per group, re-exported as namespace `CID<n>` (`CID7151.Tissue`):
 *   each code a `{ CodeValue | LongCodeValue | URNCodeValue, CodingSchemeDesignator, CodeMeaning,
 *   CodingSchemeVersion? } as const` code sequence item, deprecated aliases for renamed codes, the
 *   `codes` tuple, the `Code` union, `isCode(code)` and the `group` record.
 * - `context-groups/registry.ts`: `contextGroup(cid)`, `isCodeIn(cid, code)`, `contextGroupCids`.
 * - `dcm.ts` as namespace `Dcm`: every DCM code of Annex D. `coding-schemes.ts`: `codingScheme(designator)`.
 *
 * Identifiers come from the IR (`identifier`, `aliases`; rules in docs/identifiers.md) and are
 * checked again here; every other source text goes through `str`/`doc` in the templates.
 */
import { codeKey, type ContextGroup, type ContextGroupCode, type ContextGroupSection } from '../ir-context-groups.ts';
import { assertIdentifier, docText, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type EmittedFile, type Emitter } from './context.ts';

/** Namespace name of a group in the package (`CID7151`). */
export function cidNamespace(cid: number): string {
  return `CID${cid}`;
}

function valueOf(c: ContextGroupCode): { valueKey: string; value: string } {
  if (c.codeValue !== undefined) return { valueKey: 'CodeValue', value: c.codeValue };
  if (c.longCodeValue !== undefined) return { valueKey: 'LongCodeValue', value: c.longCodeValue };
  if (c.urnCodeValue !== undefined) return { valueKey: 'URNCodeValue', value: c.urnCodeValue };
  throw new Error(`context-groups emitter: ${c.prov.source} ${c.prov.table} row ${c.prov.row ?? '?'}: code "${c.codeMeaning}" has no code value`);
}

function checkUnique(names: string[], where: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    assertIdentifier(n, where);
    if (seen.has(n)) throw new Error(`context-groups emitter: identifier ${n} used twice in ${where}; identifiers must be assigned by finalizeContextGroups`);
    seen.add(n);
  }
}

/**
 * Where each included code can be imported from instead of repeated: the group whose table lists
 * it, when that group is emitted too and importing cannot close a module cycle (include cycles are
 * cut in the IR but a module graph must stay acyclic: G imports from D only if D never reaches G).
 */
export interface ImportPlan {
  /** cid → codeKey → identifier of the direct code in that group. */
  direct: Map<number, Map<string, string>>;
  /** cid → every CID reachable through includes. */
  reach: Map<number, Set<number>>;
}

export function planImports(groups: ContextGroup[]): ImportPlan {
  const direct = new Map<number, Map<string, string>>();
  const byCid = new Map(groups.map((g) => [g.cid, g]));
  for (const g of groups) direct.set(g.cid, new Map(g.codes.filter((c) => c.includedFrom === undefined).map((c) => [codeKey(c), c.identifier])));
  const reach = new Map<number, Set<number>>();
  for (const g of groups) {
    const seen = new Set<number>();
    const stack = [...g.includes];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      for (const n of byCid.get(c)?.includes ?? []) stack.push(n);
    }
    reach.set(g.cid, seen);
  }
  return { direct, reach };
}

interface CodeRow {
  inline: boolean;
  identifier: string;
  aliases: string[];
  valueKey: string;
  value: string;
  designator: string;
  meaning: string;
  version: string | undefined;
}

interface GroupModule {
  header: string;
  group: ContextGroup;
  imports: { cid: number; names: { imported: string; local: string; renamed: boolean }[] }[];
  imported: string[];
  codes: CodeRow[];
}

/**
 * `cid/cid-<n>.ts` printed in its final layout (issue 13: a string printer instead of a handlebars
 * template, which cost most of this family's time over ≈ 1,200 groups). Source text reaches the
 * file only through `tsString` and `docText`, identifiers only through `assertIdentifier`.
 */
export function printGroupModule(m: GroupModule): string {
  const id = (s: string) => assertIdentifier(s, 'context-group module');
  const g = m.group;
  const out: string[] = [m.header, "\nimport { codedConceptKey, type CodeIdentity, type CodeSequenceItem, type ContextGroupInfo } from '../context-groups/code.js';\n"];
  for (const imp of m.imports) {
    const names = imp.names.map((n) => (n.renamed ? `${id(n.imported)} as ${id(n.local)}` : id(n.local))).join(', ');
    out.push(`import { ${names} } from './cid-${cidNumber(imp.cid)}.js';\n`);
  }
  out.push('\n');
  for (const c of m.codes) {
    if (c.inline) {
      const version = c.version ? `, CodingSchemeVersion: ${tsString(c.version)}` : '';
      out.push(`export const ${id(c.identifier)} = { ${id(c.valueKey)}: ${tsString(c.value)}, CodingSchemeDesignator: ${tsString(c.designator)}, CodeMeaning: ${tsString(c.meaning)}${version} } as const;\n`);
    }
    for (const a of c.aliases) {
      out.push(`/** @deprecated Renamed to {@link ${id(c.identifier)} } when the code meaning was reworded; kept for compatibility. */\nexport const ${id(a)} = ${id(c.identifier)};\n`);
    }
  }
  if (m.imported.length > 0) {
    out.push(`/** Codes of included groups: the same objects as in the group whose table lists them. */\nexport { ${m.imported.map(id).join(', ')} };\n`);
  }
  const cid = cidNumber(g.cid);
  const name = docText(g.name);
  out.push(`
/** Every code of CID ${cid}: direct codes in table order, then the codes of included groups. */
export const codes = [${m.codes.map((c) => id(c.identifier)).join(', ')}] as const;

/** Any code of CID ${cid} (${name}). */
export type Code = (typeof codes)[number];

let keys: ReadonlySet<string> | undefined;

/** True when \`code\` is in CID ${cid}, comparing coding scheme designator and code value (never the meaning). */
export function isCode(code: CodeSequenceItem): code is CodeSequenceItem & CodeIdentity<Code> {
  keys ??= new Set(codes.map(codedConceptKey));
  return keys.has(codedConceptKey(code));
}

/**
 * CID ${cid} ${name}${g.retired ? ' (retired)' : ''}.${g.version ? '' : ' The source states no version.'}
${g.emptyReason ? ` * No codes: ${docText(g.emptyReason)}.\n` : ''} */
export const group: ContextGroupInfo<Code> = {
  cid: ${cid},
  keyword: ${tsString(g.keyword)},
  name: ${tsString(g.name)},
  version: ${g.version ? tsString(g.version) : 'undefined'},
  extensible: ${g.extensible === null ? 'null' : g.extensible ? 'true' : 'false'},
  retired: ${g.retired ? 'true' : 'false'},
  uid: ${g.uid ? tsString(g.uid) : 'undefined'},
  codes,
};
`);
  return out.join('');
}

function cidNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`context-groups emitter: CID ${String(n)} is not a number`);
  return String(n);
}

function groupFile(ctx: EmitContext, g: ContextGroup, plan: ImportPlan): EmittedFile {
  const where = `CID ${g.cid}`;
  checkUnique(g.codes.flatMap((c) => [c.identifier, ...(c.aliases ?? [])]), where);
  const imports = new Map<number, { imported: string; local: string; renamed: boolean }[]>();
  const imported: string[] = [];
  const codes = g.codes.map((c): CodeRow => {
    const v = valueOf(c);
    const from = c.includedFrom;
    const defId = from === undefined ? undefined : plan.direct.get(from)?.get(codeKey(c));
    const canImport = from !== undefined && defId !== undefined && from !== g.cid && !(plan.reach.get(from)?.has(g.cid) ?? false);
    if (canImport) {
      const list = imports.get(from) ?? [];
      list.push({ imported: defId, local: c.identifier, renamed: defId !== c.identifier });
      imports.set(from, list);
      imported.push(c.identifier);
    }
    return { inline: !canImport, identifier: c.identifier, aliases: c.aliases ?? [], ...v, designator: c.codingSchemeDesignator, meaning: c.codeMeaning, version: c.codingSchemeVersion };
  });
  const content = printGroupModule({
    header: fileHeader(ctx, new Set([g.prov.source, ...sourcesOf(g.codes)]), `CID ${g.cid} ${g.name}`),
    group: g,
    imports: [...imports.entries()].sort(([a], [b]) => a - b).map(([cid, names]) => ({ cid, names })),
    imported,
    codes,
  });
  // Large flat data already in its final layout: prettier would only cost time (see bench/context-groups.ts).
  return { path: `cid/cid-${g.cid}.ts`, content, preformatted: true };
}

function dcmFile(ctx: EmitContext, section: ContextGroupSection, fallback: Set<string>): EmittedFile {
  checkUnique(section.dcmCodes.flatMap((d) => [d.identifier, ...(d.aliases ?? [])]), 'DCM codes');
  const content = render('dcm', {
    header: fileHeader(ctx, section.dcmCodes.length > 0 ? sourcesOf(section.dcmCodes) : fallback, 'DICOM Controlled Terminology (PS3.16 Annex D), coding scheme designator DCM'),
    codes: section.dcmCodes.map((d) => ({
      identifier: d.identifier,
      aliases: d.aliases ?? [],
      value: d.codeValue,
      meaning: d.codeMeaning,
      definition: d.definition ?? null,
      retired: d.retired === true,
    })),
  });
  return { path: 'dcm.ts', content, preformatted: true };
}

function codingSchemesFile(ctx: EmitContext, section: ContextGroupSection, fallback: Set<string>): EmittedFile {
  const schemes = [...section.codingSchemes].sort((a, b) => (a.designator < b.designator ? -1 : a.designator > b.designator ? 1 : 0));
  const content = render('context-group-coding-schemes', {
    header: fileHeader(ctx, schemes.length > 0 ? sourcesOf(schemes) : fallback, 'coding schemes (PS3.16 Table 8-1)'),
    designatorUnion: schemes.length === 0 ? 'never' : schemes.map((s) => JSON.stringify(s.designator)).join(' | '),
    schemes: schemes.map((s) => ({ designator: s.designator, name: s.name, uid: s.uid ?? null, fhirUri: s.fhirUri ?? null, organization: s.organization ?? null, version: s.version ?? null })),
  });
  return { path: 'coding-schemes.ts', content };
}

/** The registry's JSON table (layout in templates/context-group-registry.hbs): codes shared by groups are stored once. */
function registryTable(groups: ContextGroup[]): string {
  const codes: (string | number | null)[][] = [];
  const index = new Map<string, number>();
  const kinds = ['CodeValue', 'LongCodeValue', 'URNCodeValue'];
  const g = groups.map((group) => {
    const list = group.codes.map((c) => {
      const v = valueOf(c);
      const row = [kinds.indexOf(v.valueKey), v.value, c.codingSchemeDesignator, c.codeMeaning, c.codingSchemeVersion ?? null];
      const key = JSON.stringify(row);
      let i = index.get(key);
      if (i === undefined) index.set(key, (i = codes.push(row) - 1));
      return i;
    });
    return [group.cid, group.keyword, group.name, group.version ?? null, group.extensible === null ? null : group.extensible ? 1 : 0, group.retired ? 1 : 0, group.uid ?? null, list];
  });
  return tsString(JSON.stringify({ c: codes, g }));
}

export function emitContextGroups(ctx: EmitContext): EmitResult {
  const section = ctx.ir.contextGroups;
  // No PS3.16 data in this IR: no files (an empty family would only carry headers without sources).
  if (!section || section.groups.length + section.codingSchemes.length + section.dcmCodes.length === 0) return { files: [] };
  const wanted = ctx.selection.cids;
  const groups = [...section.groups].filter((g) => !wanted || wanted.has(g.cid)).sort((a, b) => a.cid - b.cid);
  for (let i = 1; i < groups.length; i++) if (groups[i]!.cid === groups[i - 1]!.cid) throw new Error(`context-groups emitter: CID ${groups[i]!.cid} twice in the IR`);
  const plan = planImports(groups);
  const meta = groups.map((g) => ({ cid: g.cid, namespace: cidNamespace(g.cid), name: g.name, retired: g.retired }));
  const allSources = new Set([...sourcesOf(section.groups), ...sourcesOf(section.codingSchemes), ...sourcesOf(section.dcmCodes)]);
  const files: EmittedFile[] = [
    { path: 'context-groups/code.ts', content: render('context-group-code', { header: fileHeader(ctx, allSources, 'code sequence item types for context groups') }) },
    ...groups.map((g) => groupFile(ctx, g, plan)),
    { path: 'cid/index.ts', content: render('context-group-index', { header: fileHeader(ctx, allSources, 'PS3.16 context groups as namespaces'), groups: meta }) },
    { path: 'context-groups/registry.ts', content: render('context-group-registry', { header: fileHeader(ctx, allSources, 'context groups by CID'), groups: meta, table: registryTable(groups) }) },
    dcmFile(ctx, section, allSources),
    codingSchemesFile(ctx, section, allSources),
  ];
  return {
    files,
    // The root carries the code types and coding schemes only. The registry is the subpath
    // `./context-groups`: its types name every group module, so from the root it made a consumer's
    // tsc load every cid/*.d.ts and a cold import parse its table (issue 13). The group namespaces
    // (`CID7151`) and DCM codes are subpaths too.
    entry: [
      { from: './context-groups/code.js' },
      { from: './coding-schemes.js' },
    ],
    subpaths: [
      { subpath: './context-groups', file: 'context-groups/registry.ts' },
      { subpath: './cid', file: 'cid/index.ts' },
      { subpath: './dcm', file: 'dcm.ts' },
      { subpath: './coding-schemes', file: 'coding-schemes.ts' },
      ...groups.map((g) => ({ subpath: `./cid/${g.cid}`, file: `cid/cid-${g.cid}.ts` })),
    ],
  };
}

export const contextGroupsEmitter: Emitter = { family: 'context-groups', emit: emitContextGroups };
