/**
 * NEMA's per-CID FHIR ValueSet JSON (`…/resources/valuesets/fhir/json/CID_<n>.json`): the same
 * context groups as PS3.16 Annex B, one file per group. `compose.include[]` carries either
 * `{system, version?, concept[{code, display}]}` (direct codes) or `{valueSet: [canonical URL]}`
 * (an included group), so direct and included codes stay apart as in the DocBook tables.
 * FHIR system URIs map back to DICOM coding scheme designators.
 */
import { parseJsonInput } from '../common/json.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256 } from '../common/hash.ts';
import { cleanText } from '../common/text.ts';
import { inputError } from '../common/errors.ts';
import { diagnose, type ScrapeContext } from '../types.ts';
import type { Ir, Report, SourceRecord } from '../../generator/ir.ts';
import {
  assignContextGroupIdentifiers,
  codeKey,
  codeValueForm,
  codeValueOf,
  ensureContextGroupSection,
  resolveContextGroupIncludes,
  type ContextGroup,
  type ContextGroupCode,
} from '../../generator/ir-context-groups.ts';

/** FHIR code system URI → DICOM Coding Scheme Designator (PS3.16 Table 8-1 where it states the URI). */
export const FHIR_SYSTEM_DESIGNATORS: Record<string, string> = {
  'http://dicom.nema.org/resources/ontology/DCM': 'DCM',
  'http://snomed.info/sct': 'SCT',
  'http://loinc.org': 'LN',
  'http://unitsofmeasure.org': 'UCUM',
  'http://radlex.org': 'RADLEX',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RXNORM',
  'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl': 'NCIt',
  'urn:iso:std:iso:11073:10101': 'MDC',
  'http://hl7.org/fhir/sid/icd-10': 'I10',
  'http://www.ama-assn.org/go/cpt': 'C4',
  'http://purl.org/sig/ont/fma': 'FMA',
  'http://www.nlm.nih.gov/research/umls': 'UMLS',
  'http://www.whocc.no/atc': 'ATC',
};

/** Coding scheme UIDs (PS3.16 Table 8-1) for `urn:oid:` systems when no Table 8-1 was read. */
const OID_DESIGNATORS: Record<string, string> = {
  '1.2.840.10008.2.16.4': 'DCM',
  '2.16.840.1.113883.6.96': 'SCT',
  '2.16.840.1.113883.6.1': 'LN',
  '2.16.840.1.113883.6.8': 'UCUM',
};

// Minimal shape of the parts of a FHIR R4 ValueSet this reader uses.
interface FhirConcept {
  code?: unknown;
  display?: unknown;
}
interface FhirInclude {
  system?: unknown;
  version?: unknown;
  concept?: unknown;
  valueSet?: unknown;
  filter?: unknown;
}
interface FhirValueSet {
  resourceType?: unknown;
  id?: unknown;
  url?: unknown;
  identifier?: unknown;
  version?: unknown;
  name?: unknown;
  title?: unknown;
  status?: unknown;
  immutable?: unknown;
  extension?: unknown;
  compose?: { include?: unknown; exclude?: unknown };
  expansion?: { contains?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? cleanText(v) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The CID a canonical URL, resource id or file name names (`sect_CID_7151.html`, `dicom-cid-7151-…`, `CID_7151.json`). */
export function cidFromReference(ref: string): number | undefined {
  const m = /sect_CID_(\d+)|(?:^|\/)CID_(\d+)(?:\.json)?$|dicom-cid-(\d+)(?:-|$)/i.exec(ref);
  const n = m?.[1] ?? m?.[2] ?? m?.[3];
  return n === undefined ? undefined : Number(n);
}

/** Designator for a FHIR system: Table 8-1 URIs in the IR first, then the built-in table, then `urn:oid:` by scheme UID. */
export function designatorForSystem(system: string, ir: Ir): string | undefined {
  const schemes = ir.contextGroups?.codingSchemes ?? [];
  const byUri = schemes.find((s) => s.fhirUri === system);
  if (byUri) return byUri.designator;
  const builtIn = FHIR_SYSTEM_DESIGNATORS[system] ?? FHIR_SYSTEM_DESIGNATORS[system.replace(/\/$/, '')];
  if (builtIn) return builtIn;
  const oid = /^urn:oid:([0-9.]+)$/.exec(system)?.[1];
  if (oid) return schemes.find((s) => s.uid === oid)?.designator ?? OID_DESIGNATORS[oid];
  return undefined;
}

export function fhirValueSetSource(path: string, data: Buffer, version?: string): SourceRecord {
  const file = basename(path);
  const cid = cidFromReference(file);
  return {
    id: `fhir-valueset-cid-${cid ?? file.replace(/\W+/g, '-')}`,
    part: `DICOM FHIR ValueSet${cid === undefined ? '' : ` CID ${cid}`}`,
    edition: version ?? 'unknown',
    format: 'fhir-valueset',
    file,
    sha256: sha256(data),
    bytes: data.length,
  };
}

/**
 * One ValueSet file → one group in `ir.contextGroups.groups` (direct codes and `includes`; call
 * `resolveContextGroupIncludes` once every file is read, as `scrapeFhirValueSets` does).
 */
export function scrapeFhirValueSet(json: unknown, ctx: ScrapeContext): ContextGroup | undefined {
  const file = ctx.source.file;
  const vs = json as FhirValueSet;
  if (typeof json !== 'object' || json === null || vs.resourceType !== 'ValueSet') {
    throw inputError(file, `not a FHIR ValueSet (resourceType ${JSON.stringify(vs?.resourceType ?? null)})`, 'Pass NEMA CID_<n>.json files from resources/valuesets/fhir/json');
  }
  const cid = cidFromReference(str(vs.url) ?? '') ?? cidFromReference(str(vs.id) ?? '') ?? cidFromReference(file);
  if (cid === undefined) throw inputError(file, 'no CID in the url, id or file name', 'Expected url …/sect_CID_<n>.html or id dicom-cid-<n>-<Keyword>');
  const table = `CID ${cid}`;
  const note = (severity: 'error' | 'warning' | 'info', code: string, message: string, row?: number, raw?: string) =>
    diagnose(ctx, { severity, code, message: `${file} ${table}: ${message}`, table, ...(row !== undefined ? { row } : {}), ...(raw !== undefined ? { raw } : {}) });
  const name = str(vs.title) ?? str(vs.name) ?? '';
  const keyword = str(vs.name) ?? '';
  const group: ContextGroup = {
    cid,
    keyword: /^[A-Za-z][A-Za-z0-9_]*$/.test(keyword) ? keyword : '',
    name,
    extensible: null,
    retired: str(vs.status) === 'retired',
    includes: [],
    codes: [],
    prov: { source: ctx.source.id, table: 'ValueSet' },
  };
  if (group.keyword === '') note('warning', 'invalid-keyword', `name "${keyword}" is not a keyword`);
  const id = str(vs.id);
  if (id && /^dicom-cid-\d+-/.test(id)) group.fhirKeyword = id;
  const version = str(vs.version);
  if (version) group.version = version;
  for (const ident of arr(vs.identifier)) {
    const v = str((ident as { value?: unknown }).value);
    const oid = v && /^urn:oid:([0-2](\.(0|[1-9][0-9]*))+)$/.exec(v)?.[1];
    if (oid) group.uid = oid;
  }
  // NEMA's ValueSets do not say Extensible / Non-extensible; honour an explicit extension if present.
  for (const ext of arr(vs.extension)) {
    const e = ext as { url?: unknown; valueBoolean?: unknown; valueString?: unknown; valueCode?: unknown };
    if (typeof e.url !== 'string' || !/extensib|cid-type/i.test(e.url)) continue;
    const text = str(e.valueString) ?? str(e.valueCode);
    if (typeof e.valueBoolean === 'boolean') group.extensible = e.valueBoolean;
    else if (text && /^non[-\s]?extensible$/i.test(text)) group.extensible = false;
    else if (text && /^extensible$/i.test(text)) group.extensible = true;
  }
  if (arr(vs.compose?.exclude).length > 0) note('warning', 'fhir-exclude-ignored', 'compose.exclude is not supported; excluded codes are kept');
  const seen = new Set<string>();
  let row = 0;
  const addCode = (system: string, designator: string, code: unknown, display: unknown, systemVersion: string | undefined) => {
    row++;
    const value = str(code) ?? '';
    const meaning = str(display) ?? '';
    if (value === '' || meaning === '') {
      note('warning', 'malformed-code-row', `concept without ${value === '' ? 'code' : 'display'} in system ${system}`, row, JSON.stringify({ code, display }));
      return;
    }
    const c: ContextGroupCode = { codingSchemeDesignator: designator, ...codeValueForm(value), codeMeaning: meaning, identifier: '', prov: { source: ctx.source.id, table, row } };
    if (systemVersion) c.codingSchemeVersion = systemVersion;
    const k = codeKey(c);
    if (seen.has(k)) {
      note('warning', 'duplicate-code', `${designator} ${codeValueOf(c)} listed twice; the first is kept`, row);
      return;
    }
    seen.add(k);
    group.codes.push(c);
  };
  const includes = arr(vs.compose?.include) as FhirInclude[];
  for (const inc of includes) {
    for (const ref of arr(inc.valueSet)) {
      const n = typeof ref === 'string' ? cidFromReference(ref) : undefined;
      if (n === undefined) note('warning', 'include-without-cid', `included value set ${JSON.stringify(ref)} names no CID`);
      else if (!group.includes.includes(n)) group.includes.push(n);
    }
    const system = str(inc.system);
    if (system === undefined) continue;
    const designator = designatorForSystem(system, ctx.ir);
    const concepts = arr(inc.concept) as FhirConcept[];
    if (concepts.length === 0) {
      note('warning', 'fhir-include-without-concepts', `include of system ${system} lists no concepts (filters and whole code systems are not supported)`);
      continue;
    }
    if (designator === undefined) {
      note('error', 'unknown-fhir-system', `no coding scheme designator for system ${system}; ${concepts.length} code(s) dropped`);
      row += concepts.length;
      continue;
    }
    for (const c of concepts) addCode(system, designator, c.code, c.display, str(inc.version));
  }
  // A ValueSet with only an expansion: its codes, flat (direct vs included cannot be told apart).
  if (includes.length === 0) {
    const contains = arr(vs.expansion?.contains) as (FhirConcept & { system?: unknown; version?: unknown })[];
    if (contains.length > 0) note('info', 'fhir-expansion-only', 'no compose; codes read from the expansion, all as direct codes');
    for (const c of contains) {
      const system = str(c.system) ?? '';
      const designator = designatorForSystem(system, ctx.ir);
      if (designator === undefined) {
        row++;
        note('error', 'unknown-fhir-system', `no coding scheme designator for system ${system}; code dropped`, row);
        continue;
      }
      addCode(system, designator, c.code, c.display, str(c.version));
    }
  }
  const section = ensureContextGroupSection(ctx.ir);
  if (section.groups.some((g) => g.cid === cid)) {
    note('error', 'duplicate-cid', `CID ${cid} read twice; the first is kept`);
    return undefined;
  }
  section.groups.push(group);
  return group;
}

/** The codes an `expansion` lists, to check the resolved group against (designator + value keys). */
function expansionKeys(json: unknown, ir: Ir): string[] | undefined {
  const contains = arr((json as FhirValueSet).expansion?.contains) as { system?: unknown; code?: unknown }[];
  if (contains.length === 0) return undefined;
  return contains.map((c) => `${designatorForSystem(str(c.system) ?? '', ir) ?? str(c.system)}\u0000${str(c.code) ?? ''}`);
}

/**
 * Every `CID_<n>.json` of a directory (or the given files): each file is a source, includes are
 * resolved across the files, identifiers assigned, and groups whose `expansion` disagrees with
 * the resolved compose are reported.
 */
export function scrapeFhirValueSets(pathOrFiles: string | string[], target: { ir: Ir; report: Report; layer?: string }): void {
  const files = typeof pathOrFiles === 'string' ? readdirSync(pathOrFiles).filter((n) => /^CID_\d+\.json$/i.test(n)).sort((a, b) => cidFromReference(a)! - cidFromReference(b)!).map((n) => join(pathOrFiles, n)) : pathOrFiles;
  const expansions: { cid: number; keys: string[]; source: string }[] = [];
  for (const path of files) {
    const data = readFileSync(path);
    const json = parseJsonInput(data.toString('utf8'), basename(path), 'Download the file again from NEMA');
    const version = str((json as FhirValueSet | null)?.version);
    const source = fhirValueSetSource(path, data, version);
    if (target.layer) source.layer = target.layer;
    if (!target.ir.sources.some((s) => s.id === source.id)) target.ir.sources.push(source);
    const g = scrapeFhirValueSet(json, { ir: target.ir, report: target.report, source });
    const keys = g ? expansionKeys(json, target.ir) : undefined;
    if (g && keys) expansions.push({ cid: g.cid, keys, source: source.id });
  }
  const section = ensureContextGroupSection(target.ir);
  const report = (d: Report['diagnostics'][number]) => target.report.diagnostics.push(d);
  resolveContextGroupIncludes(section, report);
  assignContextGroupIdentifiers(section, report);
  for (const e of expansions) {
    const g = section.groups.find((x) => x.cid === e.cid)!;
    const resolved = new Set(g.codes.map(codeKey));
    const listed = new Set(e.keys);
    const missing = [...listed].filter((k) => !resolved.has(k));
    const extra = [...resolved].filter((k) => !listed.has(k));
    if (missing.length + extra.length > 0) {
      report({
        severity: 'warning',
        code: 'fhir-expansion-mismatch',
        message: `CID ${e.cid}: the expansion lists ${missing.length} code(s) the resolved compose lacks and lacks ${extra.length} it has (e.g. ${[...missing, ...extra].slice(0, 3).map((k) => k.replace('\u0000', ' ')).join(', ')})`,
        source: e.source,
        table: `CID ${e.cid}`,
      });
    }
  }
  target.report.counts['context groups'] = section.groups.length;
}
