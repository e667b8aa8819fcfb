import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { endpointFaultOf, isOutageFault, provesEndpointUp, type EndpointFault } from '../src/endpoint-fault';
import { toLlmError, type LlmErrorKind } from '../src/llm-error';

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('endpoint-level or request-level: what an SDK error says about the endpoint', () => {
  // [error as the SDK throws it, kind, fault, postponed without spending an attempt by itself]
  test.each<[string, unknown, LlmErrorKind, EndpointFault, boolean]>([
    ['connection refused', new OpenAI.APIConnectionError({ message: 'Connection error.', cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), 'connection', 'unreachable', true],
    ['anthropic connection reset', new Anthropic.APIConnectionError({ message: 'Connection error.' }), 'connection', 'unreachable', true],
    ['DNS failure from fetch', new TypeError('fetch failed: getaddrinfo ENOTFOUND api.example.invalid'), 'connection', 'unreachable', true],
    ['DNS failure, temporary', new Error('getaddrinfo EAI_AGAIN api.example.com'), 'connection', 'unreachable', true],
    ['client timeout', new OpenAI.APIConnectionTimeoutError({ message: 'Request timed out.' }), 'timeout', 'failing', false],
    ['408', new OpenAI.APIError(408, {}, 'request timeout', headers()), 'timeout', 'failing', false],
    ['500', new OpenAI.InternalServerError(500, {}, 'boom', headers()), 'server', 'failing', false],
    ['503', new OpenAI.InternalServerError(503, {}, 'unavailable', headers()), 'server', 'failing', false],
    ['anthropic 529 overloaded', new Anthropic.InternalServerError(529, {}, 'overloaded_error', headers()), 'server', 'failing', false],
    ['429', new OpenAI.RateLimitError(429, {}, 'slow down', headers({ 'retry-after': '1' })), 'rate_limit', 'throttled', true],
    ['401', new OpenAI.AuthenticationError(401, {}, 'Incorrect API key provided', headers()), 'auth', 'refusing', false],
    ['403', new OpenAI.PermissionDeniedError(403, {}, 'forbidden', headers()), 'auth', 'refusing', false],
    ['anthropic 401', new Anthropic.AuthenticationError(401, {}, 'invalid x-api-key', headers()), 'auth', 'refusing', false],
    ['quota', new OpenAI.RateLimitError(429, { code: 'insufficient_quota' }, 'You exceeded your current quota', headers()), 'quota', 'refusing', false],
    ['404 model', new OpenAI.NotFoundError(404, {}, 'The model does not exist', headers()), 'not_found', 'refusing', false],
    ['400', new OpenAI.BadRequestError(400, {}, 'temperature must be <= 2', headers()), 'bad_request', 'none', false],
    ['context length', new OpenAI.BadRequestError(400, { code: 'context_length_exceeded' }, "This model's maximum context length is 8192 tokens", headers()), 'context_length', 'none', false],
    ['422', new OpenAI.UnprocessableEntityError(422, {}, 'unprocessable', headers()), 'bad_request', 'none', false],
  ])('%s', (_name, raw, kind, fault, postponed) => {
    const err = toLlmError(raw);
    expect(err.kind).toBe(kind);
    expect(endpointFaultOf(err.kind)).toBe(fault);
    expect(err.postpone !== undefined).toBe(postponed);
  });

  test('only unreachable and failing count towards the breaker; only an HTTP reply that is no outage proves the endpoint up', () => {
    const faults: EndpointFault[] = ['unreachable', 'failing', 'throttled', 'refusing', 'none'];
    expect(faults.filter(isOutageFault)).toEqual(['unreachable', 'failing']);
    expect(faults.filter((f) => provesEndpointUp(f, 400))).toEqual(['throttled', 'refusing', 'none']);
    expect(faults.filter((f) => provesEndpointUp(f, undefined))).toEqual([]);
  });
});
