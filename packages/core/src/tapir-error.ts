/**
 * Waiting, not another attempt, is what helps: the job is put back for about `afterMs` (plus up
 * to `jitterMs` at random, so that the workers it held do not all return at once) without
 * spending one of its attempts.
 */
export interface Postponement {
  afterMs: number;
  jitterMs: number;
}

/** What an error says about running its job again. */
export interface RetryAdvice {
  /** Another attempt could change the outcome. */
  readonly retryable: boolean;
  /** Set when the cause is expected to pass by itself (a 429, PostgreSQL restarting, a worker closing). */
  readonly postpone?: Postponement | undefined;
  /** The campaign stopped (paused or cancelled): its jobs are dropped, and resume enqueues them again. */
  readonly haltsCampaign?: boolean | undefined;
}

/**
 * The base of tapir's own errors. Each is defined beside the code that raises it and says, in
 * its flags, whether a retry helps, so that the worker decides from the flags and never needs
 * to know the classes (see pipeline's failure-kind.ts).
 */
export class TapirError extends Error implements RetryAdvice {
  readonly retryable: boolean;
  readonly postpone: Postponement | undefined;
  readonly haltsCampaign: boolean;

  constructor(message: string, advice: RetryAdvice, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TapirError';
    this.retryable = advice.retryable;
    this.postpone = advice.postpone;
    this.haltsCampaign = advice.haltsCampaign ?? false;
  }
}
