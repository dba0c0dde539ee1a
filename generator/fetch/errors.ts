/**
 * Download failures as one-line DictgenErrors (kind `network`, exit 1 in the CLI): what failed,
 * where (edition, part, URL), and the fix. Also the classification that drives retries.
 */
import { DictgenError } from '../../sources/common/errors.ts';

export function networkError(where: string, problem: string, fix: string): DictgenError {
  return new DictgenError('network', `${where}: ${problem}. ${fix}`);
}

/** A failed attempt, classified: may it be retried, and how to describe it in one line. */
export interface AttemptFailure {
  retryable: boolean;
  /** `HTTP 503`, `connection reset (ECONNRESET)`, `no response within 30000 ms` … */
  problem: string;
  /** Server-requested delay (Retry-After), in ms. */
  retryAfterMs?: number;
  /** HTTP status, when the failure is a status. */
  status?: number;
  /** Node / undici error code, when there is one. */
  code?: string;
}

/** Raised inside one attempt for failures we detect ourselves (status, truncation, not a part). */
export class AttemptError extends Error {
  readonly failure: AttemptFailure;
  constructor(failure: AttemptFailure) {
    super(failure.problem);
    this.name = 'AttemptError';
    this.failure = failure;
  }
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Connection-level failures worth another attempt (what npm and pip retry). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_CLOSED',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);

export function classifyError(e: unknown, timeoutMs: number): AttemptFailure {
  if (e instanceof AttemptError) return e.failure;
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  // undici: "Proxy response (407) !== 200 when HTTP Tunneling".
  const proxy = /Proxy response \((\d{3})\)/.exec(message);
  if (proxy) {
    const status = Number(proxy[1]);
    return { retryable: status >= 500, code: 'PROXY', problem: `the proxy answered HTTP ${status} to CONNECT${status === 407 ? ' (proxy authentication required)' : ''}` };
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { retryable: true, code, problem: `could not connect within ${timeoutMs} ms (connect timeout)` };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { retryable: true, code, problem: `no response within ${timeoutMs} ms (timeout waiting for headers)` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { retryable: true, code, problem: `download stalled: no data for ${timeoutMs} ms (idle timeout)` };
    case 'UND_ERR_SOCKET':
      return { retryable: true, code, problem: `connection closed by the server mid-transfer (${message})` };
    case 'ECONNRESET':
      return { retryable: true, code, problem: 'connection reset (ECONNRESET)' };
    case 'ECONNREFUSED':
      return { retryable: true, code, problem: 'connection refused (ECONNREFUSED)' };
    case 'ENOTFOUND':
      return { retryable: false, code, problem: 'host not found (ENOTFOUND): no DNS, or no network' };
    case 'EAI_AGAIN':
      return { retryable: true, code, problem: 'DNS lookup failed (EAI_AGAIN): no network?' };
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_ABORT':
    case 'ABORT_ERR':
      return { retryable: false, code, problem: `aborted (${message})` };
    default:
      if (code && RETRYABLE_CODES.has(code)) return { retryable: true, code, problem: `${message} (${code})` };
      // Certificate problems, proxy refusals, invalid URLs: another attempt will not help.
      return { retryable: false, ...(code ? { code } : {}), problem: code ? `${message} (${code})` : message };
  }
}

/** Is this failure "the network is not there" (used by refresh to say so plainly)? */
export function isNetworkUnavailable(f: AttemptFailure): boolean {
  return f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN' || f.code === 'ECONNREFUSED' || f.code === 'ENETUNREACH' || f.code === 'EHOSTUNREACH' || f.code === 'UND_ERR_CONNECT_TIMEOUT';
}
