/**
 * Markdown changelog for a pull request: semver impact first, then both sides' sources, counts
 * per category and kind, the breaking changes, then every change grouped by category and kind,
 * sorted by tag/UID. Sections longer than `collapseAfter` rows fold into `<details>`, so a diff
 * of two whole editions stays readable.
 */
import type { SourceRecord } from '../ir.ts';
import { tagText } from './normalize.ts';
import { CATEGORY_TITLES, CHANGE_KINDS, type Category, type Change, type ChangeKind, type DiffResult, type DiffSide, type JsonValue } from './types.ts';

export interface MarkdownOptions {
  /** Sections with more rows than this are collapsed in `<details>` (default 15). */
  collapseAfter?: number;
  /** At most this many rows per section; the rest is counted and left to `--format json` (default 2000). */
  maxRows?: number;
}

export const KIND_TITLES: Record<ChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  retired: 'Newly retired',
  unretired: 'Un-retired',
  'keyword-changed': 'Keyword changed',
  'name-changed': 'Name changed',
  'mask-changed': 'Repeating-group mask changed',
  'vr-changed': 'VR changed',
  'vm-changed': 'VM changed',
  'type-changed': 'Type changed',
  'property-changed': 'Property changed',
  'iod-added': 'IOD added',
  'iod-removed': 'IOD removed',
  'iod-renamed': 'IOD renamed',
  'iod-module-added': 'Module added to IOD',
  'iod-module-removed': 'Module removed from IOD',
  'iod-module-usage-changed': 'Module usage changed',
  'iod-module-ie-changed': 'Module information entity changed',
  'iod-module-condition-changed': 'Module condition changed',
  'iod-functional-group-added': 'Functional group added to IOD',
  'iod-functional-group-removed': 'Functional group removed from IOD',
  'iod-functional-group-usage-changed': 'Functional group usage changed',
  'module-added': 'Module/macro added',
  'module-removed': 'Module/macro removed',
  'module-renamed': 'Module/macro renamed',
  'module-attribute-added': 'Attribute added to module',
  'module-attribute-removed': 'Attribute removed from module',
  'module-attribute-type-changed': 'Attribute type changed',
  'module-include-added': 'Macro include added',
  'module-include-removed': 'Macro include removed',
  'enumerated-values-added': 'Enumerated values added',
  'enumerated-values-removed': 'Enumerated values removed',
  'defined-terms-added': 'Defined terms added',
  'defined-terms-removed': 'Defined terms removed',
  'sop-class-added': 'SOP class added',
  'sop-class-removed': 'SOP class removed',
  'sop-class-iod-changed': 'SOP class IOD changed',
  'group-added': 'Context group added',
  'group-removed': 'Context group removed',
  'group-version-changed': 'Context group version changed',
  'group-extensible-changed': 'Extensibility changed',
  'group-include-added': 'Include added',
  'group-include-removed': 'Include removed',
  'code-added': 'Code added',
  'code-removed': 'Code removed',
  'code-meaning-changed': 'Code meaning changed',
  'code-identifier-changed': 'Code constant renamed',
  'coding-scheme-added': 'Coding scheme added',
  'coding-scheme-removed': 'Coding scheme removed',
  'coding-scheme-changed': 'Coding scheme changed',
  'dcm-code-added': 'DCM code added',
  'dcm-code-removed': 'DCM code removed',
  'dcm-code-meaning-changed': 'DCM code meaning changed',
  'creator-added': 'Private creator added',
  'creator-removed': 'Private creator removed',
  'option-added': 'Option column added',
  'option-removed': 'Option column removed',
  'action-changed': 'Action changed',
  'std-comp-iod-changed': '"In Std. Comp. IOD" changed',
};

/** Table-cell text: no pipes, no line breaks, no raw HTML. */
export function cell(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '—';
  let s: string;
  if (typeof v === 'string') s = v === '' ? '(empty)' : v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else if (Array.isArray(v)) s = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  else s = Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`).join(', ');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}


function keyCell(c: Change): string {
  const k = c.category === 'elements' || c.category === 'deidentification' ? tagText(c.key) : c.key;
  // GFM ends a table cell at `|` even inside a code span: escape it (private keys are `CREATOR|gggg|xxee`).
  return `\`${k.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function obj(v: JsonValue | undefined): Record<string, JsonValue> {
  return v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

interface Table {
  head: string[];
  rows: string[][];
}

/** Columns per section: the facts a reviewer needs, not the raw JSON. */
function sectionTable(category: Category, kind: ChangeKind, changes: readonly Change[]): Table {
  const mixed = new Set(changes.map((c) => c.impact)).size > 1;
  const withImpact = (t: Table, list: readonly Change[]): Table =>
    mixed ? { head: [...t.head, 'Impact'], rows: t.rows.map((r, i) => [...r, `${list[i]!.impact}: ${cell(list[i]!.reason)}`]) } : t;

  if ((kind === 'added' || kind === 'removed') && category === 'elements') {
    return withImpact(
      {
        head: ['Tag', 'Keyword', 'Name', 'VR', 'VM', 'Retired'],
        rows: changes.map((c) => {
          const e = obj(kind === 'added' ? c.after : c.before);
          return [keyCell(c), cell(e.keyword), cell(e.name), cell(e.vr), cell(e.vm), e.retired ? 'yes' : ''];
        }),
      },
      changes,
    );
  }
  if ((kind === 'added' || kind === 'removed') && (category === 'uids' || category === 'transfer-syntaxes')) {
    return withImpact(
      {
        head: ['UID', 'Keyword', 'Name', category === 'uids' ? 'Type' : 'Retired'],
        rows: changes.map((c) => {
          const e = obj(kind === 'added' ? c.after : c.before);
          return [keyCell(c), cell(e.keyword), cell(e.name), category === 'uids' ? cell(e.type) : e.retired ? 'yes' : ''];
        }),
      },
      changes,
    );
  }
  if ((kind === 'added' || kind === 'removed') && category === 'deidentification') {
    return withImpact(
      {
        head: ['Tag', 'Name', 'In Std. Comp. IOD', 'Actions'],
        rows: changes.map((c) => {
          const e = obj(kind === 'added' ? c.after : c.before);
          const std = e.inStdCompIod === true ? 'Y' : e.inStdCompIod === false ? 'N' : '—';
          return [keyCell(c), cell(c.label), std, cell(e.actions)];
        }),
      },
      changes,
    );
  }
  // Retirement is the whole story: no before/after columns.
  const flagOnly = kind === 'retired' || kind === 'unretired';
  const hasBefore = !flagOnly && changes.some((c) => c.before !== undefined);
  const hasAfter = !flagOnly && changes.some((c) => c.after !== undefined);
  const hasField = changes.some((c) => c.field !== undefined);
  const hasEntry = changes.some((c) => c.label !== c.key);
  const head = ['Key'];
  if (hasEntry) head.push('Entry');
  if (hasField) head.push(category === 'deidentification' ? 'Option' : 'Field');
  if (hasBefore) head.push(hasAfter ? 'Before' : 'Was');
  if (hasAfter) head.push(hasBefore ? 'After' : 'Now');
  /** Added/removed summaries repeat the key and label: leave those out of the details cell. */
  const detail = (c: Change, v: JsonValue | undefined): string => {
    if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return cell(v);
    const rest: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== c.key && x !== c.label && x !== false) rest[k] = x;
    return cell(rest);
  };
  const rows = changes.map((c) => {
    const r = [keyCell(c)];
    if (hasEntry) r.push(cell(c.label));
    if (hasField) r.push(cell(c.field));
    if (hasBefore) r.push(detail(c, c.before));
    if (hasAfter) r.push(detail(c, c.after));
    return r;
  });
  return withImpact({ head, rows }, changes);
}

function renderTable(t: Table): string[] {
  return [`| ${t.head.join(' | ')} |`, `| ${t.head.map(() => '---').join(' | ')} |`, ...t.rows.map((r) => `| ${r.join(' | ')} |`)];
}

function sourceLine(s: SourceRecord): string {
  const what = s.part.startsWith('PS3.') ? `${s.part} ${s.edition} (${s.format})` : `${s.part} ${s.edition}`;
  return `${cell(what)} \`${s.file.replace(/`/g, "'").replace(/\|/g, '\\|')}\`${s.layer ? ` layer ${cell(s.layer)}` : ''} sha256 \`${s.sha256.slice(0, 12)}\``;
}

function sideCell(side: DiffSide): string {
  return `\`${side.label.replace(/`/g, "'").replace(/\|/g, '\\|')}\` (${side.kind})`;
}

/** Sources as lists under the header table: a side can have many (innolitics: eight JSON files). */
function sourceLists(result: DiffResult): string[] {
  const out: string[] = [];
  for (const [name, side] of [['Old', result.old], ['New', result.new]] as const) {
    out.push(`${name} sources:`, '');
    if (side.sources.length === 0) out.push('- none recorded');
    for (const s of side.sources) out.push(`- ${sourceLine(s)}`);
    out.push('');
  }
  return out;
}

const IMPACT_WORD = { major: 'breaking', minor: 'additions', patch: 'metadata-only' } as const;

export function renderMarkdown(result: DiffResult, options: MarkdownOptions = {}): string {
  const collapseAfter = options.collapseAfter ?? 15;
  const maxRows = options.maxRows ?? 2000;
  const out: string[] = [];
  const ic = result.impactCounts;
  out.push('# DICOM release diff', '');
  out.push(
    `**Semver impact: ${result.semver === 'none' ? 'none (no changes)' : result.semver.toUpperCase()}** — ` +
      `${ic.major} ${IMPACT_WORD.major} · ${ic.minor} ${IMPACT_WORD.minor} · ${ic.patch} ${IMPACT_WORD.patch}`,
    '',
  );
  out.push('| | Old | New |', '| --- | --- | --- |');
  out.push(`| Input | ${sideCell(result.old)} | ${sideCell(result.new)} |`);
  for (const cat of result.categories) {
    const a = result.old.counts[cat];
    const b = result.new.counts[cat];
    if (!a && !b) continue; // neither side has this family
    out.push(`| ${CATEGORY_TITLES[cat]} | ${a ?? '—'} | ${b ?? '—'} |`);
  }
  out.push('', ...sourceLists(result));

  // Counts first.
  out.push('## Summary', '');
  const anyChange = result.changes.length > 0;
  if (!anyChange) out.push('No changes in the compared categories.', '');
  else {
    out.push('| Category | Change | Count | Impact |', '| --- | --- | ---: | --- |');
    for (const cat of result.categories) {
      const perKind = result.counts[cat];
      if (!perKind) continue;
      for (const kind of CHANGE_KINDS) {
        const n = perKind[kind];
        if (!n) continue;
        const impacts = [...new Set(result.changes.filter((c) => c.category === cat && c.kind === kind).map((c) => c.impact))];
        out.push(`| ${CATEGORY_TITLES[cat]} | ${KIND_TITLES[kind]} | ${n} | ${impacts.join(', ')} |`);
      }
    }
    out.push('');
  }
  if (result.notCompared.length > 0) {
    out.push('Not compared (only one side has the data, so nothing is reported as added or removed):', '');
    for (const nc of result.notCompared) out.push(`- ${CATEGORY_TITLES[nc.category]}: ${nc.what} — ${nc.reason} (old ${nc.oldCount}, new ${nc.newCount})`);
    out.push('');
  }
  const fmt = Object.entries(result.formattingOnly);
  if (fmt.length > 0) {
    out.push(`Formatting-only differences ignored (see docs/diff.md): ${fmt.map(([k, n]) => `${k} ${n}`).join(', ')}.`, '');
  }

  /** A table under a `###` heading, or folded into `<details>` when long; `heading` false = the caller wrote one. */
  const section = (title: string, t: Table, heading: boolean) => {
    const shown = t.rows.slice(0, maxRows);
    const lines = renderTable({ head: t.head, rows: shown });
    if (t.rows.length > shown.length) lines.push('', `… and ${t.rows.length - shown.length} more (use \`--format json\` for every change).`);
    if (t.rows.length > collapseAfter) {
      out.push(`<details><summary>${title}</summary>`, '', ...lines, '', '</details>', '');
    } else {
      if (heading) out.push(`### ${title}`, '');
      out.push(...lines, '');
    }
  };

  const breaking = result.changes.filter((c) => c.impact === 'major');
  if (breaking.length > 0) {
    out.push(`## Breaking changes (${breaking.length})`, '');
    section(
      `Breaking changes (${breaking.length})`,
      {
        head: ['Category', 'Change', 'Key', 'Entry', 'Why'],
        rows: breaking.map((c) => [CATEGORY_TITLES[c.category], KIND_TITLES[c.kind], keyCell(c), cell(c.label), cell(c.reason)]),
      },
      false,
    );
  }

  for (const cat of result.categories) {
    const list = result.changes.filter((c) => c.category === cat);
    if (list.length === 0) continue;
    out.push(`## ${CATEGORY_TITLES[cat]} (${list.length})`, '');
    for (const kind of CHANGE_KINDS) {
      const ofKind = list.filter((c) => c.kind === kind);
      if (ofKind.length === 0) continue;
      section(`${KIND_TITLES[kind]} (${ofKind.length})`, sectionTable(cat, kind, ofKind), true);
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
