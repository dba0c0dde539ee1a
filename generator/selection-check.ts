/**
 * A selection (`--families`, `--iods`, `--cids`, `--creators`) must name something: an unknown
 * family, an IOD, context group or private creator this IR does not have, or an empty list, is a
 * usage error naming the flag (exit 2), never an empty package with exit 0.
 */
import type { Ir } from './ir.ts';
import type { EmitSelection } from './emit/context.ts';
import { normalizeCreator } from './ir-private.ts';
import { usageError } from '../sources/common/errors.ts';

function sample(known: Iterable<string>): string {
  const list = [...known].sort();
  return list.length === 0 ? 'none in these sources' : `${list.slice(0, 6).join(', ')}${list.length > 6 ? `, … (${list.length})` : ''}`;
}

function requireKnown(flag: string, asked: Iterable<string>, known: ReadonlySet<string>, what: string, shown: Iterable<string> = known): void {
  const list = [...asked];
  if (list.length === 0) throw usageError(`${flag}: the list is empty`, `Name at least one ${what}, or leave ${flag} out`);
  const bad = list.find((x) => !known.has(x));
  if (bad !== undefined) throw usageError(`${flag}: "${bad}" is not ${what} of these sources`, `Known: ${sample(shown)}`);
}

/** Before the build: families are fixed by the emitters. */
export function checkFamilies(selection: EmitSelection, families: readonly string[]): void {
  if (selection.families) requireKnown('--families', selection.families, new Set(families), 'an output family');
}

/**
 * After the build: IODs, context groups and private creators come from the IR. A list for a
 * family the selection leaves out (`families: [tags]` with `iods: [ct-image]`) is not checked.
 */
export function checkSelectionAgainstIr(selection: EmitSelection, ir: Ir): void {
  const uses = (family: string) => !selection.families || selection.families.has(family);
  if (selection.iods && uses('iods')) {
    const iods = ir.iods?.iods ?? [];
    requireKnown('--iods', selection.iods, new Set(iods.flatMap((i) => [i.id, i.name, i.typeName])), 'an IOD', iods.map((i) => i.id));
  }
  if (selection.cids && uses('context-groups')) {
    const cids = (ir.contextGroups?.groups ?? []).map((g) => String(g.cid));
    requireKnown('--cids', [...selection.cids].map(String), new Set(cids), 'a context group', cids);
  }
  if (selection.creators && uses('private')) {
    const creators = new Set((ir.privateDictionaries?.elements ?? []).map((e) => normalizeCreator(e.creator)));
    requireKnown('--creators', [...selection.creators].map(normalizeCreator), creators, 'a private creator');
  }
}
