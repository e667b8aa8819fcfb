import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RunningSimulator, SimulatorStats } from '../src';
import { anthropicClient, openaiClient, postJson, startTestSimulator } from './fixtures';

const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('rate limits, stats and runtime configuration', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ rateLimits: { 'sim-teacher': { rpm: 3 } } });
  });
  afterEach(() => sim.close());

  test('the openai SDK surfaces RateLimitError with retry-after headers once rpm is used up', async () => {
    const client = openaiClient(sim);
    const first = await client.chat.completions.create({ model: 'sim-teacher', messages: hello }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    await client.chat.completions.create({ model: 'sim-teacher', messages: hello });
    await client.chat.completions.create({ model: 'sim-teacher', messages: hello });

    const error = await client.chat.completions.create({ model: 'sim-teacher', messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('requests');
    expect(rateLimit.message).toMatch(/Rate limit reached for sim-teacher .* Limit 3, Used 3, Requested 1/);
    const retryAfter = Number(rateLimit.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(rateLimit.headers.get('retry-after-ms'))).toBeGreaterThan(58_000);
    expect(rateLimit.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    // Other models have their own (here: no) limit.
    await expect(client.chat.completions.create({ model: 'sim-student', messages: hello })).resolves.toBeDefined();
  });

  test('the anthropic SDK surfaces RateLimitError with anthropic-ratelimit headers', async () => {
    const client = anthropicClient(sim);
    const ok = await client.messages.create({ model: 'sim-teacher', max_tokens: 50, messages: hello }).withResponse();
    expect(ok.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('3');
    expect(ok.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('2');
    await client.messages.create({ model: 'sim-teacher', max_tokens: 50, messages: hello });
    await client.messages.create({ model: 'sim-teacher', max_tokens: 50, messages: hello });
    const error = await client.messages.create({ model: 'sim-teacher', max_tokens: 50, messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(rateLimit.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rateLimit.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
  });

  test('tpm limits reserve prompt + max_tokens and reject requests larger than the limit', async () => {
    sim.configure({ rateLimits: { 'sim-judge': { tpm: 300 } } });
    const client = openaiClient(sim);
    await client.chat.completions.create({ model: 'sim-judge', messages: hello, max_tokens: 100 });
    await client.chat.completions.create({ model: 'sim-judge', messages: hello, max_tokens: 100 });
    const error = await client.chat.completions.create({ model: 'sim-judge', messages: hello, max_tokens: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).type).toBe('tokens');
    const tooLarge = await client.chat.completions.create({ model: 'sim-judge', messages: hello, max_tokens: 1000 }).catch((e: unknown) => e);
    expect((tooLarge as InstanceType<typeof OpenAI.RateLimitError>).message).toMatch(/Limit 300, Used \d+, Requested 1\d{3}/);
  });

  test("the '*' entry limits every model without its own entry", async () => {
    sim.configure({ rateLimits: { '*': { rpm: 1 } } });
    const client = openaiClient(sim);
    await client.chat.completions.create({ model: 'anything', messages: hello });
    await expect(client.chat.completions.create({ model: 'anything', messages: hello })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(client.chat.completions.create({ model: 'other', messages: hello })).resolves.toBeDefined();
  });

  test('SDK retries honour retry-after-ms and succeed once the window frees up', async () => {
    sim.configure({ faults: { rateLimitRate: 0.5 } });
    const client = openaiClient(sim, { maxRetries: 10 });
    for (let i = 0; i < 6; i++) {
      await expect(client.chat.completions.create({ model: 'sim-student', messages: [{ role: 'user', content: `q${i}` }] })).resolves.toBeDefined();
    }
    expect(sim.stats().byModel['sim-student']?.rateLimited).toBeGreaterThan(0);
  });

  test('stats count requests, outcomes and tokens per model and endpoint', async () => {
    const client = openaiClient(sim);
    const completion = await client.chat.completions.create({ model: 'sim-teacher', messages: hello });
    await client.chat.completions.create({ model: 'sim-teacher', messages: [] }).catch(() => undefined);
    await anthropicClient(sim).messages.create({ model: 'sim-student', max_tokens: 20, messages: hello });
    const stats = sim.stats();
    expect(stats.requests).toBe(3);
    expect(stats.byEndpoint).toEqual({ 'POST /v1/chat/completions': 2, 'POST /v1/messages': 1 });
    expect(stats.byModel['sim-teacher']).toEqual({
      requests: 2, ok: 1, rateLimited: 0, errors: 1,
      inputTokens: completion.usage?.prompt_tokens, outputTokens: completion.usage?.completion_tokens,
    });
    expect(stats.byModel['sim-student']?.outputTokens).toBe(20);
    expect(stats.byKind).toEqual({ answer: 2 });
  });

  test('/sim/config, /sim/stats and /sim/reset-stats work over HTTP for other processes', async () => {
    const client = openaiClient(sim);
    const configured = await postJson(`${sim.url}/sim/config`, { rateLimits: { 'sim-student': { rpm: 1 } }, latencyMs: 30 });
    expect(configured.status).toBe(200);
    await client.chat.completions.create({ model: 'sim-student', messages: hello });
    await expect(client.chat.completions.create({ model: 'sim-student', messages: hello })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    // The old teacher limit is gone: rateLimits was replaced wholesale.
    for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'sim-teacher', messages: hello });

    const started = Date.now();
    await client.chat.completions.create({ model: 'sim-teacher', messages: hello });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const stats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as SimulatorStats;
    expect(stats.byModel['sim-student']).toMatchObject({ requests: 2, ok: 1, rateLimited: 1 });
    expect((await postJson(`${sim.url}/sim/reset-stats`, {})).status).toBe(200);
    expect(sim.stats()).toEqual({ requests: 0, byModel: {}, byEndpoint: {}, injected: {}, byKind: {}, wire: { inFlight: 0, entered: 0, billed: 0, undelivered: 0, distinctBilled: 0, billedAgain: 0 } });

    const bad = await postJson(`${sim.url}/sim/config`, { faults: { serverErrorRate: 2 } });
    expect(bad.status).toBe(400);
    const unknown = await postJson(`${sim.url}/sim/config`, { colour: 'red' });
    expect(unknown.status).toBe(400);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });
});
