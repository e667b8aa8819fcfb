import type { CampaignConfig, CleanEmbeddingsConfig } from '@tapir/core';
import { endpointKey, modelFacts, OpenAIEmbeddingProvider, resolveApiKey, type EmbeddingProvider, type Price } from '@tapir/llm';
import { ConcurrencyLimiter } from '../concurrency-limiter';
import { PermanentStepError } from '../step-error';

/** An embeddings endpoint with what the send hooks need (rate-limit identity, concurrency slot). */
export interface EmbeddingEndpoint {
  provider: EmbeddingProvider;
  endpointKey: string;
  settings: { rateLimit?: { rpm?: number | undefined; tpm?: number | undefined } | undefined };
  limiter: ConcurrencyLimiter;
  price: Price | undefined;
  batchSize: number;
}

/**
 * `clean.embeddings` as an endpoint: a named role lends its provider, base URL and API key
 * variable, and the section's own fields override them; the model is always the section's.
 */
export function embeddingEndpoint(config: CampaignConfig, embeddings: CleanEmbeddingsConfig, env: NodeJS.ProcessEnv = process.env): EmbeddingEndpoint {
  const role = embeddings.role === undefined ? undefined : config.models[embeddings.role];
  const provider = embeddings.provider ?? role?.provider;
  if (provider === undefined) throw new PermanentStepError('clean.embeddings: name role or provider');
  if (provider === 'anthropic') {
    throw new PermanentStepError(
      `clean.embeddings.role: the ${embeddings.role ?? ''} role's provider is anthropic, which has no embeddings API; set clean.embeddings.provider and baseURL`,
    );
  }
  const baseURL = embeddings.baseURL ?? (embeddings.provider === undefined || embeddings.provider === role?.provider ? role?.baseURL : undefined);
  const apiKeyEnv = embeddings.apiKeyEnv ?? role?.apiKeyEnv;
  const settings = { provider, model: embeddings.model, baseURL, apiKeyEnv, temperature: 0, maxTokens: 1, timeoutMs: embeddings.timeoutMs };
  const apiKey = resolveApiKey(settings, env);
  const override = embeddings.pricing === undefined ? undefined : { inputPerMTok: embeddings.pricing.inputPerMTok, outputPerMTok: 0 };
  return {
    provider: new OpenAIEmbeddingProvider({ provider, model: embeddings.model, baseURL, timeoutMs: embeddings.timeoutMs }, apiKey),
    endpointKey: endpointKey(provider, baseURL, embeddings.model),
    settings: {},
    limiter: new ConcurrencyLimiter(embeddings.concurrency),
    price: modelFacts(embeddings.model, override).price,
    batchSize: embeddings.batchSize,
  };
}
