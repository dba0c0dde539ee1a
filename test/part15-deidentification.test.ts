import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { emptyIr, emptyReport, type Ir, type Report } from '../generator/ir.ts';
import { DEID_OPTION_IDS, parseDeidTag, scrapeDeidentificationTable } from '../sources/nema/part15-deidentification.ts';
import { partScrapers } from '../sources/nema/index.ts';
import type { ScrapeContext } from '../sources/types.ts';
import { describeShared, repoRoot, sharedPath } from './helpers/shared.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'nema', name);

function scrape(path: string): { ir: Ir; report: Report } {
  const doc = loadNemaDocument(path);
  const ir = emptyIr();
  const report = emptyReport();
  const source = { id: `nema-${doc.edition}-part15`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes };
  ir.sources.push(source);
  const ctx: ScrapeContext = { ir, report, source };
  scrapeDeidentificationTable(doc, ctx);
  return { ir, report };
}

const row = (ir: Ir, tag: string) => ir.deidentification.find((r) => r.tag === tag);

describe('parseDeidTag', () => {
  it('keeps masks, tolerates a stray space, names the private row', () => {
    expect(parseDeidTag('(0010,0010)')).toBe('00100010');
    expect(parseDeidTag('(0040, 4028)')).toBe('00404028');
    expect(parseDeidTag('(50xx,xxxx)')).toBe('50xxxxxx');
    expect(parseDeidTag('(60XX,3000)')).toBe('60xx3000');
    expect(parseDeidTag('(gggg,eeee) where gggg is odd')).toBe('ggggeeee');
    expect(parseDeidTag('Private attributes')).toBeUndefined();
  });
});

describe('PS3.15 Table E.1-1 on fixtures', () => {
  it('DocBook with the long 2013-style headers (no institution column)', () => {
    const { ir, report } = scrape(fixture('part15-mini.xml'));
    expect(ir.deidentificationOptions.map((o) => o.id)).toEqual(DEID_OPTION_IDS.filter((id) => id !== 'retainInstitutionIdentity'));
    expect(ir.deidentificationOptions[1]).toEqual({ id: 'retainSafePrivate', header: 'Retain Safe Private Option' });
    expect(ir.deidentification).toHaveLength(10);
    expect(row(ir, '00080018')).toMatchObject({ name: 'SOP Instance UID', actions: { basicProfile: 'U', retainUids: 'K' } }); // ZWSP in the tag cell
    expect(row(ir, '50xxxxxx')).toMatchObject({ retired: true, inStdCompIod: false, actions: { basicProfile: 'X', cleanGraphics: 'C' } });
    expect(row(ir, '00404028')?.actions).toEqual({ basicProfile: 'X', retainDeviceIdentity: 'K' });
    expect(row(ir, 'ggggeeee')?.actions).toEqual({ basicProfile: 'X', retainSafePrivate: 'C' });
    expect(row(ir, '00081140')?.actions.basicProfile).toBe('X/Z/U*');
    expect(report.accounts[0]).toMatchObject({ table: 'Table E.1-1', bodyRows: 10, parsed: 10, rejected: 0 });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['invisible-characters-removed']);
  });

  it('NEMA HTML with the abbreviated headers and the institution column', () => {
    const { ir } = scrape(fixture('part15-mini.html'));
    expect(ir.deidentificationOptions.map((o) => o.id)).toEqual([...DEID_OPTION_IDS]);
    expect(ir.deidentificationOptions.find((o) => o.id === 'retainInstitutionIdentity')?.header).toBe('Rtn. Inst. Id. Opt.');
    expect(ir.deidentification).toHaveLength(11);
    expect(row(ir, '00080080')?.actions).toEqual({ basicProfile: 'X/Z/D', retainInstitutionIdentity: 'K' });
  });

  it('expands row and column spans; a full-width heading row is skipped with a reason', () => {
    const { ir, report } = scrape(fixture('part15-spans.xml'));
    expect(ir.deidentification.map((r) => r.tag)).toEqual(['00100010', '00100020', '00080020']);
    expect(row(ir, '00100020')?.actions).toEqual({ basicProfile: 'Z' }); // carried down by rowspan
    expect(row(ir, '00080020')?.actions).toEqual({ basicProfile: 'Z', retainLongitudinalFullDates: 'K', retainLongitudinalModifiedDates: 'K' }); // colspan
    expect(report.accounts[0]).toMatchObject({ bodyRows: 4, parsed: 3, skipped: 1, rejected: 0 });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['heading-row']);
  });

  it('fails loudly on an unknown option header, naming file and table', () => {
    expect(() => scrape(fixture('part15-unknown-header.xml'))).toThrow(/part15-unknown-header\.xml Table E\.1-1: unknown column header "Retain Secret Fixture Option"/);
  });

  it('is registered for part 15', () => {
    expect(partScrapers.some((s) => s.part === 15 && s.scrape === scrapeDeidentificationTable)).toBe(true);
  });
});

describeShared('PS3.15 Table E.1-1 on the real editions', () => {
  const cases: { path: string[]; rows: number; options: number; format: string }[] = [
    { path: ['standard', 'nema', '2013', 'part15.xml'], rows: 249, options: 10, format: 'docbook' },
    { path: ['standard', 'html', 'part15-2017d.html'], rows: 277, options: 11, format: 'html' },
    { path: ['standard', 'html', 'part15-2020b.html'], rows: 432, options: 11, format: 'html' },
    { path: ['standard', 'nema', '2026c', 'part15.xml'], rows: 656, options: 11, format: 'docbook' },
  ];
  for (const c of cases) {
    it(`${c.path.at(-1)} (${c.format}): ${c.rows} rows, every row accounted, ${c.options} option columns`, () => {
      const { ir, report } = scrape(sharedPath(...c.path));
      expect(ir.deidentification).toHaveLength(c.rows);
      expect(ir.deidentificationOptions).toHaveLength(c.options);
      expect(report.accounts[0]).toMatchObject({ table: 'Table E.1-1', bodyRows: c.rows, parsed: c.rows, rejected: 0, skipped: 0 });
      expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(row(ir, '00100010')).toMatchObject({ name: "Patient's Name", actions: { basicProfile: 'Z' } });
      expect(row(ir, '00080018')?.actions).toMatchObject({ basicProfile: 'U', retainUids: 'K' });
      expect(row(ir, '00080020')?.actions).toEqual({ basicProfile: 'Z', retainLongitudinalFullDates: 'K', retainLongitudinalModifiedDates: 'C' });
      expect(row(ir, '00100040')?.actions).toEqual({ basicProfile: 'Z', retainPatientCharacteristics: 'K' });
      expect(row(ir, '00081030')?.actions).toEqual({ basicProfile: 'X', cleanDescriptors: 'C' });
      expect(row(ir, 'ggggeeee')?.actions).toEqual({ basicProfile: 'X', retainSafePrivate: 'C' });
      expect(row(ir, '50xxxxxx')).toMatchObject({ retired: true });
      expect(row(ir, '60xx3000')?.actions).toMatchObject({ basicProfile: 'X', cleanGraphics: 'C' });
    });
  }

  it('2013 vs 2026c: the institution column and new rows', () => {
    const old = scrape(sharedPath('standard', 'nema', '2013', 'part15.xml')).ir;
    const cur = scrape(sharedPath('standard', 'nema', '2026c', 'part15.xml')).ir;
    expect(old.deidentificationOptions.some((o) => o.id === 'retainInstitutionIdentity')).toBe(false);
    expect(row(cur, '00080080')?.actions).toMatchObject({ basicProfile: 'X/Z/D', retainInstitutionIdentity: 'K' });
    // The stray space in `(0040, 4028)` (2013) is read, not rejected.
    expect(row(old, '00404028')).toBeDefined();
    expect(row(cur, '00400555')?.actions.basicProfile).toBe('X/Z');
    expect(row(old, '00400555')?.actions.basicProfile).toBe('X');
  });
});

describeShared('PS3.15 Table E.1-1 cross-checked with the innolitics mirror', () => {
  it('every row of innolitics 2024b confidentiality_profile_attributes.json is in 2026c with the same actions, one column changed since', async () => {
    const { readFileSync } = await import('node:fs');
    const mirror = JSON.parse(readFileSync(sharedPath('standard', 'innolitics', '2024b', 'confidentiality_profile_attributes.json'), 'utf8')) as Record<string, string>[];
    const columns: Record<string, string> = {
      basicProfile: 'basicProfile',
      rtnSafePrivOpt: 'retainSafePrivate',
      rtnUIDsOpt: 'retainUids',
      rtnDevIdOpt: 'retainDeviceIdentity',
      rtnInstIdOpt: 'retainInstitutionIdentity',
      rtnPatCharsOpt: 'retainPatientCharacteristics',
      rtnLongFullDatesOpt: 'retainLongitudinalFullDates',
      rtnLongModifDatesOpt: 'retainLongitudinalModifiedDates',
      cleanDescOpt: 'cleanDescriptors',
      cleanStructContOpt: 'cleanStructuredContent',
      cleanGraphOpt: 'cleanGraphics',
    };
    const { ir } = scrape(sharedPath('standard', 'nema', '2026c', 'part15.xml'));
    const differences: string[] = [];
    for (const m of mirror) {
      const tag = /^\(gggg,eeee\)/i.test(m.tag!) ? 'ggggeeee' : parseDeidTag(m.tag!);
      const mine = ir.deidentification.find((r) => r.tag === tag);
      if (!mine) {
        differences.push(`${m.tag} missing`);
        continue;
      }
      for (const [k, id] of Object.entries(columns)) {
        if ((m[k] ?? '') !== (mine.actions[id] ?? '')) differences.push(`${m.tag} ${id}: mirror ${m[k] ?? '-'} vs ${mine.actions[id] ?? '-'}`);
      }
    }
    expect(mirror).toHaveLength(621);
    // The one change between 2024b and 2026c among the mirror's rows: Requesting Service gained a Clean Descriptors action.
    expect(differences).toEqual(['(0032,1033) cleanDescriptors: mirror - vs C']);
  });
});
