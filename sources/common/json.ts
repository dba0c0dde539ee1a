/**
 * JSON inputs (configs, overrides, private dictionaries, innolitics, IR snapshots): a UTF-8 byte
 * order mark is accepted (as it is for XML); keys that name JavaScript machinery (`__proto__`,
 * `constructor`, `prototype`) are refused where the keys are ours to define; a parse error gives
 * the line and column, never an echo of the file's content.
 */
import { inputError } from './errors.ts';

/** Keys that would reach Object.prototype through a plain-object lookup. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function position(message: string, text: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return ` at line ${line}, column ${pos - before.lastIndexOf('\n')}`;
}

export interface ParseJsonOptions {
  /** Refuse `__proto__` / `constructor` / `prototype` as keys anywhere. */
  refuseMachineryKeys?: boolean;
}

/** Parse a JSON input; `where` names the file for the one-line error, `fix` says what to do. */
export function parseJsonInput(text: string, where: string, fix: string, opts: ParseJsonOptions = {}): unknown {
  const t = stripBom(text);
  let bad: string | undefined;
  let value: unknown;
  try {
    value = opts.refuseMachineryKeys
      ? JSON.parse(t, (k, v: unknown) => {
          if (FORBIDDEN_KEYS.has(k)) bad ??= k;
          return v;
        })
      : JSON.parse(t);
  } catch (e) {
    throw inputError(where, `not valid JSON${position((e as Error).message, t)}`, fix);
  }
  if (bad !== undefined) throw inputError(where, `the key "${bad}" is not allowed (it names JavaScript machinery, not DICOM data)`, 'Remove or rename the key');
  return value;
}
