/**
 * Context groups (PS3.16), coding schemes (PS3.16 Table 8-1) and DCM codes (PS3.16 Annex D),
 * compared when both sides have them. Codes are keyed by coding scheme designator + code value
 * (whichever of the three value forms is set); meanings compare by `nameKey`.
 */
import type { CodedConcept, ContextGroup, ContextGroupCode, ContextGroupSection } from '../ir-context-groups.ts';
import { json, type Collector } from './collector.ts';
import { displayName, indexBy, nameKey } from './normalize.ts';
import * as rules from './semver.ts';

export function codeKey(c: CodedConcept): string {
  const value = c.codeValue ?? c.longCodeValue ?? c.urnCodeValue ?? '';
  return `${c.codingSchemeDesignator.trim()}:${value.trim()}`;
}

const cidSort = (cid: number) => String(cid).padStart(6, '0');

function compareCodes(o: ContextGroup, n: ContextGroup, out: Collector): void {
  const oc = indexBy(o.codes, codeKey);
  const nc = indexBy(n.codes, codeKey);
  const k = (code: string) => ({ key: `CID ${n.cid} ${code}`, sortKey: `${cidSort(n.cid)}\u0000${code}` });
  for (const [code, a] of oc) {
    const b = nc.get(code);
    if (!b) {
      out.add('context-groups', 'code-removed', rules.removed(`code constant ${n.keyword}.${a.identifier}`), {
        ...k(code), label: displayName(a.codeMeaning), before: summaryCode(a), oldProv: a.prov,
      });
      continue;
    }
    const p = { ...k(code), label: displayName(b.codeMeaning), oldProv: a.prov, newProv: b.prov };
    if (!out.tally.same('context-groups.codeMeaning', a.codeMeaning, b.codeMeaning, nameKey)) {
      out.add('context-groups', 'code-meaning-changed', rules.nameText(), { ...p, before: displayName(a.codeMeaning), after: displayName(b.codeMeaning) });
    }
    if (a.identifier !== b.identifier) {
      out.add('context-groups', 'code-identifier-changed', rules.codeIdentifierChange(a.identifier, b.identifier, b.aliases), { ...p, before: a.identifier, after: b.identifier });
    }
    if ((a.codingSchemeVersion ?? '') !== (b.codingSchemeVersion ?? '')) {
      out.add('context-groups', 'property-changed', rules.metadata('coding scheme version'), {
        ...p, field: 'codingSchemeVersion', before: a.codingSchemeVersion ?? null, after: b.codingSchemeVersion ?? null,
      });
    }
  }
  for (const [code, b] of nc) {
    if (oc.has(code)) continue;
    out.add('context-groups', 'code-added', rules.added(`code constant ${n.keyword}.${b.identifier}`), {
      ...k(code), label: displayName(b.codeMeaning), after: summaryCode(b), newProv: b.prov,
    });
  }
}

function summaryCode(c: ContextGroupCode) {
  return json({
    codingSchemeDesignator: c.codingSchemeDesignator,
    codeValue: c.codeValue ?? c.longCodeValue ?? c.urnCodeValue ?? '',
    codeMeaning: displayName(c.codeMeaning),
    identifier: c.identifier,
  });
}

function summaryGroup(g: ContextGroup) {
  return json({ cid: g.cid, keyword: g.keyword, name: displayName(g.name), version: g.version, codes: g.codes.length });
}

export function compareContextGroups(o: ContextGroupSection | undefined, n: ContextGroupSection | undefined, out: Collector): void {
  if (!o || !n || o.groups.length === 0 || n.groups.length === 0) {
    const oc = o?.groups.length ?? 0;
    const nc = n?.groups.length ?? 0;
    if (oc + nc > 0) {
      out.skip({ category: 'context-groups', what: 'context groups', reason: `only the ${oc > 0 ? 'old' : 'new'} side has PS3.16 sources`, oldCount: oc, newCount: nc });
    }
    return;
  }
  const og = indexBy(o.groups, (g) => String(g.cid));
  const ng = indexBy(n.groups, (g) => String(g.cid));
  for (const [cid, a] of og) {
    const b = ng.get(cid);
    const k = { key: `CID ${cid}`, sortKey: cidSort(a.cid) };
    if (!b) {
      out.add('context-groups', 'group-removed', rules.removed(`context group ${a.keyword}`), { ...k, label: a.keyword, before: summaryGroup(a), oldProv: a.prov });
      continue;
    }
    const p = { ...k, label: b.keyword, oldProv: a.prov, newProv: b.prov };
    if (a.keyword !== b.keyword) {
      const r = rules.keywordChange(a.keyword, b.keyword);
      if (a.keywordDerived || b.keywordDerived) r.reason += ` (${a.keywordDerived ? 'old' : 'new'} keyword derived from the name)`;
      out.add('context-groups', 'keyword-changed', r, { ...p, before: a.keyword, after: b.keyword });
    }
    if (!out.tally.same('context-groups.name', a.name, b.name, nameKey)) {
      out.add('context-groups', 'name-changed', rules.nameText(), { ...p, before: displayName(a.name), after: displayName(b.name) });
    }
    if ((a.version ?? '') !== (b.version ?? '')) {
      out.add('context-groups', 'group-version-changed', rules.metadata('group version'), { ...p, before: a.version ?? null, after: b.version ?? null });
    }
    // `null` = the source does not say (FHIR ValueSets): not a change.
    if (a.extensible !== null && b.extensible !== null && a.extensible !== b.extensible) {
      out.add('context-groups', 'group-extensible-changed', rules.metadata('extensibility flag'), { ...p, before: a.extensible, after: b.extensible });
    }
    if (a.retired !== b.retired) {
      out.add('context-groups', b.retired ? 'retired' : 'unretired', b.retired ? rules.retired() : rules.unretired(), { ...p, before: a.retired, after: b.retired });
    }
    for (const f of ['uid', 'fhirKeyword'] as const) {
      if ((a[f] ?? '') !== (b[f] ?? '')) out.add('context-groups', 'property-changed', rules.metadata(f), { ...p, field: f, before: a[f] ?? null, after: b[f] ?? null });
    }
    const ai = new Set(a.includes);
    const bi = new Set(b.includes);
    for (const c of b.includes) {
      if (!ai.has(c)) out.add('context-groups', 'group-include-added', rules.metadata('include structure; codes are diffed separately'), { ...p, after: c });
    }
    for (const c of a.includes) {
      if (!bi.has(c)) out.add('context-groups', 'group-include-removed', rules.metadata('include structure; codes are diffed separately'), { ...p, before: c });
    }
    compareCodes(a, b, out);
  }
  for (const [cid, b] of ng) {
    if (og.has(cid)) continue;
    out.add('context-groups', 'group-added', rules.added(`context group ${b.keyword}`), {
      key: `CID ${cid}`, sortKey: cidSort(b.cid), label: b.keyword, after: summaryGroup(b), newProv: b.prov,
    });
  }

  // Coding schemes (Table 8-1), when both sides have them.
  if (o.codingSchemes.length > 0 && n.codingSchemes.length > 0) {
    const os = indexBy(o.codingSchemes, (s) => s.designator.trim());
    const ns = indexBy(n.codingSchemes, (s) => s.designator.trim());
    for (const [d, a] of os) {
      const b = ns.get(d);
      const k = { key: d, sortKey: `~scheme\u0000${d}`, label: d };
      if (!b) {
        out.add('context-groups', 'coding-scheme-removed', rules.removed(`coding scheme ${d}`), { ...k, before: displayName(a.name), oldProv: a.prov });
        continue;
      }
      for (const f of ['name', 'uid', 'organization', 'version'] as const) {
        const x = a[f] ?? '';
        const y = b[f] ?? '';
        const same = f === 'name' || f === 'organization' ? out.tally.same(`context-groups.scheme.${f}`, x, y, nameKey) : x === y;
        if (!same) out.add('context-groups', 'coding-scheme-changed', rules.metadata(`coding scheme ${f}`), { ...k, field: f, before: x, after: y, oldProv: a.prov, newProv: b.prov });
      }
    }
    for (const [d, b] of ns) {
      if (!os.has(d)) out.add('context-groups', 'coding-scheme-added', rules.added(`coding scheme ${d}`), { key: d, sortKey: `~scheme\u0000${d}`, label: d, after: displayName(b.name), newProv: b.prov });
    }
  }

  // DCM codes (Annex D), when both sides have them.
  if (o.dcmCodes.length > 0 && n.dcmCodes.length > 0) {
    const od = indexBy(o.dcmCodes, (c) => c.codeValue.trim());
    const nd = indexBy(n.dcmCodes, (c) => c.codeValue.trim());
    for (const [v, a] of od) {
      const b = nd.get(v);
      const k = { key: `DCM ${v}`, sortKey: `~dcm\u0000${v.padStart(12, '0')}` };
      if (!b) {
        out.add('context-groups', 'dcm-code-removed', rules.removed(`DCM code constant ${a.identifier}`), { ...k, label: displayName(a.codeMeaning), before: displayName(a.codeMeaning), oldProv: a.prov });
        continue;
      }
      const p = { ...k, label: displayName(b.codeMeaning), oldProv: a.prov, newProv: b.prov };
      if (!out.tally.same('context-groups.dcmMeaning', a.codeMeaning, b.codeMeaning, nameKey)) {
        out.add('context-groups', 'dcm-code-meaning-changed', rules.nameText(), { ...p, before: displayName(a.codeMeaning), after: displayName(b.codeMeaning) });
      }
      if (a.identifier !== b.identifier) {
        out.add('context-groups', 'code-identifier-changed', rules.codeIdentifierChange(a.identifier, b.identifier, b.aliases), { ...p, before: a.identifier, after: b.identifier });
      }
      if (Boolean(a.retired) !== Boolean(b.retired)) {
        out.add('context-groups', b.retired ? 'retired' : 'unretired', b.retired ? rules.retired() : rules.unretired(), { ...p, before: Boolean(a.retired), after: Boolean(b.retired) });
      }
    }
    for (const [v, b] of nd) {
      if (od.has(v)) continue;
      out.add('context-groups', 'dcm-code-added', rules.added(`DCM code constant ${b.identifier}`), {
        key: `DCM ${v}`, sortKey: `~dcm\u0000${v.padStart(12, '0')}`, label: displayName(b.codeMeaning), after: displayName(b.codeMeaning), newProv: b.prov,
      });
    }
  }
}
