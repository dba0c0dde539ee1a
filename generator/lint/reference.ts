/**
 * What lint compares a document with, indexed once from the IR: data elements by tag and by name,
 * UIDs, VR codes and spelled-out VR names (PS3.5 Table 6.2-1), module tables (PS3.3) and the
 * module usage of every IOD (PS3.3 Annex A).
 */
import type { DataElement, Ir, UidEntry } from '../ir.ts';
import type { AttributeType, ModuleUsage } from '../ir-iods.ts';
import { IodResolver } from '../iods/resolve.ts';

/** Names compare by letters and digits only, case-insensitively (`Patient's Name` = `patients name`). */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Spelled-out VR names documents use besides PS3.5's own (`Other Byte String` in older editions). */
const VR_NAME_ALIASES: Record<string, string> = {
  otherbytestring: 'OB',
  otherwordstring: 'OW',
  otherfloatstring: 'OF',
  uniqueidentifier: 'UI',
  uid: 'UI',
  sequence: 'SQ',
  sequenceofitem: 'SQ',
  datetime: 'DT',
};

/** Spelled-out modality names documents use where PS3.3 titles modules by the abbreviation (DX Series Module). */
const MODALITY_ABBREVIATIONS: [RegExp, string][] = [
  [/^digital x-?ray\b/i, 'DX'],
  [/^visible light\b/i, 'VL'],
  [/^ultrasound\b/i, 'US'],
  [/^computed radiography\b/i, 'CR'],
  [/^secondary capture\b/i, 'SC'],
  [/^computed tomography\b/i, 'CT'],
  [/^magnetic resonance\b/i, 'MR'],
];

export interface LintReference {
  element(tag: string): DataElement | undefined;
  /** Tags whose dictionary name (or keyword) has this `nameKey`. */
  tagsNamed(key: string): string[];
  /** Groups the dictionary defines (to tell `gggg,eeee` in running text from number pairs). */
  hasGroup(group: string): boolean;
  uid(uid: string): UidEntry | undefined;
  /** The transfer syntax UID with this name (`nameKey`), if any. */
  tsNamed(key: string): string | undefined;
  /** VR code of a spelled-out VR name (`Code String` → CS), or undefined. */
  vrOfName(text: string): string | undefined;
  isVr(code: string): boolean;
  /** The module a document's table caption names (`Patient Module`, `US Region Calibration`). */
  moduleId(name: string): string | undefined;
  /** Type of a top-level attribute of a module with rows; undefined when unknown there. */
  moduleType(moduleId: string, tag: string): AttributeType | undefined;
  /** The IOD a heading names (`Digital X-ray Image`, `CT Image Storage`). */
  iodId(name: string): string | undefined;
  moduleUsage(iodId: string, moduleId: string): ModuleUsage | undefined;
}

export function lintReference(ir: Ir): LintReference {
  const byTag = new Map<string, DataElement>();
  const masked: { re: RegExp; e: DataElement }[] = [];
  const byName = new Map<string, string[]>();
  const groups = new Set<string>();
  for (const e of ir.dataElements) {
    if (e.table !== 'data' && e.table !== 'file-meta' && e.table !== 'directory') continue;
    if (e.tag.includes('x')) masked.push({ re: new RegExp(`^${e.tag.replace(/x/g, '[0-9A-F]')}$`), e });
    else if (!byTag.has(e.tag)) byTag.set(e.tag, e);
    if (!e.tag.slice(0, 4).includes('x')) groups.add(e.tag.slice(0, 4));
    for (const k of new Set([nameKey(e.name), nameKey(e.keyword)])) {
      if (k === '') continue;
      const list = byName.get(k) ?? [];
      if (!list.includes(e.tag)) list.push(e.tag);
      byName.set(k, list);
    }
  }
  const uids = new Map(ir.uids.map((u) => [u.uid, u]));
  const tsByName = new Map(ir.uids.filter((u) => u.type === 'Transfer Syntax').map((u) => [nameKey(u.name), u.uid]));
  const vrCodes = new Set(ir.valueRepresentations.map((v) => v.vr));
  const vrNames = new Map<string, string>(Object.entries(VR_NAME_ALIASES));
  for (const v of ir.valueRepresentations) vrNames.set(nameKey(v.name.replace(/\s*\(.*\)$/, '')), v.vr);

  const modules = ir.iods?.modules.filter((m) => m.kind === 'module') ?? [];
  const moduleByName = new Map<string, string>();
  for (const m of modules) if (!moduleByName.has(nameKey(m.name))) moduleByName.set(nameKey(m.name), m.id);
  const resolver = new IodResolver(ir);
  const typeCache = new Map<string, Map<string, AttributeType | 'ambiguous'>>();
  const iods = new Map((ir.iods?.iods ?? []).map((i) => [i.id, i]));
  const iodByName = new Map<string, string>();
  for (const i of iods.values()) iodByName.set(nameKey(i.name), i.id);
  for (const s of ir.iods?.sopClasses ?? []) if (iods.has(s.iod)) iodByName.set(nameKey(s.sopClass.replace(/\s+SOP Class$/i, '').replace(/\s+Storage$/i, '')), s.iod);

  const moduleTypes = (id: string) => {
    let m = typeCache.get(id);
    if (!m) {
      m = new Map();
      const def = resolver.def('module', id);
      if (def?.rows) {
        for (const a of resolver.flatten(def)) m.set(a.tag, m.has(a.tag) && m.get(a.tag) !== a.type ? 'ambiguous' : a.type);
      }
      typeCache.set(id, m);
    }
    return m;
  };

  return {
    element: (tag) => byTag.get(tag) ?? masked.find((m) => m.re.test(tag))?.e,
    tagsNamed: (key) => byName.get(key) ?? [],
    hasGroup: (g) => groups.has(g),
    uid: (u) => uids.get(u),
    tsNamed: (key) => tsByName.get(key),
    vrOfName: (text) => vrNames.get(nameKey(text).replace(/s$/, '')) ?? vrNames.get(nameKey(text)),
    isVr: (code) => vrCodes.has(code),
    moduleId: (name) => {
      const bare = name.replace(/\s+module$/i, '').trim();
      const direct = moduleByName.get(nameKey(bare));
      if (direct) return direct;
      const abbreviated = MODALITY_ABBREVIATIONS.find(([re]) => re.test(bare));
      return abbreviated ? moduleByName.get(nameKey(bare.replace(abbreviated[0], abbreviated[1]))) : undefined;
    },
    moduleType: (moduleId, tag) => {
      const t = moduleTypes(moduleId).get(tag);
      return t === 'ambiguous' ? undefined : t;
    },
    iodId: (name) => iodByName.get(nameKey(name.replace(/\s+(IOD|Storage|SOP Class)$/i, ''))) ?? iodByName.get(nameKey(name)),
    moduleUsage: (iodId, moduleId) => iods.get(iodId)?.modules.find((m) => m.module === moduleId)?.usage,
  };
}
