/**
 * Family `iods` → `iods/`: per-IOD types (naturalized and DICOM JSON forms), every module and
 * macro once in `iods/modules.ts` (composed by intersection), shared value types in `iods/types.ts`,
 * and the registry `iods/index.ts` (`IODS`, `iodForSopClass`, `sopClassesForIod`).
 * Reads `ir.iods` (PS3.3 / innolitics / PS3.4) and `ir.dataElements` (keywords, VRs, VMs).
 */
import type { Iod, ModuleDef } from '../ir-iods.ts';
import { IodComposer, type InterfaceModel } from '../iods/compose.ts';
import { resolveIods, uniqueIods } from '../iods/resolve.ts';
import { iodCoverage } from '../iods/coverage.ts';
import { groupModules } from '../iods/module-groups.ts';
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type EmittedFile, type Emitter } from './context.ts';

const HELPER_TYPES = ['BulkData', 'DicomDataset', 'DicomJsonDataset', 'Json', 'PersonName', 'VrMap', 'Without'];
const IOD_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function renderInterfaces(list: InterfaceModel[]): string {
  return render('iod-interfaces', { interfaces: list });
}

/**
 * An IOD file refers to the modules, and to the helper types (which modules.ts re-exports), through
 * one namespace import (`M.PatientModule`, `M.Json<T>`): tsc checks one import binding per file
 * instead of one per module, item and helper; resolving each binding's module (NodeNext module
 * format, redirects) was about a tenth of checking the IOD files.
 */
const MODULES_NS = 'M';
/** String literals (left as they are), then names (dotted ones left as they are). */
const TOKEN = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g;

function qualified(models: InterfaceModel[], moduleNames: ReadonlySet<string>): InterfaceModel[] {
  const q = (text: string) => text.replace(TOKEN, (t) => (moduleNames.has(t) ? `${MODULES_NS}.${t}` : t));
  return models.map((m) => ({ ...m, extends: q(m.extends), props: m.props.map((p) => ({ ...p, type: q(p.type) })) }));
}

/** Helper types a rendered block uses (imported from `./types.js`). */
function helpersUsed(text: string): string[] {
  return HELPER_TYPES.filter((t) => new RegExp(`\\b${t}\\b`).test(text));
}

/**
 * One line of the `AttributeTags` table (a template literal type): `PatientName=00100010 PN;`,
 * `PixelData=7FE00010 OB|OW;`, or the key alone. Only an identifier, 8 hex digits and VR codes go
 * into it, so nothing can end the literal or open a `${…}` substitution.
 */
function attributeTagLine(r: { keyword: string; tag: string; vr: string[] }): string {
  const keyword = assertIdentifier(r.keyword, `attribute table keyword ${r.keyword}`);
  if (!/^[0-9A-Fa-f]{8}$/.test(r.tag)) throw new Error(`iods emitter: attribute ${keyword} has tag ${JSON.stringify(r.tag)}, not 8 hex digits`);
  const bad = r.vr.find((v) => !/^[A-Z]{2}$/.test(v));
  if (bad !== undefined) throw new Error(`iods emitter: attribute ${keyword} has VR ${JSON.stringify(bad)}, not two capital letters`);
  return `${keyword}=${r.tag}${r.vr.length > 0 ? ` ${r.vr.join('|')}` : ''};`;
}

function selected(ctx: EmitContext, iod: Iod): boolean {
  const sel = ctx.selection.iods;
  if (!sel || sel.size === 0) return true;
  return sel.has(iod.id) || sel.has(iod.name) || sel.has(iod.typeName);
}

export function emitIods(ctx: EmitContext): EmitResult {
  const section = ctx.ir.iods;
  if (!section || section.iods.length === 0) return { files: [] };
  const { resolver, sopClasses } = resolveIods(ctx.ir);
  const natural = new IodComposer(resolver);
  const iods = uniqueIods(resolver, section.iods).filter((i) => selected(ctx, i));
  for (const i of iods) {
    if (!IOD_ID.test(i.id)) throw new Error(`iods emitter: IOD id ${JSON.stringify(i.id)} is not a file-safe id`);
    assertIdentifier(i.typeName, `IOD ${i.id}`);
  }
  const sopsOf = new Map<string, string[]>();
  const sops = [...sopClasses].filter((s) => s.iod).sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const seenUid = new Set<string>();
  const sopRows: { uid: string; iod: string }[] = [];
  const ids = new Set(iods.map((i) => i.id));
  for (const s of sops) {
    if (seenUid.has(s.uid) || !ids.has(s.iod)) continue;
    seenUid.add(s.uid);
    sopRows.push({ uid: s.uid, iod: s.iod });
    sopsOf.set(s.iod, [...(sopsOf.get(s.iod) ?? []), s.uid]);
  }

  // Modules of the selected IODs and their functional group macros (includes are expanded into them).
  for (const iod of iods) {
    for (const m of iod.modules) {
      const d = resolver.iodModule(m.module);
      if (d) natural.need(d);
    }
    for (const g of iod.functionalGroups) {
      const d = resolver.def('macro', g.macro);
      if (d) natural.need(d);
    }
  }
  const defs = resolver
    .allDefs()
    .filter((d) => natural.needed.has(`${d.kind}:${d.id}`))
    .sort((a, b) => (natural.typeName(a) < natural.typeName(b) ? -1 : 1));
  const files: EmittedFile[] = [];
  const srcIds = new Set<string>([...sourcesOf(iods), ...sourcesOf(defs), ...sourcesOf(sopClasses.filter((s) => ids.has(s.iod)))]);
  const dictSources = sourcesOf(ctx.ir.dataElements);

  files.push({ path: 'iods/types.ts', content: render('iod-types', { header: fileHeader(ctx, srcIds, 'value types shared by the IOD interfaces') }) });

  const naturalModels = defs.flatMap((d) => natural.defInterfaces(d));
  const perIod = iods.map((iod) => {
    const uids = sopsOf.get(iod.id) ?? [];
    const fg = natural.functionalGroupsInterfaces(iod);
    return { iod, uids, nat: [...(fg?.models ?? []), natural.iodInterface(iod, uids, fg)] };
  });
  naturalModels.push(...natural.takeItems(), ...natural.takePartials(), ...natural.takeShared());
  // Modules several IODs (and functional groups items) include alike: one alias in modules.ts each.
  const grouped = groupModules(
    perIod.flatMap((p) => p.nat),
    new Set(naturalModels.map((m) => m.name)),
  );
  let next = 0;
  for (const p of perIod) p.nat = p.nat.map(() => grouped.models[next++]!);
  naturalModels.push(...grouped.groups);
  const moduleNames = naturalModels.map((m) => m.name);
  const naturalDefs = renderInterfaces(natural.inheritItems(naturalModels));
  files.push({
    path: 'iods/modules.ts',
    content: render('iod-modules', {
      header: fileHeader(ctx, [...sourcesOf(defs), ...dictSources], 'PS3.3 modules and functional group macros as interfaces (includes expanded), sequence items interned by shape'),
      helperImports: helpersUsed(naturalDefs),
      helperExports: HELPER_TYPES,
      natural: naturalDefs,
    }),
  });
  files.push({
    path: 'iods/attribute-tags.ts',
    content: render('iod-attribute-tags', {
      header: fileHeader(ctx, dictSources, 'keyword → [DICOM JSON key, VR] of every attribute of the IOD interfaces'),
      rows: natural.attributeTags().map(attributeTagLine),
    }),
  });

  // Subpaths only (issue 13): the interfaces (`./iods/ct-image`, `./iods/modules`) because
  // re-exported from the root, even as types, they made every consumer's tsc load all IOD
  // declarations for one tag constant; the registry (`./iods`) because its source text (≈ 0.26 MB)
  // stayed on the heap of every program that imported the root.
  const entry: EmitResult['entry'] = [];
  const subpaths: EmitResult['subpaths'] = [
    { subpath: './iods', file: 'iods/index.ts' },
    { subpath: './iods/modules', file: 'iods/modules.ts' },
    { subpath: './iods/types', file: 'iods/types.ts' },
    { subpath: './iods/attribute-tags', file: 'iods/attribute-tags.ts' },
  ];
  const moduleNameSet = new Set([...moduleNames, ...HELPER_TYPES]);
  for (const { iod, nat } of perIod) {
    const q = qualified(nat, moduleNameSet);
    const n = renderInterfaces(q);
    const j = render('iod-variants', { name: iod.typeName, iod: iod.name });
    const path = `iods/${iod.id}.ts`;
    files.push({
      path,
      content: render('iod', {
        header: fileHeader(ctx, [...sourcesOf([iod]), ...sourcesOf(iod.modules), ...dictSources], `the ${iod.name} IOD`),
        modulesNamespace: MODULES_NS,
        natural: n,
        json: j,
      }),
    });
    subpaths.push({ subpath: `./iods/${iod.id}`, file: path });
  }

  const defKeys = new Set<string>();
  for (const i of iods) {
    for (const m of i.modules) defKeys.add(`module:${m.module}`);
    for (const g of i.functionalGroups) defKeys.add(`macro:${g.macro}`);
  }
  const moduleDefs = [...defKeys].sort().map((key) => {
    const [kind, id] = key.split(':') as ['module' | 'macro', string];
    const d: ModuleDef | undefined = kind === 'module' ? resolver.iodModule(id) : resolver.def(kind, id);
    return { key, name: d?.name ?? id, table: d?.rows && d.table ? d.table : '', typeName: d?.rows ? natural.typeName(d) : '' };
  });
  const iodRows = iods.map((i) => {
    const { withoutTable } = iodCoverage(i, resolver);
    return {
      id: i.id,
      name: i.name,
      typeName: i.typeName,
      ...(i.table ? { table: i.table } : {}),
      incomplete: i.incomplete || withoutTable.length > 0,
      withoutTable,
      modules: i.modules.map((m) => [m.ie, m.module, m.usage]),
      functionalGroups: i.functionalGroups.map((g) => [g.macro, g.usage, g.placement ?? '']),
      sopClasses: sopsOf.get(i.id) ?? [],
    };
  });
  const moduleTable = Object.fromEntries(moduleDefs.map((d) => [d.key, { name: d.name, ...(d.table ? { table: d.table } : {}), ...(d.typeName ? { typeName: d.typeName } : {}) }]));
  const data = { m: moduleTable, i: iodRows, s: Object.fromEntries(sopRows.map((r) => [r.uid, r.iod])) };
  files.push({
    path: 'iods/index.ts',
    content: render('iod-index', {
      header: fileHeader(ctx, srcIds, 'IOD metadata and SOP class lookups'),
      idUnion: iods.length === 0 ? 'never' : iods.map((i) => JSON.stringify(i.id)).join(' | '),
      data: tsString(JSON.stringify(data)),
    }),
  });
  return { files, entry, subpaths };
}

export const iodsEmitter: Emitter = {
  family: 'iods',
  needs: ['vrs', 'tags'],
  emit: emitIods,
};
