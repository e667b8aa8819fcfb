import OpenAI from 'openai';
import { embedText, type RunningSimulator } from '../src';
import { rateInstruction } from '../src/quality-rating';
import { scorePrompt } from '../src/logprob-model';
import { BUILT_IN_PROFILES } from '../src/model-profiles';
import { editableQuestion, LIGHT_EDITS, realBenchmarkQuestions, SHARED_QUESTION_FILES } from '../../../test/support/light-edits';
import { sharedDataAvailable } from '../../../test/support/shared-data';
import { openaiClient, postJson, startTestSimulator } from './fixtures';

const MODEL = 'sim-embedding';

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

const haveData = sharedDataAvailable(...SHARED_QUESTION_FILES);
const onRealData = haveData ? describe : describe.skip;

onRealData('simulated embeddings on real benchmark questions (../shared/data)', () => {
  const questions = haveData ? realBenchmarkQuestions().filter((q) => editableQuestion(q.text)) : [];

  test.each(LIGHT_EDITS.map((edit, i) => [i, edit] as const))('light edit %i keeps a question within cosine 0.85 of itself', (_i, edit) => {
    const cosines = questions.map((q) => cosine(embedText(MODEL, q.text), embedText(MODEL, edit(q.text))));
    const close = cosines.filter((c) => c >= 0.85).length;
    // Every edited copy stays close except a handful of the shortest questions with one word added (4 of ~830).
    expect(close / cosines.length).toBeGreaterThanOrEqual(0.99);
    expect(Math.min(...cosines)).toBeGreaterThan(0.8);
  });

  test('unrelated questions (MT-Bench against Vicuna) stay well below 0.8', () => {
    // The two sets share a few questions word for word; those are copies, not unrelated pairs.
    const mtTexts = new Set(questions.filter((q) => q.benchmark === 'mt-bench').map((q) => q.text.toLowerCase()));
    const mt = [...mtTexts].map((text) => embedText(MODEL, text));
    const vicuna = questions.filter((q) => q.benchmark === 'vicuna' && !mtTexts.has(q.text.toLowerCase())).map((q) => embedText(MODEL, q.text));
    const cosines = mt.flatMap((a) => vicuna.map((b) => cosine(a, b)));
    expect(cosines.length).toBeGreaterThan(2_000);
    expect(Math.max(...cosines)).toBeLessThan(0.8);
    const sorted = [...cosines].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(0.3);
  });
});

describe('simulated embeddings', () => {
  test('vectors are unit length, deterministic, and differ by model', () => {
    const a = embedText(MODEL, 'How can I improve my time management skills?');
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(Array.from(embedText(MODEL, 'How can I improve my time management skills?'))).toEqual(Array.from(a));
    expect(cosine(a, embedText('other-embedding', 'How can I improve my time management skills?'))).toBeLessThan(0.5);
    expect(a.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 5);
  });

  test('CJK text embeds by character, so a near-copy in Chinese is close too', () => {
    const a = embedText(MODEL, '请解释一下量子计算的基本原理和应用。');
    const b = embedText(MODEL, '请解释一下量子计算的基本原理和主要应用');
    const c = embedText(MODEL, '推荐几本适合初学者的烹饪书籍');
    expect(cosine(a, b)).toBeGreaterThan(0.85);
    expect(cosine(a, c)).toBeLessThan(0.5);
  });
});

describe('POST /v1/embeddings', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ rateLimits: { [MODEL]: { rpm: 2 } } });
  });
  afterEach(() => sim.close());

  test('the openai SDK gets one vector per input, in order, with usage, in base64 or float', async () => {
    const client = openaiClient(sim);
    const texts = ['What is the capital of France?', 'Write a haiku about autumn leaves.', '写一首关于秋天的诗'];
    const decoded = await client.embeddings.create({ model: MODEL, input: texts });
    expect(decoded.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(decoded.usage.prompt_tokens).toBeGreaterThan(10);
    expect(decoded.usage.total_tokens).toBe(decoded.usage.prompt_tokens);
    decoded.data.forEach((d, i) => {
      expect(d.embedding).toHaveLength(384);
      expect(cosine(d.embedding, embedText(MODEL, texts[i] as string))).toBeCloseTo(1, 5);
    });
    const floats = await client.embeddings.create({ model: MODEL, input: texts[0] as string, encoding_format: 'float', dimensions: 64 });
    expect(floats.data).toHaveLength(1);
    expect(floats.data[0]!.embedding).toHaveLength(64);
    expect(sim.stats().byKind.embed).toBe(2);
    expect(sim.requests().map((r) => r.kind)).toEqual(['embed', 'embed']);
    expect(sim.stats().byEndpoint['POST /v1/embeddings']).toBe(2);
  });

  test('rate limits apply as on the other routes, and bad input is a 400 naming the field', async () => {
    const client = openaiClient(sim);
    await client.embeddings.create({ model: MODEL, input: 'one' });
    await client.embeddings.create({ model: MODEL, input: 'two' });
    const limited = await client.embeddings.create({ model: MODEL, input: 'three' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    const bad = await postJson(`${sim.url}/v1/embeddings`, { model: 'other-embedding', input: [] }, { authorization: 'Bearer sk-test' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/input/);
    const format = await postJson(`${sim.url}/v1/embeddings`, { model: 'other-embedding', input: 'x', encoding_format: 'int8' }, { authorization: 'Bearer sk-test' });
    expect(format.status).toBe(400);
    expect(JSON.stringify(await format.json())).toMatch(/encoding_format/);
  });
});

describe('the simulated judge rating instructions and the student reading them', () => {
  const wellFormed = [
    'Explain the difference between a list and a tuple in Python.',
    'Write a short poem about the sea at night.',
    'What are the main causes of inflation, and how do central banks respond?',
    '请解释一下量子计算的基本原理。',
  ];
  const garbled = [
    'xkcd qwrtz bbfg hjkl mnbv zxcv plmk',
    'asdfgh jklqwe zxcvbn asdfgh jklqwe zxcvbn',
    'the the the the the the the the the the the the',
    '#$%^ &*() @@!! ~~~ ^^^ %%% ### $$$',
    'a3f9 b7k2 c1x8 d4q6 e5z0 f2w7',
  ];
  const rate = (text: string) => rateInstruction({ instruction: text }, { model: 'sim-judge', seed: 0 });

  test('well-formed instructions rate 8+ on both aspects; garbled or degenerate ones at most 4', () => {
    for (const text of wellFormed) expect(Math.min(rate(text).consistency, rate(text).readability)).toBeGreaterThanOrEqual(8);
    for (const text of garbled) expect((rate(text).consistency + rate(text).readability) / 2).toBeLessThanOrEqual(4);
  });

  test('garbled text has a far higher perplexity under the student than real text', () => {
    const ppl = (text: string) => {
      const tokens = scorePrompt(BUILT_IN_PROFILES['sim-student']!, 'sim-student', text).filter((t) => t.logprob !== null);
      return Math.exp(-tokens.reduce((s, t) => s + (t.logprob as number), 0) / tokens.length);
    };
    for (const text of wellFormed.slice(0, 3)) expect(ppl(text)).toBeLessThan(60);
    for (const text of [garbled[0]!, garbled[1]!, garbled[4]!]) expect(ppl(text)).toBeGreaterThan(200);
  });
});
