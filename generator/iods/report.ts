/**
 * The IOD resolution report as pipeline diagnostics (for `generate --report` and the printed
 * summary): include cycles and unresolved includes (warnings, with table and row), attributes the
 * data dictionary does not know (warnings: typed `unknown`), incomplete IODs (info: emitted with
 * their module list), and every requirement overlap (info: which module's requirement won).
 */
import type { Diagnostic, Ir } from '../ir.ts';
import { resolveIods, type IodResolutionReport } from './resolve.ts';

export function iodReportDiagnostics(report: IodResolutionReport, ir: Ir): Diagnostic[] {
  const files = new Map(ir.sources.map((s) => [s.id, s.file]));
  const out: Diagnostic[] = [];
  for (const c of report.cycles) {
    out.push({ severity: 'warning', code: 'include-cycle', message: `include cycle ${c.path.join(' → ')}; the repeated include is not expanded`, source: c.prov.source, ...fileOf(files, c.prov.source), table: c.prov.table, ...(c.prov.row !== undefined ? { row: c.prov.row } : {}) });
  }
  for (const u of report.unresolved) {
    out.push({ severity: 'warning', code: 'include-unresolved', message: `include of ${u.target.replace(/^table_/, 'Table ')}, which is not in the inputs; its attributes are missing from the types`, source: u.source, ...fileOf(files, u.source), table: u.table, ...(u.row !== undefined ? { row: u.row } : {}) });
  }
  for (const t of report.unknownTags) {
    out.push({ severity: 'warning', code: 'attribute-not-in-dictionary', message: `(${t.tag.slice(0, 4)},${t.tag.slice(4)}) ${t.name} (${t.def}) is not in the data dictionary; keyword derived from the name, typed unknown` });
  }
  for (const d of report.depthErrors) {
    out.push({ severity: 'warning', code: 'nesting-error', message: `row nested deeper than its enclosing sequence in ${d.def}`, ...(d.table ? { table: `Table ${d.table}` } : {}), ...(d.row !== undefined ? { row: d.row } : {}) });
  }
  for (const i of report.incomplete) {
    out.push({ severity: 'info', code: 'iod-incomplete', message: `IOD ${i.iod} lacks attribute tables (no source in the inputs has them) for ${lackingText(i.modules, i.macros ?? [])}; its interface types every other module` });
  }
  const iods = new Set((ir.iods?.iods ?? []).map((i) => i.id));
  if (iods.size > 0) {
    const incomplete = new Set(report.incomplete.map((i) => i.iod));
    out.push({ severity: 'info', code: 'iod-coverage', message: `${iods.size - incomplete.size} of ${iods.size} IODs have an attribute table for every module and functional group macro` });
  }
  for (const o of report.overlaps) {
    const others = o.others.map((x) => `${x.def} (Type ${x.type}, ${x.usage})`).join(', ');
    out.push({ severity: 'info', code: 'requirement-overlap', message: `IOD ${o.iod}: ${o.keyword} (${o.tag.slice(0, 4)},${o.tag.slice(4)}) is in several modules; ${o.winner.def} (Type ${o.winner.type}, ${o.winner.usage}) wins over ${others}` });
  }
  return out;
}

/** `modules general-acquisition, …; functional group macros pixel-measures, …` */
export function lackingText(modules: string[], macros: string[]): string {
  const parts: string[] = [];
  if (modules.length > 0) parts.push(`module${modules.length === 1 ? '' : 's'} ${modules.join(', ')}`);
  if (macros.length > 0) parts.push(`functional group macro${macros.length === 1 ? '' : 's'} ${macros.join(', ')}`);
  return parts.length === 0 ? 'modules whose tables are missing' : parts.join('; ');
}

function fileOf(files: Map<string, string>, source: string): { file?: string } {
  const f = files.get(source);
  return f === undefined ? {} : { file: f };
}

/** Resolve the IR's IODs and return the report as diagnostics (empty when the IR has no IODs). */
export function iodDiagnostics(ir: Ir): Diagnostic[] {
  if (!ir.iods || ir.iods.iods.length === 0) return [];
  return iodReportDiagnostics(resolveIods(ir).report, ir);
}
