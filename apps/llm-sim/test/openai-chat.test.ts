import OpenAI from 'openai';
import type { RunningSimulator } from '../src';
import { openaiClient, postJson, startTestSimulator } from './fixtures';

describe('POST /v1/chat/completions through the openai SDK', () => {
  let sim: RunningSimulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startTestSimulator();
    client = openaiClient(sim);
  });
  afterAll(() => sim.close());

  const ask = (content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content }], ...extra });

  test('returns a well-formed completion with usage', async () => {
    const completion = await ask('Explain photosynthesis in two sentences.');
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('sim-teacher');
    expect(typeof completion.created).toBe('number');
    expect(completion.system_fingerprint).toBeTruthy();
    const choice = completion.choices[0];
    expect(choice?.index).toBe(0);
    expect(choice?.finish_reason).toBe('stop');
    expect(choice?.logprobs).toBeNull();
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.refusal).toBeNull();
    expect(choice?.message.content).toMatch(/^\[llm-sim:sim-teacher\] Simulated answer \(quality \d+\.\d\/10, category Biology\)\./);
    const usage = completion.usage;
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBe(Math.ceil((choice?.message.content ?? '').length / 4));
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  test('is deterministic for the same request, and the seed parameter changes the sample', async () => {
    const a = await ask('Name three rivers in Europe.');
    const b = await ask('Name three rivers in Europe.');
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
    expect(a.id).not.toBe(b.id);
    const seeded = await Promise.all([1, 2, 3].map((seed) => ask('Name three rivers in Europe.', { seed })));
    const texts = new Set(seeded.map((c) => c.choices[0]?.message.content));
    expect(texts.size).toBeGreaterThan(1);
  });

  test('the simulator seed changes outputs', async () => {
    const other = await startTestSimulator({ seed: 42 });
    try {
      const mine = await ask('Describe the water cycle.');
      const theirs = await openaiClient(other).chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content: 'Describe the water cycle.' }] });
      expect(theirs.choices[0]?.message.content).not.toBe(mine.choices[0]?.message.content);
    } finally {
      await other.close();
    }
  });

  test('max_tokens and max_completion_tokens truncate with finish_reason length', async () => {
    const short = await ask('Write an essay about the history of Rome.', { max_tokens: 10 });
    expect(short.choices[0]?.finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(10);
    expect(short.choices[0]?.message.content).toHaveLength(40);
    const newer = await ask('Write an essay about the history of Rome.', { max_completion_tokens: 7 });
    expect(newer.choices[0]?.finish_reason).toBe('length');
    expect(newer.usage?.completion_tokens).toBe(7);
  });

  test('stop sequences end the text early with finish_reason stop', async () => {
    const completion = await ask('Tell me about tennis.', { stop: ['Simulated'] });
    expect(completion.choices[0]?.message.content).toBe('[llm-sim:sim-teacher] ');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  test('n > 1 returns distinct choices, the first equal to the n = 1 answer', async () => {
    const single = await ask('Give me a tip for better sleep.');
    const many = await ask('Give me a tip for better sleep.', { n: 3 });
    expect(many.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(many.choices[0]?.message.content).toBe(single.choices[0]?.message.content);
    expect(new Set(many.choices.map((c) => c.message.content)).size).toBe(3);
  });

  test('system and developer messages count as prompt tokens', async () => {
    const plain = await ask('Hello there');
    const withSystem = await client.chat.completions.create({
      model: 'sim-teacher',
      messages: [{ role: 'system', content: 'You are a helpful assistant. '.repeat(10) }, { role: 'user', content: 'Hello there' }],
    });
    expect((withSystem.usage?.prompt_tokens ?? 0) - (plain.usage?.prompt_tokens ?? 0)).toBe(4 + Math.ceil(290 / 4));
  });

  test('unknown model names are accepted and answer with the default profile', async () => {
    const completion = await client.chat.completions.create({ model: 'meta-llama/Llama-2-7b-hf', messages: [{ role: 'user', content: 'Say hi' }] });
    expect(completion.model).toBe('meta-llama/Llama-2-7b-hf');
    expect(completion.choices[0]?.message.content).toMatch(/^\[llm-sim:meta-llama\/Llama-2-7b-hf\]/);
  });

  test('serves hundreds of parallel requests with latency', async () => {
    const slow = await startTestSimulator({ latencyMs: 50, jitterMs: 20 });
    try {
      const slowClient = openaiClient(slow);
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => slowClient.chat.completions.create({ model: 'sim-student', messages: [{ role: 'user', content: `Item ${i}` }] })),
      );
      expect(results.every((r) => r.choices[0]?.finish_reason === 'stop')).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(30);
      expect(slow.stats().byModel['sim-student']?.ok).toBe(300);
    } finally {
      await slow.close();
    }
  });

  test('GET /v1/models lists the built-in profiles', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['sim-teacher', 'sim-student', 'sim-judge']));
  });

  describe('errors', () => {
    async function badRequest(body: Record<string, unknown>): Promise<InstanceType<typeof OpenAI.BadRequestError>> {
      const error = await client.chat.completions.create(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      return error as InstanceType<typeof OpenAI.BadRequestError>;
    }

    test('missing messages, missing model, bad temperature and streaming are 400 invalid_request_error', async () => {
      const noMessages = await badRequest({ model: 'sim-teacher' });
      expect(noMessages.status).toBe(400);
      expect(noMessages.error).toEqual({ message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' });
      expect(noMessages.param).toBe('messages');
      const noModel = await badRequest({ messages: [{ role: 'user', content: 'x' }] });
      expect(noModel.type).toBe('invalid_request_error');
      expect(noModel.message).toContain('you must provide a model parameter');
      const hot = await badRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 });
      expect(hot.param).toBe('temperature');
      const badRole = await badRequest({ model: 'm', messages: [{ role: 'robot', content: 'x' }] });
      expect(badRole.param).toBe('messages[0].role');
      const zero = await badRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 });
      expect(zero.param).toBe('max_tokens');
      const stream = await badRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
      expect(stream.param).toBe('stream');
    });

    test('prompts over the context limit fail with context_length_exceeded', async () => {
      const huge = await badRequest({ model: 'sim-teacher', messages: [{ role: 'user', content: 'a'.repeat(4 * 33_000) }] });
      expect(huge.code).toBe('context_length_exceeded');
      expect(huge.message).toMatch(/maximum context length is 32768 tokens/);
      const withCompletion = await badRequest({ model: 'sim-teacher', messages: [{ role: 'user', content: 'a'.repeat(4 * 30_000) }], max_tokens: 4000 });
      expect(withCompletion.code).toBe('context_length_exceeded');
      expect(withCompletion.message).toMatch(/in the completion/);
    });

    test('malformed JSON is a 400 with the OpenAI error body', async () => {
      const res = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{not json' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { type: string } };
      expect(body.error.type).toBe('invalid_request_error');
    });

    test('a missing API key is a 401 with the OpenAI error body', async () => {
      const res = await postJson(`${sim.url}/v1/chat/completions`, { model: 'sim-teacher', messages: [{ role: 'user', content: 'x' }] });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { message: string; type: string; param: null; code: null } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(/didn't provide an API key/);
      const viaSdk = await openaiClient(sim, { defaultHeaders: { authorization: null } })
        .chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(viaSdk).toBeInstanceOf(OpenAI.AuthenticationError);
    });

    test('requireApiKey: false lets keyless clients through', async () => {
      const open = await startTestSimulator({ requireApiKey: false });
      try {
        const res = await postJson(`${open.url}/v1/chat/completions`, { model: 'sim-teacher', messages: [{ role: 'user', content: 'x' }] });
        expect(res.status).toBe(200);
      } finally {
        await open.close();
      }
    });

    test('unknown paths are 404', async () => {
      const res = await postJson(`${sim.url}/v1/audio/speech`, {}, { authorization: 'Bearer k' });
      expect(res.status).toBe(404);
    });
  });
});
