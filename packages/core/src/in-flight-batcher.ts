export interface InFlightBatcherOptions {
  /** Most inputs in one call of the batch function. */
  maxBatch: number;
  /** Batch calls allowed at once; further inputs queue and go together when one returns. */
  maxInFlight: number;
}

/**
 * Coalesces concurrent single operations into batch calls without adding latency: an input goes
 * out at once while fewer than `maxInFlight` batches are running; inputs that arrive while the
 * limit is reached wait, and all of them (up to `maxBatch`) go in the next call when a running
 * one returns. Idle, every operation is its own batch of one; under load, one round trip
 * carries many. A failed batch rejects every input in it with the same error.
 */
export class InFlightBatcher<I, O> {
  private readonly waiting: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly runBatch: (inputs: I[]) => Promise<O[]>,
    private readonly options: InFlightBatcherOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError(`maxBatch must be an integer >= 1, got ${options.maxBatch}`);
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
    }
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private async run(batch: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const outputs = await this.runBatch(batch.map((b) => b.input));
      if (outputs.length !== batch.length) {
        throw new Error(`InFlightBatcher: the batch function returned ${outputs.length} result(s) for ${batch.length} input(s)`);
      }
      batch.forEach((b, i) => b.resolve(outputs[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}
