import { isConnectionError } from './connection';

export interface ConnectionRetryOptions {
  /** Give up after this long without PostgreSQL. */
  maxWaitMs?: number;
  onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Runs `fn`, and while PostgreSQL is unreachable waits and runs it again (backoff up to 5 s per
 * wait). For writes that must not be lost, such as recording an LLM answer that was paid for.
 * Only safe for idempotent `fn`.
 */
export async function withConnectionRetry<T>(fn: () => Promise<T>, opts: ConnectionRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.maxWaitMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() >= deadline) throw err;
      opts.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** Math.min(attempt, 5))));
    }
  }
}
