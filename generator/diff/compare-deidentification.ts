/**
 * De-identification (PS3.15 Table E.1-1), keyed by tag, compared per attribute and per option
 * column. Option columns only one side has are one `option-added`/`option-removed` change each,
 * not a change on every row. Action codes compare without whitespace and case (`X / Z` = `x/z`).
 */
import type { DeidentificationRow, Ir } from '../ir.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, nameKey, normTag, tagText } from './normalize.ts';
import * as rules from './semver.ts';

export function actionKey(a: string | undefined): string {
  return (a ?? '').replace(/[\s\u200B\u00AD]+/g, '').toUpperCase();
}

function summary(r: DeidentificationRow) {
  const actions: Record<string, string> = {};
  for (const k of Object.keys(r.actions).sort()) actions[k] = actionKey(r.actions[k]);
  return json({ tag: normTag(r.tag), name: displayName(r.name), retired: r.retired, inStdCompIod: r.inStdCompIod, actions });
}

export function compareDeidentification(o: Ir, n: Ir, out: Collector): void {
  if (o.deidentification.length === 0 || n.deidentification.length === 0) {
    const oc = o.deidentification.length;
    const nc = n.deidentification.length;
    if (oc + nc > 0) out.skip({ category: 'deidentification', what: 'PS3.15 Table E.1-1', reason: `only the ${oc > 0 ? 'old' : 'new'} side has a PS3.15 source`, oldCount: oc, newCount: nc });
    return;
  }
  const oo = new Map(o.deidentificationOptions.map((x) => [x.id, x.header]));
  const no = new Map(n.deidentificationOptions.map((x) => [x.id, x.header]));
  // Options used by rows also count (an IR built without the option list still compares).
  for (const r of o.deidentification) for (const k of Object.keys(r.actions)) if (!oo.has(k)) oo.set(k, k);
  for (const r of n.deidentification) for (const k of Object.keys(r.actions)) if (!no.has(k)) no.set(k, k);
  const common: string[] = [];
  for (const [id, h] of oo) {
    const k = { key: id, sortKey: `\u0000option\u0000${id}`, label: displayName(no.get(id) ?? h) };
    if (!no.has(id)) out.add('deidentification', 'option-removed', rules.removed(`option column ${id}`), { ...k, before: displayName(h) });
    else {
      common.push(id);
      // Header wording (`Basic Profile` → `Basic Prof.`) is table layout: the option id is what the package exports.
      if (h !== no.get(id)) out.tally.note('deidentification.optionHeader');
    }
  }
  for (const [id, h] of no) {
    if (!oo.has(id)) out.add('deidentification', 'option-added', rules.added(`option column ${id}`), { key: id, sortKey: `\u0000option\u0000${id}`, label: displayName(h), after: displayName(h) });
  }
  common.sort();

  const oi = indexBy(o.deidentification, (r) => normTag(r.tag));
  const ni = indexBy(n.deidentification, (r) => normTag(r.tag));
  for (const [key, a] of oi) {
    const b = ni.get(key);
    if (!b) {
      out.add('deidentification', 'removed', rules.removed(`the E.1-1 row for ${tagText(key)}`), { key, sortKey: key, label: displayName(a.name), before: summary(a), oldProv: a.prov });
      continue;
    }
    const p = { key, sortKey: key, label: displayName(b.name), oldProv: a.prov, newProv: b.prov };
    if (!out.tally.same('deidentification.name', a.name, b.name, nameKey)) out.add('deidentification', 'name-changed', rules.nameText(), { ...p, before: displayName(a.name), after: displayName(b.name) });
    if (a.retired !== b.retired) out.add('deidentification', b.retired ? 'retired' : 'unretired', b.retired ? rules.retired() : rules.unretired(), { ...p, before: a.retired, after: b.retired });
    if (a.inStdCompIod !== b.inStdCompIod) {
      out.add('deidentification', 'std-comp-iod-changed', rules.metadata('"in Std. Comp. IOD" flag'), { ...p, before: a.inStdCompIod, after: b.inStdCompIod });
    }
    for (const opt of common) {
      const x = a.actions[opt];
      const y = b.actions[opt];
      if (actionKey(x) === actionKey(y)) {
        if ((x ?? '') !== (y ?? '')) out.tally.note('deidentification.action');
        continue;
      }
      out.add('deidentification', 'action-changed', rules.deidActionChange(), { ...p, field: opt, before: actionKey(x) || null, after: actionKey(y) || null });
    }
  }
  for (const [key, b] of ni) {
    if (oi.has(key)) continue;
    out.add('deidentification', 'added', rules.added(`an E.1-1 row for ${tagText(key)}`), { key, sortKey: key, label: displayName(b.name), after: summary(b), newProv: b.prov });
  }
}
