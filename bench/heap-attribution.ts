/**
 * Where the heap retained after importing the package goes (issue 13): a V8 heap snapshot before
 * and after `await import()` in a fresh `node --expose-gc` process (after two GCs each, as suite
 * `import` measures), and the objects new in the second grouped by kind: module source texts,
 * string constants, namespace accessors, export cells, scope infos, bytecode, arrays. Not a suite
 * (it times nothing): `npx tsx bench/heap-attribution.ts [module-in-dist …]`, default the root.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageFixture } from './package-fixture.ts';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

interface Node {
  kind: string;
  name: string;
  id: number;
  size: number;
}

function nodesOf(file: string): Node[] {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const f = s.snapshot.meta.node_fields;
  const [type, name, id, size] = ['type', 'name', 'id', 'self_size'].map((k) => f.indexOf(k)) as [number, number, number, number];
  const out: Node[] = [];
  for (let i = 0; i < s.nodes.length; i += f.length) {
    out.push({ kind: s.snapshot.meta.node_types[0][s.nodes[i + type]!]!, name: s.strings[s.nodes[i + name]!]!, id: s.nodes[i + id]!, size: s.nodes[i + size]! });
  }
  return out;
}

/** A readable category: big strings are module sources (their text starts like code) or string constants. */
function category(n: Node): string {
  if (n.kind === 'string' || n.kind === 'concatenated string' || n.kind === 'sliced string') {
    if (n.size < 4096) return 'strings under 4 KB (names, small constants)';
    return /^(import|export|const|function|let)\s/.test(n.name) ? 'module source texts' : 'string constants of 4 KB or more';
  }
  if (n.kind === 'code' && /^file:/.test(n.name)) return 'scripts';
  return `${n.kind} ${n.name.replace(/^system \/ /, '')}`.trim();
}

const dist = join(packageFixture().pkg, 'dist');
const targets = process.argv.length > 2 ? process.argv.slice(2) : ['index.js'];
const work = mkdtempSync(join(tmpdir(), 'dictgen-heap-'));
try {
  for (const target of targets) {
    const url = pathToFileURL(join(dist, target)).href;
    const script = join(work, 'probe.mjs');
    writeFileSync(
      script,
      `import v8 from 'node:v8';\ngc(); gc();\nv8.writeHeapSnapshot(${JSON.stringify(join(work, 'a.heapsnapshot'))});\ngc(); gc();\nconst m = await import(${JSON.stringify(url)});\ngc(); gc();\nv8.writeHeapSnapshot(${JSON.stringify(join(work, 'b.heapsnapshot'))});\nglobalThis.keep = m;\n`,
    );
    const r = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`heap snapshot of ${target} failed: ${r.stderr.split('\n')[0]}`);
    const before = new Set(nodesOf(join(work, 'a.heapsnapshot')).map((n) => n.id));
    const by = new Map<string, { count: number; bytes: number }>();
    let total = 0;
    for (const n of nodesOf(join(work, 'b.heapsnapshot'))) {
      if (before.has(n.id)) continue;
      const c = by.get(category(n)) ?? { count: 0, bytes: 0 };
      c.count++;
      c.bytes += n.size;
      by.set(category(n), c);
      total += n.size;
    }
    console.log(`\n### dist/${target}: ${(total / 1048576).toFixed(3)} MiB new after import\n\n| kind | objects | KiB |\n| --- | ---: | ---: |`);
    for (const [k, c] of [...by].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, 14)) console.log(`| ${k} | ${c.count} | ${(c.bytes / 1024).toFixed(1)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
