import { LlmError } from '@tapir/llm';
import { breakerPolicyOf, outageMessage, providerReason, refusalMessage, type EndpointIdentity } from '../src/endpoint-health';

const judge: EndpointIdentity = {
  role: 'judge',
  settings: { provider: 'anthropic', model: 'sim-judge', baseURL: 'http://127.0.0.1:8787', apiKeyEnv: 'JUDGE_KEY', outagePauseMs: 600_000 },
  endpointKey: 'k',
};

describe('what a paused campaign says about its endpoint', () => {
  test('the provider message is taken out of the SDK text', () => {
    expect(providerReason('401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}')).toBe('invalid x-api-key');
    expect(providerReason('403 Forbidden by policy')).toBe('Forbidden by policy');
  });

  test('a 401 names role, model, base URL, status and the variable to check', () => {
    const err = new LlmError('auth', '401 {"error":{"message":"invalid x-api-key"}}', 401);
    expect(refusalMessage(judge, err)).toBe(
      'judge sim-judge at http://127.0.0.1:8787: 401 Unauthorized (invalid x-api-key), check the variable named by models.judge.apiKeyEnv (JUDGE_KEY); then `tapir resume`',
    );
  });

  test('quota, unknown model, unset variable and no apiKeyEnv each say what to fix', () => {
    expect(refusalMessage(judge, new LlmError('quota', 'You exceeded your current quota', 429))).toContain("429 Too Many Requests (You exceeded your current quota), the account's quota is used up");
    expect(refusalMessage(judge, new LlmError('not_found', 'no such model', 404))).toContain('check models.judge.model and models.judge.baseURL');
    expect(refusalMessage(judge, new LlmError('missing_api_key', 'environment variable JUDGE_KEY is not set'))).toContain('missing_api_key (environment variable JUDGE_KEY is not set)');
    const keyless = { ...judge, settings: { ...judge.settings, apiKeyEnv: undefined, baseURL: undefined } };
    expect(refusalMessage(keyless, new LlmError('auth', 'no', 401))).toContain("judge sim-judge at anthropic's default URL: 401 Unauthorized (no), the endpoint wants a key: set models.judge.apiKeyEnv");
  });

  test('an outage names how long, the last error and the limit', () => {
    expect(outageMessage(judge, 615_000, 'connection: Connection error.')).toBe(
      'judge sim-judge at http://127.0.0.1:8787: down for 10 min 15 s (connection: Connection error.), longer than models.judge.outagePauseMs (10 min 0 s); `tapir resume` once it answers',
    );
  });

  test("a role's breaker settings override the defaults one by one", () => {
    expect(breakerPolicyOf({ ...judge.settings, breaker: { openAfterFailures: 2 } })).toMatchObject({ openAfterFailures: 2, failureWindowMs: 30_000 });
    expect(breakerPolicyOf(judge.settings)).toMatchObject({ openAfterFailures: 5, failureWindowMs: 30_000 });
  });
});
