/**
 * generator/merge.ts on a real pair of layers (innolitics 2024b over NEMA PS3.6 2013): the merged
 * IR, its provenance and the conflicts stay exactly what they were before the merge was made
 * faster, and handing the layers over (`handOver`, what the pipeline does) changes nothing but
 * the copying.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeShared, sharedPath } from './helpers/shared.ts';
import { mergeLayers } from '../generator/merge.ts';
import { emptyIr, emptyReport, type Ir } from '../generator/ir.ts';
import { scrapeInnoliticsFolder } from '../sources/innolitics/index.ts';
import { loadNemaDocument } from '../sources/nema/document.ts';
import { partScrapers } from '../sources/nema/index.ts';

/** PS3.6 as the pipeline's scrape stage leaves it (before any merge). */
function nemaPart06Layer(): Ir {
  const ir = emptyIr();
  const doc = loadNemaDocument(sharedPath('standard', 'nema', '2013', 'part06.xml'));
  const source = { id: `nema-${doc.edition}-part06`, part: doc.part, edition: doc.edition, format: doc.format, file: doc.file, sha256: doc.sha256, bytes: doc.bytes, layer: 'nema-2013' };
  ir.sources.push(source);
  for (const s of partScrapers.filter((p) => p.part === doc.partNumber)) s.scrape(doc, { ir, report: emptyReport(), source });
  return ir;
}

function innoliticsLayer(): Ir {
  const ir = emptyIr();
  scrapeInnoliticsFolder(sharedPath('standard', 'innolitics', '2024b'), { ir, report: emptyReport(), layer: 'innolitics-2024b' });
  return ir;
}

function mergeOnce(handOver: boolean): string {
  const report = emptyReport();
  const layers = [
    { name: 'innolitics-2024b', ir: innoliticsLayer() },
    { name: 'nema-2013', ir: nemaPart06Layer() },
  ];
  const before = handOver ? '' : JSON.stringify(layers);
  const ir = mergeLayers(layers, report, { handOver });
  if (!handOver) expect(JSON.stringify(layers)).toBe(before);
  return JSON.stringify({ ir, conflicts: report.conflicts, diagnostics: report.diagnostics });
}

describeShared('mergeLayers on innolitics 2024b over NEMA PS3.6 2013', () => {
  it('gives the same merged IR, provenance and conflicts as before, copying or handing over', () => {
    const copied = mergeOnce(false);
    const parsed = JSON.parse(copied) as { ir: Ir; conflicts: unknown[] };
    expect(parsed.ir.dataElements.length).toBeGreaterThan(5000);
    expect(parsed.conflicts.length).toBeGreaterThan(0);
    expect(parsed.ir.dataElements.some((e) => e.fieldProv !== undefined)).toBe(true);
    expect(mergeOnce(true)).toBe(copied);
    // sha256 of the result of the merge as it was before issue 13's speed work (commit f0d74e8).
    // A scraper change to either layer changes it too: then check the diff by hand and update it.
    expect(createHash('sha256').update(copied).digest('hex')).toBe(PINNED);
  });
});

const PINNED = 'e0a385430e63d89756565051228f51ded979b8fd7c71620076e005da53aa1929';
