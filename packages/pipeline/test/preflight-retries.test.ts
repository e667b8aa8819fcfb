import { LlmError, type ProbeOutcome } from '@tapir/llm';
import { probeWithRetries } from '../src/preflight';

/** A probe that answers from a script, counting how often it was asked. */
function scripted(...answers: (LlmError | 'ok')[]) {
  let asked = 0;
  const probe = async (): Promise<ProbeOutcome> => {
    const answer = answers[Math.min(asked++, answers.length - 1)]!;
    return answer === 'ok' ? { ok: true, method: 'completion' } : { ok: false, method: 'completion', error: answer };
  };
  return { probe, asked: () => asked };
}

const NO_WAIT = [0, 0];

describe('preflight asks again only where asking again can help', () => {
  test('a 5xx then an answer passes, after a second request', async () => {
    const s = scripted(new LlmError('server', '500 The server had an error', 500), 'ok');
    expect((await probeWithRetries(s.probe, NO_WAIT)).ok).toBe(true);
    expect(s.asked()).toBe(2);
  });

  test('a timeout on every attempt refuses after three requests, with the last error', async () => {
    const s = scripted(new LlmError('timeout', 'Request timed out.'));
    const outcome = await probeWithRetries(s.probe, NO_WAIT);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(s.asked()).toBe(3);
  });

  test('a 429 proves the endpoint is there and takes the key: it passes at once', async () => {
    const s = scripted(new LlmError('rate_limit', '429 Too Many Requests', 429));
    expect((await probeWithRetries(s.probe, NO_WAIT)).ok).toBe(true);
    expect(s.asked()).toBe(1);
  });

  test.each([
    ['a refused connection', new LlmError('connection', 'connect ECONNREFUSED')],
    ['a refused key', new LlmError('auth', '401 Unauthorized', 401)],
    ['an unknown model', new LlmError('not_found', '404 model not found', 404)],
  ])('%s refuses at once, one request', async (_name, error) => {
    const s = scripted(error);
    expect((await probeWithRetries(s.probe, NO_WAIT)).ok).toBe(false);
    expect(s.asked()).toBe(1);
  });
});
