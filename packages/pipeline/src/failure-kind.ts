import { TapirError, type Postponement, type RetryAdvice } from '@tapir/core';
import { isConnectionError, SERVICE_UNREACHABLE } from '@tapir/db';
import type { ItemFailureKind } from './chunk-outcome';

/** An error that is not ours and not a lost connection: a bug or a surprise, which another attempt may not repeat. */
const UNKNOWN: RetryAdvice = { retryable: true };

/** Only asked of an error that was not postponed; the wait a 429 without retry-after gets. */
const DEFAULT_WAIT: Postponement = { afterMs: 1000, jitterMs: 500 };

/**
 * What an error says about running its job again. tapir's errors carry it in their flags; raw
 * driver and network errors cannot, so they are classified here, once: PostgreSQL or Redis out
 * of reach postpones like a ServiceUnavailableError.
 */
export function retryAdviceOf(err: unknown): RetryAdvice {
  if (err instanceof TapirError) return err;
  if (isConnectionError(err)) return SERVICE_UNREACHABLE;
  return UNKNOWN;
}

/** How a step's error counts for the job that carries it, one item's or a chunk's (chunk-outcome.ts). */
export function failureKind(err: unknown): ItemFailureKind {
  const advice = retryAdviceOf(err);
  if (advice.haltsCampaign) return 'halted';
  if (advice.postpone) return 'postpone';
  return advice.retryable ? 'retry' : 'final';
}

/** How long a postponed job waits: what its error asked for, with the error's jitter drawn. */
export function postponeDelayMs(err: unknown, random: () => number = Math.random): number {
  const wait = retryAdviceOf(err).postpone ?? DEFAULT_WAIT;
  return wait.afterMs + random() * wait.jitterMs;
}
