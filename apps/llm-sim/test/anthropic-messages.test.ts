import Anthropic from '@anthropic-ai/sdk';
import type { RunningSimulator } from '../src';
import { anthropicClient, postJson, startTestSimulator } from './fixtures';

describe('POST /v1/messages through the @anthropic-ai/sdk', () => {
  let sim: RunningSimulator;
  let client: Anthropic;
  beforeAll(async () => {
    sim = await startTestSimulator();
    client = anthropicClient(sim);
  });
  afterAll(() => sim.close());

  test('returns a well-formed message with usage', async () => {
    const message = await client.messages.create({
      model: 'sim-teacher',
      max_tokens: 1024,
      system: 'You are a concise expert.',
      messages: [{ role: 'user', content: 'Write a Python function that reverses a string.' }],
    });
    expect(message.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe('sim-teacher');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.content).toHaveLength(1);
    const block = message.content[0];
    expect(block?.type).toBe('text');
    const text = block?.type === 'text' ? block.text : '';
    expect(text).toMatch(/^\[llm-sim:sim-teacher\] Simulated answer \(quality \d+\.\d\/10, category Code Generation\)\./);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(Math.ceil(text.length / 4));
  });

  test('system as an array of text blocks and content as blocks count like strings', async () => {
    const asString = await client.messages.create({
      model: 'sim-student', max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'What is 2+2?' }],
    });
    const asBlocks = await client.messages.create({
      model: 'sim-student',
      max_tokens: 200,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] }],
    });
    expect(asBlocks.usage.input_tokens).toBe(asString.usage.input_tokens);
    expect(asBlocks.content).toEqual(asString.content);
  });

  test('max_tokens truncates with stop_reason max_tokens', async () => {
    const message = await client.messages.create({ model: 'sim-teacher', max_tokens: 12, messages: [{ role: 'user', content: 'Tell me a long story about dragons.' }] });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(12);
  });

  test('stop_sequences are honoured and reported', async () => {
    const message = await client.messages.create({
      model: 'sim-teacher', max_tokens: 500, stop_sequences: ['answer'], messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe('answer');
    expect(message.content[0]).toEqual({ type: 'text', text: '[llm-sim:sim-teacher] Simulated ' });
  });

  test('is deterministic for the same request', async () => {
    const params = { model: 'sim-student', max_tokens: 300, messages: [{ role: 'user' as const, content: 'Why is the sky blue?' }] };
    const [a, b] = await Promise.all([client.messages.create(params), client.messages.create(params)]);
    expect(a.content).toEqual(b.content);
  });

  test('count_tokens agrees with usage.input_tokens', async () => {
    const params = { model: 'sim-teacher', system: 'Sys', messages: [{ role: 'user' as const, content: 'Count me please' }] };
    const counted = await client.messages.countTokens(params);
    const message = await client.messages.create({ ...params, max_tokens: 5 });
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });

  test('models.list uses the Anthropic shape', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('sim-judge');
  });

  describe('errors', () => {
    async function badRequest(body: Record<string, unknown>): Promise<InstanceType<typeof Anthropic.BadRequestError>> {
      const error = await client.messages.create(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      return error as InstanceType<typeof Anthropic.BadRequestError>;
    }

    test('missing max_tokens is a 400 invalid_request_error in the Anthropic shape', async () => {
      const error = await badRequest({ model: 'sim-teacher', messages: [{ role: 'user', content: 'x' }] });
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
      expect(error.requestID).toMatch(/^req_/);
    });

    test('system role inside messages, empty content and temperature > 1 are rejected', async () => {
      const system = await badRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'y' }] });
      expect(system.message).toMatch(/top-level `system` parameter/);
      const empty = await badRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: '' }] });
      expect(empty.message).toMatch(/non-empty content/);
      const hot = await badRequest({ model: 'm', max_tokens: 5, temperature: 1.5, messages: [{ role: 'user', content: 'x' }] });
      expect(hot.message).toMatch(/temperature/);
    });

    test('prompts over the context limit are rejected like Anthropic does', async () => {
      const error = await badRequest({ model: 'sim-teacher', max_tokens: 5, messages: [{ role: 'user', content: 'b'.repeat(4 * 40_000) }] });
      expect(error.message).toMatch(/prompt is too long: \d+ tokens > 32768 maximum/);
    });

    test('a missing API key is a 401 authentication_error', async () => {
      const res = await postJson(`${sim.url}/v1/messages`, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'anthropic-version': '2023-06-01' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    });

    test('a bearer token is accepted instead of x-api-key', async () => {
      const bearer = new Anthropic({ authToken: 'tok', apiKey: null, baseURL: sim.url, maxRetries: 0 });
      const message = await bearer.messages.create({ model: 'sim-teacher', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
      expect(message.type).toBe('message');
    });
  });
});
