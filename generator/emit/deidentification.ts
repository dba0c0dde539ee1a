/**
 * Family `deidentification` → `deidentification.ts`: PS3.15 Table E.1-1 as typed data
 * (`DEIDENTIFICATION_RULES`), the option ids, and `deidentificationAction(tag, options)`.
 */
import { assertIdentifier, fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';

const TAG = /^([0-9A-Fx]{8}|ggggeeee)$/;
const ACTION = /^[XZDKCU]\*?(?:\/[XZDKCU]\*?)*$/;

export function emitDeidentification(ctx: EmitContext): EmitResult {
  const { ir } = ctx;
  // No PS3.15 among the sources: nothing to emit (an empty module would only export `never` types).
  if (ir.deidentification.length === 0) return { files: [] };
  const options = ir.deidentificationOptions.map((o) => ({ id: assertIdentifier(o.id, 'de-identification option id'), header: o.header }));
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
        return `${id}: ${tsString(code)}`;
      });
    const inStd = r.inStdCompIod === null ? 'null' : String(r.inStdCompIod);
    return { literal: `{ tag: ${tsString(r.tag)}, name: ${tsString(r.name)}, retired: ${r.retired}, inStdCompIod: ${inStd}, actions: { ${actions.join(', ')} } }` };
  });
  const editions = [...new Set(ir.deidentification.map((r) => ir.sources.find((s) => s.id === r.prov.source)).filter((s) => s !== undefined).map((s) => `${s.part} ${s.edition}`))];
  const content = render('deidentification', {
    header: fileHeader(ctx, sourcesOf(ir.deidentification), 'de-identification actions (PS3.15 Table E.1-1)'),
    editions: editions.join(', ') || 'none',
    optionUnion: options.length === 0 ? 'never' : options.map((o) => tsString(o.id)).join(' | '),
    options,
    codeUnion: codes.size === 0 ? 'never' : [...codes].sort().map((c) => tsString(c)).join(' | '),
    rows,
  });
  return { files: [{ path: 'deidentification.ts', content }], entry: [{ from: './deidentification.js' }] };
}

export const deidentificationEmitter: Emitter = { family: 'deidentification', emit: emitDeidentification };
