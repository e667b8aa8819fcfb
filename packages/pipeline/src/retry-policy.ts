import type { BackoffStrategy } from 'bullmq';
import { LlmError } from '@tapir/llm';
import { retryAdviceOf } from './failure-kind';

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

/**
 * Exponential backoff with full jitter for 5xx, timeouts and resets; a 429 waits what its
 * retry-after says (plus jitter so that workers do not return in lockstep).
 */
export const backoffStrategy: BackoffStrategy = (attemptsMade, _type, err) => {
  const jitter = Math.random();
  if (err instanceof LlmError && err.retryAfterMs !== undefined) {
    return Math.round(err.retryAfterMs + jitter * Math.min(1000, err.retryAfterMs * 0.2 + 100));
  }
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (jitter * ceiling) / 2);
};

/** Whether another attempt could change the outcome. */
export function isRetryable(err: unknown): boolean {
  return retryAdviceOf(err).retryable;
}

export function describeError(err: unknown): string {
  if (err instanceof LlmError) return `${err.kind}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
