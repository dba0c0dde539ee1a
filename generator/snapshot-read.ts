/**
 * Reading an IR snapshot (the embedded default, written by `irToJson` + `asciiJson`): the whole IR,
 * or only some of its top-level families (issue 13: the emit worker needs `sources`, `dataElements`
 * and `iods`, about half of the 26 MB, and parses only those, in parallel with the main thread's
 * parse of the whole file).
 */
import { readFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { emptyIr, IR_VERSION, type Ir } from './ir.ts';
import { inputError } from '../sources/common/errors.ts';
import { parseJsonInput } from '../sources/common/json.ts';

const NOT_A_SNAPSHOT = 'It is not an IR snapshot; write one with `dicom-dictgen generate --ir <file>`';

/** A JSON file's bytes as text: all-ASCII bytes (the committed snapshot) skip UTF-8 decoding, which costs more than the parse. */
export function jsonText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The IR of a snapshot's text, refused with a one-line error when it is not JSON or not this IR version. */
export function irFromSnapshotText(text: string, path: string): Ir {
  const parsed = parseJsonInput(text, path, NOT_A_SNAPSHOT);
  return checkedIr(parsed !== null && typeof parsed === 'object' ? (parsed as Partial<Ir>) : {}, path);
}

function checkedIr(ir: Partial<Ir>, path: string): Ir {
  if (ir.irVersion !== IR_VERSION) {
    throw inputError(path, `IR version ${String(ir.irVersion)} is not the supported version ${IR_VERSION}`, 'Regenerate the snapshot with this version of dicom-dictgen');
  }
  return { ...emptyIr(), ...ir } as Ir;
}

/** Every top-level key an IR may have: a snapshot whose members are anything else is read whole. */
const IR_KEYS = new Set<string>([...Object.keys(emptyIr()), 'iods', 'contextGroups', 'privateDictionaries']);

/**
 * Byte ranges of the top-level members of a snapshot in `irToJson`'s layout (one-space indent: each
 * member starts a line with `␠"key": `, and no deeper line does, as JSON strings hold no raw
 * newline), or undefined for any other layout.
 */
export function snapshotMembers(bytes: Buffer): Map<string, { start: number; end: number }> | undefined {
  const close = bytes.lastIndexOf('\n}');
  if (bytes.subarray(0, 4).toString('latin1') !== '{\n "' || close < 0 || bytes.subarray(close + 2).toString('latin1').trim() !== '') return undefined;
  const starts: { key: string; value: number; line: number }[] = [];
  for (let at = bytes.indexOf('\n "'); at >= 0 && at < close; at = bytes.indexOf('\n "', at + 1)) {
    const colon = bytes.indexOf('": ', at + 3);
    const key = colon < 0 ? '' : bytes.subarray(at + 3, colon).toString('latin1');
    if (!IR_KEYS.has(key) || starts.some((s) => s.key === key)) return undefined;
    starts.push({ key, value: colon + 3, line: at });
  }
  const members = new Map<string, { start: number; end: number }>();
  starts.forEach((s, i) => {
    const next = starts[i + 1];
    // A member ends before the `,` that precedes the next one (the last one before the closing brace).
    members.set(s.key, { start: s.value, end: next ? bytes.lastIndexOf(',', next.line) : close });
  });
  return members;
}

/**
 * The IR of a snapshot with only the families `keys` (the others empty or absent): the same values
 * as the whole file gives for those. A file in another layout, or a member that does not parse on
 * its own, is read whole (so errors are the whole file's).
 */
export function readSnapshotFamilies(path: string, keys: readonly (keyof Ir)[], bytes: Buffer = readFileSync(path)): Ir {
  const members = snapshotMembers(bytes);
  const picked = members && parseMembers(bytes, members, ['irVersion', ...keys]);
  return picked ? checkedIr(picked, path) : irFromSnapshotText(jsonText(bytes), path);
}

/**
 * The whole IR of a snapshot's bytes: member by member in `irToJson`'s layout (the same values;
 * about a quarter less CPU than one text of 26 MB on this machine, issue 13), any other layout as
 * one text. `omit`: families left out (parsed elsewhere); only in that layout (another is read whole).
 */
export function irFromSnapshotBytes(bytes: Buffer, path: string, omit: readonly (keyof Ir)[] = []): Ir {
  const members = snapshotMembers(bytes);
  const all = members && parseMembers(bytes, members, [...members.keys()].filter((k) => !omit.includes(k as keyof Ir)));
  return all ? checkedIr(all, path) : irFromSnapshotText(jsonText(bytes), path);
}

/** The members `keys` parsed one by one (absent ones left out), or undefined when one does not parse. */
function parseMembers(bytes: Buffer, members: Map<string, { start: number; end: number }>, keys: readonly string[]): Partial<Ir> | undefined {
  const ir: Record<string, unknown> = {};
  const encoding = isAscii(bytes) ? 'latin1' : 'utf8';
  try {
    for (const key of keys) {
      const m = members.get(key);
      if (m) ir[key] = JSON.parse(bytes.toString(encoding, m.start, m.end)) as unknown;
    }
  } catch {
    return undefined;
  }
  return ir as Partial<Ir>;
}
