/**
 * Shared state of one diff run: the changes found so far (each with a sort key), the families not
 * compared, and the formatting-only tally. Compare modules only call `add` / `skip`.
 */
import type { Prov } from '../ir.ts';
import { FormattingTally, byString } from './normalize.ts';
import type { Rule } from './semver.ts';
import { CATEGORIES, CHANGE_KINDS, type Category, type Change, type ChangeKind, type JsonValue, type NotCompared } from './types.ts';

export interface ChangeInput {
  key: string;
  label: string;
  /** Sorts the details: zero-padded tag, UID arcs, CID number … */
  sortKey: string;
  field?: string;
  before?: JsonValue;
  after?: JsonValue;
  oldProv?: Prov;
  newProv?: Prov;
}

const CATEGORY_ORDER = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));
const KIND_ORDER = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, i]));

export class Collector {
  readonly tally = new FormattingTally();
  readonly notCompared: NotCompared[] = [];
  private readonly items: { change: Change; sortKey: string }[] = [];

  add(category: Category, kind: ChangeKind, rule: Rule, input: ChangeInput): void {
    const change: Change = { category, kind, key: input.key, label: input.label, impact: rule.impact, reason: rule.reason };
    if (input.field !== undefined) change.field = input.field;
    if (input.before !== undefined) change.before = input.before;
    if (input.after !== undefined) change.after = input.after;
    if (input.oldProv !== undefined) change.oldProv = input.oldProv;
    if (input.newProv !== undefined) change.newProv = input.newProv;
    this.items.push({ change, sortKey: input.sortKey });
  }

  skip(nc: NotCompared): void {
    this.notCompared.push(nc);
  }

  /** Changes in a stable order: category, then sort key (tag, UID …), then kind, then field. */
  sorted(): Change[] {
    return [...this.items]
      .sort(
        (a, b) =>
          CATEGORY_ORDER.get(a.change.category)! - CATEGORY_ORDER.get(b.change.category)! ||
          byString(a.sortKey, b.sortKey) ||
          KIND_ORDER.get(a.change.kind)! - KIND_ORDER.get(b.change.kind)! ||
          byString(a.change.field ?? '', b.change.field ?? '') ||
          byString(a.change.key, b.change.key),
      )
      .map((x) => x.change);
  }
}

/** Drop `undefined` members so the object is valid JSON data. */
export function json(o: Record<string, JsonValue | undefined>): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
