/** A step that cannot succeed by running again (e.g. a judge that never answers in format). */
export class PermanentStepError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'PermanentStepError';
  }
}

/** A step that must stop for now and run again later (the worker is shutting down mid-step); no attempt is spent. */
export class PostponeStepError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'PostponeStepError';
  }
}
