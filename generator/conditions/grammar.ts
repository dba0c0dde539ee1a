/**
 * The condition grammar: the "Required if …" sentence of a Type 1C/2C attribute (PS3.5 §7.4.3,
 * §7.4.5) or of a conditional module (PS3.3 §7.3) → `ConditionRule`. A small recursive descent
 * over the shapes the standard writes:
 *
 *   rule    := … ("Required" | "Shall be present") ("if" | "when") or-expr [otherwise]
 *   or-expr := and-expr (("or" | ", or") and-expr)*
 *   and-expr:= atom (("and" | ", and") atom)*
 *   atom    := ref [("or" | "and") ref]* predicate        (shared predicate: "A or B are present")
 *   ref     := ["the value of"] ["Value" n "of"] Name ["(gggg,eeee)"] ["Value" n] [scope]
 *   predicate := "is present" | "is not present" | "has a value" | "is" values | "is not" values
 *              | "is greater than" n | …
 *
 * The whole sentence must be consumed: anything left over makes the condition `not-parsed`
 * (never a partial guess). Names without a tag are resolved through the data dictionary.
 */
import type { Condition, ConditionAttribute, ConditionOtherwise, ConditionRule } from '../ir-conditions.ts';

/** Data dictionary lookups the grammar needs (tags are 8 upper-case hex digits). */
export interface ConditionDictionary {
  byTag(tag: string): { keyword: string; name: string } | undefined;
  byName(name: string): { tag: string; keyword: string } | undefined;
  /** Module id for a module name (`Contrast/Bolus` → `contrast-bolus`), when the IR has it. */
  moduleByName?(name: string): string | undefined;
}

const NOT_PARSED: ConditionRule = { test: { op: 'not-parsed' } };

/** The `otherwise` clause, read anywhere in the text. */
function otherwiseOf(text: string): ConditionOtherwise | undefined {
  if (/\b(shall not be present otherwise|otherwise shall not be present|shall be absent otherwise|shall not be present in other cases)\b/i.test(text)) return 'shall-not-be-present';
  if (/\b(may be present otherwise|otherwise may be present)\b/i.test(text)) return 'may-be-present';
  return undefined;
}

/** The condition clause: from "Required if" to the end of its sentence, notes and references removed. */
export function conditionClause(text: string): string | undefined {
  const t = text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/\b(Required if )+/gi, 'Required if ');
  const m = /\b(?:required|shall be present|is required)\s+(?:only\s+)?(?:if|when)\s+/i.exec(t);
  if (!m) return undefined;
  let rest = t.slice(m.index + m[0].length);
  // End of sentence: a period followed by space or end (UIDs have digits after their dots), or a semicolon.
  const end = /(\.(\s|$)|;|,\s*(may|shall)\s+(not\s+)?be\s+present\s+otherwise|\s+otherwise\b|\s+May be present otherwise)/i.exec(rest);
  if (end) rest = rest.slice(0, end.index);
  return rest
    .replace(/\s*\((?![0-9A-Fa-f]{4},[0-9A-Fa-fxX]{4}\))[^()]*\)/g, '') // "(Legacy Converted)", "(see …)"
    .replace(/\s+See\b.*$/i, '')
    .replace(/[\s,:]+$/, '')
    .trim();
}

/** Phrases with one fixed reading, replaced before parsing (PS3.3 §8.8: a code's value is in exactly one of Code Value, Long Code Value, URN Code Value). */
const PHRASES: [RegExp, string][] = [
  [/^the code value length is 16 characters or less, and the code value is not a URN or URL$/i, 'Long Code Value (0008,0119) is not present and URN Code Value (0008,0120) is not present'],
  [/\band the code value is not a URN or URL$/i, 'and URN Code Value (0008,0120) is not present'],
  [/\band the code value is a URN or URL$/i, 'and Long Code Value (0008,0119) is not present'],
];

export function parseCondition(text: string, dict: ConditionDictionary): ConditionRule {
  const otherwise = otherwiseOf(text);
  let clause = conditionClause(text);
  if (clause === undefined) return NOT_PARSED;
  for (const [re, rep] of PHRASES) clause = clause.replace(re, rep);
  const p = new Parser(clause, dict);
  const test = p.parse();
  if (!test) return otherwise ? { test: { op: 'not-parsed' }, otherwise } : NOT_PARSED;
  return otherwise ? { test, otherwise } : { test };
}

const TAG_RE = /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-fxX]{4})\)/;
const PREDICATE_WORDS = /\b(is|are|was|were|equals?|has|have|present|absent|if|contains?|than|not|value of)\b/i;
const VALUE_RE = /^(?:"([^"]*)"|([A-Z0-9][A-Z0-9_.\-]*(?: [A-Z0-9][A-Z0-9_.\-]*)*)(?![A-Za-z0-9_]))/;

class Parser {
  private s: string;
  constructor(
    text: string,
    private readonly dict: ConditionDictionary,
  ) {
    this.s = text.trim();
  }

  parse(): Condition | undefined {
    this.eat(/^either:?\s+/i);
    const c = this.orExpr();
    return c && this.s.replace(/[\s.,;]+$/, '') === '' ? c : undefined;
  }

  private eat(re: RegExp): RegExpExecArray | undefined {
    const m = re.exec(this.s);
    if (!m) return undefined;
    this.s = this.s.slice(m[0].length).trimStart();
    return m;
  }

  /** Try a sub-parse; restore the input when it fails. */
  private attempt<T>(f: () => T | undefined): T | undefined {
    const save = this.s;
    const r = f();
    if (r === undefined) this.s = save;
    return r;
  }

  private orExpr(): Condition | undefined {
    const first = this.andExpr();
    if (!first) return undefined;
    const of = [first];
    for (;;) {
      const next = this.attempt(() => (this.eat(/^,?\s*or\s+(?:if\s+)?/i) ? this.andExpr() : undefined));
      if (!next) break;
      of.push(next);
    }
    return of.length === 1 ? first : { op: 'or', of };
  }

  private andExpr(): Condition | undefined {
    const first = this.atom();
    if (!first) return undefined;
    const of = [first];
    for (;;) {
      const next = this.attempt(() => (this.eat(/^,?\s*and\s+(?:if\s+)?/i) ? this.atom() : undefined));
      if (!next) break;
      of.push(next);
    }
    return of.length === 1 ? first : { op: 'and', of };
  }

  /** `ref [or|and ref]* predicate`, a module presence, or `the X Module is present`. */
  private atom(): Condition | undefined {
    const mod = this.attempt(() => this.modulePresence());
    if (mod) return mod;
    const refs: ConditionAttribute[] = [];
    let joiner: 'and' | 'or' = 'or';
    const first = this.attempt(() => this.ref());
    if (!first) return undefined;
    refs.push(first);
    for (;;) {
      const pred = this.attempt(() => this.predicate());
      if (pred) {
        const atoms = refs.map((r) => pred(r));
        return atoms.length === 1 ? atoms[0] : { op: joiner, of: atoms };
      }
      const more = this.attempt(() => {
        const j = this.eat(/^,?\s*(or|and|,)\s*/i);
        if (!j) return undefined;
        const r = this.ref();
        if (r && j[1] !== ',') joiner = j[1]!.toLowerCase() as 'and' | 'or';
        return r;
      });
      if (!more) return undefined;
      refs.push(more);
    }
  }

  private modulePresence(): Condition | undefined {
    const m = this.eat(/^(?:the\s+)?([A-Z][A-Za-z0-9/()\- ]*?) Module (?:is )?present\b/);
    if (!m || !this.dict.moduleByName) return undefined;
    const id = this.dict.moduleByName(m[1]!);
    return id ? { op: 'module-present', module: id } : undefined;
  }

  /** An attribute reference (see the grammar in the file comment). */
  private ref(): ConditionAttribute | undefined {
    this.eat(/^(?:the\s+)?(?:(?:a|any|one)\s+)?(?:value\s+of\s+)?(?:the\s+)?/i);
    let valueNumber: number | undefined;
    const vn = this.eat(/^Value\s+(\d)\s+of\s+(?:the\s+)?/i);
    if (vn) valueNumber = Number(vn[1]);
    const found = this.taggedName() ?? this.dictionaryName();
    if (!found) return undefined;
    const after = this.eat(/^,?\s*Value\s+(\d)\b/i);
    if (after) valueNumber = Number(after[1]);
    // Scopes the dataset walk gives already (the current frame's groups, the image level, the current item).
    this.eat(/^(?:of this frame|at the image level|in this (?:item|frame|Sequence Item)|of the current frame)\b/i);
    const attr: ConditionAttribute = { tag: found.tag, keyword: found.keyword };
    if (valueNumber !== undefined) attr.valueNumber = valueNumber;
    const inSeq = this.attempt(() => {
      if (!this.eat(/^(?:in|within) (?:the|an? (?:Item of(?: the)?)?)\s*/i)) return undefined;
      return this.taggedName() ?? this.dictionaryName();
    });
    if (inSeq) attr.in = [inSeq];
    this.eat(/^value\b/i); // "Observer Type value is DEV"
    return attr;
  }

  /** `Name (gggg,eeee)`: the tag decides; the text before it must read as a name. */
  private taggedName(): { tag: string; keyword: string } | undefined {
    const m = /^([^()]*?)\s*\(([0-9A-Fa-f]{4}),([0-9A-Fa-fxX]{4})\)/.exec(this.s);
    if (!m || PREDICATE_WORDS.test(m[1]!)) return undefined;
    const tag = `${m[2]}${m[3]}`.toUpperCase().replace(/X/g, 'x');
    const el = this.dict.byTag(tag);
    if (!el) return undefined;
    this.s = this.s.slice(m[0].length).trimStart();
    return { tag, keyword: el.keyword };
  }

  /** The longest run of words (up to 10) at the start that is a data dictionary name. */
  private dictionaryName(): { tag: string; keyword: string } | undefined {
    const words = this.s.split(' ');
    for (let n = Math.min(10, words.length); n >= 1; n--) {
      const name = words.slice(0, n).join(' ').replace(/[,.]$/, '');
      if (!/^[A-Z]/.test(name)) continue;
      const hit = this.dict.byName(name);
      if (hit) {
        this.s = this.s.slice(name.length).trimStart();
        if (TAG_RE.test(this.s)) return undefined;
        return hit;
      }
    }
    return undefined;
  }

  /** A predicate, as a function that applies it to an attribute. */
  private predicate(): ((a: ConditionAttribute) => Condition) | undefined {
    if (this.eat(/^(?:is|are) (?:not present|absent)\b|^(?:is|are) not sent\b|^does not exist\b/i)) return (a) => ({ op: 'absent', ...a });
    if (this.eat(/^(?:is|are) present (?:with|and has|and contains) (?:a|any) (?:non-?(?:zero|empty) )?value\b|^has a value\b(?! (?:of|greater|less|more|other|that|which|equal))|^(?:is|are) (?:not empty|non-?empty)\b|^(?:is|are) present with a non-?empty value\b|^(?:is|are) sent with a value\b/i)) {
      return (a) => ({ op: 'has-value', ...a });
    }
    const gt = this.eat(/^(?:(?:is|are) present and )?(?:has a value |is |are |value is )?(greater|more|less) than\s+(-?\d+(?:\.\d+)?)\b|^>\s*(-?\d+)/i);
    if (gt) {
      const op = gt[1]?.toLowerCase() === 'less' ? 'less-than' : 'greater-than';
      const value = Number(gt[2] ?? gt[3]);
      return (a) => ({ op, value, ...a });
    }
    if (this.eat(/^(?:is|are) non-?zero\b/i)) return (a) => ({ op: 'not-equals', values: ['0'], ...a });
    const neg = this.attempt(() => (this.eat(/^(?:(?:is|are) present and )?(?:is not equal to|is not|does not equal|is other than|equals other than|has a value other than|not equal to|!=)\s+/i) ? this.values() : undefined));
    if (neg) return (a) => ({ op: 'not-equals', values: neg, ...a });
    const pos = this.attempt(() =>
      this.eat(
        /^(?:(?:is|are) present (?:and|with)(?: the value| a value| value)? )?(?:(?:is|are) equal to|equals?|(?:is|are) set to|(?:has|have|with) (?:a |the )?values?(?: of)?|of|(?:is|are)|=)\s+(?:(?:the )?values? (?:of )?)?/i,
      )
        ? this.values()
        : undefined,
    );
    if (pos) return (a) => ({ op: 'equals', values: pos, ...a });
    if (this.eat(/^(?:is|are) present\b|^exists?\b|^(?:is|are) (?:included|sent|used)\b/i)) return (a) => ({ op: 'present', ...a });
    return undefined;
  }

  /** `A`, `A or B`, `A, B, or C`, `"Y"`: values are quoted text, numbers or upper-case terms (a Title Case word after one means a name follows). */
  private values(): string[] | undefined {
    const out: string[] = [];
    const one = (): string | undefined => {
      const m = VALUE_RE.exec(this.s);
      if (!m) return undefined;
      const v = m[1] ?? m[2]!;
      const rest = this.s.slice(m[0].length);
      if (m[1] === undefined && (/^ [A-Z][a-z]/.test(rest) || /^\s*\(/.test(rest))) return undefined;
      this.s = rest.trimStart();
      return v;
    };
    // An attribute named as the value (`Frame Increment Pointer is Frame Time (0018,1063)`): the value is its tag (VR AT).
    const tagValue = (): string | undefined => this.taggedName()?.tag;
    let next1 = one;
    let first = one();
    if (first === undefined) {
      first = tagValue();
      next1 = tagValue;
    }
    if (first === undefined) return undefined;
    out.push(first);
    for (;;) {
      const next = this.attempt(() => (this.eat(/^(?:,\s*or|,|or)\s+/i) ? next1() : undefined));
      if (next === undefined) break;
      out.push(next);
    }
    return out;
  }
}
