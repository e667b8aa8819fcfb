import { TapirError } from '@tapir/core';

/** A step that cannot succeed by running again (e.g. a judge that never answers in format). */
export class PermanentStepError extends TapirError {
  constructor(message: string) {
    super(message, { retryable: false });
    this.name = 'PermanentStepError';
  }
}

/** A step that must stop for now and run again later (the worker is shutting down mid-step); no attempt is spent. */
export class PostponeStepError extends TapirError {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message, { retryable: true, postpone: { afterMs: delayMs, jitterMs: 0 } });
    this.name = 'PostponeStepError';
  }
}
