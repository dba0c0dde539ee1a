/**
 * `dicom-dictgen private extract <file> [--json]`: read one private dictionary source (a conformance
 * statement's text, a DCMTK `.dic`, a fo-dicom/GDCM XML or the native JSON) and print what was
 * found — a table, or the native JSON format (docs/private-dictionary-format.md) — together with
 * every problem, so a user can review it before adding it as a layer.
 * Exit code 0 (problems are printed, not fatal), 1 for an unreadable file, 2 for usage errors.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from './index.ts';
import { usageError } from '../../sources/common/errors.ts';
import { scrapePrivateFile } from '../../sources/private/index.ts';
import { formatPrivateJsonTag, toPrivateJson } from '../../sources/private/private-json.ts';
import { comparePrivate } from '../../sources/private/merge-private.ts';

const HELP = `usage: dicom-dictgen private extract <file> [--json] [--all]

Reads one private dictionary source and prints the private elements found and the problems.
<file>   conformance statement text (from PDF), DCMTK .dic, fo-dicom / GDCM XML, or native JSON.
--json   print the native JSON format instead of a table (problems under "problems"); save it
         as <name>.private.json, review it, and add it as a layer.
--all    list info-level notes (repairs the extractor made) too, not only warnings and errors.
`;

/** Table cells are user-facing text: drop control characters so a hostile name cannot steer the terminal. */
function cell(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'extract') {
    throw usageError(`private: unknown subcommand ${sub === undefined ? '(none)' : `"${sub}"`}`, 'Run `dicom-dictgen private extract <file> [--json]`');
  }
  if (file === undefined || extra.length > 0) {
    throw usageError(`private extract: expected one <file>, got ${file === undefined ? 0 : 1 + extra.length}`, 'Run `dicom-dictgen private extract statement.txt`');
  }
  const { ir, report, source } = scrapePrivateFile(resolve(io.cwd, file));
  const section = ir.privateDictionaries ?? { elements: [] };
  const problems = report.diagnostics.filter((d) => values.all || d.severity !== 'info');
  if (values.json) {
    io.stdout(`${JSON.stringify(toPrivateJson(section, ir.sources, problems, `extracted by dicom-dictgen private extract from ${source.file}`), null, 2)}\n`);
    return 0;
  }
  const rows = [...section.elements].sort(comparePrivate).map((e) => [
    cell(e.creator),
    formatPrivateJsonTag(e),
    e.vr.join('/') || '-',
    e.vm || '-',
    cell(e.name),
    e.prov.line !== undefined ? String(e.prov.line) : e.prov.row !== undefined ? `row ${e.prov.row}` : '',
  ]);
  const head = ['Creator', 'Tag', 'VR', 'VM', 'Name', 'Line'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]!))).join('  ').trimEnd();
  const out: string[] = [];
  out.push(`${source.file}: ${source.part} (${source.format})`);
  for (const a of report.accounts) {
    out.push(`  ${a.table}: ${a.bodyRows} ${source.format === 'dcmtk' || source.format === 'conformance-statement' ? 'lines' : 'rows'}, ${a.parsed} parsed, ${a.rejected} rejected, ${a.skipped} skipped`);
  }
  const creators = new Set(section.elements.map((e) => e.creator));
  out.push(`  ${section.elements.length} private element(s) of ${creators.size} creator(s)`);
  for (const d of section.declarations ?? []) out.push(`  reservation: (${d.group},00${d.block ?? 'xx'}) "${cell(d.creator)}"${d.prov.line !== undefined ? ` at line ${d.prov.line}` : ''}`);
  out.push('');
  if (rows.length > 0) {
    out.push(fmt(head));
    out.push(fmt(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) out.push(fmt(r));
    out.push('');
  }
  const infos = report.diagnostics.length - report.diagnostics.filter((d) => d.severity !== 'info').length;
  out.push(`Problems: ${problems.length}${!values.all && infos > 0 ? ` (plus ${infos} note(s) on repairs; --all lists them)` : ''}`);
  for (const d of problems) out.push(`  ${d.severity} ${d.code}: ${cell(d.message)}${d.raw !== undefined ? `\n      | ${cell(d.raw).trim().slice(0, 160)}` : ''}`);
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}
