/**
 * The release diff: `diffIr(old, new, options)` compares two IRs family by family and rates every
 * change for the generated package's semver (docs/diff.md). Pure and deterministic: IR in,
 * `DiffResult` out. Rendering lives in render-*.ts; loading sides (which needs the pipeline) in
 * load.ts, deliberately not re-exported here so that importing `diffIr` stays light.
 */
import type { Ir } from '../ir.ts';
import { Collector } from './collector.ts';
import { compareContextGroups } from './compare-context-groups.ts';
import { compareDeidentification } from './compare-deidentification.ts';
import { compareElements } from './compare-elements.ts';
import { compareIods } from './compare-iods.ts';
import { comparePrivate } from './compare-private.ts';
import { compareTransferSyntaxes } from './compare-transfer-syntaxes.ts';
import { compareUids } from './compare-uids.ts';
import { compareVrs } from './compare-vrs.ts';
import { bumpOf } from './semver.ts';
import { CATEGORIES, type Category, type DiffOptions, type DiffResult, type DiffSide, type Impact } from './types.ts';

export * from './types.ts';
export { renderMarkdown } from './render-markdown.ts';
export { renderJson } from './render-json.ts';

/** Entry counts per family, for the header of the report. */
export function irCounts(ir: Ir): Record<string, number> {
  const c: Record<string, number> = {
    elements: ir.dataElements.length,
    uids: ir.uids.length,
    vrs: ir.valueRepresentations.length,
    'transfer-syntaxes': ir.transferSyntaxes.length,
    deidentification: ir.deidentification.length,
  };
  if (ir.iods) {
    c.iods = ir.iods.iods.length;
    c.modules = ir.iods.modules.length;
    c['sop-classes'] = ir.iods.sopClasses.length;
  }
  if (ir.contextGroups) {
    c['context-groups'] = ir.contextGroups.groups.length;
    c.codes = ir.contextGroups.groups.reduce((n, g) => n + g.codes.length, 0);
  }
  if (ir.privateDictionaries) c.private = ir.privateDictionaries.elements.length;
  return c;
}

function side(ir: Ir, label: string | undefined, kind: DiffSide['kind'] | undefined): DiffSide {
  return {
    label: label ?? 'ir',
    kind: kind ?? 'ir',
    irVersion: ir.irVersion,
    sources: [...ir.sources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    counts: irCounts(ir),
  };
}

export function diffIr(oldIr: Ir, newIr: Ir, options: DiffOptions = {}): DiffResult {
  const only = new Set<Category>(options.only && options.only.length > 0 ? options.only : CATEGORIES);
  const categories = CATEGORIES.filter((c) => only.has(c));
  const out = new Collector();
  if (only.has('elements')) compareElements(oldIr.dataElements, newIr.dataElements, out);
  if (only.has('uids')) compareUids(oldIr, newIr, out);
  if (only.has('vrs')) compareVrs(oldIr.valueRepresentations, newIr.valueRepresentations, out);
  if (only.has('transfer-syntaxes')) compareTransferSyntaxes(oldIr.transferSyntaxes, newIr.transferSyntaxes, out);
  if (only.has('iods')) compareIods(oldIr.iods, newIr.iods, out);
  if (only.has('context-groups')) compareContextGroups(oldIr.contextGroups, newIr.contextGroups, out);
  if (only.has('private')) comparePrivate(oldIr.privateDictionaries, newIr.privateDictionaries, out);
  if (only.has('deidentification')) compareDeidentification(oldIr, newIr, out);

  const changes = out.sorted();
  const counts: DiffResult['counts'] = {};
  const impactCounts: Record<Impact, number> = { major: 0, minor: 0, patch: 0 };
  for (const c of changes) {
    const perCat = (counts[c.category] ??= {});
    perCat[c.kind] = (perCat[c.kind] ?? 0) + 1;
    impactCounts[c.impact]++;
  }
  const formattingOnly: Record<string, number> = {};
  for (const k of Object.keys(out.tally.counts).sort()) formattingOnly[k] = out.tally.counts[k]!;
  return {
    diffFormat: 1,
    old: side(oldIr, options.oldLabel, options.oldKind),
    new: side(newIr, options.newLabel, options.newKind),
    semver: bumpOf(changes),
    categories,
    counts,
    impactCounts,
    changes,
    notCompared: out.notCompared,
    formattingOnly,
  };
}
