import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The scrape cache stays out of tests (a hit would skip the scrapers); test/scrape-cache.test.ts turns it on.
    env: { DICTGEN_SCRAPE_CACHE: 'off' },
  },
});
