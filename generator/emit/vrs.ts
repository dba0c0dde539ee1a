/**
 * Family `vrs` → `vr.ts`: the `VR` union, `VRS`, `vrInfo(vr)` and the resolution of ambiguous VRs
 * (`US or SS`, `OB or OW`, …) as data (`AMBIGUOUS_VRS`) and a function (`resolveVr`).
 * Reads `ir.valueRepresentations` (PS3.5 Table 6.2-1 + overlay) and, for the ambiguous elements,
 * `ir.dataElements` (PS3.6) with the rules of sources/nema/part05-vr-overlay.ts.
 */
import type { DataElement, Ir, ValueRepresentation } from '../ir.ts';
import { fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';
import { VR_OVERLAY, AMBIGUOUS_VR_DEFAULT_RULE, AMBIGUOUS_VR_TAG_RULE, ambiguousVrKey, type AmbiguousVrRule } from '../../sources/nema/part05-vr-overlay.ts';

const VR_CODE = /^[A-Z]{2}$/;
const TAG_MASK = /^[0-9A-Fx]{8}$/;

export interface AmbiguousEntry {
  tag: string;
  vrs: string[];
  rule: AmbiguousVrRule;
  keyword: string;
}

/** Every element with more than one VR, classified by tag rule or by its VR combination. */
export function ambiguousEntries(ir: Ir, vrs: Set<string>): AmbiguousEntry[] {
  const out = new Map<string, AmbiguousEntry>();
  const add = (e: DataElement) => {
    if (e.vr.length < 2 || out.has(e.tag)) return;
    if (!TAG_MASK.test(e.tag)) throw new Error(`vr emitter: element tag ${JSON.stringify(e.tag)} is not 8 hex digits/x`);
    const key = ambiguousVrKey(e.vr);
    const rule = AMBIGUOUS_VR_TAG_RULE[e.tag] ?? AMBIGUOUS_VR_DEFAULT_RULE[key];
    if (!rule) {
      throw new Error(
        `vr emitter: ${e.prov.source} ${e.prov.table} row ${e.prov.row ?? '?'}: element ${e.tag} has VRs ${e.vr.join(' or ')} and no resolution rule; ` +
          'add the combination or the tag to sources/nema/part05-vr-overlay.ts',
      );
    }
    for (const v of e.vr) {
      if (!vrs.has(v)) throw new Error(`vr emitter: element ${e.tag} uses VR ${v}, which the VR table of this IR does not define`);
    }
    out.set(e.tag, { tag: e.tag, vrs: [...e.vr].sort(), rule, keyword: e.keyword });
  };
  for (const e of ir.dataElements) add(e);
  return [...out.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

function infoLiteral(v: ValueRepresentation): string {
  const parts = [
    `vr: ${JSON.stringify(v.vr)}`,
    `name: ${tsString(v.name)}`,
    `kind: ${JSON.stringify(v.kind)}`,
    `binary: ${v.kind !== 'string'}`,
  ];
  if (v.maxLength !== undefined) parts.push(`maxLength: ${v.maxLength}`, `maxLengthUnit: ${JSON.stringify(v.maxLengthUnit ?? 'bytes')}`);
  if (v.fixedSize !== undefined) parts.push(`fixedSize: ${v.fixedSize}`);
  parts.push(
    `padding: ${JSON.stringify(v.padding)}`,
    `explicitLengthField: ${v.explicitLengthField}`,
    `repertoire: ${JSON.stringify(v.repertoire)}`,
    `singleValued: ${v.singleValued}`,
    `retired: ${v.retired}`,
  );
  return `{ ${parts.join(', ')} }`;
}

/**
 * VR codes the package needs but the IR's VR table lacks: all the overlay classifies when no
 * PS3.5 is among the sources (a PS3.6-only run), plus any code the data elements use that the
 * table does not list (elements from a newer layer than the VR table). They get the overlay's
 * encoding facts and no name or lengths; a code the overlay does not know either stops generation.
 */
export function overlayVrs(ir: Ir): ValueRepresentation[] {
  const have = new Set(ir.valueRepresentations.map((v) => v.vr));
  const missing = new Set<string>(ir.valueRepresentations.length === 0 ? Object.keys(VR_OVERLAY) : []);
  for (const e of ir.dataElements) for (const v of e.vr) if (!have.has(v)) missing.add(v);
  return [...missing].sort().map((vr) => {
    const o = VR_OVERLAY[vr];
    if (!o) {
      throw new Error(`vr emitter: VR ${JSON.stringify(vr)} is used by data elements but neither PS3.5 Table 6.2-1 among the sources nor sources/nema/part05-vr-overlay.ts defines it`);
    }
    return { vr, name: '', ...o, retired: false, prov: { source: 'overlay', table: 'part05-vr-overlay.ts' } };
  });
}

export function emitVrs(ctx: EmitContext): EmitResult {
  const vrs = [...ctx.ir.valueRepresentations, ...overlayVrs(ctx.ir)].sort((a, b) => (a.vr < b.vr ? -1 : a.vr > b.vr ? 1 : 0));
  for (const v of vrs) if (!VR_CODE.test(v.vr)) throw new Error(`vr emitter: refusing VR code ${JSON.stringify(v.vr)}`);
  const codes = new Set(vrs.map((v) => v.vr));
  const ambiguous = ambiguousEntries(ctx.ir, codes);
  const usedRules = Object.entries(AMBIGUOUS_VR_DEFAULT_RULE)
    .filter(([k]) => k.split('|').every((v) => codes.has(v)))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const sources = new Set([...sourcesOf(vrs), ...sourcesOf(ctx.ir.dataElements.filter((e) => e.vr.length > 1))]);
  const content = render('vr', {
    header: fileHeader(ctx, sources, 'value representations (PS3.5 Table 6.2-1) and ambiguous VR resolution'),
    editions: [...new Set(vrs.map((v) => ctx.ir.sources.find((s) => s.id === v.prov.source)).filter((s) => s !== undefined).map((s) => `${s.part} ${s.edition}`))].join(', ') || 'none',
    vrUnion: vrs.length === 0 ? 'never' : vrs.map((v) => JSON.stringify(v.vr)).join(' | '),
    vrs: vrs.map((v) => ({ vr: v.vr, literal: infoLiteral(v) })),
    ambiguous: ambiguous.map((a) => ({ tag: a.tag, vrs: a.vrs, rule: a.rule, keyword: a.keyword })),
    defaultRules: usedRules.map(([key, rule]) => ({ key, rule })),
  });
  return { files: [{ path: 'vr.ts', content }], entry: [{ from: './vr.js' }] };
}

export const vrsEmitter: Emitter = { family: 'vrs', needs: ['transfer-syntaxes'], emit: emitVrs };
