#!/usr/bin/env node
// The CLI launcher (bin, `npm run generate`, `npm run dictgen`). It runs the plain-JS build that
// `npm ci` writes to .build/ (the `prepare` script, generator/build.js) while its stamp matches the
// sources, so a run pays no TypeScript loader; with no build, or after any .ts was edited, it
// runs the TypeScript itself through tsx, so the repository still needs no build step.
// DICTGEN_BUILD_DIR picks another build folder (tests); DICTGEN_LAUNCHER_TRACE=1 says which ran.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { buildIsFresh } from './build-stamp.js';

// `generate` runs most of its code once, over large data, on busy threads (the main one and the
// emit worker, or the scrape workers): with V8's default tier-up budget, TurboFan compiles hundreds
// of functions on its background threads, which on a machine with few cores take CPU from them
// (issue 13). A larger budget leaves code that runs briefly to the baseline tiers and still
// optimizes the hot loops. V8 reads the budget when it (re)starts a function's counter, so setting
// it before any of the generator's code runs applies to every isolate of the process, workers included.
const v8Flags = process.argv[2] === 'generate' ? '--interrupt-budget=4000000' : '';
if (v8Flags) setFlagsFromString(v8Flags);

// Once nothing is left to run (every worker, write and stream flushed), exit without tearing down
// the heap, which after `generate` holds a few hundred MB (about a tenth of a second; issue 13).
process.once('beforeExit', () => process.exit());

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = resolve(process.env.DICTGEN_BUILD_DIR ?? join(root, '.build'));
// `generate` of the embedded default: its emit worker starts first, even before the build's stamp is
// checked (a stat per source), and loads while the CLI does (issue 13: the worker's path is the
// longest of such a run); a stale build ends it again and runs the TypeScript.
const args = process.argv.slice(3);
const workerClient = join(buildDir, 'generator', 'emit', 'worker-client.js');
const aheadClient =
  process.argv[2] === 'generate' && !args.some((a) => /^--(source|config|ir|report|help)(=|$)/.test(a)) && existsSync(workerClient) ? await import(pathToFileURL(workerClient).href) : undefined;
aheadClient?.prestartEmitWorker();
const useBuild = buildIsFresh(root, buildDir);
if (process.env.DICTGEN_LAUNCHER_TRACE) process.stderr.write(`dicom-dictgen launcher: ${useBuild ? `build ${buildDir}` : 'tsx'}${v8Flags ? ` (V8 ${v8Flags})` : ''}\n`);
let cli;
if (useBuild) {
  cli = await import(pathToFileURL(join(buildDir, 'generator', 'cli.js')).href);
} else {
  aheadClient?.endAheadEmitWorker?.();
  (await import('tsx/esm/api')).register();
  cli = await import('./cli.ts');
}
await cli.runCli();
