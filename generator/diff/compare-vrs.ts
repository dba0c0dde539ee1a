/** Value representations (PS3.5 Table 6.2-1 and the hand-written overlay), keyed by the VR code. */
import type { ValueRepresentation } from '../ir.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, nameKey } from './normalize.ts';
import * as rules from './semver.ts';

const PROPERTIES = [
  'kind',
  'maxLength',
  'maxLengthUnit',
  'fixedSize',
  'padding',
  'explicitLengthField',
  'repertoire',
  'singleValued',
] as const;

function summary(v: ValueRepresentation) {
  return json({
    vr: v.vr,
    name: displayName(v.name),
    kind: v.kind,
    maxLength: v.maxLength,
    maxLengthUnit: v.maxLengthUnit,
    fixedSize: v.fixedSize,
    padding: v.padding,
    explicitLengthField: v.explicitLengthField,
    repertoire: v.repertoire,
    singleValued: v.singleValued,
    retired: v.retired,
  });
}

export function compareVrs(oldVrs: readonly ValueRepresentation[], newVrs: readonly ValueRepresentation[], out: Collector): void {
  if (oldVrs.length === 0 || newVrs.length === 0) {
    if (oldVrs.length + newVrs.length > 0) {
      out.skip({
        category: 'vrs',
        what: 'value representations',
        reason: `only the ${oldVrs.length > 0 ? 'old' : 'new'} side has a PS3.5 source`,
        oldCount: oldVrs.length,
        newCount: newVrs.length,
      });
    }
    return;
  }
  const key = (v: ValueRepresentation) => v.vr.trim().toUpperCase();
  const oldIdx = indexBy(oldVrs, key);
  const newIdx = indexBy(newVrs, key);
  for (const [k, o] of oldIdx) {
    const n = newIdx.get(k);
    if (!n) {
      out.add('vrs', 'removed', rules.removed(`VR ${k}`), { key: k, sortKey: k, label: displayName(o.name), before: summary(o), oldProv: o.prov });
      continue;
    }
    const base = { key: k, sortKey: k, label: displayName(n.name), oldProv: o.prov, newProv: n.prov };
    if (!out.tally.same('vrs.name', o.name, n.name, nameKey)) {
      out.add('vrs', 'name-changed', rules.nameText(), { ...base, before: displayName(o.name), after: displayName(n.name) });
    }
    for (const p of PROPERTIES) {
      const a = o[p] ?? null;
      const b = n[p] ?? null;
      if (a !== b) out.add('vrs', 'property-changed', rules.propertyChange(p, a, b), { ...base, field: p, before: a, after: b });
    }
    if (o.retired !== n.retired) {
      out.add('vrs', n.retired ? 'retired' : 'unretired', n.retired ? rules.retired() : rules.unretired(), { ...base, before: o.retired, after: n.retired });
    }
  }
  for (const [k, n] of newIdx) {
    if (oldIdx.has(k)) continue;
    out.add('vrs', 'added', rules.added(`VR ${k}`), { key: k, sortKey: k, label: displayName(n.name), after: summary(n), newProv: n.prov });
  }
}
