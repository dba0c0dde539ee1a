/**
 * Entry point for private dictionary sources: `scrapePrivateDictionary(path, ctx)` detects the
 * format (DCMTK `.dic`, fo-dicom or GDCM XML, the native JSON, or conformance statement text) and
 * runs the matching adapter. The pipeline merges the sections of several sources with
 * `mergePrivateDictionaries` (merge-private.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { emptyIr, emptyReport, type Ir, type Report, type SourceFormat, type SourceRecord } from '../../generator/ir.ts';
import { inputError } from '../common/errors.ts';
import { sha256 } from '../common/hash.ts';
import type { ScrapeContext } from '../types.ts';
import { scrapeConformanceStatement } from './conformance-statement.ts';
import { scrapeDcmtkDictionary } from './dcmtk-dictionary.ts';
import { scrapeFoDicomPrivateXml } from './fo-dicom-private-xml.ts';
import { scrapeGdcmPrivateXml } from './gdcm-private-xml.ts';
import { scrapePrivateJson } from './private-json.ts';

export type PrivateFormat = Extract<SourceFormat, 'dcmtk' | 'fo-dicom' | 'gdcm' | 'private-json' | 'conformance-statement'>;

/** Decide the format from the content (the extension only breaks ties). */
export function detectPrivateFormat(path: string, text: string): PrivateFormat {
  const head = text.slice(0, 20000);
  const lower = path.toLowerCase();
  if (/^\s*[{[]/.test(head) || lower.endsWith('.json')) return 'private-json';
  if (lower.endsWith('.xml') || (/^\s*</.test(head) && /<(dictionaries|dictionary|dicts?)\b/.test(head))) {
    // fo-dicom: <dictionaries><dictionary creator>; GDCM: <dict>/<dicts> with <entry>.
    if (/<dictionaries\b|<dictionary\s+creator=/.test(head) && !/<dicts?\b/.test(head)) return 'fo-dicom';
    return 'gdcm';
  }
  const dataLines = head.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const dicLike = dataLines.slice(0, 50).filter((l) => /^\([0-9A-Fa-f]{4}(-[oe]?-?[0-9A-Fa-f]{4})?,("[^"]*",)?[0-9A-Fa-f]{2,4}(-[0-9A-Fa-f]{2,4})?\)\t/.test(l));
  if (lower.endsWith('.dic') || (dataLines.length > 0 && dicLike.length >= Math.min(5, dataLines.length) * 0.8)) return 'dcmtk';
  return 'conformance-statement';
}

const PART: Record<PrivateFormat, string> = {
  dcmtk: 'DCMTK dictionary',
  'fo-dicom': 'fo-dicom private dictionary',
  gdcm: 'GDCM dictionary',
  'private-json': 'private dictionary (native JSON)',
  'conformance-statement': 'conformance statement',
};

/** A short, stable source id from the file name: `private-dcmtk-private-dic`. */
export function privateSourceId(path: string): string {
  return `private-${basename(path).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** Build the SourceRecord for a private dictionary file (format detected from its content). */
export function privateSourceRecord(path: string, text?: string, layer?: string): SourceRecord {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw inputError(path, `cannot read private dictionary source (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'Check the path');
  }
  const t = text ?? data.toString('utf8');
  const format = detectPrivateFormat(path, t);
  return {
    id: privateSourceId(path),
    part: PART[format],
    // None of these formats states an edition inside the file.
    edition: 'unversioned',
    format,
    file: basename(path),
    sha256: sha256(data),
    bytes: statSync(path).size,
    ...(layer !== undefined ? { layer } : {}),
  };
}

/** What the pipeline hands over: a full ScrapeContext, or just the IR and report of a layer. */
export type PrivateScrapeTarget = ScrapeContext | { ir: Ir; report: Report; layer?: string; source?: undefined };

/**
 * Scrape one private dictionary file (entries in `ir.privateDictionaries`, accounts, diagnostics and
 * counts in `report`). The format is detected from the content. Without a `source` in the target,
 * the SourceRecord is built here and registered in `ir.sources`; with one, its format is corrected
 * when the content says otherwise (and the change reported).
 */
export function scrapePrivateDictionary(path: string, target: PrivateScrapeTarget): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw inputError(path, `cannot read private dictionary source (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'Check the path');
  }
  const format = detectPrivateFormat(path, text);
  let ctx: ScrapeContext;
  if (target.source) {
    ctx = target;
    if (ctx.source.format !== format) {
      ctx.report.diagnostics.push({ severity: 'info', code: 'private-format-detected', message: `${ctx.source.file}: read as ${PART[format]} (${format})`, source: ctx.source.id, file: ctx.source.file });
      ctx.source.format = format;
    }
  } else {
    const source = privateSourceRecord(path, text, 'layer' in target ? target.layer : undefined);
    // Two files with the same name (one per layer) keep distinct ids.
    const base = source.id;
    for (let n = 2; target.ir.sources.some((s) => s.id === source.id && s.sha256 !== source.sha256); n++) source.id = `${base}-${n}`;
    if (!target.ir.sources.some((s) => s.id === source.id)) {
      target.ir.sources.push(source);
      target.ir.sources.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    ctx = { ir: target.ir, report: target.report, source };
  }
  scrapePrivateText(text, format, ctx);
}

export function scrapePrivateText(text: string, format: PrivateFormat, ctx: ScrapeContext): void {
  switch (format) {
    case 'dcmtk':
      return scrapeDcmtkDictionary(text, ctx);
    case 'fo-dicom':
      return scrapeFoDicomPrivateXml(text, ctx);
    case 'gdcm':
      return scrapeGdcmPrivateXml(text, ctx);
    case 'private-json':
      return scrapePrivateJson(text, ctx);
    case 'conformance-statement':
      return scrapeConformanceStatement(text, ctx);
  }
}

/** Convenience for tools and tests: scrape one file into a fresh IR and report. */
export function scrapePrivateFile(path: string, layer?: string): { ir: Ir; report: Report; source: SourceRecord } {
  const source = privateSourceRecord(path, undefined, layer);
  const ir = emptyIr();
  ir.sources.push(source);
  const report = emptyReport();
  scrapePrivateText(readFileSync(path, 'utf8'), source.format as PrivateFormat, { ir, report, source });
  return { ir, report, source };
}

export { mergePrivateDictionaries } from './merge-private.ts';
