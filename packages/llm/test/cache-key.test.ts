import { ledgerCacheKey, type CacheKeyInput } from '../src/cache-key';

const base: CacheKeyInput = {
  provider: 'openai',
  baseURL: 'https://api.openai.com/v1',
  model: 'gpt-4o',
  temperature: 0.7,
  maxTokens: 1024,
  messages: [{ role: 'user', content: 'What is 2+2?' }],
  promptVersion: 'answer@1',
};

describe('the ledger cache key changes exactly when the answer can change', () => {
  test('stable for the same request', () => {
    expect(ledgerCacheKey(base)).toBe(ledgerCacheKey({ ...base, messages: [{ role: 'user', content: 'What is 2+2?' }] }));
  });

  test('a trailing slash or case in the base URL is the same endpoint', () => {
    expect(ledgerCacheKey({ ...base, baseURL: 'https://API.openai.com/v1/' })).toBe(ledgerCacheKey(base));
  });

  test.each<[string, Partial<CacheKeyInput>]>([
    ['provider', { provider: 'openai-compatible' }],
    ['base URL', { baseURL: 'http://127.0.0.1:8000/v1' }],
    ['model', { model: 'gpt-4o-mini' }],
    ['temperature', { temperature: 0.2 }],
    ['max tokens', { maxTokens: 512 }],
    ['prompt version', { promptVersion: 'answer@2' }],
    ['salt', { salt: 'reask-2' }],
    ['message text', { messages: [{ role: 'user', content: 'What is 2+3?' }] }],
    ['message role', { messages: [{ role: 'system', content: 'What is 2+2?' }] }],
  ])('%s changes the key', (_name, change) => {
    expect(ledgerCacheKey({ ...base, ...change })).not.toBe(ledgerCacheKey(base));
  });
});
