import { describe, expect, it } from 'vitest';
import { buildIr } from '../generator/pipeline.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

describeShared('transfer syntax UIDs agree with PS3.5 (generator/reconcile.ts)', () => {
  it('a derived 2013 A-1 keyword yields to the PS3.5 keyword, reported with provenance', async () => {
    const { ir, report } = await buildIr({ sources: [sharedPath('standard', 'nema', '2013')] });
    const jpeg = ir.uids.find((u) => u.uid === '1.2.840.10008.1.2.4.50')!;
    expect(jpeg.keyword).toBe('JPEGBaseline8Bit');
    expect(jpeg.keywordDerived).toBeUndefined();
    expect(jpeg.fieldProv?.keyword?.source).toBe('nema-2013-part05');
    expect(report.diagnostics.some((d) => d.code === 'uid-keyword-from-ps35' && d.message.includes('1.2.840.10008.1.2.4.50'))).toBe(true);
    // Every transfer syntax has exactly one UID entry with the same keyword.
    for (const ts of ir.transferSyntaxes) {
      const u = ir.uids.filter((x) => x.uid === ts.uid);
      expect(u.map((x) => x.keyword), ts.uid).toEqual([ts.keyword]);
    }
  });

  it('a transfer syntax only a newer PS3.5 defines joins the UID registry', async () => {
    const { ir, report } = await buildIr({ sources: [sharedPath('standard', 'nema', '2026c'), sharedPath('standard', 'nema', '2013')] });
    const htj2k = ir.uids.find((u) => u.uid === '1.2.840.10008.1.2.4.201');
    expect(htj2k?.type).toBe('Transfer Syntax');
    expect(htj2k?.prov.source).toBe('nema-2026c-part05');
    expect(report.diagnostics.some((d) => d.code === 'uid-added-from-ps35' && d.message.includes('1.2.840.10008.1.2.4.201'))).toBe(true);
  });
});
