import type { BackoffStrategy } from 'bullmq';
import { LlmError } from '@tapir/llm';
import { retryAdviceOf } from './failure-kind';

export const BASE_RETRY_DELAY_MS = 1000;
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * The wait before a request-level retry (an attempt was spent): exponential, doubling from
 * BASE_RETRY_DELAY_MS up to MAX_RETRY_DELAY_MS, with "equal jitter" (a random point in the upper
 * half of the step) so that the jobs of one burst do not come back together. A server that says
 * retry-after is obeyed, plus a little jitter. `attemptsMade` counts the failed attempt; `random`
 * is in [0, 1).
 */
export function retryDelayMs(attemptsMade: number, retryAfterMs: number | undefined, random: number): number {
  if (retryAfterMs !== undefined) return Math.round(retryAfterMs + random * Math.min(1000, retryAfterMs * 0.2 + 100));
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, BASE_RETRY_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** BullMQ's hook for retryDelayMs. */
export const backoffStrategy: BackoffStrategy = (attemptsMade, _type, err) =>
  retryDelayMs(attemptsMade, err instanceof LlmError ? err.retryAfterMs : undefined, Math.random());

/** Whether another attempt could change the outcome. */
export function isRetryable(err: unknown): boolean {
  return retryAdviceOf(err).retryable;
}

export function describeError(err: unknown): string {
  if (err instanceof LlmError) return `${err.kind}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
