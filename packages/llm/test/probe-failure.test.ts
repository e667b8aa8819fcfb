import { LlmError } from '../src/llm-error';
import { describeProbeFailure } from '../src/probe-failure';

/** What the SDKs throw for a network failure: their connection error around fetch's, around the socket's. */
function connectionError(inner: object): Error {
  const socket = Object.assign(new Error((inner as { message?: string }).message ?? 'socket'), inner);
  const fetchFailed = new TypeError('fetch failed', { cause: socket });
  class APIConnectionError extends Error {}
  return new APIConnectionError('Connection error.', { cause: fetchFailed });
}

describe('describeProbeFailure: what went wrong, in words', () => {
  test('socket and DNS codes deep in the cause chain', () => {
    expect(describeProbeFailure(connectionError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }), 10_000).text).toBe('connection refused');
    expect(describeProbeFailure(connectionError({ code: 'ENOTFOUND' }), 10_000).text).toBe('host not found (DNS)');
    expect(describeProbeFailure(connectionError({ code: 'EWHATEVER', message: 'odd' }), 10_000).text).toBe('EWHATEVER (odd)');
    // Happy eyeballs: one error per address tried, in an AggregateError.
    const aggregate = connectionError({ message: 'x', errors: [Object.assign(new Error('a'), { code: 'ECONNREFUSED' })] });
    expect(describeProbeFailure(aggregate, 10_000).text).toBe('connection refused');
  });

  test("fetch's own refusal without a code keeps its words", () => {
    expect(describeProbeFailure(connectionError({ message: 'bad port' }), 10_000).text).toBe('Connection error: bad port');
  });

  test('a timeout says how long it waited', () => {
    class APIConnectionTimeoutError extends Error {}
    expect(describeProbeFailure(new APIConnectionTimeoutError('Request timed out.'), 10_000).text).toBe('no answer within 10 s');
    expect(describeProbeFailure(new APIConnectionTimeoutError('Request timed out.'), 2500).text).toBe('no answer within 2.5 s');
  });

  test('401 and 403 are auth failures and drop the body, which may echo part of the key', () => {
    const err = Object.assign(new Error('401 Incorrect API key provided: sk-abc***wxyz'), { status: 401 });
    expect(describeProbeFailure(err, 10_000)).toEqual({ text: '401', auth: true, missingKey: false });
    expect(describeProbeFailure(Object.assign(new Error('403 no access'), { status: 403 }), 10_000).auth).toBe(true);
  });

  test('other statuses keep the body, cut short', () => {
    const notFound = Object.assign(new Error('404 The model `nope` does not exist'), { status: 404 });
    expect(describeProbeFailure(notFound, 10_000)).toEqual({ text: '404 The model `nope` does not exist', auth: false, missingKey: false });
    const long = Object.assign(new Error(`500 ${'y'.repeat(1000)}`), { status: 500 });
    expect(describeProbeFailure(long, 10_000).text.length).toBeLessThanOrEqual(204);
  });

  test('a missing key variable is named as such', () => {
    const missing = new LlmError('missing_api_key', 'environment variable X is not set');
    expect(describeProbeFailure(missing, 10_000)).toEqual({ text: 'environment variable X is not set', auth: false, missingKey: true });
  });
});
