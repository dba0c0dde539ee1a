/**
 * IR for the conditions of Type 1C/2C attributes (PS3.3 §7.4.1.1: "Required if …") and of
 * conditional modules (usage C, PS3.3 §7.3): the condition text parsed into a small AST that a
 * validator evaluates against a dataset. The AST is a fact (tags, values, operators) and stays in
 * the committed snapshot as `when`; the condition text is prose and is stripped from it.
 *
 * A text the grammar cannot read becomes `{ op: 'not-parsed' }`: the validator reports such a
 * condition as "not evaluated", never guesses.
 */

/** An attribute a condition tests, optionally inside a named sequence (tags of the enclosing sequences, outermost first). */
export interface ConditionAttribute {
  /** 8 hex digits as in `DataElement.tag` (`00080008`). */
  tag: string;
  keyword: string;
  /** `Value 2 of Image Type` → 2 (1-based); absent: any value. */
  valueNumber?: number;
  /** The attribute is looked up inside these sequences (`in the Referenced Image Sequence`), outermost first. */
  in?: { tag: string; keyword: string }[];
}

export type Condition =
  | ({ op: 'present' } & ConditionAttribute)
  | ({ op: 'absent' } & ConditionAttribute)
  /** Present with a non-empty value. */
  | ({ op: 'has-value' } & ConditionAttribute)
  /** One of `values` (one value: equals; several: is one of). */
  | ({ op: 'equals'; values: string[] } & ConditionAttribute)
  /** None of `values`. */
  | ({ op: 'not-equals'; values: string[] } & ConditionAttribute)
  /** A numeric value greater / less than `value`. */
  | ({ op: 'greater-than' | 'less-than'; value: number } & ConditionAttribute)
  /** A module of the IOD is present in the dataset (any of its top-level attributes is present). */
  | { op: 'module-present'; module: string }
  | { op: 'and' | 'or'; of: Condition[] }
  | { op: 'not-parsed' }
  /** A module of the IOD is absent from the dataset ("and the X Module is not present"). */
  | { op: 'module-absent'; module: string }
  /** A code sequence with an item holding one of `codes` (`contains an item with the value (111782, DCM, "…")`; PS3.3 §8.1: a code is its value and scheme). */
  | ({ op: 'contains-code'; codes: { value: string; scheme: string }[] } & ConditionAttribute)
  /**
   * A fact the sentence names that the dataset does not hold (how it was acquired, what other
   * instances contain, PS3.3 §8.2 coding scheme history): read, so the AST says what the sentence
   * says, but never evaluated. `fact` is one of the ids in generator/conditions/outside-facts.ts.
   */
  | { op: 'depends-on'; fact: string };

/** What the standard says when the condition does not hold. */
export type ConditionOtherwise = 'may-be-present' | 'shall-not-be-present';

export interface ConditionRule {
  test: Condition;
  /** Absent: the standard says nothing (a 1C/2C attribute may then be absent; PS3.5 §7.4 reads that as "shall not be present" only where stated). */
  otherwise?: ConditionOtherwise;
}

/** True when the whole condition was read (no `not-parsed` node inside; `depends-on` nodes are read). */
export function isConditionParsed(c: Condition): boolean {
  if (c.op === 'not-parsed') return false;
  if (c.op === 'and' || c.op === 'or') return c.of.every(isConditionParsed);
  return true;
}

/** True when the condition was read and names no fact outside the dataset (no `not-parsed` or `depends-on` inside): a validator can always decide it. */
export function isConditionEvaluable(c: Condition): boolean {
  if (c.op === 'not-parsed' || c.op === 'depends-on') return false;
  if (c.op === 'and' || c.op === 'or') return c.of.every(isConditionEvaluable);
  return true;
}
