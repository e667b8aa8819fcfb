import { createHash } from 'node:crypto';

/**
 * The SDKs' built-in base URLs: a role that leaves baseURL out and one that spells the default
 * out talk to the same endpoint and must share its limits.
 */
const DEFAULT_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** Trailing slashes, case and surrounding blanks do not make another endpoint. */
export function normalizeEndpointBaseUrl(provider: string, baseURL: string | undefined): string {
  const given = (baseURL ?? '').trim();
  const url = given === '' ? (DEFAULT_BASE_URLS[provider.trim().toLowerCase()] ?? '') : given;
  return url.replace(/\/+$/, '').toLowerCase();
}

/**
 * Names one model endpoint in Redis: a short hash of provider, base URL and model, so that every
 * worker on every machine lands on the same key. Built from those three only; never from an API
 * key, which therefore cannot leak through Redis or a log line.
 */
export function endpointKey(provider: string, baseURL: string | undefined, model: string): string {
  const canonical = JSON.stringify([provider.trim().toLowerCase(), normalizeEndpointBaseUrl(provider, baseURL), model.trim()]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 20);
}
