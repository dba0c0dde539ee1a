/**
 * Family `uids` → `uids/<category>.ts` (one module per UID category of generator/uid-categories.ts,
 * re-exported as namespaces `SopClass`, `TransferSyntax`, …, keyed by keyword, retired ones
 * `@deprecated`, with `Uid` and `Keyword` types derived from the constants) and `uids/lookup.ts` (`lookupUid` over a compact
 * registry decoded per UID on first lookup, the `<Namespace>Uid` union types). Where a retired UID shares its keyword with another of
 * its category (reported by generator/validate.ts), the namespace keeps the non-retired one, else
 * the first in UID order; `lookupUid` finds every UID.
 */
import type { UidEntry, UidType } from '../ir.ts';
import { allUidCategories, uidCategory, type UidCategory } from '../uid-categories.ts';
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';
import { statedIn } from './tags.ts';
import { decodeExpr, fixedDigits, hashTable, keywordHash, offsets, singleQuotedAscii, widthFor } from './compact.ts';

function union(list: string[]): string {
  const u = [...new Set(list)];
  return u.length === 0 ? ' never' : u.map((s) => `\n  | ${tsString(s)}`).join('');
}

/** JSON text with every character outside printable ASCII written as a JSON `\uXXXX` escape. */
function jsonAscii(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The DICOM UID root (PS3.5 §9.2): written as a leading `.` in the registry (no UID starts with a dot). */
const DICOM_ROOT = '1.2.840.10008';

function uidText(uid: string): string {
  return uid.startsWith(`${DICOM_ROOT}.`) ? uid.slice(DICOM_ROOT.length) : uid;
}

/** The keyword the package derives when the registry holds 0: the name's ASCII letters and digits (the package repeats this). */
export function keywordFromName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * The registry for `lookupUid` (PS3.6 Annex A): one JSON array per UID (first row of a duplicated
 * UID only), concatenated, with base-86 offsets, and an open-addressing table over the UIDs
 * (FNV-1a, row + 1 per slot), so the package decodes one record per first lookup of a UID.
 */
function uidRegistry(all: UidEntry[], types: UidType[], parts: string[]) {
  const seen = new Set<string>();
  const rows = all.filter((u) => !seen.has(u.uid) && seen.add(u.uid));
  // Non-ASCII characters (`–`, `™` in a few names) as JSON escapes: one of them in the literal
  // would make V8 store the whole registry string with two bytes per character.
  // Shorter source text (kept on the heap by every importer): the DICOM root as a leading `.`, and 0
  // for a keyword that is the name's letters and digits (two UIDs in three: `Verification`… are not).
  const records = rows.map((u) => jsonAscii([uidText(u.uid), u.keyword === keywordFromName(u.name) ? 0 : u.keyword, u.name, types.indexOf(u.type), u.part === undefined ? -1 : parts.indexOf(u.part), u.cid ?? -1, u.retired ? 1 : 0]));
  const at = offsets(records);
  const atWidth = widthFor(at[at.length - 1]! + 1);
  const rowWidth = widthFor(rows.length + 1);
  const byUid = hashTable(rows.map((u, row) => ({ row, home: (bits) => keywordHash(u.uid, bits) })), rowWidth);
  return {
    rows: rows.length,
    dicomRoot: tsString(DICOM_ROOT),
    records: singleQuotedAscii(records.join('')),
    recordAt: singleQuotedAscii(at.map((o) => fixedDigits(o, atWidth)).join('')),
    slots: singleQuotedAscii(byUid.slots),
    shift: 32 - byUid.bits,
    mask: (1 << byUid.bits) - 1,
    decode: {
      start: decodeExpr('RECORD_AT', `row * ${atWidth}`, atWidth),
      end: decodeExpr('RECORD_AT', `row * ${atWidth} + ${atWidth}`, atWidth),
      slot: decodeExpr('UID_SLOTS', `h * ${rowWidth}`, rowWidth),
    },
  };
}

/** The UIDs a category module exports: one per keyword (non-retired first, then UID order). */
export function categoryConstants(uids: UidEntry[], cat: UidCategory): UidEntry[] {
  const mine = uids.filter((u) => uidCategory(u.type).namespace === cat.namespace);
  const chosen = new Map<string, UidEntry>();
  for (const u of mine) {
    const prev = chosen.get(u.keyword);
    if (prev === undefined || (prev.retired && !u.retired)) chosen.set(u.keyword, u);
  }
  return mine.filter((u) => chosen.get(u.keyword) === u);
}

/**
 * Context group UIDs (one per PS3.16 group, 1,200+) grow with the data: a subpath only, neither a
 * root namespace nor named by the root's lookup types, so neither the root's import nor a
 * consumer's tsc grows with them (issue 13; lookupUid still knows them). Added by root-entry.
 */
const SUBPATH_ONLY = 'ContextGroupUid';

/** The category module's own name (`sop-class`), for `import type * as Self` (its `Uid` and `Keyword` types). */
function selfModule(cat: UidCategory): string {
  const name = cat.module.replace(/^uids\//, '');
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`internal: UID category module "${cat.module}" is not uids/<lowercase-name>`);
  return name;
}

export function emitUids(ctx: EmitContext): EmitResult {
  const { ir } = ctx;
  const files: EmitResult['files'] = [];
  const entry: NonNullable<EmitResult['entry']> = [];
  const subpaths: NonNullable<EmitResult['subpaths']> = [];
  const cats = allUidCategories().filter((c) => ir.uids.some((u) => uidCategory(u.type).namespace === c.namespace));
  for (const cat of cats) {
    const list = categoryConstants(ir.uids, cat);
    const content = render('uids-category', {
      header: fileHeader(ctx, sourcesOf(list), `UIDs: ${cat.label}`),
      label: cat.label,
      uids: list.map((u) => ({
        keyword: assertIdentifier(u.keyword, `UID keyword of ${u.uid}`),
        uid: u.uid,
        name: u.name,
        typeText: u.typeText,
        derived: u.keywordDerived === true,
        retired: u.retired,
        retiredIn: statedIn(ir, u),
      })),
      self: selfModule(cat),
    });
    files.push({ path: `${cat.module}.ts`, content, preformatted: true });
    if (cat.namespace !== SUBPATH_ONLY) entry.push({ from: `./${cat.module}.js`, as: cat.namespace });
    subpaths.push({ subpath: `./${cat.module}`, file: `${cat.module}.ts` });
  }
  const all = ir.uids;
  const types: UidType[] = [...new Set(all.map((u) => u.type))];
  const parts = [...new Set(all.map((u) => u.part).filter((p): p is string => p !== undefined))];
  const content = render('uids-lookup', {
    header: fileHeader(ctx, sourcesOf(all), 'UID registry: lookupUid'),
    categories: cats.filter((c) => c.namespace !== SUBPATH_ONLY).map((c) => ({ namespace: c.namespace, label: c.label, file: c.module.replace(/^uids\//, '') })),
    typeUnion: union(types),
    types: `[${types.map((t) => tsString(t)).join(', ')}]`,
    parts: `[${parts.map((p) => tsString(p)).join(', ')}]`,
    registry: uidRegistry(all, types, parts),
  });
  files.push({ path: 'uids/lookup.ts', content, preformatted: true });
  entry.push({ from: './uids/lookup.js' });
  return { files, entry, subpaths };
}

export const uidsEmitter: Emitter = { family: 'uids', emit: emitUids };
