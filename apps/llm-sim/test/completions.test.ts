import OpenAI from 'openai';
import type { RunningSimulator } from '../src';
import { expectedIfd } from '../src/logprob-model';
import { BUILT_IN_PROFILES, DEFAULT_PROFILE } from '../src/model-profiles';
import { alpacaPrefix, openaiClient, postJson, startTestSimulator } from './fixtures';

const student = BUILT_IN_PROFILES['sim-student'] ?? DEFAULT_PROFILE;
const teacher = BUILT_IN_PROFILES['sim-teacher'] ?? DEFAULT_PROFILE;

const MATH = 'Solve the equation 2x + 4 = 10 for x.';
const MATH_ANSWER = 'Subtract 4 from both sides to get 2x = 6, then divide both sides by 2, so x = 3.';
const WRITING = 'Write a short poem about autumn leaves.';
const WRITING_ANSWER = 'Golden leaves drift down,\nwhispering of cooler days;\nthe branches let go.';

type Logprobs = { tokens: string[]; token_logprobs: Array<number | null>; top_logprobs: Array<Record<string, number> | null>; text_offset: number[] };
type PromptLogprob = Record<string, { logprob: number; rank: number; decoded_token: string }> | null;

/** Sum and count of the log-probabilities of the tokens in [from, to), as tapir's scorer reads them. */
function span(lp: Logprobs, from: number, to: number, skipFirst = false): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  let first = true;
  lp.tokens.forEach((_, i) => {
    const offset = lp.text_offset[i] as number;
    const logprob = lp.token_logprobs[i];
    if (offset < from || offset >= to) return;
    const isFirst = first;
    first = false;
    if (logprob === null || logprob === undefined || (skipFirst && isFirst)) return;
    sum += logprob;
    count++;
  });
  return { sum, count };
}

describe('POST /v1/completions through the openai SDK', () => {
  let sim: RunningSimulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startTestSimulator();
    client = openaiClient(sim);
  });
  afterAll(() => sim.close());

  /** tapir's scoring call: the prompt echoed with its log-probabilities, one token generated. */
  const score = async (model: string, prompt: string): Promise<{ completion: OpenAI.Completion; lp: Logprobs }> => {
    const completion = await client.completions.create({ model, prompt, max_tokens: 1, echo: true, logprobs: 1 });
    return { completion, lp: completion.choices[0]?.logprobs as Logprobs };
  };

  /** IFD = s(A|Q) / s(A), s = mean NLL of the answer tokens. */
  const measureIfd = async (model: string, instruction: string, answer: string, skipFirst = false): Promise<number> => {
    const prefix = alpacaPrefix(instruction);
    const conditioned = await score(model, prefix + answer);
    const alone = await score(model, answer);
    const withQ = span(conditioned.lp, prefix.length, prefix.length + answer.length, skipFirst);
    const withoutQ = span(alone.lp, 0, answer.length, skipFirst);
    return (-withQ.sum / withQ.count) / (-withoutQ.sum / withoutQ.count);
  };

  test('echo + logprobs: OpenAI/vLLM shape, exact offsets, null first logprob, usage', async () => {
    const prompt = alpacaPrefix(MATH) + MATH_ANSWER;
    const { completion, lp } = await score('sim-student', prompt);
    expect(completion.id).toMatch(/^cmpl-[A-Za-z0-9]{29}$/);
    expect(completion.object).toBe('text_completion');
    expect(completion.model).toBe('sim-student');
    expect(typeof completion.created).toBe('number');
    expect(completion.choices).toHaveLength(1);
    const choice = completion.choices[0] as OpenAI.CompletionChoice;
    expect(choice.index).toBe(0);
    expect(choice.finish_reason).toBe('length');
    expect(choice.text.startsWith(prompt)).toBe(true);
    expect(choice.text.length).toBeGreaterThan(prompt.length);

    expect(lp.tokens.join('')).toBe(choice.text);
    expect(lp.token_logprobs).toHaveLength(lp.tokens.length);
    expect(lp.top_logprobs).toHaveLength(lp.tokens.length);
    expect(lp.text_offset).toHaveLength(lp.tokens.length);
    lp.tokens.forEach((token, i) => expect(choice.text.slice(lp.text_offset[i])).toMatch(new RegExp(`^${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)));
    expect(lp.text_offset[0]).toBe(0);
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    for (let i = 1; i < lp.tokens.length; i++) {
      const logprob = lp.token_logprobs[i] as number;
      expect(logprob).toBeLessThan(0);
      // logprobs: 1 -> exactly the chosen token.
      expect(lp.top_logprobs[i]).toEqual({ [lp.tokens[i] as string]: logprob });
    }
    // The prefix ends on a token boundary, so the answer's tokens start exactly at its first character.
    expect(lp.text_offset).toContain(alpacaPrefix(MATH).length);

    const promptTokens = lp.text_offset.filter((offset) => offset < prompt.length).length;
    expect(completion.usage).toEqual({ prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 });
  });

  test('is deterministic, and without echo only the continuation is returned and scored', async () => {
    const a = await score('sim-student', 'The quick brown fox');
    const b = await score('sim-student', 'The quick brown fox');
    expect(a.lp).toEqual(b.lp);
    const plain = await client.completions.create({ model: 'sim-student', prompt: 'The quick brown fox', logprobs: 3 });
    const choice = plain.choices[0] as OpenAI.CompletionChoice;
    expect(choice.text.length).toBeGreaterThan(0);
    expect(choice.text.startsWith(' ')).toBe(true);
    expect(choice.finish_reason).toBe('stop');
    const lp = choice.logprobs as Logprobs;
    expect(lp.tokens.join('')).toBe(choice.text);
    expect(lp.text_offset[0]).toBe(0);
    expect(lp.token_logprobs.every((l) => typeof l === 'number')).toBe(true);
    for (let i = 0; i < lp.tokens.length; i++) {
      const top = lp.top_logprobs[i] as Record<string, number>;
      expect(Object.keys(top).length).toBeLessThanOrEqual(3);
      expect(Object.keys(top)[0]).toBe(lp.tokens[i]);
      expect(Math.max(...Object.values(top))).toBe(lp.token_logprobs[i]);
    }
    expect(plain.usage?.completion_tokens).toBe(lp.tokens.length);
    expect(plain.usage?.prompt_tokens).toBe(4);
  });

  test('max_tokens defaults to 16, may be 0 (prompt scoring only) and cuts with finish_reason length', async () => {
    const zero = await client.completions.create({ model: 'sim-student', prompt: 'Hello there, world', max_tokens: 0, echo: true, logprobs: 0 });
    const choice = zero.choices[0] as OpenAI.CompletionChoice;
    expect(choice.text).toBe('Hello there, world');
    expect(choice.finish_reason).toBe('length');
    expect((choice.logprobs as Logprobs).tokens).toEqual(['Hello', ' there,', ' world']);
    expect((choice.logprobs as Logprobs).text_offset).toEqual([0, 5, 12]);
    expect(zero.usage).toEqual({ prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 });
    const two = await client.completions.create({ model: 'sim-student', prompt: 'Hello', max_tokens: 2 });
    expect(two.usage?.completion_tokens).toBe(2);
    expect(two.choices[0]?.finish_reason).toBe('length');
    const natural = await client.completions.create({ model: 'sim-student', prompt: 'Hello' });
    expect(natural.usage?.completion_tokens).toBeLessThanOrEqual(16);
    expect(natural.choices[0]?.finish_reason).toBe('stop');
  });

  test('s(A|Q) / s(A) from two calls equals the expected IFD', async () => {
    for (const [model, profile] of [['sim-student', student], ['sim-teacher', teacher]] as const) {
      for (const [instruction, answer] of [[MATH, MATH_ANSWER], [WRITING, WRITING_ANSWER]]) {
        const expected = expectedIfd(profile, model, instruction as string);
        expect(Math.abs((await measureIfd(model, instruction as string, answer as string)) - expected)).toBeLessThan(1e-9);
        // Scorers that leave out the first answer token (it has no log-probability alone) agree.
        expect(Math.abs((await measureIfd(model, instruction as string, answer as string, true)) - expected)).toBeLessThan(1e-9);
      }
    }
  });

  test('the prompt with an input is recognised too', async () => {
    const instruction = 'Summarize the following paragraph in one sentence.';
    const input = 'The council met on Tuesday. Residents raised concerns about parking and noise.';
    const answer = 'Residents told the council about parking and noise problems.';
    const prefix = alpacaPrefix(instruction, input);
    const conditioned = span((await score('sim-student', prefix + answer)).lp, prefix.length, prefix.length + answer.length);
    const alone = span((await score('sim-student', answer)).lp, 0, answer.length);
    const ifd = (conditioned.sum / conditioned.count) / (alone.sum / alone.count);
    expect(Math.abs(ifd - expectedIfd(student, 'sim-student', instruction))).toBeLessThan(1e-9);
  });

  test("the student's weak categories have a higher IFD than its strong ones; the teacher's is lower", async () => {
    const weak = await measureIfd('sim-student', MATH, MATH_ANSWER);
    const strong = await measureIfd('sim-student', WRITING, WRITING_ANSWER);
    expect(weak).toBeGreaterThan(strong + 0.1);
    expect(await measureIfd('sim-teacher', MATH, MATH_ANSWER)).toBeLessThan(weak);
    // f = clamp(0.45 + 0.06 (10 - q), 0.2, 1.4) +/- 0.05 with q = 6 - 3 for the student on Math.
    expect(Math.abs(weak - 0.87)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(strong - 0.69)).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  test('a re-trained student (higher categoryDelta) has a lower IFD on that category', async () => {
    const before = await measureIfd('sim-student', MATH, MATH_ANSWER);
    const retrained = { ...student, categoryDelta: { ...student.categoryDelta, Math: -1 } };
    sim.configure({ models: { 'sim-student': retrained } });
    try {
      const after = await measureIfd('sim-student', MATH, MATH_ANSWER);
      expect(after).toBeCloseTo(before - 0.12, 9);
      expect(Math.abs(after - expectedIfd(retrained, 'sim-student', MATH))).toBeLessThan(1e-9);
    } finally {
      sim.configure({ models: {} });
    }
  });

  test("vLLM's prompt_logprobs agree with logprobs", async () => {
    const prompt = alpacaPrefix(MATH) + MATH_ANSWER;
    const body = { model: 'sim-student', prompt, max_tokens: 1, echo: true, logprobs: 1, prompt_logprobs: 3 };
    const completion = await client.completions.create(body as OpenAI.CompletionCreateParamsNonStreaming);
    const choice = completion.choices[0] as OpenAI.CompletionChoice & { prompt_logprobs?: PromptLogprob[] };
    const lp = choice.logprobs as Logprobs;
    const promptLogprobs = choice.prompt_logprobs as PromptLogprob[];
    expect(promptLogprobs).toHaveLength(completion.usage?.prompt_tokens as number);
    expect(promptLogprobs[0]).toBeNull();
    let decoded = lp.tokens[0] as string;
    for (let i = 1; i < promptLogprobs.length; i++) {
      const entry = promptLogprobs[i] as NonNullable<PromptLogprob>;
      const values = Object.values(entry);
      expect(values.length).toBeGreaterThanOrEqual(1);
      expect(values.length).toBeLessThanOrEqual(3);
      // The actual token comes first (even after JSON.parse, which orders integer keys) with rank 1.
      expect(values[0]).toEqual({ logprob: lp.token_logprobs[i], rank: 1, decoded_token: lp.tokens[i] });
      values.forEach((v, j) => {
        expect(v.rank).toBe(j + 1);
        if (j > 0) expect(v.logprob).toBeLessThan(values[0]?.logprob as number);
      });
      expect(values.reduce((sum, v) => sum + Math.exp(v.logprob), 0)).toBeLessThan(1);
      decoded += values[0]?.decoded_token;
    }
    expect(decoded).toBe(prompt);
  });

  test('validation errors are 400 invalid_request_error', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const error = await client.completions.create(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const typed = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(typed.type).toBe('invalid_request_error');
      return typed;
    };
    expect((await bad({ model: 'sim-student', prompt: ['a', 'b'] })).param).toBe('prompt');
    expect((await bad({ model: 'sim-student', prompt: [] })).param).toBe('prompt');
    expect((await bad({ model: 'sim-student', prompt: [1, 2, 3] })).param).toBe('prompt');
    expect((await bad({ model: 'sim-student' })).param).toBe('prompt');
    const tooMany = await bad({ model: 'sim-student', prompt: 'x', logprobs: 6 });
    expect(tooMany.param).toBe('logprobs');
    expect(tooMany.message).toMatch(/<= 5/);
    expect((await bad({ model: 'sim-student', prompt: 'x', max_tokens: -1 })).param).toBe('max_tokens');
    expect((await bad({ model: 'sim-student', prompt: 'x', prompt_logprobs: -1 })).param).toBe('prompt_logprobs');
    expect((await bad({ model: 'sim-student', prompt: 'x', echo: 'yes' })).param).toBe('echo');
    expect((await bad({ prompt: 'x' })).message).toMatch(/model/);
    const huge = await bad({ model: 'sim-student', prompt: 'word '.repeat(33_000) });
    expect(huge.code).toBe('context_length_exceeded');
    // A one-element array is the same as the string.
    const single = await client.completions.create({ model: 'sim-student', prompt: ['Hello'], max_tokens: 0, echo: true });
    expect(single.choices[0]?.text).toBe('Hello');
  });

  test('a missing API key is a 401', async () => {
    const res = await postJson(`${sim.url}/v1/completions`, { model: 'sim-student', prompt: 'x' });
    expect(res.status).toBe(401);
  });
});

describe('/v1/completions shares the pipeline: rate limits, faults, stats', () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  test('rpm limits answer 429 with retry-after', async () => {
    sim = await startTestSimulator({ rateLimits: { 'sim-student': { rpm: 2 } } });
    const client = openaiClient(sim);
    const ok = await client.completions.create({ model: 'sim-student', prompt: 'a b c', max_tokens: 1, echo: true, logprobs: 1 }).withResponse();
    expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(ok.response.headers.get('x-llm-sim-kind')).toBe('logprobs');
    await client.completions.create({ model: 'sim-student', prompt: 'a b c', max_tokens: 1 });
    const error = await client.completions.create({ model: 'sim-student', prompt: 'a b c', max_tokens: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sim.stats().byModel['sim-student']).toMatchObject({ requests: 3, ok: 2, rateLimited: 1 });
  });

  test('tpm limits count word tokens of the prompt plus max_tokens', async () => {
    sim = await startTestSimulator({ rateLimits: { 'sim-student': { tpm: 50 } } });
    const client = openaiClient(sim);
    const error = await client.completions.create({ model: 'sim-student', prompt: 'word '.repeat(45), max_tokens: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).type).toBe('tokens');
  });

  test('injected faults apply', async () => {
    sim = await startTestSimulator({ faults: { serverErrorRate: 1 } });
    const error = await openaiClient(sim).completions.create({ model: 'sim-student', prompt: 'x', max_tokens: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    sim.configure({ faults: { rateLimitRate: 1 } });
    await expect(openaiClient(sim).completions.create({ model: 'sim-student', prompt: 'x', max_tokens: 1 })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(sim.stats().injected).toEqual({ server_error: 1, rate_limit: 1 });
  });

  test('stats count requests, tokens and the reply kind', async () => {
    sim = await startTestSimulator();
    const client = openaiClient(sim);
    const scored = await client.completions.create({ model: 'sim-student', prompt: 'one two three', max_tokens: 1, echo: true, logprobs: 1 });
    const plain = await client.completions.create({ model: 'sim-student', prompt: 'one two three' });
    await client.completions.create({ model: 'sim-student', prompt: ['a', 'b'] }).catch(() => undefined);
    const stats = sim.stats();
    expect(stats.byEndpoint).toEqual({ 'POST /v1/completions': 3 });
    expect(stats.byKind).toEqual({ logprobs: 1, completion: 1 });
    expect(stats.byModel['sim-student']).toEqual({
      requests: 3, ok: 2, rateLimited: 0, errors: 1,
      inputTokens: (scored.usage?.prompt_tokens ?? 0) + (plain.usage?.prompt_tokens ?? 0),
      outputTokens: (scored.usage?.completion_tokens ?? 0) + (plain.usage?.completion_tokens ?? 0),
    });
  });
});
