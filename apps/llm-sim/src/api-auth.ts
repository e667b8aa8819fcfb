import type { IncomingMessage } from 'node:http';
import type { ApiError } from './generation-request';

/** The key a request carries (bearer token or Anthropic's x-api-key), if any. */
function presentedKey(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  const apiKey = req.headers['x-api-key'];
  return bearer ?? (typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined);
}

/**
 * A key revoked through POST /sim/keys (a test revokes one role's key mid-run) is refused with a
 * 401 as a provider refuses a deleted key, whether or not keys are required otherwise.
 */
export function checkRevoked(req: IncomingMessage, provider: 'openai' | 'anthropic', revoked: ReadonlySet<string>): ApiError | null {
  const key = presentedKey(req);
  if (key === undefined || !revoked.has(key)) return null;
  const shown = key.length > 8 ? `${key.slice(0, 3)}...${key.slice(-4)}` : '****';
  return provider === 'openai'
    ? { kind: 'authentication', message: `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, code: 'invalid_api_key' }
    : { kind: 'authentication', message: 'invalid x-api-key' };
}

/**
 * Any non-empty key is accepted (unless revoked): the point is to catch clients that forget to
 * send one, as the real providers would, not to guard anything. Anthropic clients may use
 * x-api-key or a bearer token.
 */
export function checkApiKey(req: IncomingMessage, provider: 'openai' | 'anthropic'): ApiError | null {
  const bearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
  if (provider === 'openai') {
    if (bearer) return null;
    return {
      kind: 'authentication',
      message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      code: null,
    };
  }
  const apiKey = req.headers['x-api-key'];
  if (bearer || (typeof apiKey === 'string' && apiKey.length > 0)) return null;
  return { kind: 'authentication', message: 'x-api-key header is required' };
}
