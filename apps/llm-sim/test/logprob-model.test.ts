import { parseAlpacaPrompt } from '../src/alpaca-prompt';
import { alternativeTokens, expectedIfd, scorePrompt, unconditionedNll } from '../src/logprob-model';
import { BUILT_IN_PROFILES, DEFAULT_PROFILE } from '../src/model-profiles';
import { tokenId, tokenizeWords } from '../src/word-tokenizer';
import { alpacaPrefix } from './fixtures';

const student = BUILT_IN_PROFILES['sim-student'] ?? DEFAULT_PROFILE;

describe('tokenizeWords', () => {
  test.each([
    ['Hello world', ['Hello', ' world']],
    ['  leading spaces', ['  leading', ' spaces']],
    ['trailing  ', ['trailing', '  ']],
    ['a\n\nb', ['a', '\n', '\n', 'b']],
    ['line one  \nline two', ['line', ' one', '  ', '\n', 'line', ' two']],
    ['tabs\tand\r\nCRLF', ['tabs', '\tand', '\r', '\n', 'CRLF']],
    ['', []],
  ])('%j', (text, tokens) => {
    expect(tokenizeWords(text)).toEqual(tokens);
    expect(tokenizeWords(text).join('')).toBe(text);
  });

  test('an answer tokenizes the same after the Alpaca prefix as alone', () => {
    const answer = 'First, preheat the oven.\nThen bake for 20 minutes.';
    const prefix = alpacaPrefix('Explain how to bake bread.');
    const all = tokenizeWords(prefix + answer);
    expect(all.slice(tokenizeWords(prefix).length)).toEqual(tokenizeWords(answer));
  });

  test('token ids are stable and the frequent tokens sit above the hashed range', () => {
    expect(tokenId(' instruction')).toBe(tokenId(' instruction'));
    expect(tokenId(' the')).toBeGreaterThan(tokenId(' instruction'));
  });
});

describe('parseAlpacaPrompt', () => {
  test('finds instruction, input, prefix length and answer', () => {
    const prefix = alpacaPrefix('Summarize the text.', 'Some text to summarize.');
    expect(parseAlpacaPrompt(`${prefix}A summary.`)).toEqual({
      instruction: 'Summarize the text.', input: 'Some text to summarize.', prefixLength: prefix.length, answer: 'A summary.',
    });
    const plain = alpacaPrefix('Name a colour.');
    expect(parseAlpacaPrompt(`${plain}Blue.`)).toEqual({ instruction: 'Name a colour.', input: null, prefixLength: plain.length, answer: 'Blue.' });
    expect(parseAlpacaPrompt('Just an answer.')).toBeNull();
    expect(parseAlpacaPrompt(plain.replace('### Response:\n', ''))).toBeNull();
  });
});

describe('the log-probability model', () => {
  test('expectedIfd follows the profile: clamp(0.45 + 0.06 (10 - q), 0.2, 1.4) +/- 0.05', () => {
    const math = 'Calculate the sum of 45 and 67.';
    expect(Math.abs(expectedIfd(student, 'sim-student', math) - (0.45 + 0.06 * 7))).toBeLessThanOrEqual(0.05);
    expect(Math.abs(expectedIfd({ quality: 10 }, 'm', math) - 0.45)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(expectedIfd({ quality: 20 }, 'm', math) - 0.2)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(expectedIfd({ quality: -20 }, 'm', math) - 1.4)).toBeLessThanOrEqual(0.05);
    expect(expectedIfd(student, 'sim-student', math)).toBe(expectedIfd(student, 'sim-student', math));
    const spread = new Set(Array.from({ length: 20 }, (_, i) => expectedIfd(student, 'sim-student', `Calculate ${i} + ${i}.`)));
    expect(spread.size).toBe(20);
  });

  test('unconditioned NLLs lie in [1, 4) and depend on model, token and position', () => {
    const values = Array.from({ length: 200 }, (_, i) => unconditionedNll('m', ' word', i));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThan(4);
    expect(new Set(values).size).toBeGreaterThan(190);
    expect(unconditionedNll('a', ' word', 3)).not.toBe(unconditionedNll('b', ' word', 3));
  });

  test('answer tokens after the prefix are the unconditioned ones times the IFD', () => {
    const instruction = 'Write a haiku about rain.';
    const answer = 'Soft rain on the roof, the garden drinks in silence, puddles hold the sky.';
    const prefix = alpacaPrefix(instruction);
    const conditioned = scorePrompt(student, 'sim-student', prefix + answer);
    const alone = scorePrompt(student, 'sim-student', answer);
    const tail = conditioned.slice(conditioned.length - alone.length);
    const f = expectedIfd(student, 'sim-student', instruction);
    expect(tail.map((t) => t.text)).toEqual(alone.map((t) => t.text));
    for (let i = 1; i < alone.length; i++) expect((tail[i]?.logprob as number) / (alone[i]?.logprob as number)).toBeCloseTo(f, 12);
    expect(alone[0]?.logprob).toBeNull();
    expect(conditioned[0]?.logprob).toBeNull();
    expect(conditioned.slice(1).every((t) => typeof t.logprob === 'number' && t.logprob < 0)).toBe(true);
  });

  test('alternatives are less likely than the actual token, ranked by id, and leave mass over', () => {
    for (const [token, logprob] of [[' cat', -0.05], [' cat', -3], ['Below', -1.2], [' the', -0.7]] as const) {
      const alts = alternativeTokens('m', token, 4, logprob, 4);
      expect(alts.length).toBeGreaterThan(0);
      expect(alts.every((a) => a.text !== token && a.id > tokenId(token) && a.logprob < logprob)).toBe(true);
      expect(alts.map((a) => a.id)).toEqual([...alts.map((a) => a.id)].sort((a, b) => a - b));
      expect(Math.exp(logprob) + alts.reduce((sum, a) => sum + Math.exp(a.logprob), 0)).toBeLessThan(1);
    }
    expect(alternativeTokens('m', ' cat', 0, -1, 0)).toEqual([]);
  });
});
