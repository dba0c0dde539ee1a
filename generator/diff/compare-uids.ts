/**
 * UIDs (PS3.6 Annex A Tables ), keyed by the UID value.
 *
 * A side whose UIDs come from PS3.6 is the full registry. A side with only a partial list (e.g.
 * innolitics `sops.json`: storage SOP classes that have an IOD) is compared only on the UID types
 * it has, and a UID the full side has but the partial list lacks is not reported as removed (or
 * added): the partial list cannot say. UIDs only the partial side has are reported.
 */
import type { Ir, UidEntry } from '../ir.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, nameKey, normKeyword, normUid, uidSortKey } from './normalize.ts';
import * as rules from './semver.ts';

/** NEMA writes retirement into the name (`… (Retired)`); the flag is compared separately. */
export function uidNameKey(name: string): string {
  return nameKey(name.replace(/\s*\(\s*retired\s*\)\s*$/i, ''));
}

function isFullRegistry(ir: Ir): boolean {
  const part = new Map(ir.sources.map((s) => [s.id, s.part]));
  return ir.uids.some((u) => part.get(u.prov.source) === 'PS3.6');
}

function summary(u: UidEntry) {
  return json({ uid: normUid(u.uid), keyword: normKeyword(u.keyword), name: displayName(u.name), type: u.type, retired: u.retired });
}

export function compareUids(oldIr: Ir, newIr: Ir, out: Collector): void {
  const oldFull = isFullRegistry(oldIr);
  const newFull = isFullRegistry(newIr);
  const oldTypes = new Set(oldIr.uids.map((u) => u.type));
  const newTypes = new Set(newIr.uids.map((u) => u.type));
  const compared = (t: UidEntry['type']) => (oldFull && newFull) || (oldTypes.has(t) && newTypes.has(t));
  const oneSided = [...new Set([...oldTypes, ...newTypes])].filter((t) => !compared(t)).sort();
  for (const t of oneSided) {
    out.skip({
      category: 'uids',
      what: `${t} UIDs`,
      reason: `only the ${oldTypes.has(t) ? 'old' : 'new'} side lists this UID type and the other side is not a full PS3.6 registry`,
      oldCount: oldIr.uids.filter((u) => u.type === t).length,
      newCount: newIr.uids.filter((u) => u.type === t).length,
    });
  }

  const oldIdx = indexBy(oldIr.uids.filter((u) => compared(u.type)), (u) => normUid(u.uid));
  const newIdx = indexBy(newIr.uids.filter((u) => compared(u.type)), (u) => normUid(u.uid));
  const tally = out.tally;
  const skipOldOnly = oldFull && !newFull;
  const skipNewOnly = newFull && !oldFull;
  if (skipOldOnly || skipNewOnly) {
    const [full, partial] = skipOldOnly ? [oldIdx, newIdx] : [newIdx, oldIdx];
    const unlisted = [...full.keys()].filter((k) => !partial.has(k)).length;
    if (unlisted > 0) {
      out.skip({
        category: 'uids',
        what: 'UIDs the partial list does not carry',
        reason: `the ${skipOldOnly ? 'new' : 'old'} side's UIDs are a partial list (not PS3.6), so ${unlisted} UID(s) of the ${skipOldOnly ? 'old' : 'new'} side's full registry are neither removed nor added`,
        oldCount: skipOldOnly ? unlisted : 0,
        newCount: skipOldOnly ? 0 : unlisted,
      });
    }
  }

  for (const [key, o] of oldIdx) {
    const n = newIdx.get(key);
    const label = (e: UidEntry) => normKeyword(e.keyword) || displayName(e.name);
    if (!n) {
      if (skipOldOnly) continue;
      out.add('uids', 'removed', rules.removed(o.keyword ? `constant ${normKeyword(o.keyword)}` : `UID ${key}`), {
        key, sortKey: uidSortKey(key), label: label(o), before: summary(o), oldProv: o.prov,
      });
      continue;
    }
    if (o.uid !== n.uid) tally.note('uids.uid');
    const base = { key, sortKey: uidSortKey(key), label: label(n), oldProv: o.prov, newProv: n.prov };

    const ok = normKeyword(o.keyword);
    const nk = normKeyword(n.keyword);
    if (ok !== nk) {
      const r = rules.keywordChange(ok, nk);
      if (o.keywordDerived || n.keywordDerived) r.reason += ` (${o.keywordDerived ? 'old' : 'new'} keyword derived from the name)`;
      out.add('uids', 'keyword-changed', r, { ...base, before: ok, after: nk });
    } else if (o.keyword !== n.keyword) tally.note('uids.keyword');

    if (!tally.same('uids.name', o.name, n.name, uidNameKey)) {
      out.add('uids', 'name-changed', rules.nameText(), { ...base, before: displayName(o.name), after: displayName(n.name) });
    }
    if (o.type !== n.type) {
      out.add('uids', 'type-changed', rules.uidTypeChange(), { ...base, field: 'type', before: o.type, after: n.type });
    } else if (!tally.same('uids.typeText', o.typeText, n.typeText, nameKey)) {
      out.add('uids', 'property-changed', rules.metadata('UID type text'), { ...base, field: 'typeText', before: displayName(o.typeText), after: displayName(n.typeText) });
    }
    if (o.retired !== n.retired) {
      out.add('uids', n.retired ? 'retired' : 'unretired', n.retired ? rules.retired() : rules.unretired(), { ...base, before: o.retired, after: n.retired });
    }
    if (o.part !== undefined && n.part !== undefined && o.part.replace(/\s+/g, '') !== n.part.replace(/\s+/g, '')) {
      out.add('uids', 'property-changed', rules.metadata('defining part'), { ...base, field: 'part', before: o.part, after: n.part });
    }
    if ((o.cid ?? null) !== (n.cid ?? null)) {
      out.add('uids', 'property-changed', rules.metadata('context group number'), { ...base, field: 'cid', before: o.cid ?? null, after: n.cid ?? null });
    }
  }
  for (const [key, n] of newIdx) {
    if (oldIdx.has(key) || skipNewOnly) continue;
    out.add('uids', 'added', rules.added(n.keyword ? `constant ${normKeyword(n.keyword)}` : `UID ${key}`), {
      key, sortKey: uidSortKey(key), label: normKeyword(n.keyword) || displayName(n.name), after: summary(n), newProv: n.prov,
    });
  }
}
