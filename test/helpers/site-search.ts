/** The browser's search function (templates/site/assets/search.js) loaded in a VM context, for the tests and the bench. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { repoRoot } from './shared.ts';
import type { SearchIndex } from '../../generator/site/search-index.ts';

export interface SearchHit {
  kind: string;
  key: string;
  title: string;
  url: string;
}

export type SearchFn = (index: SearchIndex, query: string, limit?: number) => SearchHit[];

export function loadSiteSearch(): SearchFn {
  const ctx: { dictgenSearch?: SearchFn } = {};
  runInNewContext(readFileSync(join(repoRoot, 'templates', 'site', 'assets', 'search.js'), 'utf8'), ctx);
  if (!ctx.dictgenSearch) throw new Error('search.js did not define dictgenSearch');
  return ctx.dictgenSearch;
}
