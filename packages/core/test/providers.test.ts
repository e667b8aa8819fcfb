import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inWords, PROVIDER_TRAITS, PROVIDERS, providersWith } from '@tapir/core';

describe('the provider table', () => {
  test('PROVIDERS lists the table in its order', () => {
    expect(PROVIDERS).toEqual(Object.keys(PROVIDER_TRAITS));
    expect(PROVIDERS).toEqual(['openai', 'anthropic', 'openai-compatible']);
  });

  test('providersWith reads a trait', () => {
    expect(providersWith('needsApiKey')).toEqual(['openai', 'anthropic']);
    expect(providersWith('needsApiKey', false)).toEqual(['openai-compatible']);
    expect(providersWith('promptLogprobs')).toEqual(['openai-compatible']);
  });

  test('inWords joins a list the way the messages read', () => {
    expect(inWords([])).toBe('');
    expect(inWords(['a'])).toBe('a');
    expect(inWords(['a', 'b'])).toBe('a or b');
    expect(inWords(['a', 'b', 'c'], 'and')).toBe('a, b and c');
  });

  // The README cannot import the table; this keeps its provider row from drifting.
  test("the README's configuration table names exactly these providers", () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `models.{teacher,student,judge}.provider`'));
    expect(row).toBeDefined();
    const values = row!.split('|')[3]!;
    const named = [...values.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(PROVIDERS);
  });
});
