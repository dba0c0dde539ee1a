/**
 * Module groups: sets of modules (and functional group macros, `Partial…`/`…Without` aliases,
 * `…Overlaps`) that several IODs and functional groups items include alike, declared once in
 * modules.ts as an intersection alias and named by those IODs instead of listed in each.
 *
 * Every IOD includes the Patient and Study IE modules the same way (PS3.3 A.1), a family of IODs
 * (Enhanced XA/XRF, the Legacy Converted Enhanced IODs, Ophthalmic Photography 8/16 bit) most of
 * its modules, and an enhanced IOD's Per-frame Functional Groups item most macros of its Shared
 * item (C.7.6.16). Intersections flatten, so the types are the same: only the text tsc parses and
 * the references it resolves shrink (about 3,400 module references in the IOD files of the
 * embedded default, 1,000 after grouping).
 *
 * Greedy and deterministic: take the pair of references most lists share, grow it while that
 * saves more references, replace it in every list that holds all of it, and repeat while a group
 * saves at least `MIN_SAVED` references.
 */
import { docText } from '../emit/context.ts';
import type { InterfaceModel } from './compose.ts';

/** A group must save at least this many references (its own declaration counted) to be declared. */
const MIN_SAVED = 8;

/** `A & B<C, D & E> & F` → `A`, `B<C, D & E>`, `F` (only top-level `&`). */
export function splitIntersection(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(' || c === '{' || c === '[') depth++;
    else if (c === '>' || c === ')' || c === '}' || c === ']') depth--;
    else if (c === '&' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** A reference a group in modules.ts may hold: a plain name declared there (not an IOD file's functional groups item). */
function isGroupable(ref: string, moduleNames: ReadonlySet<string>): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(ref) && moduleNames.has(ref);
}

interface Group {
  refs: number[];
  lists: number[];
}

/** References saved by declaring `size` refs once and naming the group in `uses` lists. */
function saved(size: number, uses: number): number {
  return (size - 1) * uses - size;
}

/** Groups grown per round, from the most shared pairs not inside a group grown before (keeps the greedy fast). */
const TRIED_PER_ROUND = 4;
/** Pairs looked at per round (most shared first); pairs inside a group grown this round are skipped. */
const TOP_PAIRS = 64;

/** Lists as sets of reference ids, with the count of lists holding each pair, kept up to date as groups replace references. */
class Lists {
  readonly sets: Set<number>[];
  readonly pairs = new Map<number, number>();
  constructor(
    readonly orders: number[][],
    readonly groupable: Uint8Array,
  ) {
    this.sets = orders.map((o) => new Set(o));
    orders.forEach((_, i) => this.count(i, 1));
  }
  private count(i: number, d: number): void {
    const refs = [...this.sets[i]!].filter((r) => this.groupable[r] === 1).sort((a, b) => a - b);
    const n = this.groupable.length;
    for (let a = 0; a < refs.length; a++) for (let b = a + 1; b < refs.length; b++) {
        const key = refs[a]! * n + refs[b]!;
        const c = (this.pairs.get(key) ?? 0) + d;
        if (c === 0) this.pairs.delete(key);
        else this.pairs.set(key, c);
      }
  }
  holders(refs: number[], among: Iterable<number>): number[] {
    const out: number[] = [];
    for (const i of among) if (refs.every((r) => this.sets[i]!.has(r))) out.push(i);
    return out;
  }
  /** Replaces `group.refs` by `id` in the lists that hold them all, where the first of them stood. */
  replace(group: Group, id: number): void {
    const members = new Set(group.refs);
    for (const i of group.lists) {
      this.count(i, -1);
      const first = this.orders[i]!.findIndex((r) => members.has(r));
      this.orders[i] = this.orders[i]!.flatMap((r, k) => (k === first ? [id] : members.has(r) ? [] : [r]));
      this.sets[i] = new Set(this.orders[i]);
      this.count(i, 1);
    }
  }
  /** `start` grown one reference at a time (the one saving most, lowest id on ties) while that saves more. */
  grow(start: number[]): Group {
    let refs = start;
    let at = this.holders(refs, this.sets.keys());
    for (;;) {
      const counts = new Map<number, number>();
      for (const i of at) for (const r of this.sets[i]!) if (this.groupable[r] === 1 && !refs.includes(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
      let next = -1;
      let best = saved(refs.length, at.length);
      for (const [r, n] of counts) if (saved(refs.length + 1, n) > best || (saved(refs.length + 1, n) === best && next >= 0 && r < next)) [next, best] = [r, saved(refs.length + 1, n)];
      if (next < 0) return { refs, lists: at };
      refs = [...refs, next].sort((a, b) => a - b);
      at = this.holders(refs, at);
    }
  }
  /** The most shared pairs (count, then key), at most `k`: sorted as count · 2^32 − key in a Float64Array. */
  private top(k: number): number[] {
    const ranks = new Float64Array(this.pairs.size);
    let m = 0;
    this.pairs.forEach((c, key) => {
      if (c >= 2) ranks[m++] = c * 2 ** 32 - key;
    });
    const sorted = ranks.subarray(0, m).sort().reverse();
    const out: number[] = [];
    for (let i = 0; i < Math.min(k, m); i++) out.push(2 ** 32 - (sorted[i]! % 2 ** 32 || 2 ** 32));
    return out;
  }
  /** The best group this round, grown from the most shared pairs. */
  best(): Group | undefined {
    const n = this.groupable.length;
    const grown: Set<number>[] = [];
    let best: Group | undefined;
    let bestSaved = MIN_SAVED - 1;
    for (const pair of this.top(TOP_PAIRS)) {
      const a = Math.floor(pair / n);
      const b = pair % n;
      if (grown.some((g) => g.has(a) && g.has(b))) continue;
      const g = this.grow([a, b]);
      grown.push(new Set(g.refs));
      if (saved(g.refs.length, g.lists.length) > bestSaved) [best, bestSaved] = [g, saved(g.refs.length, g.lists.length)];
      if (grown.length === TRIED_PER_ROUND) break;
    }
    return best;
  }
}

/**
 * Rewrites the intersections of `models` (IODs, functional groups items) to name module groups,
 * and returns the group aliases for modules.ts. `moduleNames`: what modules.ts declares.
 */
export function groupModules(models: InterfaceModel[], moduleNames: ReadonlySet<string>): { models: InterfaceModel[]; groups: InterfaceModel[] } {
  const at = models.flatMap((m, i) => (m.intersection && m.extends ? [i] : []));
  const ids = new Map<string, number>();
  const refs: string[] = [];
  const id = (r: string) => ids.get(r) ?? (ids.set(r, refs.push(r) - 1), refs.length - 1);
  const orders = at.map((i) => splitIntersection(models[i]!.extends).map(id));
  const names = new Set(moduleNames);
  // Room for the group ids: every group replaces at least two references.
  const groupable = new Uint8Array(refs.length * 2);
  refs.forEach((r, i) => (groupable[i] = isGroupable(r, names) ? 1 : 0));
  const lists = new Lists(orders, groupable);
  const groups: InterfaceModel[] = [];
  for (let g = lists.best(); g; g = lists.best()) {
    const name = groups.length === 0 ? 'SharedModules' : `SharedModules${groups.length + 1}`;
    if (names.has(name)) throw new Error(`iods emitter: module group name ${name} is taken`);
    const users = g.lists.map((i) => models[at[i]!]!.name);
    const doc = `Modules (or macros) that ${users.length} IODs or functional groups items include alike, declared once: ${users.slice(0, 4).join(', ')}${users.length > 4 ? ', …' : ''}.`;
    groups.push({ name, typeParams: '', extends: g.refs.map((r) => refs[r]!).join(' & '), doc: [docText(doc)], props: [], intersection: true });
    names.add(name);
    const gid = id(name);
    groupable[gid] = 1;
    lists.replace(g, gid);
  }
  const out = [...models];
  at.forEach((i, k) => (out[i] = { ...models[i]!, extends: lists.orders[k]!.map((r) => refs[r]!).join(' & ') }));
  return { models: out, groups };
}
