import { DEFAULT_OUTAGE_PAUSE_MS, type CampaignConfig, type CleanEmbeddingsConfig } from '@tapir/core';
import { endpointKey, modelFacts, OpenAIEmbeddingProvider, resolveApiKey, type EmbeddingProvider, type Price } from '@tapir/llm';
import { ConcurrencyLimiter } from '../concurrency-limiter';
import type { EndpointIdentity } from '../endpoint-health';
import { PermanentStepError } from '../step-error';

/** An embeddings endpoint with what the send hooks need (rate-limit identity, concurrency slot). */
export interface EmbeddingEndpoint {
  provider: EmbeddingProvider;
  endpointKey: string;
  settings: { rateLimit?: { rpm?: number | undefined; tpm?: number | undefined } | undefined };
  limiter: ConcurrencyLimiter;
  price: Price | undefined;
  batchSize: number;
  /** For the endpoint's circuit breaker and the messages that pause a campaign (endpoint-health.ts). */
  identity: EndpointIdentity;
}

/**
 * Where `clean.embeddings` sends: a named role lends its provider, base URL and API key variable,
 * and the section's own fields override them; the model is always the section's. No client and no
 * key are needed to know it (`tapir resume` resets the endpoint's breaker by its key).
 */
export function embeddingTarget(config: CampaignConfig, embeddings: CleanEmbeddingsConfig) {
  const role = embeddings.role === undefined ? undefined : config.models[embeddings.role];
  const provider = embeddings.provider ?? role?.provider;
  if (provider === undefined) throw new PermanentStepError('clean.embeddings: name role or provider');
  if (provider === 'anthropic') {
    throw new PermanentStepError(
      `clean.embeddings.role: the ${embeddings.role ?? ''} role's provider is anthropic, which has no embeddings API; set clean.embeddings.provider and baseURL`,
    );
  }
  const baseURL = embeddings.baseURL ?? (embeddings.provider === undefined || embeddings.provider === role?.provider ? role?.baseURL : undefined);
  return { role, provider, baseURL, apiKeyEnv: embeddings.apiKeyEnv ?? role?.apiKeyEnv, endpointKey: endpointKey(provider, baseURL, embeddings.model) };
}

/** `clean.embeddings` as an endpoint (embeddingTarget), with its client, limits and identity. */
export function embeddingEndpoint(config: CampaignConfig, embeddings: CleanEmbeddingsConfig, env: NodeJS.ProcessEnv = process.env): EmbeddingEndpoint {
  const { role, provider, baseURL, apiKeyEnv, endpointKey: key } = embeddingTarget(config, embeddings);
  const settings = { provider, model: embeddings.model, baseURL, apiKeyEnv, temperature: 0, maxTokens: 1, timeoutMs: embeddings.timeoutMs };
  const apiKey = resolveApiKey(settings, env);
  const override = embeddings.pricing === undefined ? undefined : { inputPerMTok: embeddings.pricing.inputPerMTok, outputPerMTok: 0 };
  // A field set in clean.embeddings is the one to fix; one lent by the role is the role's.
  const fieldOf = (setting: 'apiKeyEnv' | 'baseURL') =>
    embeddings[setting] !== undefined || embeddings.role === undefined ? `clean.embeddings.${setting}` : `models.${embeddings.role}.${setting}`;
  const identity: EndpointIdentity = {
    role: 'embeddings',
    // Outages are waited out as long as for the lending role (its breaker settings too).
    settings: { provider, model: embeddings.model, baseURL, apiKeyEnv, outagePauseMs: role?.outagePauseMs ?? DEFAULT_OUTAGE_PAUSE_MS, breaker: role?.breaker },
    endpointKey: key,
    fields: {
      model: 'clean.embeddings.model',
      apiKeyEnv: fieldOf('apiKeyEnv'),
      baseURL: fieldOf('baseURL'),
      outagePauseMs: embeddings.role === undefined ? 'the default outage pause' : `models.${embeddings.role}.outagePauseMs`,
    },
  };
  return {
    identity,
    provider: new OpenAIEmbeddingProvider({ provider, model: embeddings.model, baseURL, timeoutMs: embeddings.timeoutMs }, apiKey),
    endpointKey: key,
    settings: {},
    limiter: new ConcurrencyLimiter(embeddings.concurrency),
    price: modelFacts(embeddings.model, override).price,
    batchSize: embeddings.batchSize,
  };
}
