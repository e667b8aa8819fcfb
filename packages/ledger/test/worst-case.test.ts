import { estimatePromptTokens, priceFor } from '@tapir/llm';
import { worstCaseUsage } from '../src/worst-case';

const chinese = '请用两句话总结下面的段落，并保留关键数字。机器学习是人工智能的一个分支，它使计算机能够从数据中学习而无需明确编程。'.repeat(10);
const messages = [{ role: 'user' as const, content: chinese }];

describe('worstCaseUsage', () => {
  test('an OpenAI model is counted with its tokenizer, plus the reply limit', () => {
    const usage = worstCaseUsage(messages, 100, priceFor('gpt-4o'), 'gpt-4o');
    expect(usage.tokens).toBe(estimatePromptTokens(messages, 'gpt-4o') + 100);
    expect(usage.usd).toBeCloseTo(((usage.tokens - 100) * 2.5 + 100 * 10) / 1e6, 12);
  });

  test('CJK text is no longer counted at a quarter of its characters', () => {
    const charsOver4 = Math.ceil(chinese.length / 4) + 4;
    for (const model of [undefined, 'claude-haiku-4-5', 'gpt-4o', 'gpt-4']) {
      const { tokens } = worstCaseUsage(messages, 0, undefined, model);
      expect(tokens).toBeGreaterThan(charsOver4 * 2.5);
    }
    // Without a model, the script-aware estimate covers what the OpenAI tokenizers count.
    const unnamed = worstCaseUsage(messages, 0, undefined).tokens;
    expect(unnamed).toBeGreaterThanOrEqual(estimatePromptTokens(messages, 'gpt-4'));
    expect(unnamed).toBeGreaterThanOrEqual(estimatePromptTokens(messages, 'gpt-4o'));
  });

  test('an unpriced model costs nothing but still reserves tokens', () => {
    expect(worstCaseUsage(messages, 50, undefined, 'my-model')).toEqual({ usd: 0, tokens: expect.any(Number) });
  });
});
