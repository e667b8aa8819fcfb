import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { EndpointConfig } from './endpoint';
import { toLlmError } from './llm-error';
import { resolveApiKey } from './provider-factory';

/** How a probe proved the endpoint: a model lookup (free) or a one-token completion. */
export type ProbeMethod = 'model lookup' | 'completion';

export type ProbeOutcome = { ok: true; method: ProbeMethod } | { ok: false; method: ProbeMethod; error: unknown };

/**
 * The request each provider gets, and why (README, "Preflight"):
 * - `openai` and `anthropic`: GET /v1/models/{model}. It costs nothing, needs the key, and on
 *   the vendors' own APIs answers 404 for a model the key cannot use, so it proves address, key
 *   and model name at once.
 * - `openai-compatible` (vLLM, Ollama, gateways): a completion of one token. Their model routes
 *   are missing, unauthenticated or list-only on some servers, so only a generation proves that
 *   this key may use this model here; on a self-hosted server a token costs nothing.
 * A lookup answered 404 or 405 may be a gateway without the route rather than an unknown model,
 * so it is followed by the one-token completion, whose answer decides.
 */
export function probeMethodFor(endpoint: Pick<EndpointConfig, 'provider'>): ProbeMethod {
  return endpoint.provider === 'openai-compatible' ? 'completion' : 'model lookup';
}

export interface ProbeOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * One cheap request to an endpoint through the SDK and key the campaign uses, with no retries
 * and a short timeout. It goes around the ledger on purpose: nothing is recorded or charged to a
 * campaign. Never throws; a missing key variable comes back as the error.
 */
export async function probeEndpoint(endpoint: EndpointConfig, opts: ProbeOptions): Promise<ProbeOutcome> {
  const method = probeMethodFor(endpoint);
  let apiKey: string;
  try {
    apiKey = resolveApiKey(endpoint, opts.env);
  } catch (error) {
    return { ok: false, method, error };
  }
  const client = clientFor(endpoint, apiKey, opts.timeoutMs);
  if (method === 'model lookup') {
    try {
      await client.lookupModel();
      return { ok: true, method };
    } catch (error) {
      const status = toLlmError(error).status;
      if (status !== 404 && status !== 405) return { ok: false, method, error };
    }
  }
  try {
    await client.completeOneToken();
    return { ok: true, method: 'completion' };
  } catch (error) {
    return { ok: false, method: 'completion', error };
  }
}

interface ProbeClient {
  lookupModel(): Promise<unknown>;
  completeOneToken(): Promise<unknown>;
}

/**
 * Each probe's prompt is its own (a nonce): a caching gateway or proxy must not answer it from a
 * cache while the model behind it is down, and a provider's bill (or the simulator's, which the
 * fault suite audits for requests paid twice) must not see one request bought again per start.
 */
const probePrompt = () => `Reply with OK. (tapir preflight ${randomUUID().slice(0, 8)})`;

function clientFor(endpoint: EndpointConfig, apiKey: string, timeoutMs: number): ProbeClient {
  // A switch without default: a provider added to core's table fails tsc here until it has a probe.
  switch (endpoint.provider) {
    case 'anthropic': {
      const client = new Anthropic({ apiKey, baseURL: endpoint.baseURL, maxRetries: 0, timeout: timeoutMs });
      return {
        lookupModel: () => client.models.retrieve(endpoint.model),
        completeOneToken: () =>
          client.messages.create({ model: endpoint.model, max_tokens: 1, messages: [{ role: 'user', content: probePrompt() }] }),
      };
    }
    case 'openai':
    case 'openai-compatible': {
      const client = new OpenAI({ apiKey, baseURL: endpoint.baseURL, maxRetries: 0, timeout: timeoutMs });
      // As in OpenAIProvider: OpenAI's own API wants max_completion_tokens, older servers max_tokens.
      const limit = endpoint.provider === 'openai' ? { max_completion_tokens: 1 } : { max_tokens: 1 };
      return {
        lookupModel: () => client.models.retrieve(endpoint.model),
        completeOneToken: () =>
          client.chat.completions.create({ model: endpoint.model, messages: [{ role: 'user', content: probePrompt() }], temperature: 0, ...limit }),
      };
    }
  }
}
