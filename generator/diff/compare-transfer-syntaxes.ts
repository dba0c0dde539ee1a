/**
 * Transfer syntaxes (PS3.5 Section 10 / Annex A, PS3.6 Table A-1), keyed by UID. Every encoding
 * property is compared: a change there changes how consumers decode.
 */
import type { TransferSyntax } from '../ir.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, normKeyword, normUid, uidSortKey } from './normalize.ts';
import { uidNameKey } from './compare-uids.ts';
import * as rules from './semver.ts';

const PROPERTIES = ['explicitVr', 'byteOrder', 'encapsulated', 'deflated', 'compression', 'video', 'videoFragments', 'referencedPixelData'] as const;

function summary(t: TransferSyntax) {
  return json({
    uid: normUid(t.uid),
    keyword: normKeyword(t.keyword),
    name: displayName(t.name),
    explicitVr: t.explicitVr,
    byteOrder: t.byteOrder,
    encapsulated: t.encapsulated,
    deflated: t.deflated,
    compression: t.compression,
    video: t.video,
    videoFragments: t.videoFragments,
    referencedPixelData: t.referencedPixelData,
    retired: t.retired,
  });
}

export function compareTransferSyntaxes(oldTs: readonly TransferSyntax[], newTs: readonly TransferSyntax[], out: Collector): void {
  if (oldTs.length === 0 || newTs.length === 0) {
    if (oldTs.length + newTs.length > 0) {
      out.skip({
        category: 'transfer-syntaxes',
        what: 'transfer syntaxes',
        reason: `only the ${oldTs.length > 0 ? 'old' : 'new'} side has a PS3.5 source`,
        oldCount: oldTs.length,
        newCount: newTs.length,
      });
    }
    return;
  }
  const oldIdx = indexBy(oldTs, (t) => normUid(t.uid));
  const newIdx = indexBy(newTs, (t) => normUid(t.uid));
  const tally = out.tally;
  for (const [key, o] of oldIdx) {
    const n = newIdx.get(key);
    if (!n) {
      out.add('transfer-syntaxes', 'removed', rules.removed(`transfer syntax ${normKeyword(o.keyword) || key}`), {
        key, sortKey: uidSortKey(key), label: normKeyword(o.keyword) || displayName(o.name), before: summary(o), oldProv: o.prov,
      });
      continue;
    }
    const base = { key, sortKey: uidSortKey(key), label: normKeyword(n.keyword) || displayName(n.name), oldProv: o.prov, newProv: n.prov };
    const ok = normKeyword(o.keyword);
    const nk = normKeyword(n.keyword);
    if (ok !== nk) out.add('transfer-syntaxes', 'keyword-changed', rules.keywordChange(ok, nk), { ...base, before: ok, after: nk });
    if (!tally.same('transfer-syntaxes.name', o.name, n.name, uidNameKey)) {
      out.add('transfer-syntaxes', 'name-changed', rules.nameText(), { ...base, before: displayName(o.name), after: displayName(n.name) });
    }
    for (const p of PROPERTIES) {
      // An optional flag absent on one side means "not stated": false for booleans.
      const a = o[p] ?? (p === 'videoFragments' ? null : false);
      const b = n[p] ?? (p === 'videoFragments' ? null : false);
      if (a !== b) out.add('transfer-syntaxes', 'property-changed', rules.propertyChange(p, a, b), { ...base, field: p, before: a, after: b });
    }
    if (o.retired !== n.retired) {
      out.add('transfer-syntaxes', n.retired ? 'retired' : 'unretired', n.retired ? rules.retired() : rules.unretired(), { ...base, before: o.retired, after: n.retired });
    }
  }
  for (const [key, n] of newIdx) {
    if (oldIdx.has(key)) continue;
    out.add('transfer-syntaxes', 'added', rules.added(`transfer syntax ${normKeyword(n.keyword) || key}`), {
      key, sortKey: uidSortKey(key), label: normKeyword(n.keyword) || displayName(n.name), after: summary(n), newProv: n.prov,
    });
  }
}
