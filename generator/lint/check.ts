/**
 * Lint one document: every attribute and UID mention is compared with the dictionary
 * (PS3.6 Table 6-1 / Annex A, PS3.5 Table 6.2-1, PS3.3 module and IOD tables) and every damaged
 * fact is reported with the most likely intended value when one candidate clearly wins.
 */
import { foldLookalikes } from '../../sources/common/text.ts';
import type { DataElement } from '../ir.ts';
import { readDocument, sourcePosition, type Cell, type ColumnRole, type DocLine } from './document.ts';
import { editDistance, repairHex, repairUid, showTag, tagCandidates } from './damage.ts';
import { describeLookalikes, foldLatin, hasLookalike } from './lookalikes.ts';
import { nameKey, type LintReference } from './reference.ts';
import { LINT_RULES, type LintFinding, type LintRule } from './types.ts';

/** `(gggg,eeee)`, `gggg,eeee`, `gggg:eeee`, with O/I/l read for digits (checked as damage). */
const TAG_TEXT = /\(\s*([0-9A-Fa-fOoIl]{4})\s*[,:]\s*([0-9A-Fa-fOoIlxX]{4})\s*\)|(?<![\w.,:-])([0-9A-Fa-fOoIl]{4})[,:]([0-9A-Fa-fOoIlxX]{4})(?![\w.:-]|,\d)/g;
/** In a tag column also `ggggeeee` and a group that lost a digit (`008-2228`). */
const TAG_CELL = /^\(?([0-9A-Fa-fOoIl]{3,4})\s*[-,:]?\s*([0-9A-Fa-fOoIl]{4})\)?$/;
/** A dotted UID under the DICOM root, possibly with spaces or O/I/l inside. */
const UID_TEXT = new RegExp(String.raw`(?<![\w.])(1 ?\. ?2 ?\. ?8 ?4 ?[0O] ?\. ?1 ?[0O] ?[0O] ?[0O] ?8(?: ?\. ?[0-9OIl]+(?:\u00AD[0-9]+)*)+)(?![\w])`.replace(/ \?/g, '[ \u00AD]?'), 'g');
/** The end of a line where a UID was broken (`…4.1.1.-` or `…4.1.1.`), and the digits that continue it. */
const UID_BREAK = /^[.\-\u00AD]+\s*$/;
const UID_CONTINUATION = /^\s*([0-9][0-9.]*)/;
const TYPES = new Set(['1', '1C', '2', '2C', '3']);

interface Mention {
  tag: string;
  text: string;
  column: number;
  /** Index of the cell the mention is in. */
  cell: number;
  damaged: boolean;
}

function cellIndexAt(cells: Cell[], column: number): number {
  let idx = 0;
  cells.forEach((c, i) => {
    if (c.column <= column) idx = i;
  });
  return idx;
}

/** Name as a document writes it, for comparison: nesting, `(folder)`, footnotes and hyphenation removed. */
function cleanName(text: string): string {
  return foldLookalikes(foldLatin(text))
    .replace(/^(>\s*)+/, '')
    .replace(/\((folder|retired|ret)\)\s*$/i, '')
    .replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]+$/u, '')
    .replace(/([a-z])- ([a-z])/g, '$1$2')
    .trim();
}

function uidDamage(text: string): string {
  const kinds = [/ /.test(text) ? 'spaces' : '', /\u00AD/.test(text) ? 'soft hyphens' : '', /[OIl]/.test(text) ? 'letters for digits' : ''];
  return kinds.filter(Boolean).join(', ');
}

export class DocumentLinter {
  readonly findings: LintFinding[] = [];
  private lines: DocLine[] = [];

  constructor(
    private readonly ref: LintReference,
    private readonly file: string,
  ) {}

  /** A finding at `column` of a document line (of a joined HTML row: of the source line that column came from). */
  private add(rule: LintRule, l: DocLine, at: number, text: string, message: string, suggestion?: string): void {
    const { line, column } = sourcePosition(l, at);
    this.findings.push({ file: this.file, line, column, severity: LINT_RULES[rule].severity, rule, message, text, ...(suggestion !== undefined ? { suggestion } : {}) });
  }

  run(text: string): LintFinding[] {
    this.lines = readDocument(text);
    this.lines.forEach((l, i) => this.checkLine(l, i));
    this.findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1));
    return this.findings;
  }

  private cellOf(l: DocLine, role: ColumnRole): Cell | undefined {
    const i = l.table?.columns[role];
    return i === undefined ? undefined : l.cells[i];
  }

  private checkLine(l: DocLine, index: number): void {
    if (l.isHeader) return;
    const mentions = this.tagMentions(l);
    for (const m of mentions) this.checkTag(l, index, m, mentions.length);
    this.checkUids(l, index);
    this.checkUsage(l);
  }

  // ---- tags ---------------------------------------------------------------------------------

  private tagMentions(l: DocLine): Mention[] {
    const folded = foldLatin(l.raw);
    const out: Mention[] = [];
    const tagCol = l.table?.columns.tag;
    for (const m of folded.matchAll(TAG_TEXT)) {
      const g = m[1] ?? m[3]!;
      const e = m[2] ?? m[4]!;
      const column = m.index + 1;
      const cell = cellIndexAt(l.cells, column);
      const tag = repairHex(g) + repairHex(e).replace(/X/g, 'x');
      const inTagCell = tagCol === cell;
      // Bare number pairs in running text are tags only in a group the dictionary has.
      if (m[3] !== undefined && !inTagCell && !this.ref.hasGroup(tag.slice(0, 4))) continue;
      if (!/[0-9]/.test(g + e)) continue;
      out.push({ tag, text: l.raw.slice(m.index, m.index + m[0].length), column, cell, damaged: repairHex(g) !== g.toUpperCase() || repairHex(e) !== e.toUpperCase() });
    }
    // A tag column cell in another notation (`ggggeeee`, `008-2228`).
    if (tagCol !== undefined && out.every((m) => m.cell !== tagCol)) {
      const c = l.cells[tagCol];
      const m = c ? TAG_CELL.exec(foldLatin(c.text)) : null;
      if (c && m) {
        const g = repairHex(m[1]!);
        const short = g.length === 3;
        out.push({ tag: (short ? `0${g}` : g) + repairHex(m[2]!), text: c.text, column: c.column, cell: tagCol, damaged: short || /[-]/.test(c.text) || repairHex(m[1]! + m[2]!) !== (m[1]! + m[2]!).toUpperCase() });
      }
    }
    return out;
  }

  /** The name written for a tag: the name column, else the cell before the tag cell, else the words after it. */
  private nameFor(l: DocLine, m: Mention, count: number): { text: string; column: number; vr?: Cell; vm?: Cell } | undefined {
    const named = this.cellOf(l, 'name');
    if (named && l.table?.columns.tag === m.cell) return named.text === '' ? undefined : { text: named.text, column: named.column };
    if (l.table || count !== 1) return undefined;
    const before = l.cells[m.cell - 1];
    const own = l.cells[m.cell]!;
    if (own.text === m.text.trim() && before && /[A-Za-z]{3}/.test(before.text) && before.text.length <= 80) return { text: before.text, column: before.column };
    // `(0028,0010) Rows US 1` on one line (OCR'd handbooks).
    const after = l.raw.slice(m.column - 1 + m.text.length);
    const words = /^(\s+)((?:[A-Za-z'’()\-/]+ ?){1,8}?)(\s+)(\S{2})(?:(\s+)(\d+(?:-\d*n|-\d+)?))?\s*$/.exec(foldLatin(after));
    if (!words || !this.ref.isVr(words[4]!)) return undefined;
    const at = m.column + m.text.length;
    const vrAt = words[1]!.length + words[2]!.length + words[3]!.length;
    const vr = { text: after.slice(vrAt, vrAt + 2), column: at + vrAt };
    const vm = words[6] !== undefined ? { text: words[6], column: at + vrAt + 2 + words[5]!.length } : undefined;
    return { text: words[2]!.trim(), column: at + words[1]!.length, vr, ...(vm ? { vm } : {}) };
  }

  private checkTag(l: DocLine, index: number, m: Mention, count: number): void {
    const group = parseInt(m.tag.slice(0, 4), 16);
    if (Number.isNaN(group) || group % 2 === 1) return; // private groups: `private extract`
    const written = this.nameFor(l, m, count);
    const nameText = written ? cleanName(written.text) : undefined;
    const nameAgrees = (tag: string) => {
      const e = this.ref.element(tag);
      return e !== undefined && nameText !== undefined && [nameKey(e.name), nameKey(e.keyword)].includes(nameKey(nameText));
    };
    if (hasLookalike(m.text)) this.add('lookalike-character', l, m.column, m.text, `look-alike letters ${describeLookalikes(m.text)} in the tag`, showTag(m.tag));
    let element = this.ref.element(m.tag);
    if (m.damaged && !hasLookalike(m.text)) {
      const clear = element !== undefined && (nameText === undefined || nameAgrees(m.tag));
      this.add('tag-damaged', l, m.column, m.text, `"${m.text.trim()}" is not a well-formed tag${element ? `; read as ${showTag(m.tag)} ${element.name}` : ''}`, clear ? showTag(m.tag) : undefined);
      if (!element) return;
    }
    if (!element) {
      const fromDamage = tagCandidates(m.tag).filter(nameAgrees);
      const byName = nameText ? this.ref.tagsNamed(nameKey(nameText)) : [];
      const pick = fromDamage.length === 1 ? fromDamage[0] : fromDamage.length === 0 && byName.length === 1 ? byName[0] : undefined;
      const why = pick === undefined ? '' : fromDamage.length === 1 ? ` (the name agrees with ${showTag(pick)}, a likely misreading)` : ` (the name is that of ${showTag(pick)})`;
      this.add('tag-unknown', l, m.column, m.text, `${showTag(m.tag)} is not in the data dictionary${why}`, pick === undefined ? undefined : showTag(pick));
      return;
    }
    // When the name is another attribute's, the tag or the name is wrong: VR and VM say nothing more.
    if (written && nameText !== undefined && !this.checkName(l, index, m, element, nameText, written.column)) return;
    if (element.retired) this.add('attribute-retired', l, m.column, m.text, `${showTag(m.tag)} ${element.name} is retired`);
    if (l.table?.columns.tag === m.cell) this.checkColumns(l, m, element);
    else if (written?.vr) {
      this.checkVrCode(l, written.vr, m, element);
      if (written.vm) this.checkVm(l, written.vm, m, element);
    }
  }

  /** False when the name is another attribute's (or unrelated). */
  private checkName(l: DocLine, index: number, m: Mention, e: DataElement, nameText: string, column: number): boolean {
    const key = nameKey(nameText);
    const keys = [nameKey(e.name), nameKey(e.keyword)];
    if (key === '' || keys.includes(key)) return true;
    // Merged cells (`Record In Use Flag Directory Record Type`): the dictionary name, then whole words.
    const prefixes = nameText.split(/\s+/).map((_, i, words) => nameKey(words.slice(0, i + 1).join(' ')));
    if (prefixes.slice(0, -1).some((p) => keys.includes(p))) return true;
    // A name wrapped onto the following lines of its cell.
    if (keys.some((k) => k.startsWith(key))) {
      let joined = key;
      for (let k = index + 1; k < Math.min(this.lines.length, index + 4); k++) {
        const next = this.lines[k]!;
        if (this.tagMentions(next).length > 0 || next.raw.trim() === '') break;
        const cell = this.cellOf(next, 'name') ?? next.cells[0];
        joined += nameKey(cleanName(cell?.text ?? ''));
        if (keys.includes(joined)) return true;
      }
    }
    const others = this.ref.tagsNamed(key).filter((t) => t !== m.tag);
    if (others.length > 0) {
      const misread = others.filter((t) => tagCandidates(m.tag).includes(t));
      this.add('tag-name-mismatch', l, column, nameText, `${showTag(m.tag)} is ${e.name}; "${nameText}" is ${others.map(showTag).join(', ')}`, misread.length === 1 ? showTag(misread[0]!) : undefined);
      return false;
    }
    const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).sort().join(' ');
    const near = editDistance(key, keys[0]!) <= Math.max(2, Math.floor(keys[0]!.length / 10)) || words(nameText) === words(e.name);
    if (near) this.add('name-misspelled', l, column, nameText, `${showTag(m.tag)} is named ${e.name} in the dictionary`, e.name);
    else this.add('tag-name-mismatch', l, column, nameText, `${showTag(m.tag)} is ${e.name}, not "${nameText}"`);
    return near;
  }

  /** VR (code or spelled out), VM and Type cells of a table row. */
  private checkColumns(l: DocLine, m: Mention, e: DataElement): void {
    const vrCell = this.cellOf(l, 'vr');
    if (vrCell && vrCell.text !== '') this.checkVrCode(l, vrCell, m, e);
    const valueCell = this.cellOf(l, 'value');
    if (valueCell && valueCell.text !== '') {
      const code = this.ref.vrOfName(foldLatin(valueCell.text));
      if (code && e.vr.length > 0 && !e.vr.includes(code as never)) {
        this.add('vr-mismatch', l, valueCell.column, valueCell.text, `${showTag(m.tag)} ${e.name} is ${e.vr.join(' or ')}, not ${code} ("${valueCell.text}")`, e.vr.join(' or '));
      }
    }
    const vmCell = this.cellOf(l, 'vm');
    if (vmCell) this.checkVm(l, vmCell, m, e);
    this.checkType(l, m, e);
  }

  private checkVm(l: DocLine, cell: Cell, m: Mention, e: DataElement): void {
    const vm = cell.text.replace(/\s+/g, '');
    if (vm && /^\d+(-(\d+|\d*n))?$/.test(vm) && e.vm !== '' && vm !== e.vm.replace(/\s+/g, '')) {
      this.add('vm-mismatch', l, cell.column, cell.text, `${showTag(m.tag)} ${e.name} has VM ${e.vm}, not ${vm}`, e.vm);
    }
  }

  private checkVrCode(l: DocLine, cell: Cell, m: Mention, e: DataElement): void {
    const folded = foldLatin(cell.text);
    const codes = folded.toUpperCase().split(/\s*(?:\/|\bor\b|,)\s*/i).filter(Boolean);
    if (!codes.every((c) => /^[A-Z]{2}$/.test(c) && this.ref.isVr(c))) return;
    if (hasLookalike(cell.text)) this.add('lookalike-character', l, cell.column, cell.text, `look-alike letters ${describeLookalikes(cell.text)} in the VR`, folded);
    if (e.vr.length > 0 && !codes.some((c) => e.vr.includes(c as never))) {
      this.add('vr-mismatch', l, cell.column, cell.text, `${showTag(m.tag)} ${e.name} is ${e.vr.join(' or ')}, not ${codes.join(' or ')}`, e.vr.join(' or '));
    }
  }

  private checkType(l: DocLine, m: Mention, e: DataElement): void {
    const cell = this.cellOf(l, 'type');
    if (!cell || cell.text === '') return;
    const folded = foldLatin(cell.text).toUpperCase();
    if (!TYPES.has(folded)) return;
    if (hasLookalike(cell.text)) this.add('lookalike-character', l, cell.column, cell.text, `look-alike letters ${describeLookalikes(cell.text)} in the Type`, folded);
    const name = this.cellOf(l, 'name')?.text ?? '';
    const title = l.table?.title;
    const moduleId = title ? this.ref.moduleId(title) : undefined;
    if (!moduleId || /^\s*>/.test(name)) return;
    const std = this.ref.moduleType(moduleId, m.tag);
    if (std !== undefined && std !== folded) {
      this.add('type-mismatch', l, cell.column, cell.text, `${showTag(m.tag)} ${e.name} is Type ${std} in the ${title} (PS3.3), not ${folded}`, std);
    }
  }

  // ---- UIDs ---------------------------------------------------------------------------------

  private checkUids(l: DocLine, index: number): void {
    const folded = foldLatin(l.raw);
    for (const m of folded.matchAll(UID_TEXT)) {
      const written = l.raw.slice(m.index, m.index + m[0].length);
      const column = m.index + 1;
      const uid = repairUid(m[1]!);
      const entry = this.ref.uid(uid);
      const broken = entry ? undefined : this.uidBrokenAcrossLines(l, index, m.index + m[0].length, uid);
      if (broken) {
        this.add('uid-damaged', l, column, written, `UID broken across lines ${l.line}-${l.line + 1}; read as ${broken.uid} ${broken.name}`, broken.uid);
        continue;
      }
      if (hasLookalike(written)) this.add('lookalike-character', l, column, written, `look-alike letters ${describeLookalikes(written)} in the UID`, entry ? uid : undefined);
      else if (uid !== m[1]!) {
        this.add('uid-damaged', l, column, written, `"${written}" is not a well-formed UID (${uidDamage(m[1]!)} inside)${entry ? `; read as ${uid} ${entry.name}` : ''}`, entry ? uid : undefined);
        if (!entry) continue;
      }
      if (!entry) {
        this.add('uid-unknown', l, column, written, `${uid} is not in the UID registry (PS3.6 Annex A)`);
        continue;
      }
      if (entry.retired) this.add('uid-retired', l, column, written, `${uid} ${entry.name} is retired`);
      this.checkUidRole(l, column, written, uid, entry.type, entry.name);
    }
  }

  /** A UID hyphenated or broken at the end of the line: the joined UID when the registry has it. */
  private uidBrokenAcrossLines(l: DocLine, index: number, end: number, uid: string): { uid: string; name: string } | undefined {
    const rest = l.raw.slice(end);
    const next = this.lines[index + 1];
    if (!next || !(UID_BREAK.test(rest) || rest.trim() === '')) return undefined;
    const cont = UID_CONTINUATION.exec(next.raw);
    if (!cont) return undefined;
    const joined = `${uid}${rest.includes('.') ? '.' : ''}${cont[1]!}`.replace(/\.+$/, '').replace(/\.\./g, '.');
    const entry = this.ref.uid(joined);
    return entry ? { uid: joined, name: entry.name } : undefined;
  }

  private checkUidRole(l: DocLine, column: number, written: string, uid: string, type: string, name: string): void {
    const cols = l.table?.columns;
    if (!cols) return;
    const cell = cellIndexAt(l.cells, column);
    const isTs = type === 'Transfer Syntax';
    const isSop = type === 'SOP Class' || type === 'Meta SOP Class';
    if (cell === cols.sopUid && isTs) this.add('uid-wrong-role', l, column, written, `${uid} is the transfer syntax ${name}, listed as a SOP class`);
    if (cell === cols.tsUid && isSop) this.add('uid-wrong-role', l, column, written, `${uid} is the SOP class ${name}, listed as a transfer syntax`);
    if (cell === cols.tsUid && isTs && cols.tsName !== undefined) {
      const nameCell = l.cells[cols.tsName];
      const key = nameKey(nameCell?.text ?? '');
      if (nameCell && key !== '' && key !== nameKey(name)) {
        const other = this.ref.tsNamed(key);
        if (other && other !== uid) this.add('uid-name-mismatch', l, nameCell.column, nameCell.text, `"${nameCell.text}" is the name of ${other}; ${uid} is ${name}`, name);
      }
    }
  }

  // ---- module usage -------------------------------------------------------------------------

  private checkUsage(l: DocLine): void {
    const cell = this.cellOf(l, 'usage');
    const moduleCell = this.cellOf(l, 'module') ?? this.cellOf(l, 'name');
    if (!cell || !moduleCell || cell.text === '' || moduleCell.text === '') return;
    const folded = foldLatin(cell.text).toUpperCase();
    if (!/^[MCU]$/.test(folded)) return;
    if (hasLookalike(cell.text)) this.add('lookalike-character', l, cell.column, cell.text, `look-alike letter ${describeLookalikes(cell.text)} in the module usage`, folded);
    const title = l.table?.title;
    const iod = title ? this.ref.iodId(title) : undefined;
    const moduleId = this.ref.moduleId(moduleCell.text);
    if (!iod || !moduleId) return;
    const std = this.ref.moduleUsage(iod, moduleId);
    if (std !== undefined && std !== folded) {
      this.add('usage-mismatch', l, cell.column, cell.text, `the ${moduleCell.text} module is ${std} in the ${title} IOD (PS3.3), not ${folded}`, std);
    }
  }
}

export function lintText(text: string, file: string, ref: LintReference): LintFinding[] {
  return new DocumentLinter(ref, file).run(text);
}
