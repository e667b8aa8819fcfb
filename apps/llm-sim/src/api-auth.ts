import type { IncomingMessage } from 'node:http';
import type { ApiError } from './generation-request';

/**
 * Any non-empty key is accepted: the point is to catch clients that forget to send one, as the
 * real providers would, not to guard anything. Anthropic clients may use x-api-key or a bearer token.
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
