/**
 * Family `deidentification` → `deidentification.ts`: PS3.15 Table E.1-1 as typed data
 * (`deidentificationRules()`, `DEIDENTIFICATION_RULES`; one JSON table decoded on first use, so
 * importing the package root builds no row), the option ids, and `deidentificationAction(tag, options)`.
 */
import { DEID_OPTION_IDS } from '../../sources/nema/part15-deidentification.ts';
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';

const TAG = /^([0-9A-Fx]{8}|ggggeeee)$/;
const ACTION = /^[XZDKCU]\*?(?:\/[XZDKCU]\*?)*$/;

export function emitDeidentification(ctx: EmitContext): EmitResult {
  const { ir } = ctx;
  // No PS3.15 among the sources: nothing to emit (an empty module would only export `never` types).
  if (ir.deidentification.length === 0) return { files: [] };
  // Layers may disagree on the column list (2013 has no institution column): every option a row
  // uses is a column, in the canonical PS3.15 order, with the header of the layer that had it.
  const headers = new Map(ir.deidentificationOptions.map((o) => [o.id, o.header]));
  for (const r of ir.deidentification) for (const id of Object.keys(r.actions)) if (!headers.has(id)) headers.set(id, id);
  const rank = (id: string) => {
    const i = (DEID_OPTION_IDS as readonly string[]).indexOf(id);
    return i < 0 ? DEID_OPTION_IDS.length : i;
  };
  const options = [...headers]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, header]) => ({ id: assertIdentifier(id, 'de-identification option id'), header }));
  const optionIds = new Set(options.map((o) => o.id));
  const codes = new Set<string>();
  const rows = ir.deidentification.map((r) => {
    if (!TAG.test(r.tag)) throw new Error(`deidentification emitter: ${r.prov.source} ${r.prov.table} row ${r.prov.row ?? '?'}: refusing tag ${JSON.stringify(r.tag)}`);
    const actions = Object.entries(r.actions)
      .filter(([id]) => {
        if (!optionIds.has(id)) throw new Error(`deidentification emitter: row ${r.tag} has an action for unknown option ${id}`);
        return true;
      })
      .sort(([a], [b]) => options.findIndex((o) => o.id === a) - options.findIndex((o) => o.id === b))
      .map(([id, code]) => {
        if (!ACTION.test(code)) throw new Error(`deidentification emitter: row ${r.tag}: refusing action ${JSON.stringify(code)}`);
        codes.add(code);
        return [id, code] as const;
      });
    // One row of the JSON table the template decodes on first use (see RawRule there).
    return [r.tag, r.name, r.retired ? 1 : 0, r.inStdCompIod === null ? null : r.inStdCompIod ? 1 : 0, Object.fromEntries(actions)];
  });
  const editions = [...new Set(ir.deidentification.map((r) => ir.sources.find((s) => s.id === r.prov.source)).filter((s) => s !== undefined).map((s) => `${s.part} ${s.edition}`))];
  const content = render('deidentification', {
    header: fileHeader(ctx, sourcesOf(ir.deidentification), 'de-identification actions (PS3.15 Table E.1-1)'),
    editions: editions.join(', ') || 'none',
    optionUnion: options.length === 0 ? 'never' : options.map((o) => tsString(o.id)).join(' | '),
    options,
    codeUnion: codes.size === 0 ? 'never' : [...codes].sort().map((c) => tsString(c)).join(' | '),
    table: tsString(JSON.stringify(rows)),
  });
  return { files: [{ path: 'deidentification.ts', content }], entry: [{ from: './deidentification.js' }] };
}

export const deidentificationEmitter: Emitter = { family: 'deidentification', emit: emitDeidentification };
