/**
 * Family `transfer-syntaxes` → `transfer-syntax-info.ts`: the properties of every transfer syntax
 * PS3.5 defines (`ir.transferSyntaxes`) and `transferSyntaxInfo(uid)`. The UID constants
 * themselves (`TransferSyntax.ExplicitVRLittleEndian`) come from the `uids` family (PS3.6 A-1).
 */
import type { TransferSyntax } from '../ir.ts';
import { fileHeader, render, sourcesOf, tsString, type EmitContext, type EmitResult, type Emitter } from './context.ts';

const UID = /^[0-9]+(\.[0-9]+)*$/;

function literal(t: TransferSyntax): string {
  const parts = [
    `uid: ${tsString(t.uid)}`,
    `keyword: ${tsString(t.keyword)}`,
    `name: ${tsString(t.name)}`,
    `explicitVr: ${t.explicitVr}`,
    `byteOrder: ${tsString(t.byteOrder)}`,
    `encapsulated: ${t.encapsulated}`,
    `deflated: ${t.deflated}`,
    `compression: ${tsString(t.compression)}`,
    `lossy: ${t.compression === 'lossy' ? 'true' : t.compression === 'either' ? 'undefined' : 'false'}`,
    `retired: ${t.retired}`,
    `video: ${t.video === true}`,
    `referencedPixelData: ${t.referencedPixelData === true}`,
  ];
  if (t.videoFragments) parts.push(`videoFragments: ${tsString(t.videoFragments)}`);
  if (t.frameFragments) parts.push(`frameFragments: ${tsString(t.frameFragments)}`);
  if (t.section) parts.push(`section: ${tsString(t.section)}`);
  return `{ ${parts.join(', ')} }`;
}

export function emitTransferSyntaxes(ctx: EmitContext): EmitResult {
  const list = [...ctx.ir.transferSyntaxes].sort((a, b) => {
    const x = a.uid.split('.').map(Number);
    const y = b.uid.split('.').map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  });
  for (const t of list) if (!UID.test(t.uid)) throw new Error(`transfer-syntax emitter: refusing UID ${JSON.stringify(t.uid)}`);
  const editions = [...new Set(list.map((t) => ctx.ir.sources.find((s) => s.id === t.prov.source)).filter((s) => s !== undefined).map((s) => `${s.part} ${s.edition}`))];
  const content = render('transfer-syntax-info', {
    header: fileHeader(ctx, sourcesOf(list), 'transfer syntax properties (PS3.5 Section 10 and Annex A)'),
    editions: editions.join(', ') || 'none',
    uidUnion: list.length === 0 ? 'never' : list.map((t) => tsString(t.uid)).join(' | '),
    entries: list.map((t) => ({ literal: literal(t), name: t.name })),
  });
  return { files: [{ path: 'transfer-syntax-info.ts', content }], entry: [{ from: './transfer-syntax-info.js' }] };
}

export const transferSyntaxesEmitter: Emitter = { family: 'transfer-syntaxes', emit: emitTransferSyntaxes };
