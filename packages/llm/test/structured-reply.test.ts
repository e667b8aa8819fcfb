import { JUDGE_REPLY_DESCRIPTION, JUDGE_REPLY_NAME, JUDGE_REPLY_SCHEMA, buildJudgeMessages, readJudgeJson } from '@tapir/core';
import { startSimulator, type RunningSimulator } from '@tapir/llm-sim';
import { AnthropicProvider, LlmError, OpenAIProvider, type StructuredReplyRequest } from '@tapir/llm';

const schema = JUDGE_REPLY_SCHEMA as unknown as Record<string, unknown>;
const reply = (mode: StructuredReplyRequest['mode']): StructuredReplyRequest => ({ mode, name: JUDGE_REPLY_NAME, description: JUDGE_REPLY_DESCRIPTION, schema });
const messages = buildJudgeMessages('What is 2+2?', 'It is 4, because 2 + 2 = 4.', 'Maybe 5.', 'json_schema');

describe('structured replies through the real SDKs', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, requireApiKey: false });
  });
  afterAll(() => sim.close());

  test('OpenAI: response_format json_schema; the text is the JSON object', async () => {
    const provider = new OpenAIProvider('openai', 'sim-judge', `${sim.url}/v1`, 'k', 10_000);
    const result = await provider.complete({ messages, temperature: 0.2, maxTokens: 512, structuredReply: reply('json_schema') });
    expect(result.finishReason).toBe('stop');
    expect(readJudgeJson(result.text)).toMatchObject({ ok: true });
    expect(Object.keys(JSON.parse(result.text))).toEqual(['assistant_1_score', 'assistant_2_score', 'explanation']);
  });

  test('Anthropic: a forced tool; the text is the tool input as JSON, finish reason stop', async () => {
    const provider = new AnthropicProvider('sim-judge', sim.url, 'k', 10_000);
    const result = await provider.complete({ messages, temperature: 0.2, maxTokens: 512, structuredReply: reply('tool') });
    expect(result.finishReason).toBe('stop');
    expect(readJudgeJson(result.text)).toMatchObject({ ok: true });
  });

  test('without a structured request both reply in text, as before', async () => {
    const provider = new AnthropicProvider('sim-judge', sim.url, 'k', 10_000);
    const result = await provider.complete({ messages: buildJudgeMessages('Q?', 'A', 'B'), temperature: 0.2, maxTokens: 512 });
    expect(result.text).toMatch(/^\d+ \d+\n/);
  });

  test('a mode the provider cannot take is a bad request that no retry helps', async () => {
    const provider = new OpenAIProvider('openai', 'sim-judge', `${sim.url}/v1`, 'k', 10_000);
    const err = await provider.complete({ messages, temperature: 0.2, maxTokens: 64, structuredReply: reply('tool') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).retryable).toBe(false);
  });
});
