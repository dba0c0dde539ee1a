/**
 * Hovers of the IOD types (issue 14, point 6), as an editor shows them: the TypeScript language
 * service's quick info (`getQuickInfoAtPosition`) on attributes of a real IOD of the generated
 * package (`CTImage` from generated/iods, the embedded default), through the intersection of
 * modules, `Partial…`, `…Without`, `…Overlaps` and module groups. Each hover names the attribute's
 * Type and what it means for presence here, the parsed condition of a Type 1C, and the meanings of
 * enumerated values. No ../shared needed: the committed package is read in place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { iodTypeOptions } from '../bench/types-conformance.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.ts';

const iods = join(repoRoot, 'generated', 'iods');
/** A consumer file the language service holds in memory, next to the IOD files (never written). */
const consumer = join(iods, '__hover-consumer.ts');
const source = `import type { CTImage } from './ct-image.js';
declare const ct: CTImage;
ct.StudyInstanceUID;
ct.ContrastBolusAgent;
ct.PlanarConfiguration;
ct.PatientSex;
`;

const options = iodTypeOptions;

function languageService(): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [consumer],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (f === consumer ? ts.ScriptSnapshot.fromString(source) : existsSync(f) ? ts.ScriptSnapshot.fromString(readFileSync(f, 'utf8')) : undefined),
    getCurrentDirectory: () => iods,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === consumer || ts.sys.fileExists(f),
    readFile: (f) => (f === consumer ? source : ts.sys.readFile(f)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

interface Hover {
  /** `(property) ContrastBolusAgent?: string | null | undefined` */
  signature: string;
  /** The doc comment as the hover renders it. */
  doc: string;
}

describe('IOD type hovers (language service quick info on CTImage attributes)', () => {
  let hover: (keyword: string) => Hover;
  beforeAll(() => {
    if (!existsSync(join(iods, 'ct-image.ts'))) throw new Error('generated/iods/ct-image.ts is missing: run `npm run generate` (or `npm run snapshot`) first');
    const ls = languageService();
    hover = (keyword) => {
      const at = source.indexOf(`ct.${keyword};`);
      if (at < 0) throw new Error(`no ct.${keyword} in the consumer source`);
      const info = ls.getQuickInfoAtPosition(consumer, at + 3);
      return { signature: ts.displayPartsToString(info?.displayParts), doc: ts.displayPartsToString(info?.documentation) };
    };
  });

  it('the program compiles (the hovers are of resolved types, not errors)', () => {
    const diags = languageService().getSemanticDiagnostics(consumer);
    expect(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it('a Type 1 attribute of a mandatory module: required, with a value; tag, VR and VM', () => {
    const h = hover('StudyInstanceUID');
    expect(h.signature).toMatch(/^\(property\) (?:\w+\.)?StudyInstanceUID: string$/);
    expect(h.doc).toContain('Study Instance UID (0020,000D)');
    expect(h.doc).toContain('Type 1');
    expect(h.doc).toContain('VR UI');
    expect(h.doc).toContain('required when its module (or macro) is present (with a value)');
  });

  it('a Type 2 attribute of a conditional module: optional in CTImage, and the hover says why', () => {
    const h = hover('ContrastBolusAgent');
    // Contrast/Bolus is a C module of CT Image (PS3.3 A.3-1): the IOD includes it as Partial.
    expect(h.signature).toMatch(/^\(property\) (?:\w+\.)?ContrastBolusAgent\?: string \| null \| undefined$/);
    expect(h.doc).toContain('Type 2');
    expect(h.doc).toContain('required when its module (or macro) is present (may be empty)');
    // The IOD's own hover says why: U and C modules are included as Partial.
    const at = source.indexOf('CTImage;');
    const iod = languageService().getQuickInfoAtPosition(consumer, at);
    expect(ts.displayPartsToString(iod?.documentation)).toContain('U and C modules as Partial: their Type 1 and 2 attributes are required only when the module is present');
  });

  it('a Type 1C attribute: conditional, optional in the type, with the parsed condition', () => {
    const h = hover('PlanarConfiguration');
    expect(h.signature).toMatch(/^\(property\) (?:\w+\.)?PlanarConfiguration\?: number \| undefined$/);
    expect(h.doc).toContain('Planar Configuration (0028,0006) · Type 1C');
    // Image Pixel Module (PS3.3 C.7.6.3): the condition on Samples per Pixel, as the IR parsed it.
    expect(h.doc).toContain('conditional (optional in the type): required if SamplesPerPixel > 1');
  });

  it('an attribute with Enumerated Values: the literal union and the meaning of each value', () => {
    const h = hover('PatientSex');
    expect(h.signature).toMatch(/^\(property\) (?:\w+\.)?PatientSex: "M" \| "F" \| "O" \| null$/);
    expect(h.doc).toContain('Type 2');
    expect(h.doc).toContain('Enumerated Values: M = male; F = female; O = other');
  });
});
