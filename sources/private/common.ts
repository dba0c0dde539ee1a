/**
 * Helpers shared by the private dictionary adapters: line/row accounting for formats that are not
 * NEMA tables, the PS3.5 §7.8.1 checks every private entry goes through, VR parsing and the
 * keyword ↔ name derivations.
 */
import type { TableAccount } from '../../generator/ir.ts';
import type { PrivateElement, PrivateSection } from '../../generator/ir-private.ts';
import { inputError } from '../common/errors.ts';
import { addAccount, diagnose, type ScrapeContext } from '../types.ts';

/** Every VR of PS3.5 Table 6.2-1 (current edition; retired ones included). */
export const KNOWN_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/**
 * Account for every unit (line of a text file, element of an XML file) of one source: each ends up
 * parsed, rejected (with a diagnostic) or skipped (with a reason). `finish()` checks nothing was lost.
 */
export class UnitAccount {
  private readonly state = new Map<number, 'parsed' | 'rejected' | 'skipped'>();
  readonly skipReasons = new Map<string, number>();
  constructor(
    private readonly file: string,
    private readonly table: string,
    private readonly units: number[],
    private readonly unitName: 'line' | 'row',
    private readonly headerRows = 0,
  ) {}
  parsed(unit: number): void {
    this.state.set(unit, 'parsed');
  }
  rejected(unit: number): void {
    this.state.set(unit, 'rejected');
  }
  /** A parsed/rejected unit is never downgraded to skipped (a line can hold a row and a note). */
  skipped(unit: number, reason: string): void {
    if (this.state.has(unit)) return;
    this.state.set(unit, 'skipped');
    this.skipReasons.set(reason, (this.skipReasons.get(reason) ?? 0) + 1);
  }
  has(unit: number): boolean {
    return this.state.has(unit);
  }
  finish(source: string): TableAccount {
    const lost = this.units.filter((u) => !this.state.has(u));
    if (lost.length > 0) {
      throw inputError(`${this.file} ${this.unitName} ${lost[0]}`, `${lost.length} ${this.unitName}(s) neither parsed nor reported`, 'This is a scraper bug: please report it with the file');
    }
    let parsed = 0;
    let rejected = 0;
    let skipped = 0;
    for (const s of this.state.values()) {
      if (s === 'parsed') parsed++;
      else if (s === 'rejected') rejected++;
      else skipped++;
    }
    return { source, table: this.table, totalRows: this.units.length + this.headerRows, headerRows: this.headerRows, bodyRows: this.units.length, parsed, rejected, skipped };
  }
}

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
export function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * VR text of a private dictionary → VR codes. DCMTK's internal pseudo-VRs are mapped to what they
 * stand for (`ox` OB or OW, `xs` US or SS, `lt` OW or LT, `px` pixel data OB or OW); anything else
 * that is not a PS3.5 VR is returned in `unknown` for the caller to report.
 */
export function parseVr(text: string): { vr: string[]; unknown?: string } {
  const t = text.trim();
  if (t === '') return { vr: [] };
  const pseudo: Record<string, string[]> = { ox: ['OB', 'OW'], xs: ['US', 'SS'], lt: ['OW', 'LT'], px: ['OB', 'OW'] };
  if (pseudo[t]) return { vr: pseudo[t]! };
  const parts = t
    .toUpperCase()
    .split(/\s*(?:\/|\bOR\b|,|\|)\s*/)
    .map((p) => p.replace(/\s+/g, ''))
    .filter(Boolean);
  const bad = parts.find((p) => !KNOWN_VRS.has(p));
  if (bad !== undefined || parts.length === 0) return { vr: [], unknown: t };
  return { vr: [...new Set(parts)] };
}

/** VM as DICOM writes it: `1`, `3`, `1-n`, `2-2n`, `1-32`, `0-n`. */
export function isVm(text: string): boolean {
  return /^(\d+)(-(\d+|\d*n))?$/.test(text.trim());
}

/** `DataDictionaryVersion` → `Data Dictionary Version`; `OffsetFromCTMRImages` → `Offset From CTMR Images`. */
export function nameFromKeyword(keyword: string): string {
  return keyword
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `Data Dictionary Version` → `DataDictionaryVersion` (letters and digits only, words capitalised). */
export function keywordFromName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Names that say nothing (`Unknown`, `?`, empty): never a conflict against a real name. */
export function isPlaceholderName(name: string): boolean {
  return /^(unknown|\?+|-*|private|none|n\/a)?$/i.test(name.trim());
}

/** Names and keywords compare by letters and digits only, case-insensitively. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export type PrivateProblem = { severity: 'error' | 'warning' | 'info'; code: string; message: string; keep: boolean };

/**
 * PS3.5 §7.8.1 checks for one entry: the group must be odd (and not 0001/0003/0005/0007/FFFF,
 * which PS3.5 §7.1 excludes); a pinned block must be one a creator can reserve (10–FF), never the
 * reservation elements (gggg,0010-00FF) themselves; offsets are expected in 10–FF. An entry with
 * a problem whose `keep` is false must not enter the IR.
 */
export function checkPrivateElement(e: Pick<PrivateElement, 'creator' | 'group' | 'groupLast' | 'offset' | 'offsetLast' | 'block'>): PrivateProblem[] {
  const out: PrivateProblem[] = [];
  const g = parseInt(e.group, 16);
  const tag = `(${e.group}${e.groupLast ? `-${e.groupLast}` : ''},${e.block ?? 'xx'}${e.offset}${e.offsetLast ? `-${e.offsetLast}` : ''})`;
  if (e.creator.trim() === '') out.push({ severity: 'error', code: 'private-creator-empty', message: `private element ${tag} has an empty private creator`, keep: false });
  // The creator is an LO value (PS3.5 Table 6.2-1): at most 64 characters, from every source alike.
  else if (e.creator.length > 64) out.push({ severity: 'error', code: 'private-creator-too-long', message: `private element ${tag}: creator of ${e.creator.length} characters; a creator is an LO value of at most 64`, keep: false });
  if (g % 2 === 0) {
    out.push({ severity: 'warning', code: 'private-group-even', message: `${tag} of "${e.creator}": group ${e.group} is even, private groups are odd (PS3.5 §7.8.1)`, keep: false });
  } else if ([0x0001, 0x0003, 0x0005, 0x0007, 0xffff].includes(g)) {
    out.push({ severity: 'warning', code: 'private-group-reserved', message: `${tag} of "${e.creator}": group ${e.group} may not be used for private elements (PS3.5 §7.1)`, keep: false });
  }
  if (e.groupLast !== undefined) {
    const gl = parseInt(e.groupLast, 16);
    if (gl % 2 === 0 || gl < g) out.push({ severity: 'warning', code: 'private-group-range', message: `${tag} of "${e.creator}": group range ${e.group}-${e.groupLast} must run between odd groups`, keep: false });
  }
  if (e.block !== undefined) {
    const b = parseInt(e.block, 16);
    if (b === 0) {
      out.push({ severity: 'warning', code: 'private-reservation-element', message: `${tag} of "${e.creator}": elements (gggg,0000-00FF) are the group length and the private creator reservations (gggg,0010-00FF), not private data elements`, keep: false });
    } else if (b < 0x10) {
      out.push({ severity: 'warning', code: 'private-block-range', message: `${tag} of "${e.creator}": block ${e.block} cannot be reserved; creators reserve blocks 10-FF via (gggg,0010-00FF)`, keep: false });
    }
  }
  const o = parseInt(e.offset, 16);
  if (o < 0x10) {
    // PS3.5 §7.8.1 lets a block hold xx00-xxFF, but 00-0F are rare enough to deserve a look.
    // Reported one by one as notes, and once per source as a warning (finishAccount).
    out.push({ severity: 'info', code: 'private-offset-range', message: `${tag} of "${e.creator}": offset ${e.offset} is below 10 (expected 10-FF); kept, check the source`, keep: true });
  }
  if (e.offsetLast !== undefined && parseInt(e.offsetLast, 16) < o) {
    out.push({ severity: 'warning', code: 'private-offset-range', message: `${tag} of "${e.creator}": element range ends before it starts`, keep: false });
  }
  return out;
}

/** The private section of the IR under construction, created on first use. */
export function privateSection(ctx: ScrapeContext): PrivateSection {
  if (!ctx.ir.privateDictionaries) ctx.ir.privateDictionaries = { elements: [] };
  return ctx.ir.privateDictionaries;
}

/**
 * Validate and add one entry. Returns false (after reporting) when the entry must not enter the IR.
 * Within one source a repeated key replaces the earlier entry (DCMTK: "entries may override"),
 * reported so nothing changes silently.
 */
export function addPrivateElement(ctx: ScrapeContext, e: PrivateElement, seen: Map<string, PrivateElement>, key: string): boolean {
  const problems = checkPrivateElement(e);
  const at = `${ctx.source.file} ${e.prov.line !== undefined ? `line ${e.prov.line}` : `${e.prov.table} row ${e.prov.row}`}`;
  for (const p of problems) {
    diagnose(ctx, { severity: p.severity, code: p.code, message: `${at}: ${p.message}`, table: e.prov.table, ...(e.prov.line !== undefined ? { line: e.prov.line } : {}), ...(e.prov.row !== undefined ? { row: e.prov.row } : {}), ...(e.raw !== undefined ? { raw: e.raw } : {}) });
  }
  if (problems.some((p) => !p.keep)) return false;
  const section = privateSection(ctx);
  const prev = seen.get(key);
  if (prev) {
    const where = prev.prov.line !== undefined ? `line ${prev.prov.line}` : `row ${prev.prov.row}`;
    diagnose(ctx, {
      severity: 'info',
      code: 'private-duplicate',
      message: `${at}: "${e.creator}" ${e.group},xx${e.offset} is defined again (first at ${where}); the later definition is used${isPlaceholderName(e.name) && !isPlaceholderName(prev.name) ? `, with the earlier name "${prev.name}"` : ''}`,
      table: e.prov.table,
      ...(e.prov.line !== undefined ? { line: e.prov.line } : {}),
      ...(e.prov.row !== undefined ? { row: e.prov.row } : {}),
      ...(e.raw !== undefined ? { raw: e.raw } : {}),
    });
    keepWrittenName(e, prev);
    const i = section.elements.indexOf(prev);
    if (i >= 0) section.elements[i] = e;
    else section.elements.push(e);
  } else {
    section.elements.push(e);
  }
  seen.set(key, e);
  return true;
}

/**
 * A later definition that only says `Unknown` (fo-dicom repeats whole creators that way) keeps the
 * name and keyword the earlier one wrote; its other fields are used as before.
 */
function keepWrittenName(later: PrivateElement, earlier: PrivateElement): void {
  if (!isPlaceholderName(later.name) || isPlaceholderName(earlier.name)) return;
  later.name = earlier.name;
  later.keyword = earlier.keyword;
  if (earlier.nameDerived) later.nameDerived = true;
  else delete later.nameDerived;
  if (earlier.keywordDerived) later.keywordDerived = true;
  else delete later.keywordDerived;
}

export function finishAccount(ctx: ScrapeContext, account: UnitAccount, countKey: string, entries: number): void {
  const a = account.finish(ctx.source.id);
  addAccount(ctx, a);
  const low = ctx.report.diagnostics.filter((d) => d.source === ctx.source.id && d.code === 'private-offset-range');
  if (low.length > 0) {
    diagnose(ctx, {
      severity: 'warning',
      code: 'private-offset-range-summary',
      message: `${ctx.source.file}: ${low.length} private element(s) with an offset below 10 (expected 10-FF), kept; first: ${low[0]!.message} (each is listed as a private-offset-range note)`,
      table: a.table,
    });
  }
  ctx.report.counts[`private.${countKey}`] = (ctx.report.counts[`private.${countKey}`] ?? 0) + entries;
}
