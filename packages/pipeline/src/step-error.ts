/** A step that cannot succeed by running again (e.g. a judge that never answers in format). */
export class PermanentStepError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'PermanentStepError';
  }
}
