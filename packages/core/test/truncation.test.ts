import {
  answerForReferee,
  buildJudgeMessages,
  CUT_OFF_NOTE,
  DEFAULT_MAX_TOKENS_RETRY,
  isCutOff,
  isTruncatedReason,
  parseCampaignConfig,
  retryMaxTokens,
  truncatedReason,
  TRUNCATED_REASON_LIKE,
} from '@tapir/core';
import { createRng } from '../src/rng';

describe('what a cut-off reply is', () => {
  test("OpenAI's length and Anthropic's max_tokens are cut; every other ending is not", () => {
    expect(isCutOff('length')).toBe(true);
    expect(isCutOff('max_tokens')).toBe(true);
    for (const other of ['stop', 'end_turn', 'stop_sequence', 'tool_calls', 'content_filter', '', null, undefined]) expect(isCutOff(other)).toBe(false);
  });
});

describe('the budget of the one re-ask', () => {
  test('twice the budget by default', () => {
    expect(DEFAULT_MAX_TOKENS_RETRY).toBe(2);
    expect(retryMaxTokens(1024, DEFAULT_MAX_TOKENS_RETRY)).toBe(2048);
  });

  test('a multiplier of 1, or one too small to add a token, turns the re-ask off', () => {
    expect(retryMaxTokens(1024, 1)).toBeNull();
    expect(retryMaxTokens(1, 1.4)).toBe(2);
    expect(retryMaxTokens(3, 1.0001)).toBe(4);
  });

  test('property: the re-ask is larger than the first budget and is the product rounded up', () => {
    const rng = createRng(19);
    const random = () => rng.next();
    for (let trial = 0; trial < 2000; trial++) {
      const maxTokens = 1 + Math.floor(random() * 100_000);
      const multiplier = 1 + random() * 7;
      const budget = retryMaxTokens(maxTokens, multiplier);
      const product = maxTokens * multiplier;
      if (budget === null) {
        expect(Math.ceil(product)).toBe(maxTokens);
      } else {
        expect(Number.isInteger(budget)).toBe(true);
        expect(budget).toBeGreaterThan(maxTokens);
        expect(budget).toBeGreaterThanOrEqual(product);
        expect(budget - product).toBeLessThan(1);
      }
    }
  });
});

describe('the failure reason', () => {
  test('names every budget the answer was cut at', () => {
    expect(truncatedReason([1024, 2048])).toBe('truncated: cut off at max_tokens 1024, then 2048');
    expect(truncatedReason([512])).toBe('truncated: cut off at max_tokens 512');
  });

  test('is recognised in code and in SQL, and other reasons are not', () => {
    const reason = truncatedReason([1024, 2048]);
    expect(isTruncatedReason(reason)).toBe(true);
    const like = new RegExp(`^${TRUNCATED_REASON_LIKE.replace('%', '.*')}$`, 's');
    expect(like.test(reason)).toBe(true);
    for (const other of ['judge reply unparseable after 3 attempts', 'server_error (HTTP 500): boom', 'truncate', 'not truncated: x', null]) {
      expect(isTruncatedReason(other)).toBe(false);
      if (other !== null) expect(like.test(other)).toBe(false);
    }
  });
});

describe('what the referee is shown', () => {
  test('a cut answer ends with the note on a line of its own; a whole one is unchanged', () => {
    expect(answerForReferee('Half an ans', true)).toBe(`Half an ans\n${CUT_OFF_NOTE}`);
    expect(answerForReferee('A whole answer.', false)).toBe('A whole answer.');
  });

  test('the prompt marks the cut answer where it is shown and explains the note, only when one is cut', () => {
    const plain = buildJudgeMessages('Q?', 'one', 'two')[1]!.content;
    expect(buildJudgeMessages('Q?', 'one', 'two', 'text', { answer1: false, answer2: false })[1]!.content).toBe(plain);
    expect(plain).not.toContain(CUT_OFF_NOTE);

    const cutSecond = buildJudgeMessages('Q?', 'one', 'tw', 'text', { answer2: true })[1]!.content;
    expect(cutSecond).toContain(`[The Start of Assistant 2's Answer]\ntw\n${CUT_OFF_NOTE}\n\n[The End of Assistant 2's Answer]`);
    expect(cutSecond).toContain(`[The Start of Assistant 1's Answer]\none\n\n[The End of Assistant 1's Answer]`);
    const system = cutSecond.slice(cutSecond.indexOf('[System]'));
    expect(system).toContain(`An answer followed by ${CUT_OFF_NOTE} stopped at the length limit`);
    // Only the instructions grow: the rest is Lion's prompt as before.
    expect(cutSecond.startsWith(plain.slice(0, plain.indexOf("[The Start of Assistant 2's Answer]")))).toBe(true);

    const cutFirst = buildJudgeMessages('Q?', 'on', 'two', 'text', { answer1: true })[1]!.content;
    expect(cutFirst).toContain(`[The Start of Assistant 1's Answer]\non\n${CUT_OFF_NOTE}\n\n[The End of Assistant 1's Answer]`);
    expect(cutFirst).toContain(`[The Start of Assistant 2's Answer]\ntwo\n\n[The End`);
  });
});

describe('models.*.maxTokensRetry', () => {
  const yaml = (extra: string) => `
models:
  teacher: { provider: openai-compatible, model: t${extra} }
  student: { provider: openai-compatible, model: s }
  judge: { provider: openai-compatible, model: j }
`;
  test('defaults to 2 for every role and takes any multiplier >= 1', () => {
    const config = parseCampaignConfig(yaml(''), 'c.yaml');
    for (const role of ['teacher', 'student', 'judge'] as const) expect(config.models[role].maxTokensRetry).toBe(2);
    expect(parseCampaignConfig(yaml(', maxTokensRetry: 1.5'), 'c.yaml').models.teacher.maxTokensRetry).toBe(1.5);
    expect(parseCampaignConfig(yaml(', maxTokensRetry: 1'), 'c.yaml').models.teacher.maxTokensRetry).toBe(1);
  });

  test('below 1 or not a number is refused, naming the field', () => {
    expect(() => parseCampaignConfig(yaml(', maxTokensRetry: 0.5'), 'c.yaml')).toThrow('models.teacher.maxTokensRetry: expected a number >= 1, got 0.5');
    expect(() => parseCampaignConfig(yaml(', maxTokensRetry: twice'), 'c.yaml')).toThrow(/models\.teacher\.maxTokensRetry: expected a number >= 1/);
  });
});
