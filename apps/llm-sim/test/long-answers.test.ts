import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { RunningSimulator } from '../src';
import { lengthenTo, requestedAnswerTokens, requestedInstructionTokens } from '../src/answer-length';
import { generateAnswer } from '../src/answer-generator';
import { judgePairwise } from '../src/judge';
import { RequestJournal } from '../src/request-journal';
import { countTextTokens } from '../src/tokens';
import { anthropicClient, instructionCreatorPrompt, openaiClient, parseTwoScores, startTestSimulator } from './fixtures';

const LONG = 'Describe the water cycle. [llm-sim:answer-tokens=1500]';

describe('[llm-sim:answer-tokens=N]: answers long enough to be cut', () => {
  test('the largest marker in a prompt wins; no marker, no request', () => {
    expect(requestedAnswerTokens('Describe rain.')).toBeNull();
    expect(requestedAnswerTokens(LONG)).toBe(1500);
    expect(requestedAnswerTokens('[llm-sim:answer-tokens=300] and [llm-sim:answer-tokens=2000]')).toBe(2000);
    expect(requestedInstructionTokens(LONG)).toBeNull();
    expect(requestedInstructionTokens('Solve x. [llm-sim:instruction-tokens=700]')).toBe(700);
    expect(requestedAnswerTokens('Solve x. [llm-sim:instruction-tokens=700]')).toBeNull();
  });

  test('lengthenTo appends clauses in turn until the text is long enough, and leaves a long text alone', () => {
    expect(lengthenTo('Hi.', 3, ['One two.', 'Three.'])).toBe('Hi. One two.');
    expect(lengthenTo('Hi.', 5, ['One two.', 'Three.'])).toBe('Hi. One two. Three.');
    expect(lengthenTo('Already long enough.', 2, ['x'])).toBe('Already long enough.');
  });

  test('the answer holds at least N tokens, whatever the profile, and no more than a few sentences over', () => {
    for (const [n, profile] of [[1500, { quality: 8.5, verbosity: 1.2 }], [3000, { quality: 3, verbosity: 0.5 }], [50, { quality: 6 }]] as const) {
      const answer = generateAnswer({ model: 'm', profile, instruction: `Explain tides. [llm-sim:answer-tokens=${n}]`, seed: 0, variant: 0 });
      const plain = generateAnswer({ model: 'm', profile, instruction: 'Explain tides.', seed: 0, variant: 0 });
      expect(countTextTokens(answer.text)).toBeGreaterThanOrEqual(Math.max(n, 1));
      expect(countTextTokens(answer.text)).toBeLessThan(Math.max(n, countTextTokens(plain.text)) + 200);
      expect(answer.quality).toBe(generateAnswer({ model: 'm', profile, instruction: `Explain tides. [llm-sim:answer-tokens=${n}]`, seed: 0, variant: 0 }).quality);
    }
  });
});

describe('a long answer is cut at max_tokens the way each provider reports it, and journaled', () => {
  let sim: RunningSimulator;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    sim = await startTestSimulator();
    openai = openaiClient(sim);
    anthropic = anthropicClient(sim);
  });
  afterAll(() => sim.close());

  test("OpenAI: finish_reason 'length' and the text cut at max_tokens; whole with a larger budget", async () => {
    const ask = (max: number) => openai.chat.completions.create({ model: 'sim-teacher', max_tokens: max, messages: [{ role: 'user', content: LONG }] });
    const cut = await ask(1024);
    const whole = await ask(2048);
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(1024);
    expect(whole.choices[0]?.finish_reason).toBe('stop');
    expect(whole.choices[0]?.message.content?.startsWith(cut.choices[0]?.message.content ?? 'x')).toBe(true);
    expect(countTextTokens(whole.choices[0]?.message.content ?? '')).toBeGreaterThanOrEqual(1500);
  });

  test('a seed holding [llm-sim:instruction-tokens=N] gets new instructions of N tokens, cut like any reply; its own answers are not lengthened', async () => {
    const seed = 'Solve for x: 3x + 7 = 22. [llm-sim:instruction-tokens=600]';
    const expand = (max: number) => openai.chat.completions.create({ model: 'sim-teacher', max_tokens: max, messages: [{ role: 'user', content: instructionCreatorPrompt(seed) }] });
    const cut = await expand(300);
    const whole = await expand(1000);
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(whole.choices[0]?.finish_reason).toBe('stop');
    expect(countTextTokens(whole.choices[0]?.message.content ?? '')).toBeGreaterThanOrEqual(600);
    const answer = await openai.chat.completions.create({ model: 'sim-teacher', max_tokens: 300, messages: [{ role: 'user', content: seed }] });
    expect(answer.choices[0]?.finish_reason).toBe('stop');
  });

  test("Anthropic: stop_reason 'max_tokens'; the journal lists each request's budget and ending", async () => {
    await fetch(`${sim.url}/sim/reset-stats`, { method: 'POST' });
    const ask = (max: number) => anthropic.messages.create({ model: 'sim-judge', max_tokens: max, messages: [{ role: 'user', content: LONG }] });
    expect((await ask(1024)).stop_reason).toBe('max_tokens');
    expect((await ask(4096)).stop_reason).toBe('end_turn');
    const expected = [
      { model: 'sim-judge', kind: 'answer', maxTokens: 1024, finishReasons: ['length'], system: '', turns: 1 },
      { model: 'sim-judge', kind: 'answer', maxTokens: 4096, finishReasons: ['stop'], system: '', turns: 1 },
    ];
    expect(sim.requests()).toEqual(expected);
    expect(await (await fetch(`${sim.url}/sim/requests`)).json()).toEqual(expected);
    await fetch(`${sim.url}/sim/reset-stats`, { method: 'POST' });
    expect(sim.requests()).toEqual([]);
  });
});

describe('the request journal', () => {
  test('keeps the newest entries within its capacity, oldest first', () => {
    const journal = new RequestJournal(10);
    for (let i = 1; i <= 25; i++) journal.record({ model: 'm', kind: 'answer', maxTokens: i, finishReasons: ['stop'], system: '', turns: 1 });
    const kept = journal.snapshot().map((e) => e.maxTokens);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.at(-1)).toBe(25);
    expect(kept).toEqual([...kept].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 26 - kept.length + k));
  });
});

describe('the referee and an answer noted as cut off', () => {
  const ctx = { model: 'sim-judge', seed: 0, malformed: false };
  const answer = '[llm-sim:sim-teacher] Simulated answer (quality 8.0/10, category Others). A complete and careful answer.';

  test('marks it down and says so; the answer beside it is scored as before, up to the noise', () => {
    const marked = `${answer}\n[the answer was cut off at the length limit]`;
    const plain = judgePairwise({ question: 'Q', answer1: answer, answer2: answer }, ctx);
    const cut = judgePairwise({ question: 'Q', answer1: answer, answer2: marked }, ctx);
    const [p1, p2] = parseTwoScores(plain)!;
    const [c1, c2] = parseTwoScores(cut)!;
    expect(Math.abs(c1 - p1)).toBeLessThanOrEqual(1);
    expect(c2).toBeLessThan(p2);
    expect(cut).toContain("Assistant 2's answer was cut off at the length limit");
    expect(plain).not.toContain('cut off');
    const cutFirst = judgePairwise({ question: 'Q', answer1: marked, answer2: answer }, ctx);
    expect(cutFirst).toContain("Assistant 1's answer was cut off at the length limit");
    expect(cutFirst).not.toContain("Assistant 2's answer was cut off");
  });
});
