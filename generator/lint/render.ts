/**
 * Lint output as compilers and code review tools read it: `file:line:col severity rule message`
 * with a summary per rule, JSON, and SARIF 2.1.0 (GitHub code scanning, VS Code SARIF viewer).
 */
import { GENERATOR_VERSION } from '../version.ts';
import { LINT_RULES, type LintFinding, type LintRule } from './types.ts';

/** One control-free line per finding: document text cannot steer the terminal. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ');
}

export function summarize(findings: readonly LintFinding[]): { rule: LintRule; severity: string; count: number }[] {
  const counts = new Map<LintRule, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return (Object.keys(LINT_RULES) as LintRule[]).filter((r) => counts.has(r)).map((rule) => ({ rule, severity: LINT_RULES[rule].severity, count: counts.get(rule)! }));
}

export function renderText(findings: readonly LintFinding[], files: number): string {
  const out = findings.map((f) => oneLine(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}${f.suggestion !== undefined ? ` (suggestion: ${f.suggestion})` : ''}`));
  const errors = findings.filter((f) => f.severity === 'error').length;
  out.push('', `${findings.length} finding(s) in ${files} file(s): ${errors} error(s), ${findings.length - errors} warning(s)`);
  for (const s of summarize(findings)) out.push(`  ${s.rule.padEnd(20)} ${s.severity.padEnd(7)} ${s.count}`);
  return `${out.join('\n')}\n`;
}

export function renderJson(findings: readonly LintFinding[]): string {
  return `${JSON.stringify({ findings, summary: summarize(findings) }, null, 2)}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', note: 'note' } as const;

export function renderSarif(findings: readonly LintFinding[]): string {
  const ruleIds = Object.keys(LINT_RULES) as LintRule[];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dicom-dictgen lint',
            version: GENERATOR_VERSION,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: LINT_RULES[id].text }, defaultConfiguration: { level: SARIF_LEVEL[LINT_RULES[id].severity] } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.suggestion !== undefined ? `${f.message} (suggestion: ${f.suggestion})` : f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.line, startColumn: f.column, endColumn: f.column + f.text.length } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
