/**
 * One side of `dicom-dictgen diff`: an IR snapshot (JSON written by `generate --ir`), a source
 * directory or single source file (scraped by the pipeline), or a layered config file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import type { Ir, Report } from '../ir.ts';
import { buildIr, loadIrSnapshot } from '../pipeline.ts';
import { inputError } from '../../sources/common/errors.ts';
import type { DiffSide } from './types.ts';

export interface LoadedSide {
  ir: Ir;
  kind: DiffSide['kind'];
  /** The path as the user gave it, relative to the working directory when inside it. */
  label: string;
  /** Scrape report for sources/config sides (diagnostics are the scrapers' business, not the diff's). */
  report?: Report;
  blocking?: boolean;
}

/** `partNN.xml`, `part15-2017d.html`, `*.dic`, … : files the pipeline reads as sources directly. */
const SOURCE_FILE = /^part\d{1,2}([-_][\w.-]+)?\.(xml|html?)$|\.dic$|private[-_]?dictionary.*\.xml$|CSAHeader\.xml$|\.private\.json$|\.overrides\.json$|conformance.*\.txt$/i;

function sniffJson(path: string): Record<string, unknown> | undefined {
  const head = readFileSync(path, 'utf8');
  if (!/^\s*\{/.test(head)) return undefined;
  try {
    const v: unknown = JSON.parse(head);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function sideLabel(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function loadSide(path: string, cwd: string, onProgress?: (line: string) => void): Promise<LoadedSide> {
  const abs = resolve(cwd, path);
  const label = sideLabel(path, cwd);
  if (!existsSync(abs)) {
    throw inputError(`diff ${path}`, 'no such file or directory', 'Pass an IR snapshot (`generate --ir`), a source directory or a config file');
  }
  const progress = onProgress ?? (() => {});
  if (statSync(abs).isDirectory()) {
    const { ir, report, blocking } = await buildIr({ sources: [abs], onProgress: progress });
    return { ir, kind: 'sources', label, report, blocking };
  }
  const name = abs.split(/[\\/]/).pop() ?? abs;
  if (SOURCE_FILE.test(name)) {
    const { ir, report, blocking } = await buildIr({ sources: [abs], onProgress: progress });
    return { ir, kind: 'sources', label, report, blocking };
  }
  const json = /\.json$/i.test(name) ? sniffJson(abs) : undefined;
  if (json && 'irVersion' in json) {
    return { ir: loadIrSnapshot(abs), kind: 'snapshot', label };
  }
  if (json && !('layers' in json)) {
    throw inputError(`diff ${path}`, 'a JSON file that is neither an IR snapshot (no "irVersion") nor a config (no "layers")', 'Write a snapshot with `dicom-dictgen generate --ir <file>` or pass a source directory');
  }
  const { ir, report, blocking } = await buildIr({ config: abs, onProgress: progress });
  return { ir, kind: 'config', label, report, blocking };
}
