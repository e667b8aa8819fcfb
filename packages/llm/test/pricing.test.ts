import { costUsd, modelFacts, priceFor, priceSource } from '@tapir/llm';
import { PriceTable, type PricedModel } from '../src/price-table';
import { matchStrength } from '../src/model-match';

describe('prices from the vendored list (packages/llm/data/model-prices.json)', () => {
  test.each([
    // model, input, output (USD per million tokens, list prices of the vendored data)
    ['gpt-5', 1.25, 10],
    ['o3', 2, 8],
    ['claude-haiku-4-5', 1, 5],
    ['gpt-4.1-nano', 0.1, 0.4],
    ['gpt-4.1', 2, 8],
    ['claude-opus-4-5', 5, 25],
    ['claude-opus-4', 15, 75],
    ['gpt-4o-mini', 0.15, 0.6],
  ])('%s costs $%p in, $%p out per million tokens', (model, input, output) => {
    expect(priceFor(model)).toEqual({ inputPerMTok: input, outputPerMTok: output });
  });

  test('the models the old prefix table mispriced now have their own price', () => {
    expect(priceFor('gpt-4.1-nano')).not.toEqual(priceFor('gpt-4.1'));
    expect(priceFor('claude-opus-4-5')).not.toEqual(priceFor('claude-opus-4'));
    for (const model of ['gpt-5', 'o3', 'claude-haiku-4-5']) expect(priceFor(model)?.inputPerMTok).toBeGreaterThan(0);
  });

  test('dated snapshots price like their model', () => {
    expect(modelFacts('claude-haiku-4-5-20251001')).toMatchObject({ price: priceFor('claude-haiku-4-5'), listedAs: 'claude-haiku-4-5' });
    expect(modelFacts('claude-sonnet-4-5-20250929')).toMatchObject({ priceFrom: 'snapshot', listedAs: 'claude-sonnet-4-5' });
    expect(modelFacts('gpt-4o-2024-08-06')).toMatchObject({ price: priceFor('gpt-4o'), listedAs: 'gpt-4o' });
    expect(modelFacts('gpt-4.1-nano-2025-04-14')).toMatchObject({ price: priceFor('gpt-4.1-nano'), listedAs: 'gpt-4.1-nano' });
  });

  test('an unknown model has no price; the config override and the simulator models come first', () => {
    expect(modelFacts('llama-3-8b-local')).toEqual({});
    expect(priceFor('my-finetune')).toBeUndefined();
    expect(costUsd(priceFor('my-finetune'), 1000, 1000)).toBe(0);
    const override = { inputPerMTok: 1, outputPerMTok: 2 };
    expect(modelFacts('gpt-5', override)).toMatchObject({ price: override, priceFrom: 'config', contextTokens: 400_000 });
    expect(modelFacts('sim-teacher')).toEqual({ price: { inputPerMTok: 2.5, outputPerMTok: 10 }, priceFrom: 'simulator' });
  });

  test('the list records its source and date', () => {
    expect(priceSource()).toEqual({ source: expect.stringContaining('@pydantic/genai-prices@'), refreshed: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  test('costs are per million tokens', () => {
    expect(costUsd(priceFor('gpt-5'), 1_000_000, 100_000)).toBeCloseTo(1.25 + 1, 10);
  });
});

describe('PriceTable lookup order (pure)', () => {
  const entry = (id: string, match: PricedModel['match'], inputPerMTok: number): PricedModel => ({ provider: 'p', id, match, inputPerMTok, outputPerMTok: inputPerMTok });
  const table = new PriceTable([
    entry('wide', { starts_with: 'model' }, 1),
    entry('model-4', { or: [{ starts_with: 'model-4' }, { equals: 'model-four' }] }, 4),
    entry('model-4-1', { equals: 'model-4-1' }, 41),
    entry('dup', { equals: 'model-4-1' }, 999), // a later entry listing the same name loses
  ]);

  test('exact names, then a dated snapshot of an exact name, then the most specific rule', () => {
    expect(table.lookup('model-4-1')).toMatchObject({ matchedBy: 'exact', model: { id: 'model-4-1' } });
    expect(table.lookup('MODEL-FOUR')).toMatchObject({ matchedBy: 'exact', model: { id: 'model-4' } });
    expect(table.lookup('model-4-1-2025-01-31')).toMatchObject({ matchedBy: 'snapshot', model: { id: 'model-4-1' } });
    expect(table.lookup('model-4-1-20250131')).toMatchObject({ matchedBy: 'snapshot', model: { id: 'model-4-1' } });
    // model-4-1-mini is no snapshot: the longest matching rule prices it, not the exact model-4-1.
    expect(table.lookup('model-4-1-mini')).toMatchObject({ matchedBy: 'rule', model: { id: 'model-4' } });
    expect(table.lookup('model-x')).toMatchObject({ matchedBy: 'rule', model: { id: 'wide' } });
    expect(table.lookup('other')).toBeUndefined();
  });

  test('match strength: literal length, and-parts all needed, bad regexes never match', () => {
    expect(matchStrength({ or: [{ starts_with: 'ab' }, { starts_with: 'abc' }] }, 'abcd')).toBe(3);
    expect(matchStrength({ and: [{ starts_with: 'ab' }, { ends_with: 'z' }] }, 'abcz')).toBe(3);
    expect(matchStrength({ and: [{ starts_with: 'ab' }, { ends_with: 'z' }] }, 'abc')).toBe(0);
    expect(matchStrength({ contains: 'mid' }, 'a-mid-b')).toBe(3);
    expect(matchStrength({ regex: '^a.*b$' }, 'axxb')).toBe(1);
    expect(matchStrength({ regex: '(' }, '(')).toBe(0);
  });
});
