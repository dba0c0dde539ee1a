/** A PS3.6 Table 6-1 row for hand-written IR fixtures: one LO value of a fictitious 2099a edition unless `extra` says otherwise. */
import type { DataElement } from '../../generator/ir.ts';

export function dataElement(tag: string, keyword: string, name: string, extra: Partial<DataElement> = {}): DataElement {
  return {
    tag,
    keyword,
    name,
    vr: ['LO'],
    vm: '1',
    retired: false,
    table: 'data',
    prov: { source: 'nema-2099a-part06', table: 'Table 6-1', row: 1 },
    ...extra,
  };
}
