import type { ModelRoleConfig } from '@tapir/core';
import { endpointAddress, preflightFailureLines, preflightGroups, type RoleTarget } from '../src/preflight-plan';

const settings = (over: Partial<ModelRoleConfig>): ModelRoleConfig =>
  ({ provider: 'openai', model: 'm', temperature: 0.7, maxTokens: 1024, timeoutMs: 120_000, concurrency: 8, maxTokensRetry: 2, structuredOutput: 'auto', ...over }) as ModelRoleConfig;
const target = (role: RoleTarget['role'], over: Partial<ModelRoleConfig>): RoleTarget => ({ role, settings: settings(over) });

describe('preflight: which endpoints to probe and what to say', () => {
  test('roles with the same SDK, address and key variable share one probe, whatever their model', () => {
    const groups = preflightGroups([
      target('teacher', { model: 'sim-teacher', baseURL: 'http://sim:1/v1', apiKeyEnv: 'K' }),
      target('judge', { model: 'sim-judge', baseURL: 'http://SIM:1/v1/', apiKeyEnv: 'K' }),
      target('student', { provider: 'openai-compatible', model: 's', baseURL: 'http://sim:1/v1' }),
    ]);
    expect(groups.map((g) => g.roles.map((r) => r.role))).toEqual([['teacher', 'judge'], ['student']]);
    expect(groups[0]!.settings.model).toBe('sim-teacher');
  });

  test('another key variable or provider is another endpoint; the default base URL is the spelled-out one', () => {
    const groups = preflightGroups([
      target('teacher', { apiKeyEnv: 'A' }),
      target('student', { apiKeyEnv: 'B' }),
      target('judge', { apiKeyEnv: 'A', baseURL: 'https://api.openai.com/v1' }),
    ]);
    expect(groups.map((g) => g.roles.map((r) => r.role))).toEqual([['teacher', 'judge'], ['student']]);
    const kinds = preflightGroups([target('teacher', { provider: 'anthropic', baseURL: 'http://x' }), target('judge', { provider: 'openai', baseURL: 'http://x' })]);
    expect(kinds).toHaveLength(2);
  });

  test('property: every role is in exactly one group', () => {
    const urls = ['http://a/v1', 'http://b/v1', undefined];
    const envs = ['K1', 'K2', undefined];
    const targets: RoleTarget[] = [];
    for (const baseURL of urls) for (const apiKeyEnv of envs) targets.push(target('teacher', { baseURL, apiKeyEnv }));
    const groups = preflightGroups(targets);
    expect(groups.reduce((a, g) => a + g.roles.length, 0)).toBe(targets.length);
    expect(groups).toHaveLength(9);
  });

  test('a line per role names role, model, address and the error; auth points at apiKeyEnv, never at a key', () => {
    const [group] = preflightGroups([
      target('teacher', { model: 'sim-teacher', baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'SIM_KEY' }),
      target('judge', { model: 'sim-judge', baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'SIM_KEY' }),
    ]);
    expect(preflightFailureLines(group!, { text: 'connection refused', auth: false, missingKey: false })).toEqual([
      'teacher sim-teacher at http://127.0.0.1:9/v1: connection refused',
      'judge sim-judge at http://127.0.0.1:9/v1: connection refused',
    ]);
    expect(preflightFailureLines(group!, { text: '401', auth: true, missingKey: false })[1]).toBe(
      'judge sim-judge at http://127.0.0.1:9/v1: 401, check the variable named by models.judge.apiKeyEnv (SIM_KEY)',
    );
    const [keyless] = preflightGroups([target('student', { provider: 'openai-compatible', model: 's', baseURL: 'http://gpu:8000/v1' })]);
    expect(preflightFailureLines(keyless!, { text: '401', auth: true, missingKey: false })[0]).toContain('name its variable in models.student.apiKeyEnv');
    const [missing] = preflightGroups([{ ...target('teacher', { apiKeyEnv: 'NOPE' }), campaignId: 'c9' }]);
    expect(preflightFailureLines(missing!, { text: 'environment variable NOPE is not set', auth: false, missingKey: true })[0]).toBe(
      'campaign c9: teacher m at https://api.openai.com/v1: models.teacher.apiKeyEnv: environment variable NOPE is not set',
    );
  });

  test('the address is the configured one, else the SDK default', () => {
    expect(endpointAddress({ provider: 'anthropic', baseURL: undefined })).toBe('https://api.anthropic.com');
    expect(endpointAddress({ provider: 'openai-compatible', baseURL: undefined })).toBe('the openai-compatible default');
    expect(endpointAddress({ provider: 'openai', baseURL: 'http://Gpu:8000/v1' })).toBe('http://Gpu:8000/v1');
  });
});
