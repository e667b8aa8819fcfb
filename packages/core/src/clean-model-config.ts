import { z } from 'zod';
import { intAtLeast, nonEmptyText, numberFromTo } from './config-fields';
import { apiKeyEnvSchema } from './api-key-env';
import type { ModelRole } from './config-schema';
import { PROVIDERS, providersWith } from './providers';

/**
 * The model-based sub-sections of `clean:` (Platypus' semantic dedup and decontamination by
 * embeddings, a perplexity bound, Ziya2's LLM quality rating). Each is off when absent; the
 * rule-based filters and the rest of `clean:` live beside them.
 */

const mappingError = (fields: string) => ({
  error: (iss: { code?: string }) => (iss.code === 'invalid_type' ? `expected a mapping with ${fields}` : undefined),
});
// Spelled out rather than imported: config-schema.ts will import this file for `clean:`, and a
// value import back would be a require cycle. The type import keeps the two lists equal.
const MODEL_ROLES = ['teacher', 'student', 'judge'] as const satisfies readonly ModelRole[];

/** Platypus removes every training question within cosine 0.8 of a benchmark question. */
export const DEFAULT_DECONTAMINATE_COSINE = 0.8;
/** Texts per embeddings request: OpenAI takes up to 2,048; local servers (TEI, vLLM) prefer a few dozen. */
export const DEFAULT_EMBEDDING_BATCH_SIZE = 64;
export const DEFAULT_EMBEDDING_CONCURRENCY = 4;

export const cleanEmbeddingsSchema = z
  .strictObject(
    {
      model: nonEmptyText,
      /** Reuse a model role's endpoint (provider, base URL, API key, rate limit); own fields below override it. */
      role: z.enum(MODEL_ROLES, { error: `expected one of ${MODEL_ROLES.map((r) => `"${r}"`).join(', ')}` }).optional(),
      provider: z.enum(PROVIDERS, { error: `expected one of ${PROVIDERS.map((p) => `"${p}"`).join(', ')}` }).optional(),
      baseURL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
      apiKeyEnv: apiKeyEnvSchema.optional(),
      batchSize: intAtLeast(1).max(2048, { error: 'expected an integer from 1 to 2048 (OpenAI takes at most 2,048 inputs per request)' }).default(DEFAULT_EMBEDDING_BATCH_SIZE),
      concurrency: intAtLeast(1).default(DEFAULT_EMBEDDING_CONCURRENCY),
      timeoutMs: intAtLeast(1).default(120_000),
      /** USD per million input tokens, for a model the price list does not know. */
      pricing: z.strictObject({ inputPerMTok: z.number({ error: 'expected a number >= 0' }).min(0, { error: 'expected a number >= 0' }) }, mappingError('inputPerMTok')).optional(),
      /** Semantic dedup is on only when set: items this close to a kept one are dropped. */
      dedupCosine: numberFromTo(0, 1).optional(),
      decontaminateCosine: numberFromTo(0, 1).default(DEFAULT_DECONTAMINATE_COSINE),
    },
    mappingError('at least model, and role or provider'),
  )
  .superRefine((e, ctx) => {
    if (e.role === undefined && e.provider === undefined) {
      ctx.addIssue({ code: 'custom', path: ['provider'], message: 'name the endpoint: either role (teacher, student or judge, whose endpoint is reused) or provider with baseURL' });
    }
    if (e.provider === 'anthropic') {
      ctx.addIssue({ code: 'custom', path: ['provider'], message: 'Anthropic has no embeddings API; use an OpenAI or OpenAI-compatible endpoint (vLLM, Ollama, TEI)' });
    }
    if (e.role === undefined && e.provider !== undefined && !providersWith('needsApiKey', false).includes(e.provider) && e.apiKeyEnv === undefined) {
      ctx.addIssue({ code: 'custom', path: ['apiKeyEnv'], message: `required for provider ${e.provider}: name the environment variable that holds the API key` });
    }
  });

export const cleanPerplexitySchema = z.strictObject(
  {
    /** Items whose instruction the student finds more surprising than this (exp of the mean token NLL) are dropped. */
    max: z.number({ error: 'expected a number > 1' }).gt(1, { error: 'expected a number > 1' }),
  },
  mappingError('max'),
);

export const cleanQualityRatingSchema = z.strictObject(
  {
    /** Items the judge rates below this (1-10, the mean of consistency and readability) are dropped. */
    min: numberFromTo(1, 10),
    role: z.enum(MODEL_ROLES, { error: `expected one of ${MODEL_ROLES.map((r) => `"${r}"`).join(', ')}` }).default('judge'),
    maxParseAttempts: intAtLeast(1).default(3),
  },
  mappingError('min'),
);

export type CleanEmbeddingsConfig = z.infer<typeof cleanEmbeddingsSchema>;
export type CleanPerplexityConfig = z.infer<typeof cleanPerplexitySchema>;
export type CleanQualityRatingConfig = z.infer<typeof cleanQualityRatingSchema>;

/** The model-based part of `clean:`; a sub-section left out is not run. */
export interface CleanModelConfig {
  embeddings?: CleanEmbeddingsConfig | undefined;
  perplexity?: CleanPerplexityConfig | undefined;
  qualityRating?: CleanQualityRatingConfig | undefined;
}
