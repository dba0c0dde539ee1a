/**
 * One file over HTTP(S), the way a package manager does it: stream to a temp file (hashing as it
 * goes, fsync on close), check the length against Content-Length, check the file is what we asked
 * for, and leave the rename to the caller. Retries with exponential backoff and jitter on 5xx/408/429 and
 * on connection failures; never on 404 or on a file that is not the expected part.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import { AttemptError, classifyError, type AttemptFailure } from './errors.ts';
import { HEAD_BYTES, TAIL_BYTES } from './part-header.ts';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** First backoff delay; doubles each attempt. */
  backoffMs: number;
  /** Upper bound of one delay (also caps Retry-After). */
  maxBackoffMs: number;
}

export interface DownloadOptions extends RetryPolicy {
  url: string;
  /** Where to stream the body; removed on failure. Must be on the destination's filesystem. */
  tmpPath: string;
  dispatcher: Dispatcher;
  /** Connect, headers and idle-body timeout, each. */
  timeoutMs: number;
  /** Send If-None-Match / If-Modified-Since; a 304 means the cached copy is current. */
  conditional?: { etag?: string; lastModified?: string };
  /** Returns a problem when the completed file is not acceptable (not retried). */
  validate?: (head: Buffer, tail: Buffer) => string | undefined;
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  onRetry?: (info: { attempt: number; attempts: number; delayMs: number; problem: string }) => void;
  signal?: AbortSignal;
  /** Jitter source (tests pass a constant). */
  random?: () => number;
  userAgent?: string;
  /** Opens the temp file for writing (tests inject a full disk). */
  openOutput?: (path: string) => Writable;
}

export type DownloadOutcome =
  | {
      status: 'downloaded';
      sha256: string;
      bytes: number;
      head: Buffer;
      tail: Buffer;
      etag?: string;
      lastModified?: string;
      /** After redirects. */
      finalUrl: string;
      attempts: number;
    }
  | { status: 'not-modified'; attempts: number };

/** The last failure after every attempt, for the caller to phrase with edition and part. */
export class DownloadError extends Error {
  readonly failure: AttemptFailure;
  readonly attempts: number;
  readonly url: string;
  constructor(url: string, failure: AttemptFailure, attempts: number) {
    super(failure.problem);
    this.name = 'DownloadError';
    this.url = url;
    this.failure = failure;
    this.attempts = attempts;
  }
}

const MAX_REDIRECTS = 5;
/** Larger than any NEMA part (PS3.3 DocBook is about 40 MB). */
const SLACK_BYTES = 256 * 1024 * 1024;

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + (exp / 2) * random();
  const wanted = retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
  return Math.round(Math.min(policy.maxBackoffMs, wanted));
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseRetryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  const e = (encoding ?? 'identity').trim().toLowerCase();
  if (e === 'identity' || e === '') return undefined;
  if (e === 'gzip' || e === 'x-gzip') return createGunzip();
  if (e === 'deflate') return createInflate();
  if (e === 'br') return createBrotliDecompress();
  throw new AttemptError({ retryable: false, problem: `unsupported Content-Encoding "${e}"` });
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // already gone
  }
}

/** Keeps the first `headMax` and last `tailMax` bytes that pass through. */
class HeadTail {
  private headChunks: Buffer[] = [];
  private headLen = 0;
  private tailBuf = Buffer.alloc(0);
  constructor(private readonly headMax: number, private readonly tailMax: number) {}
  push(chunk: Buffer): void {
    if (this.headLen < this.headMax) {
      const take = chunk.subarray(0, this.headMax - this.headLen);
      this.headChunks.push(Buffer.from(take));
      this.headLen += take.length;
    }
    this.tailBuf =
      chunk.length >= this.tailMax ? Buffer.from(chunk.subarray(chunk.length - this.tailMax)) : Buffer.concat([this.tailBuf, chunk]).subarray(-this.tailMax);
  }
  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
  get tail(): Buffer {
    return this.tailBuf;
  }
}

async function attemptOnce(opts: DownloadOptions): Promise<DownloadOutcome> {
  let url = opts.url;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent ?? 'dicom-dictgen',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (opts.conditional?.etag) headers['if-none-match'] = opts.conditional.etag;
    if (opts.conditional?.lastModified) headers['if-modified-since'] = opts.conditional.lastModified;
    const res = await request(url, {
      method: 'GET',
      headers,
      dispatcher: opts.dispatcher,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const status = res.statusCode;
    if (status >= 300 && status < 400 && status !== 304) {
      await res.body.dump();
      const location = header(res.headers, 'location');
      if (!location) throw new AttemptError({ retryable: false, status, problem: `HTTP ${status} without a Location header` });
      if (hop >= MAX_REDIRECTS) throw new AttemptError({ retryable: false, status, problem: `more than ${MAX_REDIRECTS} redirects` });
      url = new URL(location, url).toString();
      continue;
    }
    if (status === 304) {
      await res.body.dump();
      if (!opts.conditional) throw new AttemptError({ retryable: false, status, problem: 'HTTP 304 to an unconditional request' });
      return { status: 'not-modified', attempts: 1 };
    }
    if (status !== 200) {
      await res.body.dump().catch(() => undefined);
      const retryable = status >= 500 || status === 408 || status === 429;
      const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
      throw new AttemptError({ retryable, status, problem: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    return await streamBody(opts, url, res.body, res.headers);
  }
}

async function streamBody(opts: DownloadOptions, finalUrl: string, body: Readable, headers: Record<string, string | string[] | undefined>): Promise<DownloadOutcome> {
  const lengthHeader = header(headers, 'content-length');
  const expected = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  let decoder: Transform | undefined;
  try {
    decoder = decoderFor(header(headers, 'content-encoding'));
  } catch (e) {
    body.destroy();
    throw e;
  }
  let wire = 0;
  let bytes = 0;
  const hash = createHash('sha256');
  const headTail = new HeadTail(HEAD_BYTES, TAIL_BYTES);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      wire += chunk.length;
      opts.onProgress?.(wire, expected);
      cb(null, chunk);
    },
  });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      hash.update(chunk);
      headTail.push(chunk);
      cb(null, chunk);
    },
  });
  // `flush`: fsync before close, so a renamed file is a complete file even after a power cut.
  const out = opts.openOutput ? opts.openOutput(opts.tmpPath) : createWriteStream(opts.tmpPath, { flush: true });
  try {
    // `slack` keeps undici's parser from ever pausing: undici 7 asserts (`!this.paused`, an
    // uncaught exception) when a server closes the connection right after the body while the
    // parser is paused by backpressure. Parts are tens of MB at most; the slack buffers them.
    const slack = new PassThrough({ highWaterMark: SLACK_BYTES });
    await pipeline([body, slack, meter, ...(decoder ? [decoder] : []), tap, out]);
  } catch (e) {
    // A connection closed before Content-Length bytes arrived is a truncation, whatever undici calls
    // it; an idle timeout stays a timeout.
    const code = (e as { code?: unknown } | undefined)?.code;
    // A full disk is not a bad connection: say so, and do not retry.
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new AttemptError({ retryable: false, code, problem: `no space left on the device writing ${opts.tmpPath} (${code})` });
    }
    if (expected !== undefined && wire < expected && code !== 'UND_ERR_BODY_TIMEOUT' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') {
      throw new AttemptError({ retryable: true, code: 'TRUNCATED', problem: `truncated download: ${wire} of ${expected} bytes (Content-Length) before the connection closed` });
    }
    throw e;
  }
  if (expected !== undefined && wire !== expected) {
    throw new AttemptError({ retryable: true, code: 'TRUNCATED', problem: `truncated download: ${wire} of ${expected} bytes (Content-Length)` });
  }
  const problem = opts.validate?.(headTail.head, headTail.tail);
  if (problem) throw new AttemptError({ retryable: false, code: 'NOT_A_PART', problem });
  const etag = header(headers, 'etag');
  const lastModified = header(headers, 'last-modified');
  return {
    status: 'downloaded',
    sha256: hash.digest('hex'),
    bytes,
    head: headTail.head,
    tail: headTail.tail,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    finalUrl,
    attempts: 1,
  };
}

/**
 * Download `opts.url` to `opts.tmpPath`. Resolves with the hash and size (or `not-modified`);
 * rejects with a DownloadError carrying the last failure. The temp file exists only on success.
 */
export async function downloadToTemp(opts: DownloadOptions): Promise<DownloadOutcome> {
  const attempts = opts.retries + 1;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await attemptOnce(opts);
      return { ...out, attempts: attempt };
    } catch (e) {
      await removeQuietly(opts.tmpPath);
      const failure = classifyError(e, opts.timeoutMs);
      if (opts.signal?.aborted || !failure.retryable || attempt >= attempts) throw new DownloadError(opts.url, failure, attempt);
      const delayMs = backoffDelay(attempt, opts, random, failure.retryAfterMs);
      opts.onRetry?.({ attempt: attempt + 1, attempts, delayMs, problem: failure.problem });
      await sleep(delayMs, undefined, opts.signal ? { signal: opts.signal } : undefined);
    }
  }
}
