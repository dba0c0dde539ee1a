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
import { OUTSIDE_FACTS } from './outside-facts.ts';

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

const REQUIRED_IF = /\b(?:required|shall be present|is required)\s+(?:only\s+)?(?:if|when)\s+/i;

function normalized(text: string): string {
  return text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/\b(Required if )+/gi, 'Required if ');
}

/** The condition clause: from "Required if" to the end of its sentence, notes and references removed. */
export function conditionClause(text: string): string | undefined {
  const t = normalized(text);
  const m = REQUIRED_IF.exec(t);
  if (!m) return undefined;
  return clauseFrom(t.slice(m.index + m[0].length));
}

/**
 * Every "Required if" sentence before the first note (`Required if A. Required if B.` reads as
 * A or B: each sentence states a case in which the attribute is required).
 */
export function conditionClauses(text: string): string[] {
  const t = normalized(text).split(/\.\s+Notes?\b/)[0]!;
  const out: string[] = [];
  const re = new RegExp(REQUIRED_IF.source, 'gi');
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const before = t.slice(0, m.index).trimEnd();
    if (out.length > 0 && !before.endsWith('.')) continue; // a second "required if" inside the same sentence
    const c = clauseFrom(t.slice(m.index + m[0].length));
    if (c !== undefined) out.push(c);
  }
  return out;
}

function clauseFrom(after: string): string | undefined {
  let rest = after;
  // End of sentence: a period followed by space or end (UIDs have digits after their dots), or a semicolon.
  const end = /(\.(\s|$)|;|,\s*(may|shall)\s+(not\s+)?be\s+present\s+otherwise|\s+otherwise\b|\s+May be present otherwise)/i.exec(rest);
  if (end) rest = rest.slice(0, end.index);
  return rest
    .replace(/\s*\((?![0-9A-Fa-f]{4},[0-9A-Fa-fxX]{4}\))(?![^(),]+,\s*[^(),]+,\s*")[^()]*\)/g, '') // "(Legacy Converted)", "(see …)"; code triples stay
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
  const clauses = conditionClauses(text);
  if (clauses.length === 0) return NOT_PARSED;
  const tests: Condition[] = [];
  for (let clause of clauses) {
    for (const [re, rep] of PHRASES) clause = clause.replace(re, rep);
    const test = new Parser(clause, dict).parse();
    if (!test) return otherwise ? { test: { op: 'not-parsed' }, otherwise } : NOT_PARSED;
    tests.push(test);
  }
  const test: Condition = tests.length === 1 ? tests[0]! : { op: 'or', of: tests };
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
    const fact = this.outsideFact();
    if (fact) return fact;
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

  /** A phrase naming a fact outside the dataset (generator/conditions/outside-facts.ts). */
  private outsideFact(): Condition | undefined {
    for (const { fact, re } of OUTSIDE_FACTS) if (this.eat(re)) return { op: 'depends-on', fact };
    return undefined;
  }

  private modulePresence(): Condition | undefined {
    const m = this.eat(/^(?:the\s+)?([A-Z][A-Za-z0-9/()\- ]*?) Module (?:is )?(not )?present\b/);
    if (!m || !this.dict.moduleByName) return undefined;
    const id = this.dict.moduleByName(m[1]!);
    if (!id) return undefined;
    return m[2] ? { op: 'module-absent', module: id } : { op: 'module-present', module: id };
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
    // "in the Enhanced CT Image Module": the module's top-level attribute, which the walk finds at the top level.
    this.eat(/^in the [A-Z][A-Za-z0-9/\- ]*? Module\b/);
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

  /** `Name (gggg,eeee)`: the tag decides; the text before it must read as a name (`exact`: be the tag's dictionary name). */
  private taggedName(exact = false): { tag: string; keyword: string } | undefined {
    const m = /^([^()]*?)\s*\(([0-9A-Fa-f]{4}),([0-9A-Fa-fxX]{4})\)/.exec(this.s);
    if (!m || PREDICATE_WORDS.test(m[1]!)) return undefined;
    const tag = `${m[2]}${m[3]}`.toUpperCase().replace(/X/g, 'x');
    const el = this.dict.byTag(tag);
    if (!el) return undefined;
    if (exact && el.name.toLowerCase() !== m[1]!.replace(/^the /i, '').toLowerCase()) return undefined;
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
    if (this.eat(/^(?:is|are) present (?:with|and has|and contains) (?:a|any) (?:non-?(?:zero|empty) )?value\b(?! of\b| other\b)|^has a value\b(?! (?:of|greater|less|more|other|that|which|equal))|^(?:is|are) (?:not empty|non-?empty)\b|^contains Items\b|^(?:is|are) present with a non-?empty value\b|^(?:is|are) sent with a value\b/i)) {
      return (a) => ({ op: 'has-value', ...a });
    }
    const gt = this.eat(/^(?:(?:is|are) present and )?(?:has a value of |has a value |is |are |value is )?(greater|more|less) than\s+(-?\d+(?:\.\d+)?)\b|^>\s*(-?\d+)/i);
    if (gt) {
      const op = gt[1]?.toLowerCase() === 'less' ? 'less-than' : 'greater-than';
      const value = Number(gt[2] ?? gt[3]);
      return (a) => ({ op, value, ...a });
    }
    if (this.eat(/^(?:is|are) (?:non-?zero|not zero)\b/i)) return (a) => ({ op: 'not-equals', values: ['0'], ...a });
    const codes = this.attempt(() => (this.eat(/^(?:contains an item with the value|equals|(?:is|are) present with an item value of|Item value is)\s+/i) ? this.codes() : undefined));
    if (codes) return (a) => ({ op: 'contains-code', codes, ...a });
    // "includes the Tag for Phase Vector (0054,0030)", "points to Frame Time": an AT value naming an attribute.
    const tagged = this.attempt(() => (this.eat(/^(?:(?:includes|contains|points to) the Tag for|points to)\s+/i) ? this.attributeValues() : undefined));
    if (tagged) return (a) => ({ op: 'equals', values: tagged, ...a });
    const withValue = this.attempt(() => (this.eat(/^(?:is|are) present with (?:the |a )?values? (?:of )?|^contains the values? /i) ? this.values() : undefined));
    if (withValue) return (a) => ({ op: 'equals', values: withValue, ...a });
    const neg = this.attempt(() => (this.eat(/^(?:(?:is|are) present and )?(?:is not equal to|is not|does not equal|is other than|equals other than|has a value other than|(?:is|are) present with a value other than|not equal to|!=)\s+/i) ? this.values() : undefined));
    if (neg) return (a) => ({ op: 'not-equals', values: neg, ...a });
    const pos = this.attempt(() =>
      this.eat(
        /^(?:(?:is|are) present (?:and|with)(?: the value| a value| value)? )?(?:(?:is|are) equal to|equals?|(?:is|are) set to|(?:has|have|with) (?:a |the )?values?(?: of)?|of|(?:is|are):?|=)\s+(?:(?:the )?values? (?:of )?)?/i,
      )
        ? this.values()
        : undefined,
    );
    if (pos) return (a) => ({ op: 'equals', values: pos, ...a });
    if (this.eat(/^(?:is|are) present(?: in this Sequence item)?\b|^exists?\b|^(?:is|are) (?:included|sent|used)\b/i)) return (a) => ({ op: 'present', ...a });
    return undefined;
  }

  /** Attributes named as values (`Frame Time (0018,1063) or Frame Time Vector`): their tags, the name exactly as in the dictionary. */
  private attributeValues(): string[] | undefined {
    const one = () => (this.taggedName(true) ?? this.dictionaryName())?.tag;
    const first = one();
    if (first === undefined) return undefined;
    const out = [first];
    for (;;) {
      const next = this.attempt(() => (this.eat(/^(?:,\s*or|,|or)\s+/i) ? one() : undefined));
      if (next === undefined) return out;
      out.push(next);
    }
  }

  /** `(111782, DCM, "Meaning")` [`or (…)`]*: code value and scheme (the meaning is prose and is not kept). */
  private codes(): { value: string; scheme: string }[] | undefined {
    const out: { value: string; scheme: string }[] = [];
    for (;;) {
      const m = this.eat(/^\(\s*([^,()"]+?)\s*,\s*([^,()"]+?)\s*,\s*"[^"]*"\s*\)/);
      if (!m) return undefined;
      out.push({ value: m[1]!, scheme: m[2]! });
      if (!this.attempt(() => (this.eat(/^(?:,\s*or|,|or)\s+(?=\()/i) ? true : undefined))) return out;
    }
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
    const tagValue = (): string | undefined => this.taggedName(true)?.tag;
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
