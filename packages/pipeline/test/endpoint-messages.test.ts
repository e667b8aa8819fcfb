import { LlmError } from '@tapir/llm';
import { cleanEmbeddingsSchema, parseCampaignConfig } from '@tapir/core';
import { embeddingEndpoint } from '../src/clean-models/embedding-endpoint';
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

  test('the embeddings endpoint names the clean.embeddings field that is set, or the field of the role that lends it', () => {
    const config = parseCampaignConfig(
      `models:
  teacher: { provider: openai, model: t, apiKeyEnv: TEACHER_KEY }
  student: { provider: openai-compatible, model: s, baseURL: http://127.0.0.1:8000/v1, apiKeyEnv: STUDENT_KEY, outagePauseMs: 120000 }
  judge: { provider: openai, model: j, apiKeyEnv: TEACHER_KEY }
`,
      'c.yaml',
    );
    const env = { STUDENT_KEY: 's', EMBED_KEY: 'e' };
    const auth = new LlmError('auth', '401 {"error":{"message":"Incorrect API key provided"}}', 401);
    const lent = embeddingEndpoint(config, cleanEmbeddingsSchema.parse({ model: 'bge-small', role: 'student' }), env).identity;
    expect(refusalMessage(lent, auth)).toBe(
      'embeddings bge-small at http://127.0.0.1:8000/v1: 401 Unauthorized (Incorrect API key provided), check the variable named by models.student.apiKeyEnv (STUDENT_KEY); then `tapir resume`',
    );
    expect(refusalMessage(lent, new LlmError('not_found', 'no such model', 404))).toContain('check clean.embeddings.model and models.student.baseURL');
    expect(outageMessage(lent, 130_000, null)).toContain('longer than models.student.outagePauseMs (2 min 0 s)');
    const own = embeddingEndpoint(config, cleanEmbeddingsSchema.parse({ model: 'bge-small', role: 'student', apiKeyEnv: 'EMBED_KEY' }), env).identity;
    expect(refusalMessage(own, auth)).toContain('check the variable named by clean.embeddings.apiKeyEnv (EMBED_KEY)');
    expect(own.endpointKey).toBe(lent.endpointKey);
  });
});
