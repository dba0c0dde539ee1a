/**
 * IODs, modules/macros and SOP class → IOD mapping (PS3.3, PS3.4), compared when both sides have
 * them. IOD → module references are compared by module id; module attribute rows by their path
 * (`00400275>00321060`: the enclosing sequences' tags, then the tag), so a nested attribute that
 * moves between sequences is a removal plus an addition. Module rows are compared only when both
 * sides have attribute tables (innolitics gives module lists without rows).
 */
import { moduleKey, type IncludeRow, type Iod, type IodSection, type ModuleDef, type ModuleRow, type SopClassIod } from '../ir-iods.ts';
import { cleanText } from '../../sources/common/text.ts';
import { json, type Collector } from './collector.ts';
import { byString, displayName, indexBy, nameKey, normTag, uidSortKey } from './normalize.ts';
import * as rules from './semver.ts';

function rowPaths(rows: readonly ModuleRow[]): Map<string, ModuleRow> {
  const stack: string[] = [];
  const out = new Map<string, ModuleRow>();
  for (const r of rows) {
    stack.length = Math.min(stack.length, r.depth);
    const parent = stack.slice(0, r.depth).join('>');
    const own = r.kind === 'attribute' ? normTag(r.tag) : `include:${r.targetKind ?? 'macro'}:${r.target || r.targetTable}`;
    let key = parent === '' ? own : `${parent}>${own}`;
    if (out.has(key)) {
      let n = 2;
      while (out.has(`${key}#${n}`)) n++;
      key = `${key}#${n}`;
    }
    out.set(key, r);
    if (r.kind === 'attribute') stack[r.depth] = normTag(r.tag);
  }
  return out;
}

const valueKey = (v: string) => cleanText(v);

function setDiff(before: readonly string[] | undefined, after: readonly string[] | undefined): { added: string[]; removed: string[] } {
  const a = new Set((before ?? []).map(valueKey));
  const b = new Set((after ?? []).map(valueKey));
  return { added: [...b].filter((x) => !a.has(x)).sort(byString), removed: [...a].filter((x) => !b.has(x)).sort(byString) };
}

function compareIodPair(o: Iod, n: Iod, out: Collector): void {
  const base = { sortKey: n.id, oldProv: o.prov, newProv: n.prov };
  if (o.typeName !== n.typeName) {
    out.add('iods', 'iod-renamed', { impact: 'major', reason: `renames interface ${o.typeName} → ${n.typeName}` }, {
      ...base, key: n.id, label: displayName(n.name), field: 'typeName', before: o.typeName, after: n.typeName,
    });
  } else if (!out.tally.same('iods.name', o.name, n.name, nameKey)) {
    out.add('iods', 'iod-renamed', rules.nameText(), { ...base, key: n.id, label: displayName(n.name), field: 'name', before: displayName(o.name), after: displayName(n.name) });
  }

  const om = indexBy(o.modules, (m) => m.module);
  const nm = indexBy(n.modules, (m) => m.module);
  for (const [id, a] of om) {
    const b = nm.get(id);
    const k = { key: `${n.id} / ${id}`, label: `${n.id} / ${id}`, sortKey: `${n.id}\u0000${id}` };
    if (!b) {
      out.add('iods', 'iod-module-removed', rules.removed(`module ${id} from ${o.typeName}`), { ...k, before: json({ ie: a.ie, usage: a.usage }), oldProv: a.prov });
      continue;
    }
    const p = { ...k, oldProv: a.prov, newProv: b.prov };
    if (a.usage !== b.usage) out.add('iods', 'iod-module-usage-changed', rules.iodModuleUsageChange(a.usage, b.usage), { ...p, field: 'usage', before: a.usage, after: b.usage });
    if (!out.tally.same('iods.ie', a.ie, b.ie, nameKey)) out.add('iods', 'iod-module-ie-changed', rules.metadata('information entity'), { ...p, field: 'ie', before: a.ie, after: b.ie });
    // Condition text is prose and absent from committed snapshots: compared only when both sides carry it.
    if (a.condition !== undefined && b.condition !== undefined && !out.tally.same('iods.condition', a.condition, b.condition, nameKey)) {
      out.add('iods', 'iod-module-condition-changed', rules.metadata('condition text'), { ...p, field: 'condition' });
    }
  }
  for (const [id, b] of nm) {
    if (om.has(id)) continue;
    out.add('iods', 'iod-module-added', rules.iodModuleAdded(b.usage), {
      key: `${n.id} / ${id}`, label: `${n.id} / ${id}`, sortKey: `${n.id}\u0000${id}`, after: json({ ie: b.ie, usage: b.usage }), newProv: b.prov,
    });
  }

  const of = indexBy(o.functionalGroups, (g) => g.macro);
  const nf = indexBy(n.functionalGroups, (g) => g.macro);
  for (const [id, a] of of) {
    const b = nf.get(id);
    const k = { key: `${n.id} / ${id}`, label: `${n.id} / ${id}`, sortKey: `${n.id}\u0000${id}` };
    if (!b) out.add('iods', 'iod-functional-group-removed', rules.removed(`functional group ${id}`), { ...k, before: a.usage, oldProv: a.prov });
    else if (a.usage !== b.usage) {
      out.add('iods', 'iod-functional-group-usage-changed', rules.iodModuleUsageChange(a.usage, b.usage), { ...k, field: 'usage', before: a.usage, after: b.usage, oldProv: a.prov, newProv: b.prov });
    }
  }
  for (const [id, b] of nf) {
    if (of.has(id)) continue;
    out.add('iods', 'iod-functional-group-added', rules.iodModuleAdded(b.usage), {
      key: `${n.id} / ${id}`, label: `${n.id} / ${id}`, sortKey: `${n.id}\u0000${id}`, after: b.usage, newProv: b.prov,
    });
  }
}

function compareModuleRows(o: ModuleDef, n: ModuleDef, out: Collector): void {
  if (!o.rows || !n.rows) return;
  const or = rowPaths(o.rows);
  const nr = rowPaths(n.rows);
  const label = (r: ModuleRow) => (r.kind === 'attribute' ? r.keyword || displayName(r.name) : r.target);
  for (const [path, a] of or) {
    const b = nr.get(path);
    const k = { key: `${n.id} ${path}`, sortKey: `${n.id}\u0000${path}` };
    if (!b) {
      if (a.kind === 'attribute') {
        out.add('iods', 'module-attribute-removed', rules.removed(`property ${a.keyword} from ${n.id}`), {
          ...k, label: `${n.id}: ${label(a)}`, before: json({ tag: normTag(a.tag), type: a.type, depth: a.depth }), oldProv: a.prov,
        });
      } else {
        out.add('iods', 'module-include-removed', rules.removed(`macro ${a.target} from ${n.id}`), { ...k, label: `${n.id}: ${a.target}`, before: a.target, oldProv: a.prov });
      }
      continue;
    }
    if (a.kind !== 'attribute' || b.kind !== 'attribute') continue;
    const p = { ...k, label: `${n.id}: ${label(b)}`, oldProv: a.prov, newProv: b.prov };
    if (a.type !== b.type) out.add('iods', 'module-attribute-type-changed', rules.attributeTypeChange(a.type, b.type), { ...p, field: 'type', before: a.type, after: b.type });
    const ev = setDiff(a.enumeratedValues, b.enumeratedValues);
    if (ev.added.length > 0) out.add('iods', 'enumerated-values-added', rules.enumeratedValues('added'), { ...p, field: 'enumeratedValues', after: ev.added });
    if (ev.removed.length > 0) out.add('iods', 'enumerated-values-removed', rules.enumeratedValues('removed'), { ...p, field: 'enumeratedValues', before: ev.removed });
    const dt = setDiff(a.definedTerms, b.definedTerms);
    if (dt.added.length > 0) out.add('iods', 'defined-terms-added', rules.definedTerms('added'), { ...p, field: 'definedTerms', after: dt.added });
    if (dt.removed.length > 0) out.add('iods', 'defined-terms-removed', rules.definedTerms('removed'), { ...p, field: 'definedTerms', before: dt.removed });
  }
  for (const [path, b] of nr) {
    if (or.has(path)) continue;
    const k = { key: `${n.id} ${path}`, sortKey: `${n.id}\u0000${path}` };
    if (b.kind === 'attribute') {
      out.add('iods', 'module-attribute-added', rules.attributeAdded(b.type), {
        ...k, label: `${n.id}: ${label(b)}`, after: json({ tag: normTag(b.tag), type: b.type, depth: b.depth }), newProv: b.prov,
      });
    } else {
      const inc: IncludeRow = b;
      out.add('iods', 'module-include-added', { impact: 'minor', reason: `includes macro ${inc.target} (its attributes are diffed with the macro)` }, {
        ...k, label: `${n.id}: ${inc.target}`, after: inc.target, newProv: inc.prov,
      });
    }
  }
}

export function compareIods(o: IodSection | undefined, n: IodSection | undefined, out: Collector): void {
  if (!o || !n) {
    if (o || n) {
      out.skip({
        category: 'iods',
        what: 'IODs, modules and SOP classes',
        reason: `only the ${o ? 'old' : 'new'} side has PS3.3/PS3.4 sources`,
        oldCount: o ? o.iods.length : 0,
        newCount: n ? n.iods.length : 0,
      });
    }
    return;
  }

  // Each collection is compared only when both sides have it: PS3.4 alone gives SOP classes but
  // no IODs, innolitics gives modules without attribute rows.
  const bothHave = (what: string, a: readonly unknown[], b: readonly unknown[]) => {
    if (a.length > 0 && b.length > 0) return true;
    if (a.length + b.length > 0) {
      out.skip({ category: 'iods', what, reason: `only the ${a.length > 0 ? 'old' : 'new'} side's sources define them`, oldCount: a.length, newCount: b.length });
    }
    return false;
  };
  if (bothHave('IODs', o.iods, n.iods)) compareIodList(o, n, out);
  if (bothHave('modules and macros', o.modules, n.modules)) compareModuleList(o, n, out);
  if (bothHave('SOP class → IOD links', o.sopClasses, n.sopClasses)) compareSopClasses(o, n, out);
}

function compareIodList(o: IodSection, n: IodSection, out: Collector): void {
  // IODs: by id; an unmatched pair with the same PS3.3 table label is a rename.
  const oi = indexBy(o.iods, (i) => i.id);
  const ni = indexBy(n.iods, (i) => i.id);
  const removed = [...oi.values()].filter((i) => !ni.has(i.id));
  const added = new Map([...ni].filter(([id]) => !oi.has(id)));
  for (const [id, a] of oi) {
    const b = ni.get(id);
    if (b) compareIodPair(a, b, out);
  }
  for (const a of removed) {
    const b = a.table ? [...added.values()].find((x) => x.table === a.table) : undefined;
    if (b) {
      added.delete(b.id);
      out.add('iods', 'iod-renamed', { impact: 'major', reason: `renames interface ${a.typeName} → ${b.typeName}` }, {
        key: `${a.id} → ${b.id}`, label: displayName(b.name), sortKey: b.id, field: 'id', before: a.id, after: b.id, oldProv: a.prov, newProv: b.prov,
      });
      compareIodPair(a, b, out);
      continue;
    }
    out.add('iods', 'iod-removed', rules.removed(`IOD interface ${a.typeName}`), {
      key: a.id, label: displayName(a.name), sortKey: a.id, before: json({ id: a.id, name: displayName(a.name), modules: a.modules.length }), oldProv: a.prov,
    });
  }
  for (const b of added.values()) {
    out.add('iods', 'iod-added', rules.added(`IOD interface ${b.typeName}`), {
      key: b.id, label: displayName(b.name), sortKey: b.id, after: json({ id: b.id, name: displayName(b.name), modules: b.modules.length }), newProv: b.prov,
    });
  }

}

function compareModuleList(o: IodSection, n: IodSection, out: Collector): void {
  // Modules and macros are separate namespaces (`module:cardiac-synchronization`).
  const omd = indexBy(o.modules, (m) => moduleKey(m.kind, m.id));
  const nmd = indexBy(n.modules, (m) => moduleKey(m.kind, m.id));
  const removed: [string, ModuleDef][] = [];
  const added = new Map<string, ModuleDef>();
  for (const [id, a] of omd) {
    const b = nmd.get(id);
    if (!b) {
      removed.push([id, a]);
      continue;
    }
    if (!out.tally.same('iods.moduleName', a.name, b.name, nameKey)) {
      out.add('iods', 'module-renamed', rules.nameText(), { key: id, label: displayName(b.name), sortKey: id, field: 'name', before: displayName(a.name), after: displayName(b.name), oldProv: a.prov, newProv: b.prov });
    }
    compareModuleRows(a, b, out);
  }
  for (const [id, b] of nmd) if (!omd.has(id)) added.set(id, b);

  // A module whose id changed but not its name or kind (innolitics 2024b:
  // `photoacoustic-multi-frame-functional-groups` → `photoacoustic-image-…`) is one rename, when
  // exactly one removed and one added entry share that name (or PS3.3 table label).
  const same = (a: ModuleDef, b: ModuleDef) => a.kind === b.kind && (a.table && b.table ? a.table === b.table : nameKey(a.name) === nameKey(b.name));
  for (const [id, a] of removed) {
    const candidates = [...added].filter(([, b]) => same(a, b));
    const rivals = removed.filter(([, x]) => candidates.some(([, b]) => same(x, b)));
    if (candidates.length === 1 && rivals.length === 1) {
      const [nid, b] = candidates[0]!;
      added.delete(nid);
      out.add('iods', 'module-renamed', { impact: 'major', reason: `changes the ${a.kind} id (its type name) ${a.id} → ${b.id}` }, {
        key: `${id} → ${nid}`, label: displayName(b.name), sortKey: id, field: 'id', before: a.id, after: b.id, oldProv: a.prov, newProv: b.prov,
      });
      compareModuleRows(a, b, out);
      continue;
    }
    out.add('iods', 'module-removed', rules.removed(`${a.kind} ${id}`), { key: id, label: displayName(a.name), sortKey: id, before: json({ kind: a.kind, name: displayName(a.name) }), oldProv: a.prov });
  }
  for (const [id, b] of added) {
    out.add('iods', 'module-added', rules.added(`${b.kind} ${id}`), { key: id, label: displayName(b.name), sortKey: id, after: json({ kind: b.kind, name: displayName(b.name) }), newProv: b.prov });
  }
}

/**
 * SOP class → IOD. The link is an IOD id where the side could resolve it, else the PS3.3 section
 * PS3.4 cites; an id on one side and only a section on the other cannot be compared (counted).
 */
function compareSopClasses(o: IodSection, n: IodSection, out: Collector): void {
  const os = indexBy(o.sopClasses, (s) => s.uid.trim());
  const ns = indexBy(n.sopClasses, (s) => s.uid.trim());
  const changed = { impact: 'major', reason: 'changes the IOD type mapped from this SOP class' } as const;
  let unresolved = 0;
  for (const [uid, a] of os) {
    const b = ns.get(uid);
    if (!b) {
      out.add('iods', 'sop-class-removed', rules.removed(`SOP class mapping ${displayName(a.sopClass)}`), {
        key: uid, label: displayName(a.sopClass), sortKey: uidSortKey(uid), before: a.iod || `section ${a.iodSection ?? '?'}`, oldProv: a.prov,
      });
      continue;
    }
    const p = { key: uid, label: displayName(b.sopClass), sortKey: uidSortKey(uid), oldProv: a.prov, newProv: b.prov };
    if (a.iod !== '' && b.iod !== '') {
      if (a.iod !== b.iod) out.add('iods', 'sop-class-iod-changed', changed, { ...p, field: 'iod', before: a.iod, after: b.iod });
    } else if (a.iodSection && b.iodSection) {
      if (a.iodSection !== b.iodSection) out.add('iods', 'sop-class-iod-changed', changed, { ...p, field: 'iodSection', before: a.iodSection, after: b.iodSection });
    } else {
      unresolved++;
    }
  }
  if (unresolved > 0) {
    out.skip({
      category: 'iods',
      what: 'SOP class → IOD links',
      reason: `${unresolved} link(s) name an IOD id on one side but only a PS3.3 section on the other (PS3.4 without PS3.3)`,
      oldCount: unresolved,
      newCount: unresolved,
    });
  }
  for (const [uid, b] of ns) {
    if (os.has(uid)) continue;
    out.add('iods', 'sop-class-added', rules.added(`SOP class mapping ${displayName(b.sopClass)}`), { key: uid, label: displayName(b.sopClass), sortKey: uidSortKey(uid), after: b.iod || `section ${b.iodSection ?? '?'}`, newProv: b.prov });
  }
}
