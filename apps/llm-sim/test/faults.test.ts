import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RunningSimulator } from '../src';
import { anthropicClient, lionJudgePrompt, mtBenchPrompt, openaiClient, parseTwoScores, startTestSimulator } from './fixtures';

type Outcome = 'ok' | 'server_error' | 'overloaded' | 'rate_limited' | 'reset' | 'timeout' | 'other';

function classify(error: unknown): Outcome {
  if (error instanceof OpenAI.RateLimitError || error instanceof Anthropic.RateLimitError) return 'rate_limited';
  if (error instanceof OpenAI.APIConnectionTimeoutError || error instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError) return 'reset';
  if (error instanceof OpenAI.APIError || error instanceof Anthropic.APIError) {
    if (error.status === 500) return 'server_error';
    if (error.status === 503 || error.status === 529) return 'overloaded';
  }
  return 'other';
}

describe('fault injection', () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  test('rates are roughly honoured over 400 requests (openai SDK)', async () => {
    sim = await startTestSimulator({ faults: { serverErrorRate: 0.1, overloadedRate: 0.05, rateLimitRate: 0.1, resetRate: 0.05 } });
    const client = openaiClient(sim);
    const counts: Record<Outcome, number> = { ok: 0, server_error: 0, overloaded: 0, rate_limited: 0, reset: 0, timeout: 0, other: 0 };
    for (let batch = 0; batch < 8; batch++) {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          client.chat.completions
            .create({ model: 'sim-student', messages: [{ role: 'user', content: `Question ${batch * 50 + i}` }] })
            .then((): Outcome => 'ok', classify),
        ),
      );
      for (const outcome of outcomes) counts[outcome]++;
    }
    expect(counts.other).toBe(0);
    expect(counts.server_error).toBeGreaterThanOrEqual(20);
    expect(counts.server_error).toBeLessThanOrEqual(62);
    expect(counts.overloaded).toBeGreaterThanOrEqual(6);
    expect(counts.overloaded).toBeLessThanOrEqual(36);
    expect(counts.rate_limited).toBeGreaterThanOrEqual(20);
    expect(counts.rate_limited).toBeLessThanOrEqual(62);
    expect(counts.reset).toBeGreaterThanOrEqual(6);
    expect(counts.reset).toBeLessThanOrEqual(36);
    expect(counts.ok).toBeGreaterThanOrEqual(220);
    const stats = sim.stats().byModel['sim-student'];
    expect(stats?.requests).toBe(400);
    expect(stats?.ok).toBe(counts.ok);
    expect(stats?.rateLimited).toBe(counts.rate_limited);
  });

  test('a seeded server reproduces the same fault sequence', async () => {
    const run = async (): Promise<Outcome[]> => {
      sim = await startTestSimulator({ seed: 7, faults: { serverErrorRate: 0.3 } });
      const client = openaiClient(sim);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 30; i++) {
        outcomes.push(await client.chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content: `q${i}` }] }).then((): Outcome => 'ok', classify));
      }
      await sim.close();
      return outcomes;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain('server_error');
    sim = await startTestSimulator();
  });

  test('retrying an identical request can succeed, so SDK retries recover from server errors', async () => {
    sim = await startTestSimulator({ faults: { serverErrorRate: 0.5 } });
    const client = openaiClient(sim, { maxRetries: 8 });
    const request = { model: 'sim-teacher', messages: [{ role: 'user' as const, content: 'Same question every time' }] };
    for (let i = 0; i < 5; i++) await expect(client.chat.completions.create(request)).resolves.toBeDefined();
    expect(sim.stats().byModel['sim-teacher']?.errors).toBeGreaterThan(0);
  });

  test('overloaded is 529 overloaded_error on /v1/messages and 503 on chat completions', async () => {
    sim = await startTestSimulator({ faults: { overloadedRate: 1 } });
    const error = await anthropicClient(sim).messages.create({ model: 'sim-teacher', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    const openaiError = await openaiClient(sim).chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(openaiError).toBeInstanceOf(OpenAI.InternalServerError);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  test('server errors carry the provider error bodies', async () => {
    sim = await startTestSimulator({ faults: { serverErrorRate: 1 } });
    const error = await anthropicClient(sim).messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const openaiError = await openaiClient(sim).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error');
  });

  test('timeouts hang until the client gives up; close() does not wait for them', async () => {
    sim = await startTestSimulator({ faults: { timeoutRate: 1, timeoutHangMs: 60_000 } });
    const started = Date.now();
    const error = await openaiClient(sim, { timeout: 300 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    // APIConnectionTimeoutError outside jest; jest's realm hides the AbortError, leaving its parent class.
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
    const hanging = openaiClient(sim, { timeout: 60_000 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    expect(await hanging).toBeInstanceOf(OpenAI.APIConnectionError);
    sim = await startTestSimulator();
  });

  test('a short timeoutHangMs closes the socket without a response', async () => {
    sim = await startTestSimulator({ faults: { timeoutRate: 1, timeoutHangMs: 100 } });
    const error = await anthropicClient(sim).messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  test('malformed judge replies are 200s that do not parse; answers are unaffected', async () => {
    sim = await startTestSimulator({ faults: { malformedJudgeRate: 1 } });
    const client = openaiClient(sim);
    const say = async (content: string) =>
      (await client.chat.completions.create({ model: 'sim-judge', messages: [{ role: 'user', content }] })).choices[0]?.message.content ?? '';
    for (let i = 0; i < 10; i++) {
      const reply = await say(lionJudgePrompt(`Question ${i}?`, 'An answer.', 'Another answer.'));
      expect(parseTwoScores(reply)).toBeNull();
      expect(reply.split('\n')[0]).not.toMatch(/\d/);
      expect(await say(mtBenchPrompt(`Question ${i}?`, 'An answer.'))).not.toMatch(/\[\[\d+\]\]/);
    }
    expect(await say('What is the capital of France?')).toMatch(/^\[llm-sim:sim-judge\] Simulated answer/);
  });

  test('a partial malformed rate leaves the rest parseable', async () => {
    sim = await startTestSimulator({ faults: { malformedJudgeRate: 0.3 } });
    const client = openaiClient(sim);
    let malformed = 0;
    for (let i = 0; i < 100; i++) {
      const completion = await client.chat.completions.create({ model: 'sim-judge', messages: [{ role: 'user', content: lionJudgePrompt(`Q${i}`, 'a', 'b') }] });
      if (parseTwoScores(completion.choices[0]?.message.content ?? '') === null) malformed++;
    }
    expect(malformed).toBeGreaterThanOrEqual(15);
    expect(malformed).toBeLessThanOrEqual(45);
  });
});

describe('per-endpoint faults', () => {
  test("a model's own fault rates replace the global ones for that model only, and injected faults are counted", async () => {
    const sim = await startTestSimulator({ models: { 'sim-teacher': { quality: 8.5, faults: { serverErrorRate: 1 } } } });
    try {
      const client = openaiClient(sim);
      const ask = (model: string) =>
        client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }).then((): Outcome => 'ok', classify);
      expect(await ask('sim-teacher')).toBe('server_error');
      expect(await ask('sim-student')).toBe('ok');
      expect(sim.stats().injected).toEqual({ server_error: 1 });
    } finally {
      await sim.close();
    }
  });
});
