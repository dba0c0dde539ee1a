/**
 * Deterministic order for every IR family, so that the same inputs give byte-identical IR JSON and
 * generated code whatever order the files were read in.
 */
import type { Ir } from './ir.ts';

const byString = <T>(key: (x: T) => string) => (a: T, b: T) => {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** UIDs sort by numeric components (1.2.840.10008.1.2 before 1.2.840.10008.1.2.1 before …1.2.10). */
export function compareUids(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Tags sort as numbers with `x` nibbles treated as 0, then by mask (exact before masked). */
export function compareTags(a: string, b: string): number {
  const na = a.replace(/x/gi, '0');
  const nb = b.replace(/x/gi, '0');
  if (na !== nb) return na < nb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const tableOrder = ['command', 'command-retired', 'file-meta', 'directory', 'data', 'dynamic-rtp'];

export function normalizeIr(ir: Ir): Ir {
  ir.sources.sort(byString((s) => s.id));
  ir.dataElements.sort((a, b) => compareTags(a.tag, b.tag) || tableOrder.indexOf(a.table) - tableOrder.indexOf(b.table));
  ir.uids.sort((a, b) => compareUids(a.uid, b.uid) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  ir.valueRepresentations.sort(byString((v) => v.vr));
  ir.transferSyntaxes.sort((a, b) => compareUids(a.uid, b.uid));
  ir.deidentification.sort((a, b) => compareTags(a.tag, b.tag) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (ir.iods) {
    ir.iods.iods.sort(byString((i) => i.id));
    ir.iods.modules.sort(byString((m) => `${m.kind}:${m.id}`));
    ir.iods.sopClasses.sort((a, b) => compareUids(a.uid, b.uid));
  }
  if (ir.contextGroups) {
    ir.contextGroups.groups.sort((a, b) => a.cid - b.cid);
    ir.contextGroups.codingSchemes.sort(byString((c) => c.designator));
    ir.contextGroups.dcmCodes.sort(byString((c) => c.codeValue.padStart(12, '0') + c.codeValue));
  }
  if (ir.privateDictionaries) {
    ir.privateDictionaries.elements.sort(byString((e) => `${e.creator}\u0000${e.group}${e.offset}`));
  }
  return ir;
}

/** Stable JSON: object keys in insertion order (the IR builders fix it), two-space indent, final newline. */
export function irToJson(ir: Ir): string {
  return `${JSON.stringify(ir, null, 1)}\n`;
}
