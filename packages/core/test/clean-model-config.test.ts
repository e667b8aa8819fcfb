import { cleanEmbeddingsSchema, cleanPerplexitySchema, cleanQualityRatingSchema } from '../src';

function issues(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('clean model-based config sections', () => {
  test('embeddings: defaults, and a role or a provider is required', () => {
    expect(cleanEmbeddingsSchema.parse({ model: 'text-embedding-3-small', role: 'teacher' })).toEqual({
      model: 'text-embedding-3-small',
      role: 'teacher',
      batchSize: 64,
      concurrency: 4,
      timeoutMs: 120_000,
      decontaminateCosine: 0.8,
    });
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5' }))).toEqual([expect.stringMatching(/^provider: name the endpoint: either role/)]);
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5', provider: 'anthropic', apiKeyEnv: 'K' }))).toEqual([expect.stringMatching(/^provider: Anthropic has no embeddings API/)]);
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5', provider: 'openai' }))).toEqual([expect.stringMatching(/^apiKeyEnv: required for provider openai/)]);
    expect(cleanEmbeddingsSchema.safeParse({ model: 'e5', provider: 'openai-compatible', baseURL: 'http://gpu:8080/v1' }).success).toBe(true);
  });

  test('embeddings: bounds name their field', () => {
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5', role: 'judge', dedupCosine: 1.5, batchSize: 5000, decontaminateCosine: 'high' }))).toEqual([
      'batchSize: expected an integer from 1 to 2048 (OpenAI takes at most 2,048 inputs per request)',
      'dedupCosine: expected a number from 0 to 1',
      'decontaminateCosine: expected a number from 0 to 1',
    ]);
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5', role: 'judge', apiKeyEnv: 'sk-abcdefghijklmnopqrstuvwxyz123456' }))[0]).toMatch(/^apiKeyEnv: this looks like an API key itself/);
    expect(issues(cleanEmbeddingsSchema.safeParse({ model: 'e5', role: 'judge', extra: 1 }))[0]).toMatch(/extra/);
  });

  test('perplexity and quality rating', () => {
    expect(cleanPerplexitySchema.parse({ max: 1500 })).toEqual({ max: 1500 });
    expect(issues(cleanPerplexitySchema.safeParse({ max: 1 }))).toEqual(['max: expected a number > 1']);
    expect(cleanQualityRatingSchema.parse({ min: 4 })).toEqual({ min: 4, role: 'judge', maxParseAttempts: 3 });
    expect(issues(cleanQualityRatingSchema.safeParse({ min: 0, role: 'critic' }))).toEqual(['min: expected a number from 1 to 10', 'role: expected one of "teacher", "student", "judge"']);
  });
});
