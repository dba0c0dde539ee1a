import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadReferenceIr } from '../generator/commands/reference-ir.ts';
import { DictgenError } from '../sources/common/errors.ts';
import { repoRoot } from './helpers/shared.ts';

const fixture = (...p: string[]) => join(repoRoot, 'test', 'fixtures', ...p);

describe('loadReferenceIr (the IR lint, the site and the validator check against)', () => {
  it('uses the embedded snapshot by default', async () => {
    const ir = await loadReferenceIr();
    expect(ir.dataElements.find((e) => e.tag === '00280010')).toMatchObject({ keyword: 'Rows', vr: ['US'] });
    expect(ir.uids.find((u) => u.uid === '1.2.840.10008.1.2')).toMatchObject({ type: 'Transfer Syntax' });
  });
  it('builds the IR from --source paths', async () => {
    const ir = await loadReferenceIr({ source: [fixture('nema', 'part06-mini.xml')] });
    expect(ir.dataElements.find((e) => e.tag === '00100010')).toMatchObject({ keyword: 'PatientName' });
    expect(ir.dataElements.find((e) => e.tag === '00280010')).toBeUndefined();
  });
  it('refuses a reference with source errors in one line naming the source and the first error', async () => {
    const src = fixture('lint', 'part06-duplicate-tag.xml');
    const err = await loadReferenceIr({ source: [src] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DictgenError);
    expect((err as DictgenError).kind).toBe('input');
    const msg = (err as DictgenError).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain(`--source ${src}`);
    expect(msg).toMatch(/1 source error\(s\) \(first: part06-duplicate-tag\.xml Table 6-1 row 2: tag 00100010/);
  });
  it('--source and --config together are a usage error', async () => {
    const err = await loadReferenceIr({ source: ['a'], config: 'b' }).catch((e: unknown) => e);
    expect((err as DictgenError).kind).toBe('usage');
  });
});
