/**
 * Data elements (PS3.6 Tables 6-1, 7-1, 8-1, 9-1; PS3.7 Tables E.1-1, E.2-1), keyed by tag.
 * Repeating-group entries are keyed by their mask (`60xx3000`); an entry whose mask changed
 * (`0028,04x0` written as one concrete tag on the other side, same keyword) is one
 * `mask-changed`, not a removal plus an addition.
 */
import type { DataElement, ElementTable } from '../ir.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, maskCovers, nameKey, normKeyword, normTag, tagText, vmKey, vrKey } from './normalize.ts';
import * as rules from './semver.ts';

/** Which part defines a table: a side that read PS3.6 but not PS3.7 says nothing about commands. */
const UNIT: Record<ElementTable, 'PS3.6' | 'PS3.7'> = {
  data: 'PS3.6',
  'file-meta': 'PS3.6',
  directory: 'PS3.6',
  'dynamic-rtp': 'PS3.6',
  command: 'PS3.7',
  'command-retired': 'PS3.7',
};

function summary(e: DataElement) {
  return json({
    tag: normTag(e.tag),
    keyword: normKeyword(e.keyword),
    name: displayName(e.name),
    vr: vrKey(e.vr, e.vrSeeNote),
    vm: vmKey(e.vm),
    retired: e.retired,
  });
}

export function compareElements(oldEls: readonly DataElement[], newEls: readonly DataElement[], out: Collector): void {
  const oldUnits = new Set(oldEls.map((e) => UNIT[e.table] ?? 'PS3.6'));
  const newUnits = new Set(newEls.map((e) => UNIT[e.table] ?? 'PS3.6'));
  const inScope = (e: DataElement) => {
    const u = UNIT[e.table] ?? 'PS3.6';
    return oldUnits.has(u) && newUnits.has(u);
  };
  for (const unit of ['PS3.6', 'PS3.7'] as const) {
    if (oldUnits.has(unit) === newUnits.has(unit)) continue;
    const count = (els: readonly DataElement[]) => els.filter((e) => (UNIT[e.table] ?? 'PS3.6') === unit).length;
    out.skip({
      category: 'elements',
      what: unit === 'PS3.6' ? 'PS3.6 data elements' : 'PS3.7 command elements',
      reason: `only the ${oldUnits.has(unit) ? 'old' : 'new'} side has ${unit} sources`,
      oldCount: count(oldEls),
      newCount: count(newEls),
    });
  }

  // DICOS/DICONDE markers come from PS3.6's note column; sources without it (innolitics) say nothing.
  const oldUsage = oldEls.filter((e) => e.usage !== undefined).length;
  const newUsage = newEls.filter((e) => e.usage !== undefined).length;
  const usageKnown = (oldUsage > 0) === (newUsage > 0);
  if (!usageKnown) {
    out.skip({
      category: 'elements',
      what: 'DICOS/DICONDE usage markers',
      reason: `only the ${oldUsage > 0 ? 'old' : 'new'} side's sources carry them`,
      oldCount: oldUsage,
      newCount: newUsage,
    });
  }

  const oldIdx = indexBy(oldEls.filter(inScope), (e) => normTag(e.tag));
  const newIdx = indexBy(newEls.filter(inScope), (e) => normTag(e.tag));
  const tally = out.tally;

  for (const [key, o] of oldIdx) {
    const n = newIdx.get(key);
    if (!n) continue;
    if (o.tag !== n.tag) tally.note('elements.tag');
    const base = { key, sortKey: key, label: normKeyword(n.keyword) || normKeyword(o.keyword) || displayName(n.name) || key, oldProv: o.prov, newProv: n.prov };

    const ok = normKeyword(o.keyword);
    const nk = normKeyword(n.keyword);
    if (ok !== nk) out.add('elements', 'keyword-changed', rules.keywordChange(ok, nk), { ...base, before: ok, after: nk });
    else if (o.keyword !== n.keyword) tally.note('elements.keyword');

    if (!tally.same('elements.name', o.name, n.name, nameKey)) {
      out.add('elements', 'name-changed', rules.nameText(), { ...base, before: displayName(o.name), after: displayName(n.name) });
    }

    const ov = vrKey(o.vr, o.vrSeeNote);
    const nv = vrKey(n.vr, n.vrSeeNote);
    if (ov !== nv) out.add('elements', 'vr-changed', rules.vrChange(), { ...base, before: ov, after: nv });
    else if (o.vr.join(' or ') !== n.vr.join(' or ') || Boolean(o.vrSeeNote) !== Boolean(n.vrSeeNote)) tally.note('elements.vr');

    if (!tally.same('elements.vm', o.vm, n.vm, vmKey)) {
      out.add('elements', 'vm-changed', rules.vmChange(o.vm, n.vm), { ...base, before: vmKey(o.vm), after: vmKey(n.vm) });
    }

    if (o.retired !== n.retired) {
      out.add('elements', n.retired ? 'retired' : 'unretired', n.retired ? rules.retired() : rules.unretired(), {
        ...base,
        before: o.retired,
        after: n.retired,
      });
    }

    if (usageKnown && (o.usage ?? '') !== (n.usage ?? '')) {
      out.add('elements', 'property-changed', rules.metadata('usage marker'), { ...base, field: 'usage', before: o.usage ?? null, after: n.usage ?? null });
    }
  }

  // Unmatched entries: first pair mask changes (same keyword, one tag covers the other).
  const removed = [...oldIdx].filter(([k]) => !newIdx.has(k));
  const added = new Map([...newIdx].filter(([k]) => !oldIdx.has(k)));
  const addedByKeyword = new Map<string, [string, DataElement][]>();
  for (const [k, e] of added) {
    const kw = normKeyword(e.keyword);
    if (kw === '') continue;
    const list = addedByKeyword.get(kw) ?? [];
    list.push([k, e]);
    addedByKeyword.set(kw, list);
  }

  for (const [key, o] of removed) {
    const kw = normKeyword(o.keyword);
    const candidates = kw === '' ? [] : (addedByKeyword.get(kw) ?? []);
    const hit = candidates.find(([k]) => added.has(k) && (maskCovers(k, key) || maskCovers(key, k)));
    if (hit) {
      const [nk, n] = hit;
      added.delete(nk);
      out.add('elements', 'mask-changed', rules.maskChange(), {
        key: `${key} → ${nk}`,
        sortKey: key,
        label: kw,
        before: key,
        after: nk,
        oldProv: o.prov,
        newProv: n.prov,
      });
      continue;
    }
    out.add('elements', 'removed', rules.removed(kw ? `export ${kw}` : `tag ${tagText(key)} from the dictionary`), {
      key,
      sortKey: key,
      label: kw || displayName(o.name) || key,
      before: summary(o),
      oldProv: o.prov,
    });
  }
  for (const [key, n] of added) {
    const kw = normKeyword(n.keyword);
    out.add('elements', 'added', rules.added(kw ? `export ${kw}` : `tag ${tagText(key)}`), {
      key,
      sortKey: key,
      label: kw || displayName(n.name) || key,
      after: summary(n),
      newProv: n.prov,
    });
  }
}
