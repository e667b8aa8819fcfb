import { TapirError } from '@tapir/core';
import { ServiceUnavailableError } from '@tapir/db';
import { CampaignHaltedError } from '@tapir/ledger';
import { LlmError, toLlmError } from '@tapir/llm';
import { failureKind, postponeDelayMs, retryAdviceOf } from '../src/failure-kind';
import { PermanentStepError, PostponeStepError } from '../src/step-error';

/** A node-postgres error as the driver throws it: a plain Error with a SQLSTATE or errno code. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

const lowest = () => 0;
const highest = () => 1;

describe('failureKind: what a step error means for its job', () => {
  test.each<[string, unknown, ReturnType<typeof failureKind>]>([
    ['a paused campaign', new CampaignHaltedError('c1', 'paused', 'budget reached'), 'halted'],
    ['a cancelled campaign', new CampaignHaltedError('c1', 'cancelled', 'cancelled'), 'halted'],
    ['a 429', new LlmError('rate_limit', 'slow down', 429, 3000), 'postpone'],
    ['a 429 without retry-after', new LlmError('rate_limit', 'slow down', 429), 'postpone'],
    ['a worker closing mid-step', new PostponeStepError('worker closing', 1000), 'postpone'],
    ['PostgreSQL not reachable at start-up', new ServiceUnavailableError('PostgreSQL', 'postgres://x', pgError('connect ECONNREFUSED', 'ECONNREFUSED')), 'postpone'],
    ['Redis not reachable', new ServiceUnavailableError('Redis', 'redis://x', new Error('connect ECONNREFUSED')), 'postpone'],
    ['a 5xx', new LlmError('server', 'unavailable', 503), 'retry'],
    ['a timeout', new LlmError('timeout', 'Request timed out.'), 'retry'],
    ['a provider connection error (nothing reached a server: no attempt spent)', new LlmError('connection', 'Connection error.'), 'postpone'],
    ['an unknown provider error', new LlmError('unknown', '?'), 'retry'],
    ['a bad API key', new LlmError('auth', 'bad key', 401), 'final'],
    ['an exhausted quota', new LlmError('quota', 'exceeded your current quota', 429), 'final'],
    ['a prompt too long', new LlmError('context_length', 'too many tokens', 400), 'final'],
    ['a judge that never parses', new PermanentStepError('judge reply unparseable'), 'final'],
    ['a TapirError that asks for nothing more', new TapirError('x', { retryable: false }), 'final'],
  ])('%s', (_what, err, kind) => {
    expect(failureKind(err)).toBe(kind);
  });

  test('raw driver and network errors: PostgreSQL (or Redis) out of reach postpones', () => {
    expect(failureKind(pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe('postpone');
    expect(failureKind(pgError('terminating connection due to administrator command', '57P01'))).toBe('postpone');
    expect(failureKind(pgError('the database system is starting up', '57P03'))).toBe('postpone');
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('postpone');
    // drizzle wraps the driver's error ("Failed query: ...") with it as the cause.
    expect(failureKind(new Error('Failed query: select 1', { cause: pgError('read ECONNRESET', 'ECONNRESET') }))).toBe('postpone');
  });

  test('anything else is worth another attempt', () => {
    expect(failureKind(new Error('boom'))).toBe('retry');
    expect(failureKind(pgError('duplicate key value violates unique constraint', '23505'))).toBe('retry');
    expect(failureKind(new TypeError('x is undefined'))).toBe('retry');
    expect(failureKind('a string')).toBe('retry');
    expect(failureKind(undefined)).toBe('retry');
    expect(failureKind(null)).toBe('retry');
  });

  test('halted wins over the other flags', () => {
    expect(failureKind(new TapirError('x', { retryable: true, haltsCampaign: true, postpone: { afterMs: 1, jitterMs: 0 } }))).toBe('halted');
  });

  test('an error mapped from an SDK keeps its advice', () => {
    expect(failureKind(toLlmError(Object.assign(new Error('slow down'), { status: 429 })))).toBe('postpone');
    expect(failureKind(toLlmError(Object.assign(new Error('bad key'), { status: 401 })))).toBe('final');
  });
});

describe('postponeDelayMs: how long a postponed job waits', () => {
  test("a 429 waits its retry-after, or a second, plus up to half a second", () => {
    const withRetryAfter = new LlmError('rate_limit', 'slow down', 429, 3000);
    expect(postponeDelayMs(withRetryAfter, lowest)).toBe(3000);
    expect(postponeDelayMs(withRetryAfter, highest)).toBe(3500);
    expect(postponeDelayMs(new LlmError('rate_limit', 'slow down', 429), lowest)).toBe(1000);
  });

  test('a step that asks for a delay gets exactly that', () => {
    expect(postponeDelayMs(new PostponeStepError('closing', 1000), highest)).toBe(1000);
  });

  test('PostgreSQL out of reach waits 2 to 5 seconds, raw or wrapped', () => {
    const raw = pgError('connect ECONNREFUSED', 'ECONNREFUSED');
    expect(postponeDelayMs(raw, lowest)).toBe(2000);
    expect(postponeDelayMs(raw, highest)).toBe(5000);
    expect(postponeDelayMs(new ServiceUnavailableError('PostgreSQL', 'x', raw), highest)).toBe(5000);
  });

  test('the default stays within a 429s range for an error that did not ask to wait', () => {
    const delay = postponeDelayMs(new Error('boom'));
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(1500);
  });
});

describe('retryAdviceOf', () => {
  test('our errors carry their own advice', () => {
    const err = new LlmError('server', 'x', 503);
    expect(retryAdviceOf(err)).toBe(err);
  });

  test('every class builds on TapirError', () => {
    for (const err of [
      new LlmError('server', 'x'),
      new PermanentStepError('x'),
      new PostponeStepError('x', 1),
      new CampaignHaltedError('c', 'paused', 'x'),
      new ServiceUnavailableError('PostgreSQL', 'x', new Error('y')),
    ]) {
      expect(err).toBeInstanceOf(TapirError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).not.toBe('TapirError');
    }
  });
});
