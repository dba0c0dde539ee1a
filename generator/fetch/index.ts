/** Fetching NEMA editions into a local cache (issue 3). */
export { fetchEdition, resolveFetchOptions, FETCH_DEFAULTS, type FetchOptions, type FetchResult, type FetchedPart, type FetchEvent, type FetchSource } from './fetch-edition.ts';
export { verifyCache, type VerifyOptions, type VerifyResult, type VerifyEdition, type VerifyItem, type VerifyStatus } from './verify.ts';
export { DEFAULT_BASE_URL, DEFAULT_PARTS, partFileName, partUrl, type FetchFormat } from './nema-urls.ts';
export { defaultCacheDir, CACHE_ENV } from './cache.ts';
export { LOCKFILE_NAME, readLockfile, type Lockfile, type LockEntry } from './lockfile.ts';
