/**
 * Semver impact of each change on the generated package's public API (docs/diff.md "Semver rules").
 *
 * - major: an export disappears or an exported type changes (keyword/UID/IOD/code constant removed
 *   or renamed, VR change → lookup value types, enumerated value removed, a module or attribute
 *   becoming required or optional …).
 * - minor: new exports (elements, UIDs, VRs, IODs, codes, enumerated values) and behavioural data
 *   changes consumers act on without a type change (de-identification actions).
 * - patch: metadata only (name text, retirement → `@deprecated`, condition text, versions).
 */
import type { AttributeType, ModuleUsage } from '../ir-iods.ts';
import type { Change, Impact, SemverBump } from './types.ts';
import { vmIsMulti } from './normalize.ts';

export interface Rule {
  impact: Impact;
  reason: string;
}

const RANK: Record<SemverBump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export function maxBump(a: SemverBump, b: SemverBump): SemverBump {
  return RANK[a] >= RANK[b] ? a : b;
}

export function bumpOf(changes: readonly Pick<Change, 'impact'>[]): SemverBump {
  let out: SemverBump = 'none';
  for (const c of changes) {
    out = maxBump(out, c.impact);
    if (out === 'major') break;
  }
  return out;
}

export function atLeast(bump: SemverBump, threshold: SemverBump): boolean {
  return RANK[bump] >= RANK[threshold];
}

// ---------------------------------------------------------------------------------------------
// Entries with an exported identifier (keyword, UID constant, VR, code constant)

export const added = (what: string): Rule => ({ impact: 'minor', reason: `adds ${what}` });
export const removed = (what: string): Rule => ({ impact: 'major', reason: `removes ${what}` });
export const retired = (): Rule => ({ impact: 'patch', reason: 'adds @deprecated only' });
export const unretired = (): Rule => ({ impact: 'patch', reason: 'drops @deprecated only' });
export const nameText = (): Rule => ({ impact: 'patch', reason: 'name text (metadata)' });
export const metadata = (what: string): Rule => ({ impact: 'patch', reason: `${what} (metadata)` });

/** A keyword is an export name: renaming removes the old export; only filling an empty one is additive. */
export function keywordChange(before: string, after: string): Rule {
  if (before === '') return { impact: 'minor', reason: `adds export ${after}` };
  if (after === '') return { impact: 'major', reason: `removes export ${before}` };
  return { impact: 'major', reason: `renames export ${before} → ${after}` };
}

/** VR determines the lookup value type (string, number, bigint, bytes, sequence). */
export function vrChange(): Rule {
  return { impact: 'major', reason: 'changes the value type of the lookup' };
}

/** VM matters to the types only where it switches between a single value and an array. */
export function vmChange(before: string, after: string): Rule {
  if (vmIsMulti(before) !== vmIsMulti(after)) return { impact: 'major', reason: 'switches single value ↔ array' };
  return { impact: 'patch', reason: 'multiplicity bounds (metadata)' };
}

/** A repeating-group mask is part of the tag literal type. */
export function maskChange(): Rule {
  return { impact: 'major', reason: 'changes the tag literal' };
}

/** UID type decides which exported union (SOP classes, transfer syntaxes …) the constant belongs to. */
export function uidTypeChange(): Rule {
  return { impact: 'major', reason: 'moves the constant to another UID type union' };
}

/**
 * Transfer syntax and VR properties are exported `as const`. A property that decides encoding or
 * the value type changing value is major; one appearing where the old side did not state it is
 * minor; limits (maxLength, maxLengthUnit) are validation bounds, not types: minor.
 */
export function propertyChange(field: string, before: unknown, after: unknown): Rule {
  if (field === 'name') return nameText();
  if (field === 'maxLength' || field === 'maxLengthUnit') return { impact: 'minor', reason: `${field} ${before ?? '(unstated)'} → ${after ?? '(unstated)'} (validation bound)` };
  if (before === null || before === undefined) return { impact: 'minor', reason: `states ${field} where the old side did not` };
  if (after === null || after === undefined) return { impact: 'major', reason: `drops ${field}` };
  return { impact: 'major', reason: `changes ${field}: encoding or value type` };
}

// ---------------------------------------------------------------------------------------------
// IODs and modules: generated as interfaces (required = non-optional property)

function usageRequired(u: ModuleUsage): boolean {
  return u === 'M';
}

export function iodModuleAdded(usage: ModuleUsage): Rule {
  if (usageRequired(usage)) return { impact: 'major', reason: 'adds a required module to the IOD interface' };
  return { impact: 'minor', reason: 'adds an optional module to the IOD interface' };
}

export function iodModuleUsageChange(before: ModuleUsage, after: ModuleUsage): Rule {
  if (usageRequired(before) !== usageRequired(after)) {
    return { impact: 'major', reason: after === 'M' ? 'module becomes required' : 'module becomes optional' };
  }
  return { impact: 'patch', reason: 'still optional (U ↔ C)' };
}

/** Type 1/2 → required property; 1/1C → non-empty value; 2C and 3 differ only in prose. */
function typeRequired(t: AttributeType): boolean {
  return t === '1' || t === '2';
}
function typeNonEmpty(t: AttributeType): boolean {
  return t === '1' || t === '1C';
}

/** Sequence items are interfaces too: a required attribute is required at any depth. */
export function attributeAdded(type: AttributeType): Rule {
  if (typeRequired(type)) return { impact: 'major', reason: `adds a required (type ${type}) property` };
  return { impact: 'minor', reason: `adds an optional (type ${type}) property` };
}

export function attributeTypeChange(before: AttributeType, after: AttributeType): Rule {
  if (typeRequired(before) !== typeRequired(after)) {
    return { impact: 'major', reason: typeRequired(after) ? 'property becomes required' : 'property becomes optional' };
  }
  if (typeNonEmpty(before) !== typeNonEmpty(after)) {
    return { impact: 'major', reason: typeNonEmpty(after) ? 'empty value no longer allowed' : 'empty value now allowed' };
  }
  return { impact: 'patch', reason: 'same requiredness and emptiness' };
}

export function enumeratedValues(kind: 'added' | 'removed'): Rule {
  return kind === 'added'
    ? { impact: 'minor', reason: 'widens the enumerated value union' }
    : { impact: 'major', reason: 'narrows the enumerated value union' };
}

export function definedTerms(kind: 'added' | 'removed'): Rule {
  return kind === 'added'
    ? { impact: 'minor', reason: 'adds defined-term constants' }
    : { impact: 'major', reason: 'removes defined-term constants' };
}

// ---------------------------------------------------------------------------------------------
// Context groups

export function codeIdentifierChange(before: string, after: string, aliases: readonly string[] | undefined): Rule {
  if (aliases?.includes(before)) return { impact: 'minor', reason: `adds ${after}; ${before} kept as deprecated alias` };
  return { impact: 'major', reason: `renames code constant ${before} → ${after}` };
}

// ---------------------------------------------------------------------------------------------
// De-identification: a data table keyed by tag; actions are behaviour, not types

export function deidActionChange(): Rule {
  return { impact: 'minor', reason: 'changes what de-identification does (no type change)' };
}
