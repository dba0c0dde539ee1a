/**
 * Build step of a sibling package: generate only what this package uses (two IODs, the tags
 * they need, one transfer-syntax lookup) into src/generated/. Incremental: when nothing changed
 * the generator returns `upToDate` without touching a file, so `tsc` stays cached.
 */
import { generate, defaultSnapshot } from 'dicom-dictgen';

const force = process.argv.includes('--force');
const result = await generate({
  snapshot: defaultSnapshot,
  out: new URL('./src/generated/', import.meta.url).pathname,
  selection: {
    families: new Set(['tags', 'iods', 'transfer-syntaxes']),
    iods: new Set(['ct-image', 'rt-dose']),
  },
  force,
  onProgress: (line) => console.error(`[dictgen] ${line}`),
});
if (result.blocking) {
  console.error('dictionary generation blocked; see the report');
  process.exit(1);
}
console.error(result.upToDate ? '[dictgen] up to date' : `[dictgen] wrote ${result.write?.written ?? 0} files`);
