import { LlmError, toLlmError } from './llm-error';

/** Socket and DNS error codes (Node's, undici's), in the words a user looks for. */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS, EAI_AGAIN)',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host name',
};

interface Caused {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * The innermost error that says what the network did: the SDKs wrap fetch's "fetch failed",
 * which wraps the socket error (or an AggregateError of one per address tried).
 */
function networkCause(err: unknown): { code?: string; message?: string } | undefined {
  let found: { code?: string; message?: string } | undefined;
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return;
    seen.add(e);
    const c = e as Caused;
    if (typeof c.code === 'string') found ??= { code: c.code, ...(typeof c.message === 'string' ? { message: c.message } : {}) };
    if (Array.isArray(c.errors)) c.errors.forEach(visit);
    visit(c.cause);
    // The innermost message without a code, e.g. fetch's "bad port" for a blocked port.
    if (found === undefined && c.cause === undefined && typeof c.message === 'string') found = { message: c.message };
  };
  visit(err);
  return found;
}

/** What a user needs to hear of one failed probe: no stack, no SDK class names, never the key. */
export interface ProbeFailure {
  /** e.g. "connection refused", "401", "no answer within 10 s" */
  text: string;
  /** 401/403: the key (or its access) is the problem, so the message points at apiKeyEnv. */
  auth: boolean;
  /** The API key variable is not set at all. */
  missingKey: boolean;
}

/**
 * Words for a failed probe. Provider error bodies are kept for statuses that explain themselves
 * (404 names the model, 400 the parameter) but dropped for 401/403, whose bodies may echo part
 * of the key ("Incorrect API key provided: sk-...abcd").
 */
export function describeProbeFailure(raw: unknown, timeoutMs: number): ProbeFailure {
  if (raw instanceof LlmError && raw.kind === 'missing_api_key') return { text: raw.message, auth: false, missingKey: true };
  const err = toLlmError(raw);
  const none = { auth: false, missingKey: false };
  if (err.status === 401 || err.status === 403) return { text: String(err.status), auth: true, missingKey: false };
  if (err.status !== undefined) {
    const body = err.message.replace(/^\d{3}\s*/, '').trim();
    return { text: body ? `${err.status} ${body.slice(0, 200)}` : String(err.status), ...none };
  }
  if (err.kind === 'timeout') return { text: `no answer within ${formatSeconds(timeoutMs)}`, ...none };
  const cause = networkCause(raw);
  if (cause?.code !== undefined && NETWORK_CODES[cause.code]) return { text: NETWORK_CODES[cause.code]!, ...none };
  if (cause?.code !== undefined) return { text: `${cause.code}${cause.message ? ` (${cause.message})` : ''}`, ...none };
  if (cause?.message !== undefined && cause.message !== err.message) return { text: `${err.message.replace(/\.$/, '')}: ${cause.message}`, ...none };
  return { text: err.message, ...none };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
