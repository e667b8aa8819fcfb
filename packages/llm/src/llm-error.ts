import { TapirError, type Postponement } from '@tapir/core';

/**
 * Why a model call failed, and whether trying again can help. Rate limits carry how long the
 * provider asked us to wait; the pipeline slows the endpoint instead of spending attempts.
 */
export type LlmErrorKind =
  | 'rate_limit'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'bad_request'
  | 'context_length'
  | 'auth'
  | 'not_found'
  | 'missing_api_key'
  | 'quota'
  | 'unknown';

const RETRYABLE: Record<LlmErrorKind, boolean> = {
  rate_limit: true,
  server: true,
  timeout: true,
  connection: true,
  bad_request: false,
  context_length: false,
  auth: false,
  not_found: false,
  missing_api_key: false,
  quota: false,
  unknown: true,
};

/** A 429 is the endpoint asking for time: the job waits what it says, without spending an attempt. */
function rateLimitWait(retryAfterMs: number | undefined): Postponement {
  return { afterMs: retryAfterMs ?? 1000, jitterMs: 500 };
}

/**
 * A request that never reached a server (refused, reset, DNS) says nothing about the request: the
 * job comes back without spending an attempt, by when the endpoint's breaker knows whether it is down.
 */
const UNREACHABLE_WAIT: Postponement = { afterMs: 2000, jitterMs: 1000 };

function postponementFor(kind: LlmErrorKind, retryAfterMs: number | undefined): Postponement | undefined {
  if (kind === 'rate_limit') return rateLimitWait(retryAfterMs);
  if (kind === 'connection') return UNREACHABLE_WAIT;
  return undefined;
}

export class LlmError extends TapirError {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message, { retryable: RETRYABLE[kind], postpone: postponementFor(kind, retryAfterMs) });
    this.name = 'LlmError';
  }
}

interface SdkLikeError {
  status?: number;
  headers?: Headers | Record<string, string>;
  message?: string;
  name?: string;
  code?: string;
  error?: unknown;
}

function header(headers: SdkLikeError['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** Reads retry-after-ms (OpenAI) or retry-after (seconds or an HTTP date). */
export function retryAfterMsFrom(headers: SdkLikeError['headers'], now = Date.now()): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function isContextLength(err: SdkLikeError): boolean {
  const text = `${err.message ?? ''} ${JSON.stringify(err.error ?? '')}`.toLowerCase();
  return /context[_ ]length|maximum context|too many tokens|prompt is too long|context window/.test(text);
}

/** Maps an error thrown by either SDK (or by fetch) onto an LlmError. */
export function toLlmError(raw: unknown): LlmError {
  if (raw instanceof LlmError) return raw;
  const err = (raw ?? {}) as SdkLikeError;
  const message = (err.message ?? String(raw)).slice(0, 500);
  // The SDKs' error classes keep name 'Error'; the class name says what happened.
  const name = `${(raw as object | null)?.constructor?.name ?? ''} ${err.name ?? ''}`;
  const status = typeof err.status === 'number' ? err.status : undefined;
  if (status === undefined) {
    if (/Timeout/i.test(name) || /timed? ?out/i.test(message)) return new LlmError('timeout', message);
    if (/Connection|Fetch|Socket/i.test(name) || /ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket|network|fetch failed/i.test(message)) {
      return new LlmError('connection', message);
    }
    return new LlmError('unknown', message);
  }
  // OpenAI answers an exhausted account with 429 too; no amount of waiting fixes that.
  if (status === 429 && /insufficient_quota|exceeded your current quota|billing/i.test(`${message} ${JSON.stringify(err.error ?? '')}`)) {
    return new LlmError('quota', message, status);
  }
  if (status === 429) return new LlmError('rate_limit', message, status, retryAfterMsFrom(err.headers));
  if (status === 408) return new LlmError('timeout', message, status);
  if (status >= 500) return new LlmError('server', message, status, retryAfterMsFrom(err.headers));
  if (status === 401 || status === 403) return new LlmError('auth', message, status);
  if (status === 404) return new LlmError('not_found', message, status);
  if ((status === 400 || status === 413 || status === 422) && isContextLength(err)) {
    return new LlmError('context_length', message, status);
  }
  if (status === 409) return new LlmError('server', message, status);
  return new LlmError('bad_request', message, status);
}
