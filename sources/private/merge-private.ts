/**
 * Merge private dictionaries from several sources. Entries are keyed by (private creator, group,
 * offset) — plus the group range, offset range or pinned block where a source has one. Creators
 * compare exactly as PS3.5 requires, trailing space padding aside; creators that differ only in case
 * or inner spacing are different creators for DICOM and are reported as variants.
 *
 * Sections are given lowest priority first: for a field both sides fill, the later section wins
 * and every disagreement is recorded in `report.conflicts` (family `private`, field by field), so
 * a VR or VM that DCMTK and fo-dicom disagree on is always visible. A field only one side fills is
 * taken without a conflict (recorded in `fieldProv`). Placeholder names (`Unknown`) never conflict;
 * a written name beats one derived from a keyword and a specific VR beats `UN` whatever the order
 * (the disagreement is still reported).
 */
import type { FieldConflict, Prov, Report } from '../../generator/ir.ts';
import type { PrivateCreatorDeclaration, PrivateElement, PrivateSection } from '../../generator/ir-private.ts';
import { normalizeCreator, privateKey } from '../../generator/ir-private.ts';
import { isPlaceholderName, nameKey } from './common.ts';

export interface PrivateMergeInput {
  /** Layer name for conflict reports (defaults to the entry's source id). */
  layer?: string;
  section: PrivateSection;
}

type Field = 'vr' | 'vm' | 'name' | 'keyword' | 'retired';

function isInput(x: PrivateSection | PrivateMergeInput): x is PrivateMergeInput {
  return (x as PrivateMergeInput).section !== undefined;
}

function present(e: PrivateElement, f: Field): boolean {
  switch (f) {
    case 'vr':
      return e.vr.length > 0;
    case 'vm':
      return e.vm !== '';
    case 'name':
      return !isPlaceholderName(e.name);
    case 'keyword':
      return e.keyword !== '' && !isPlaceholderName(e.keyword);
    case 'retired':
      return true;
  }
}

function same(a: PrivateElement, b: PrivateElement, f: Field): boolean {
  switch (f) {
    case 'vr':
      return [...a.vr].sort().join('/') === [...b.vr].sort().join('/');
    case 'vm':
      return a.vm === b.vm;
    case 'name':
      return nameKey(a.name) === nameKey(b.name);
    case 'keyword':
      return nameKey(a.keyword) === nameKey(b.keyword);
    case 'retired':
      return a.retired === b.retired;
  }
}

function valueOf(e: PrivateElement, f: Field): unknown {
  return f === 'vr' ? e.vr.join('/') : e[f];
}

const FIELDS: Field[] = ['vr', 'vm', 'name', 'keyword', 'retired'];

export interface PrivateMergeOptions {
  /**
   * The caller hands the sections over and never reads them again (generator/merge.ts with
   * `handOver`): an element nothing merges into, whose creator needs no normalizing, is kept as it
   * is instead of copied. The merged section is the same.
   */
  handOver?: boolean;
  /**
   * Every section through the keyed merge, even one already in merged order (the reference the
   * shortcut is tested against: the same section and report either way).
   */
  exhaustive?: boolean;
}

/** An element as the merge owns it: the creator normalized, its own VR list. */
function ownCopy(src: PrivateElement, creator: string): PrivateElement {
  return { ...src, creator, vr: [...src.vr] };
}

/** Creator variants by their case- and spacing-folded form: each normal form with the sources that use it. */
type CreatorVariants = Map<string, Map<string, Set<string>>>;

export function mergePrivateDictionaries(sections: (PrivateSection | PrivateMergeInput)[], report: Report, how: PrivateMergeOptions = {}): PrivateSection {
  const inputs = sections.map((s) => (isInput(s) ? s : { section: s }));
  const conflicts = new Map<string, FieldConflict>();
  const elements = (inputs.length === 1 && how.exhaustive !== true ? distinctKeys(inputs[0]!.section.elements, how) : undefined) ?? mergeElements(inputs, conflicts, how);

  const counts: Record<string, number> = {};
  for (const c of conflicts.values()) {
    report.conflicts.push(c);
    counts[c.field] = (counts[c.field] ?? 0) + 1;
  }
  for (const [f, n] of Object.entries(counts)) report.counts[`private.conflicts.${f}`] = (report.counts[`private.conflicts.${f}`] ?? 0) + n;

  for (const variants of creatorVariants(inputs).values()) {
    if (variants.size < 2) continue;
    const list = [...variants.entries()].map(([c, s]) => `"${c}" (${[...s].sort().join(', ')})`).sort();
    const caseOnly = new Set([...variants.keys()].map((c) => c.replace(/\s+/g, ' '))).size === variants.size;
    report.diagnostics.push({
      severity: 'warning',
      code: caseOnly ? 'private-creator-case-variant' : 'private-creator-spacing-variant',
      message: `private creators ${list.join(', ')} differ only in ${caseOnly ? 'letter case' : 'spacing'}; DICOM compares creators exactly, so they stay separate: check which one devices write`,
    });
  }

  const declarations: PrivateCreatorDeclaration[] = [];
  const seenDecl = new Set<string>();
  for (const input of inputs) {
    for (const d of input.section.declarations ?? []) {
      const creator = normalizeCreator(d.creator);
      const k = `${creator}|${d.group}|${d.block ?? 'xx'}`;
      if (seenDecl.has(k)) continue;
      seenDecl.add(k);
      declarations.push({ ...d, creator });
    }
  }
  declarations.sort((a, b) => cmp(a.creator, b.creator) || cmp(a.group, b.group));
  report.counts['private.entries'] = elements.length;
  report.counts['private.creators'] = creatorCount(elements);
  return { elements, ...(declarations.length > 0 ? { declarations } : {}) };
}

/**
 * Every creator's normal form under its folded form (letter case and inner spacing), with the
 * sources that write it; elements come grouped by creator, so each run of one creator is folded once.
 */
function creatorVariants(inputs: PrivateMergeInput[]): CreatorVariants {
  const seen: CreatorVariants = new Map();
  let rawCreator: string | undefined;
  let srcs = new Set<string>();
  for (const input of inputs) {
    const list = input.section.elements;
    for (let i = 0; i < list.length; i++) {
      const src = list[i]!;
      if (src.creator !== rawCreator) {
        rawCreator = src.creator;
        const creator = normalizeCreator(rawCreator);
        const variantKey = creator.toUpperCase().replace(/\s+/g, ' ');
        let variants = seen.get(variantKey);
        if (!variants) seen.set(variantKey, (variants = new Map()));
        const known = variants.get(creator);
        if (!known) variants.set(creator, (srcs = new Set()));
        else srcs = known;
      }
      srcs.add(src.prov.source);
    }
  }
  return seen;
}

/** Creators of elements sorted by creator first (`comparePrivate`): one per run. */
function creatorCount(sorted: PrivateElement[]): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i]!.creator !== sorted[i - 1]!.creator) n++;
  return n;
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/**
 * One section whose elements all have different keys, so none merges into another: the keyed
 * merge would return each element as it keeps or copies it, sorted by `comparePrivate`, without a
 * conflict. That list, made without the keys. Different keys are proven by order: the elements
 * (creators normalized) strictly increase by `sectionOrder`, the order generator/normalize.ts
 * leaves them in (a snapshot, an earlier merge), and groups, offsets and blocks are in their hex
 * form, so two elements that differ give different `privateKey`s. Undefined for any other section.
 */
function distinctKeys(list: PrivateElement[], how: PrivateMergeOptions): PrivateElement[] | undefined {
  const out = new Array<PrivateElement>(list.length);
  // In chunks (a function called per chunk is compiled once by V8; a long loop is compiled again while it runs).
  for (let from = 0; from < list.length; from += CHUNK) if (!distinctChunk(list, out, from, Math.min(from + CHUNK, list.length), how)) return undefined;
  return out.sort(comparePrivate);
}

const CHUNK = 128;

/** `out[from..to)`: the elements kept or copied, false at the first not in hex form or not after the one before. */
function distinctChunk(list: PrivateElement[], out: PrivateElement[], from: number, to: number, how: PrivateMergeOptions): boolean {
  for (let i = from; i < to; i++) {
    const src = list[i]!;
    const creator = i > 0 && src.creator === list[i - 1]!.creator ? out[i - 1]!.creator : normalizeCreator(src.creator);
    if (!hexFields(src)) return false;
    const e = how.handOver === true && creator === src.creator ? src : ownCopy(src, creator);
    if (i > 0 && !(sectionOrder(out[i - 1]!, e) < 0)) return false;
    out[i] = e;
  }
  return true;
}

/**
 * Creator, group, offset (generator/normalize.ts sorts by these), then the rest of the key:
 * the last group, the block, the last offset. Elements that compare equal have the same key.
 */
function sectionOrder(a: PrivateElement, b: PrivateElement): number {
  return cmp(a.creator, b.creator) || cmp(a.group, b.group) || cmp(a.offset, b.offset) || cmp(a.groupLast ?? '', b.groupLast ?? '') || cmp(a.block ?? '', b.block ?? '') || cmp(a.offsetLast ?? '', b.offsetLast ?? '');
}

/** Group (and last group) 4 hex digits, offset (and last offset) and block 2; optional ones absent or empty (as `privateKey` reads them). */
function hexFields(e: PrivateElement): boolean {
  return HEX4.test(e.group) && HEX2.test(e.offset) && (!e.groupLast || HEX4.test(e.groupLast)) && (!e.offsetLast || HEX2.test(e.offsetLast)) && (!e.block || HEX2.test(e.block));
}

/** The keyed merge: sections lowest priority first, each element into the one with its key. */
function mergeElements(inputs: PrivateMergeInput[], conflicts: Map<string, FieldConflict>, how: PrivateMergeOptions): PrivateElement[] {
  /**
   * `layerOf`: the layer of each field another layer filled or won (made on first use); the rest are `layer`'s.
   * `shared`: `e` is still the caller's element (handed over), copied before anything merges into it.
   */
  const merged = new Map<string, { e: PrivateElement; layer: string; layerOf?: Map<Field, string>; shared?: boolean }>();
  const setLayer = (cur: { layer: string; layerOf?: Map<Field, string> }, f: Field, layer: string): void => void (cur.layerOf ??= new Map()).set(f, layer);
  const layerOf = (cur: { layer: string; layerOf?: Map<Field, string> }, f: Field): string => cur.layerOf?.get(f) ?? cur.layer;

  // Elements come grouped by creator: the creator's normal form is found once per run.
  let rawCreator: string | undefined;
  let creator = '';
  for (const input of inputs) {
    for (const src of input.section.elements) {
      const layer = input.layer ?? src.prov.source;
      if (src.creator !== rawCreator) creator = normalizeCreator((rawCreator = src.creator));

      const keep = how.handOver === true && creator === src.creator;
      const e = keep ? src : ownCopy(src, creator);
      const key = privateKey(e);
      const cur = merged.get(key);
      if (!cur) {
        merged.set(key, keep ? { e, layer, shared: true } : { e, layer });
        continue;
      }
      if (cur.shared) {
        cur.e = ownCopy(cur.e, cur.e.creator);
        cur.shared = false;
      }
      const base = cur.e;
      for (const f of FIELDS) {
        if (!present(e, f)) continue;
        const provOf = (): Prov => base.fieldProv?.[f] ?? base.prov;
        if (!present(base, f) || ((f === 'name' || f === 'keyword') && (f === 'name' ? base.nameDerived : base.keywordDerived) && !(f === 'name' ? e.nameDerived : e.keywordDerived) && same(base, e, f))) {
          // Fill an absent field, or prefer a written name/keyword over a derived one that says the same.
          setField(base, e, f);
          base.fieldProv = { ...(base.fieldProv ?? {}), [f]: e.prov };
          setLayer(cur, f, layer);
          continue;
        }
        if (same(base, e, f)) continue;
        // A real disagreement: later layer wins, except a written name/keyword beats a derived one.
        const derivedNew = f === 'name' ? e.nameDerived : f === 'keyword' ? e.keywordDerived : false;
        const derivedOld = f === 'name' ? base.nameDerived : f === 'keyword' ? base.keywordDerived : false;
        if (f === 'keyword' && (derivedNew || derivedOld)) {
          // Derived keywords follow their names; only written keywords can conflict.
          if (derivedOld && !derivedNew) {
            setField(base, e, f);
            base.fieldProv = { ...(base.fieldProv ?? {}), [f]: e.prov };
            setLayer(cur, f, layer);
          }
          continue;
        }
        // UN is what a dictionary writes when it does not know the VR: a specific VR beats it.
        const unNew = f === 'vr' && e.vr.length === 1 && e.vr[0] === 'UN';
        const unOld = f === 'vr' && base.vr.length === 1 && base.vr[0] === 'UN';
        const newWins = !(derivedNew && !derivedOld) && !(unNew && !unOld);
        const winner = newWins ? { layer, source: e.prov.source, value: valueOf(e, f) } : { layer: layerOf(cur, f), source: provOf().source, value: valueOf(base, f) };
        const loser = newWins ? { layer: layerOf(cur, f), source: provOf().source, value: valueOf(base, f) } : { layer, source: e.prov.source, value: valueOf(e, f) };
        const ck = `${key}#${f}`;
        const prev = conflicts.get(ck);
        if (prev) {
          if (newWins) {
            prev.losers.push(prev.winner);
            prev.winner = winner;
          } else prev.losers.push(loser);
        } else {
          conflicts.set(ck, { family: 'private', key, field: f, winner, losers: [loser] });
        }
        if (newWins) {
          setField(base, e, f);
          if (e.prov.source !== base.prov.source) base.fieldProv = { ...(base.fieldProv ?? {}), [f]: e.prov };
          setLayer(cur, f, layer);
        }
      }
    }
  }

  return [...merged.values()].map((m) => m.e).sort(comparePrivate);
}

function setField(base: PrivateElement, from: PrivateElement, f: Field): void {
  switch (f) {
    case 'vr':
      base.vr = [...from.vr];
      break;
    case 'vm':
      base.vm = from.vm;
      break;
    case 'name':
      base.name = from.name;
      if (from.nameDerived) base.nameDerived = true;
      else delete base.nameDerived;
      break;
    case 'keyword':
      base.keyword = from.keyword;
      if (from.keywordDerived) base.keywordDerived = true;
      else delete base.keywordDerived;
      break;
    case 'retired':
      base.retired = from.retired;
      break;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePrivate(a: PrivateElement, b: PrivateElement): number {
  return cmp(a.creator, b.creator) || cmp(a.group, b.group) || cmp(a.groupLast ?? '', b.groupLast ?? '') || cmp(a.block ?? '', b.block ?? '') || cmp(a.offset, b.offset) || cmp(a.offsetLast ?? '', b.offsetLast ?? '');
}
