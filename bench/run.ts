/**
 * `npm run bench [-- name …]`: runs every `bench/suite-<name>.ts` (or the named ones) in a fresh
 * process, one after the other. Each suite prints a markdown table and writes its raw results to
 * `bench/results/<name>.json`; this runner echoes the tables and writes `bench/results/summary.md`
 * with the date and machine, which the README's benchmark table quotes.
 * Targets come from the issues and are printed, never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine, repo, resultsDir } from './kit.ts';

const benchDir = join(repo, 'bench');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = readdirSync(benchDir)
  .filter((f) => /^suite-[\w-]+\.ts$/.test(f))
  .map((f) => f.slice('suite-'.length, -'.ts'.length))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();

const m = machine();
const sections: string[] = [];
let failed = 0;
for (const name of suites) {
  process.stderr.write(`bench: suite ${name}…\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, `suite-${name}.ts`)], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  const out = String(r.stdout ?? '').trim();
  if (r.status !== 0) failed++;
  const body = r.status === 0 ? out : `${out}\n\n**suite failed** (exit ${r.status ?? r.signal})`;
  process.stdout.write(`\n## ${name} (${s} s)\n\n${body}\n`);
  sections.push(`## ${name}\n\n${body}\n`);
}

const header = `# Benchmark summary

Written by \`npm run bench\` (bench/run.ts); raw results: \`bench/results/<suite>.json\`.

- date: ${m.date}
- machine: ${m.nproc} CPUs (nproc), ${m.cpu}, Node ${m.node}, load average at start ${m.loadavg.join(' / ')}
- suites: ${suites.join(', ') || 'none'}
`;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, wanted.length ? `summary-${wanted.join('-')}.md` : 'summary.md'), `${header}\n${sections.join('\n')}`);
if (failed > 0) {
  process.stderr.write(`bench: ${failed} suite(s) failed\n`);
  process.exitCode = 1;
}
