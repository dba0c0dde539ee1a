/**
 * Private dictionaries, keyed by creator + group + element offset. Creators only one side knows
 * are one `creator-added`/`creator-removed` change each (with their element count), so comparing
 * dictionaries of different breadth (DCMTK's private.dic vs fo-dicom's) stays readable.
 */
import { normalizeCreator, type PrivateElement, type PrivateSection } from '../ir-private.ts';
import { json, type Collector } from './collector.ts';
import { byString, displayName, indexBy, nameKey, normKeyword, vmKey, vrKey } from './normalize.ts';
import * as rules from './semver.ts';

/**
 * Private creator strings match exactly (PS3.5 §7.8.1), except for the trailing padding of LO:
 * the same rule as the layered merge (`normalizeCreator`), so `ELSCINT1 ` = `ELSCINT1` but
 * creators differing in case or inner spacing are different creators.
 */
export function creatorKey(creator: string): string {
  return normalizeCreator(creator);
}

/** Same shape as `privateKey` (ranges, pinned block) with the creator normalized for comparison. */
const elementKey = (e: PrivateElement) => {
  const g = (e.groupLast ? `${e.group}-${e.groupLast}` : e.group).toUpperCase();
  const o = (e.offsetLast ? `${e.offset}-${e.offsetLast}` : e.offset).toUpperCase();
  return `${creatorKey(e.creator)}|${g}|${e.block ? `${e.block.toUpperCase()}${o}` : `xx${o}`}`;
};

function summary(e: PrivateElement) {
  return json({ creator: creatorKey(e.creator), group: e.group.toUpperCase(), groupLast: e.groupLast, offset: e.offset.toUpperCase(), offsetLast: e.offsetLast, block: e.block, keyword: normKeyword(e.keyword), name: displayName(e.name), vr: vrKey(e.vr), vm: vmKey(e.vm), retired: e.retired });
}

export function comparePrivate(o: PrivateSection | undefined, n: PrivateSection | undefined, out: Collector): void {
  const oe = o?.elements ?? [];
  const ne = n?.elements ?? [];
  if (oe.length === 0 || ne.length === 0) {
    if (oe.length + ne.length > 0) {
      out.skip({ category: 'private', what: 'private dictionaries', reason: `only the ${oe.length > 0 ? 'old' : 'new'} side has private dictionary sources`, oldCount: oe.length, newCount: ne.length });
    }
    return;
  }
  const count = (els: readonly PrivateElement[]) => {
    const m = new Map<string, number>();
    for (const e of els) m.set(creatorKey(e.creator), (m.get(creatorKey(e.creator)) ?? 0) + 1);
    return m;
  };
  const oc = count(oe);
  const nc = count(ne);
  for (const [c, k] of [...oc].sort((a, b) => byString(a[0], b[0]))) {
    if (!nc.has(c)) out.add('private', 'creator-removed', rules.removed(`${k} private element(s) of ${c}`), { key: c, label: c, sortKey: c, before: k });
  }
  for (const [c, k] of [...nc].sort((a, b) => byString(a[0], b[0]))) {
    if (!oc.has(c)) out.add('private', 'creator-added', rules.added(`${k} private element(s) of ${c}`), { key: c, label: c, sortKey: c, after: k });
  }

  const shared = (e: PrivateElement) => oc.has(creatorKey(e.creator)) && nc.has(creatorKey(e.creator));
  const oi = indexBy(oe.filter(shared), elementKey);
  const ni = indexBy(ne.filter(shared), elementKey);
  const label = (e: PrivateElement) => normKeyword(e.keyword) || displayName(e.name);
  for (const [key, a] of oi) {
    const b = ni.get(key);
    if (!b) {
      out.add('private', 'removed', rules.removed(`private element ${label(a) || key}`), { key, sortKey: key, label: label(a), before: summary(a), oldProv: a.prov });
      continue;
    }
    const p = { key, sortKey: key, label: label(b), oldProv: a.prov, newProv: b.prov };
    const ak = normKeyword(a.keyword);
    const bk = normKeyword(b.keyword);
    if (ak !== bk) {
      const r = rules.keywordChange(ak, bk);
      if (a.keywordDerived || b.keywordDerived) r.reason += ` (${a.keywordDerived ? 'old' : 'new'} keyword derived from the name)`;
      out.add('private', 'keyword-changed', r, { ...p, before: ak, after: bk });
    }
    // A name a source did not have (`nameDerived`) is not a statement about the element.
    if (!a.nameDerived && !b.nameDerived && !out.tally.same('private.name', a.name, b.name, nameKey)) out.add('private', 'name-changed', rules.nameText(), { ...p, before: displayName(a.name), after: displayName(b.name) });
    const av = vrKey(a.vr);
    const bv = vrKey(b.vr);
    if (av !== bv) out.add('private', 'vr-changed', rules.vrChange(), { ...p, before: av, after: bv });
    else if (a.vr.join(' or ') !== b.vr.join(' or ')) out.tally.note('private.vr');
    if (!out.tally.same('private.vm', a.vm, b.vm, vmKey)) out.add('private', 'vm-changed', rules.vmChange(a.vm, b.vm), { ...p, before: vmKey(a.vm), after: vmKey(b.vm) });
    if (a.retired !== b.retired) out.add('private', b.retired ? 'retired' : 'unretired', b.retired ? rules.retired() : rules.unretired(), { ...p, before: a.retired, after: b.retired });
  }
  for (const [key, b] of ni) {
    if (oi.has(key)) continue;
    out.add('private', 'added', rules.added(`private element ${label(b) || key}`), { key, sortKey: key, label: label(b), after: summary(b), newProv: b.prov });
  }
}
