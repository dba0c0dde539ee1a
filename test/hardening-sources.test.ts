/**
 * Hardening of the scrape stage (docs/hardening.md, groups 3, 6, 9, 11): every error blocks unless
 * accepted, a cut document is reported as truncated, short tables of known editions warn, deep
 * nesting fails fast, malformed VMs never reach the output.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../generator/cli.ts';
import type { CliIo } from '../generator/commands/index.ts';
import { buildIr, generate } from '../generator/pipeline.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { checkKnownRowCounts } from '../sources/nema/known-row-counts.ts';
import { emptyIr, emptyReport } from '../generator/ir.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'nema');
const part06 = readFileSync(join(fixtures, 'part06-mini.xml'), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'dictgen-harden-src-'));

function sourceDir(files: Record<string, string>): string {
  const d = tmp();
  mkdirSync(join(d, 'src'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, 'src', n), t);
  return d;
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = { stdout: () => {}, stderr: (s) => (err += s), isTTY: false, cwd };
  return { code: await main(argv, io), err };
}

describe('group 3: an error diagnostic blocks generation', () => {
  const bad = part06.replace('<para>(0010,0010)</para>', '<para>(GGGG,EEEE)</para>');
  it('a tag (GGGG,EEEE) blocks (exit 1, nothing written) instead of silently dropping Patient Name', async () => {
    const d = sourceDir({ 'part06.xml': bad });
    const r = await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--no-format'], d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: part06\.xml Table 6-1 row \d+: tag cell "\(GGGG,EEEE\)"/);
    expect(r.err).toMatch(/--accept-errors/);
    expect(existsSync(join(d, 'pkg'))).toBe(false);
  });

  it('--accept-errors (CLI and API) generates without the row', async () => {
    const d = sourceDir({ 'part06.xml': bad });
    expect((await cli(['generate', '--source', 'src', '--out', 'pkg', '-q', '--no-format', '--accept-errors'], d)).code).toBe(0);
    const tags = readFileSync(join(d, 'pkg', 'tags.ts'), 'utf8');
    expect(tags).not.toMatch(/^  PatientName = /m);
    expect(tags).toMatch(/^  TransferSyntaxUID = /m);
    const r = await generate({ sources: [join(d, 'src')], out: join(d, 'pkg2'), noFormat: true, acceptErrors: true });
    expect(r.blocking).toBe(false);
    expect((await generate({ sources: [join(d, 'src')], out: join(d, 'pkg3'), noFormat: true })).blocking).toBe(true);
  });

  it('an innolitics ciods.json = [] blocks', async () => {
    const d = tmp();
    const src = join(import.meta.dirname, 'fixtures', 'innolitics', 'mini-2024b');
    mkdirSync(join(d, 'inno'));
    for (const f of ['attributes.json', 'ciod_to_func_group_macros.json', 'ciod_to_modules.json', 'confidentiality_profile_attributes.json', 'macros.json', 'modules.json', 'sops.json']) {
      writeFileSync(join(d, 'inno', f), readFileSync(join(src, f)));
    }
    writeFileSync(join(d, 'inno', 'ciods.json'), '[]');
    const { blocking, report } = await buildIr({ sources: [join(d, 'inno')] });
    expect(report.diagnostics.some((x) => x.severity === 'error')).toBe(true);
    expect(blocking).toBe(true);
  });

  it('a DocBook file cut inside Table A-3 is reported as truncated, naming file and table', () => {
    const d = tmp();
    const cut = part06.slice(0, part06.indexOf('table_A-3') + 400);
    writeFileSync(join(d, 'part06.xml'), cut);
    expect(() => loadNemaDocument(join(d, 'part06.xml'))).toThrow(/part06\.xml: the document is truncated: .*cut in or after Table A-3/);
  });

  it('an HTML file cut at 60% is reported as truncated', () => {
    const d = tmp();
    const html = readFileSync(join(fixtures, 'part15-mini.html'), 'utf8');
    writeFileSync(join(d, 'part15.html'), html.slice(0, Math.floor(html.length * 0.6)));
    expect(() => loadNemaDocument(join(d, 'part15.html'))).toThrow(/part15\.html: the document is truncated: it ends before its closing <\/html>/);
  });

  it('a table shorter than its known edition count is a warning', () => {
    const ir = emptyIr();
    ir.sources.push({ id: 'nema-2013-part06', part: 'PS3.6', edition: '2013', format: 'docbook', file: 'part06.xml', sha256: '0', bytes: 1 });
    const report = emptyReport();
    report.accounts.push({ source: 'nema-2013-part06', table: 'Table A-3', totalRows: 436, headerRows: 1, bodyRows: 435, parsed: 435, rejected: 0, skipped: 0 });
    report.accounts.push({ source: 'nema-2013-part06', table: 'Table 6-1', totalRows: 3723, headerRows: 1, bodyRows: 3722, parsed: 3722, rejected: 0, skipped: 0 });
    checkKnownRowCounts(ir, report);
    expect(report.diagnostics.map((x) => `${x.severity} ${x.code} ${x.table}`)).toEqual(['warning short-table Table A-3']);
    expect(report.diagnostics[0]!.message).toMatch(/435 rows; that edition has 866/);
  });
});

describe('group 6: nesting depth is bounded', () => {
  it('100,000 nested elements fail at once with a one-line error and the line', () => {
    const d = tmp();
    const depth = 100_000;
    const xml = `<?xml version="1.0"?><book xmlns="http://docbook.org/ns/docbook"><subtitle>DICOM PS3.6 2099a</subtitle>\n${'<para>'.repeat(depth)}x${'</para>'.repeat(depth)}</book>`;
    writeFileSync(join(d, 'part06.xml'), xml);
    expect(() => loadNemaDocument(join(d, 'part06.xml'))).toThrow(/^.*part06\.xml: elements nest deeper than 1000 levels \(line 2\)/);
  });

  it('real nesting (the fixtures) is far below the bound', () => {
    expect(loadNemaDocument(join(fixtures, 'part06-mini.xml')).partNumber).toBe(6);
  });
});

describe('group 11: malformed VMs are rejected at scrape time', () => {
  it('VM "1-" rejects the row with an error naming table and row; it is never emitted', async () => {
    const d = sourceDir({ 'part06.xml': part06.replace('<para>1-n</para>', '<para>1-</para>') });
    const { ir, report, blocking } = await buildIr({ sources: [join(d, 'src')] });
    expect(blocking).toBe(true);
    const e = report.diagnostics.find((x) => x.code === 'invalid-vm');
    expect(e).toMatchObject({ severity: 'error', table: 'Table 6-1' });
    expect(e!.message).toMatch(/VM "1-"/);
    expect(ir.dataElements.some((x) => x.vm === '1-')).toBe(false);
  });
});
