import { endpointKey } from '../src/rate-limit';

describe('endpointKey: one key per model endpoint, however the config spells it', () => {
  const key = endpointKey('openai-compatible', 'http://gpu-1:8000/v1', 'Qwen/Qwen2.5-7B-Instruct');

  test('short, stable and opaque', () => {
    expect(key).toMatch(/^[0-9a-f]{20}$/);
    expect(endpointKey('openai-compatible', 'http://gpu-1:8000/v1', 'Qwen/Qwen2.5-7B-Instruct')).toBe(key);
    expect(key).not.toContain('gpu');
  });

  test('trailing slashes, case and blanks in the base URL are the same endpoint', () => {
    expect(endpointKey('openai-compatible', 'HTTP://GPU-1:8000/v1/', 'Qwen/Qwen2.5-7B-Instruct')).toBe(key);
    expect(endpointKey('openai-compatible', ' http://gpu-1:8000/v1// ', 'Qwen/Qwen2.5-7B-Instruct')).toBe(key);
    expect(endpointKey('OpenAI-Compatible', 'http://gpu-1:8000/v1', 'Qwen/Qwen2.5-7B-Instruct')).toBe(key);
  });

  test("leaving out the SDK's default base URL is the same endpoint as spelling it out", () => {
    expect(endpointKey('openai', undefined, 'gpt-4o')).toBe(endpointKey('openai', 'https://api.openai.com/v1/', 'gpt-4o'));
    expect(endpointKey('anthropic', '', 'claude-sonnet-4')).toBe(endpointKey('anthropic', 'https://api.anthropic.com', 'claude-sonnet-4'));
  });

  test.each([
    ['provider', endpointKey('openai', 'http://gpu-1:8000/v1', 'Qwen/Qwen2.5-7B-Instruct')],
    ['base URL', endpointKey('openai-compatible', 'http://gpu-2:8000/v1', 'Qwen/Qwen2.5-7B-Instruct')],
    ['model', endpointKey('openai-compatible', 'http://gpu-1:8000/v1', 'Qwen/Qwen2.5-14B-Instruct')],
  ])('another %s is another endpoint', (_what, other) => {
    expect(other).not.toBe(key);
  });
});
