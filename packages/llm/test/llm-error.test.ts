import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { LlmError, retryAfterMsFrom, toLlmError } from '../src/llm-error';

const headers = (h: Record<string, string>) => new Headers(h);

describe('toLlmError: what a provider error means and whether a retry helps', () => {
  test.each([
    [new OpenAI.RateLimitError(429, { message: 'slow down' }, 'slow down', headers({ 'retry-after': '3' })), 'rate_limit', true, 3000],
    [new OpenAI.RateLimitError(429, {}, 'x', headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 'rate_limit', true, 250],
    [new OpenAI.InternalServerError(503, {}, 'unavailable', headers({})), 'server', true, undefined],
    [new OpenAI.AuthenticationError(401, {}, 'bad key', headers({})), 'auth', false, undefined],
    [new OpenAI.NotFoundError(404, {}, 'no model', headers({})), 'not_found', false, undefined],
    [new OpenAI.BadRequestError(400, { code: 'context_length_exceeded' }, "This model's maximum context length is 8192 tokens", headers({})), 'context_length', false, undefined],
    [new OpenAI.BadRequestError(400, {}, 'temperature must be <= 2', headers({})), 'bad_request', false, undefined],
    [new OpenAI.APIConnectionTimeoutError({ message: 'Request timed out.' }), 'timeout', true, undefined],
    [new OpenAI.APIConnectionError({ message: 'Connection error.' }), 'connection', true, undefined],
    [new Anthropic.RateLimitError(429, { type: 'error' }, 'rate_limit_error', headers({ 'retry-after': '1' })), 'rate_limit', true, 1000],
    [new Anthropic.InternalServerError(529, {}, 'overloaded_error', headers({})), 'server', true, undefined],
    [new Anthropic.BadRequestError(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, undefined, headers({})), 'context_length', false, undefined],
    [new Anthropic.AuthenticationError(401, {}, 'invalid x-api-key', headers({})), 'auth', false, undefined],
  ])('%s', (raw, kind, retryable, retryAfterMs) => {
    const err = toLlmError(raw);
    expect(err).toBeInstanceOf(LlmError);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.retryAfterMs).toBe(retryAfterMs);
  });

  test('an LlmError passes through unchanged', () => {
    const err = new LlmError('auth', 'no');
    expect(toLlmError(err)).toBe(err);
  });

  test('retry-after as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMsFrom(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMsFrom(headers({}), now)).toBeUndefined();
    expect(retryAfterMsFrom(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});
