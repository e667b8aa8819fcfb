import type Anthropic from '@anthropic-ai/sdk';
import type { RunningSimulator } from '../src';
import { anthropicClient, lionJudgePrompt, openaiClient, startTestSimulator } from './fixtures';

const SCHEMA = {
  type: 'object',
  properties: {
    assistant_1_score: { type: 'number' },
    assistant_2_score: { type: 'number' },
    explanation: { type: 'string' },
  },
  required: ['assistant_1_score', 'assistant_2_score', 'explanation'],
  additionalProperties: false,
};
const PROMPT = lionJudgePrompt('What is 2+2?', 'It is 4, because 2+2=4.', 'Maybe 5.');

describe('structured judge replies, as the providers give them', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ models: { 'plain-judge': { quality: 8, structuredOutput: false } } });
  });
  afterAll(() => sim.close());

  test('OpenAI response_format json_schema: message.content is the JSON object, with the text reply\'s scores', async () => {
    const client = openaiClient(sim);
    const messages = [{ role: 'user' as const, content: PROMPT }];
    const structured = await client.chat.completions.create({
      model: 'sim-judge',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'record_scores', schema: SCHEMA, strict: true } },
    });
    const object = JSON.parse(structured.choices[0]?.message.content ?? '') as Record<string, unknown>;
    expect(Object.keys(object)).toEqual(['assistant_1_score', 'assistant_2_score', 'explanation']);
    const text = await client.chat.completions.create({ model: 'sim-judge', messages });
    const [s1, s2] = (text.choices[0]?.message.content ?? '').split('\n')[0]!.split(' ').map(Number);
    expect([object.assistant_1_score, object.assistant_2_score]).toEqual([s1, s2]);
    expect(object.explanation).toMatch(/^\[llm-sim:sim-judge\]/);
    expect(structured.choices[0]?.finish_reason).toBe('stop');
  });

  test('Anthropic forced tool: a tool_use block whose input is the object, stop_reason tool_use', async () => {
    const client = anthropicClient(sim);
    const reply = await client.messages.create({
      model: 'sim-judge',
      max_tokens: 512,
      messages: [{ role: 'user', content: PROMPT }],
      tools: [{ name: 'record_scores', description: 'scores', input_schema: SCHEMA as Anthropic.Tool.InputSchema }],
      tool_choice: { type: 'tool', name: 'record_scores' },
    });
    expect(reply.stop_reason).toBe('tool_use');
    const block = reply.content[0];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') return;
    expect(block.name).toBe('record_scores');
    expect(block.id).toMatch(/^toolu_/);
    const input = block.input as Record<string, unknown>;
    expect(typeof input.assistant_1_score).toBe('number');
    expect(typeof input.assistant_2_score).toBe('number');
    for (const score of [input.assistant_1_score, input.assistant_2_score] as number[]) {
      expect(score).toBeGreaterThanOrEqual(1);
      expect(score).toBeLessThanOrEqual(10);
    }
    expect(input.explanation).toMatch(/^\[llm-sim:sim-judge\]/);
  });

  test('bad structured requests get the providers\' 400s; a model without structured output rejects them, naming the parameter', async () => {
    const openai = openaiClient(sim);
    await expect(
      openai.chat.completions.create({ model: 'sim-judge', messages: [{ role: 'user', content: PROMPT }], response_format: { type: 'bogus' } as never }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      openai.chat.completions.create({
        model: 'plain-judge',
        messages: [{ role: 'user', content: PROMPT }],
        response_format: { type: 'json_schema', json_schema: { name: 'record_scores', schema: SCHEMA } },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/response_format/) });
    const anthropic = anthropicClient(sim);
    await expect(
      anthropic.messages.create({
        model: 'sim-judge',
        max_tokens: 64,
        messages: [{ role: 'user', content: PROMPT }],
        tools: [{ name: 'record_scores', input_schema: SCHEMA as Anthropic.Tool.InputSchema }],
        tool_choice: { type: 'tool', name: 'other_tool' },
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      anthropic.messages.create({
        model: 'plain-judge',
        max_tokens: 64,
        messages: [{ role: 'user', content: PROMPT }],
        tools: [{ name: 'record_scores', input_schema: SCHEMA as Anthropic.Tool.InputSchema }],
        tool_choice: { type: 'tool', name: 'record_scores' },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/tool/) });
  });

  test('a malformed-judge fault under structured output is a refusal (OpenAI) or a text block (Anthropic)', async () => {
    const faulty = await startTestSimulator({ faults: { malformedJudgeRate: 1 } });
    try {
      const openai = await openaiClient(faulty).chat.completions.create({
        model: 'sim-judge',
        messages: [{ role: 'user', content: PROMPT }],
        response_format: { type: 'json_schema', json_schema: { name: 'record_scores', schema: SCHEMA } },
      });
      expect(openai.choices[0]?.message.content).toBeNull();
      expect(openai.choices[0]?.message.refusal).toMatch(/\S/);
      const anthropic = await anthropicClient(faulty).messages.create({
        model: 'sim-judge',
        max_tokens: 64,
        messages: [{ role: 'user', content: PROMPT }],
        tools: [{ name: 'record_scores', input_schema: SCHEMA as Anthropic.Tool.InputSchema }],
        tool_choice: { type: 'tool', name: 'record_scores' },
      });
      expect(anthropic.content[0]?.type).toBe('text');
    } finally {
      await faulty.close();
    }
  });
});
