import { LlmError } from '@tapir/llm';
import { backoffStrategy, BASE_RETRY_DELAY_MS, isRetryable, MAX_RETRY_DELAY_MS, retryDelayMs } from '../src/retry-policy';
import { PermanentStepError } from '../src/step-error';
import { jobId } from '../src/job-catalog';

describe('retry policy', () => {
  test('exponential backoff with jitter stays within [ceiling/2, ceiling] and caps at 60 s', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffStrategy(attempt, 'tapir', new Error('boom')) as number;
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test('a 429 waits what retry-after says, plus a little jitter', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffStrategy(1, 'tapir', new LlmError('rate_limit', 'slow down', 429, 5000)) as number;
      expect(delay).toBeGreaterThanOrEqual(5000);
      expect(delay).toBeLessThanOrEqual(6000);
    }
  });

  test('what can be retried', () => {
    expect(isRetryable(new LlmError('server', 'x', 503))).toBe(true);
    expect(isRetryable(new LlmError('auth', 'x', 401))).toBe(false);
    expect(isRetryable(new LlmError('context_length', 'x', 400))).toBe(false);
    expect(isRetryable(new PermanentStepError('judge never parsed'))).toBe(false);
    expect(isRetryable(new Error('connection terminated'))).toBe(true);
  });
});

describe('job ids', () => {
  test('are deterministic per campaign, step, round and item, and contain no colon', () => {
    const a = jobId('judge', { campaignId: 'c1', round: 1, itemId: 7 });
    expect(a).toBe(jobId('judge', { campaignId: 'c1', round: 1, itemId: 7 }));
    expect(a).not.toBe(jobId('judge', { campaignId: 'c1', round: 2, itemId: 7 }));
    expect(a).not.toBe(jobId('classify', { campaignId: 'c1', round: 1, itemId: 7 }));
    expect(a).not.toBe(jobId('judge', { campaignId: 'c1', round: 1, itemId: 8 }));
    expect(jobId('plan', { campaignId: 'c1', round: 1 })).toBe('c1.plan.r1');
    expect(a).not.toContain(':');
  });
});

describe('retryDelayMs: the backoff of request-level retries', () => {
  test('doubles per attempt from 1 s to a 60 s cap; jitter spans the upper half of each step', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(MAX_RETRY_DELAY_MS, BASE_RETRY_DELAY_MS * 2 ** (attempt - 1));
      expect(retryDelayMs(attempt, undefined, 0)).toBe(ceiling / 2);
      expect(retryDelayMs(attempt, undefined, 0.999999)).toBe(ceiling);
    }
    expect(retryDelayMs(30, undefined, 0.5)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
  });

  test('retry-after (a 5xx or 429 that says when) is honoured, never shortened, jitter at most 1 s', () => {
    for (const after of [0, 250, 3_000, 120_000]) {
      expect(retryDelayMs(1, after, 0)).toBe(after);
      const most = retryDelayMs(1, after, 0.999999);
      expect(most).toBeGreaterThanOrEqual(after);
      expect(most - after).toBeLessThanOrEqual(1_000);
    }
  });

  test('the BullMQ hook reads retry-after from a 503', () => {
    const delay = backoffStrategy(1, 'tapir', new LlmError('server', 'unavailable', 503, 7_000)) as number;
    expect(delay).toBeGreaterThanOrEqual(7_000);
    expect(delay).toBeLessThanOrEqual(8_000);
  });
});
