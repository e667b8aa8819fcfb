import { PackedAnalysesReader, type PackedAnalyses } from './packed-analyses';
import type { CleanRowText, RowAnalysis } from './row-analyser';

/** Analyses a batch; `full` is false only for the last, short batch of the input. */
export type AnalyseBatch = (rows: CleanRowText[], full: boolean) => Promise<PackedAnalyses>;

/**
 * Rows go in in pool order and come out in that order with their analyses, while up to
 * `inFlight` batches are analysed elsewhere: the reading thread keeps reading as long as fewer
 * are waiting, and hands the oldest batch to `settle` (the duplicate decisions, which must follow
 * pool order) when more are. A row pushed without text needs no analysis (settle gets null).
 */
export class OrderedAnalysis<T> {
  private items: T[] = [];
  private texts: (CleanRowText | null)[] = [];
  private analysed = 0;
  private readonly queue: { items: T[]; texts: (CleanRowText | null)[]; analyses: Promise<PackedAnalyses> | null }[] = [];

  constructor(
    private readonly analyse: AnalyseBatch,
    private readonly settle: (item: T, analysis: RowAnalysis | null) => void | Promise<void> | undefined,
    private readonly batchSize: number,
    private readonly inFlight: number,
  ) {}

  /** A promise only when the caller has to wait (a batch went out and too many are in flight). */
  push(item: T, text: CleanRowText | null): Promise<void> | undefined {
    this.items.push(item);
    this.texts.push(text);
    if (text) this.analysed++;
    if (this.items.length >= this.batchSize || this.analysed >= this.batchSize) return this.send(true);
    return undefined;
  }

  /** Settles everything pushed. */
  async finish(): Promise<void> {
    if (this.items.length > 0) await this.send(false);
    while (this.queue.length > 0) await this.settleOldest();
  }

  private async send(full: boolean): Promise<void> {
    const rows = this.texts.filter((t): t is CleanRowText => t !== null);
    // Swallowed here and raised by settleOldest, so a failed batch is never an unhandled rejection.
    const analyses = rows.length > 0 ? this.analyse(rows, full) : null;
    analyses?.catch(() => undefined);
    this.queue.push({ items: this.items, texts: this.texts, analyses });
    this.items = [];
    this.texts = [];
    this.analysed = 0;
    while (this.queue.length > this.inFlight) await this.settleOldest();
  }

  private async settleOldest(): Promise<void> {
    const batch = this.queue.shift()!;
    const reader = batch.analyses ? new PackedAnalysesReader(await batch.analyses) : null;
    let next = 0;
    for (let i = 0; i < batch.items.length; i++) {
      const analysis = batch.texts[i] && reader ? reader.at(next++) : null;
      // Awaited only when settle had to wait (a full output stream): a microtask per row adds up.
      const waiting = this.settle(batch.items[i]!, analysis);
      if (waiting) await waiting;
    }
  }
}
