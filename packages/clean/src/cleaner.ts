import type { BenchmarkIndex } from './benchmark-index';
import type { CleanDrop } from './clean-drop';
import { ExactIndex } from './exact-index';
import type { FlaggedWords } from './flagged-words';
import { MinHashIndex } from './minhash-index';
import { RowAnalyser, round3, type CleanRowText, type CleanSettings, type RowAnalysis } from './row-analyser';

export type { CleanSettings } from './row-analyser';

/** One pool row as cleaning sees it. `ref` is the caller's number for it, unique and stable. */
export interface CleanRow extends CleanRowText {
  ref: number;
}

export interface CleanerParts {
  /** Null when decontamination is off or no benchmark is configured. */
  benchmarks: BenchmarkIndex | null;
  flaggedWords: FlaggedWords | null;
  /** How a drop names the kept row it duplicates (an item id, `file:line`). */
  describeRef?: (ref: number) => string;
}

/**
 * The rule-based cleaning of a pool, one row at a time in the order that decides which copy of a
 * duplicate is kept (the caller's: rows with an answer first, then import order). A row is judged
 * by the cheap per-row rules first, then against the benchmarks (row-analyser.ts), then against
 * the rows kept before it; only kept rows enter the duplicate indexes, so a row is never dropped as
 * the twin of a row that was itself dropped. `judge` does both steps; a caller analysing rows on
 * other threads hands each analysis to `decide`, in pool order.
 */
export class Cleaner {
  readonly analyser: RowAnalyser;
  private readonly exact = new ExactIndex();
  private readonly near: MinHashIndex;
  private readonly describe: (ref: number) => string;

  constructor(
    readonly settings: CleanSettings,
    parts: CleanerParts,
  ) {
    this.near = new MinHashIndex(settings.dedup.jaccard);
    this.analyser = new RowAnalyser(settings, parts, this.near.hasher);
    this.describe = parts.describeRef ?? String;
  }

  get bands() {
    return this.near.shape;
  }

  /** The row's drop, or null when it is kept (and then remembered as a kept row). */
  judge(row: CleanRow): CleanDrop | null {
    return this.decide(row.ref, this.analyser.analyse(row));
  }

  /** The duplicate decision for an analysed row, in pool order: its drop, or null when kept. */
  decide(ref: number, analysis: RowAnalysis): CleanDrop | null {
    if (analysis.drop) return analysis.drop;
    const { dedup } = this.settings;
    if (dedup.exact) {
      const twin = this.exact.find(analysis.identity);
      if (twin >= 0) return { reason: 'duplicate', evidence: { rule: 'exact', twinKey: this.describe(twin), detail: 'same instruction and input after case, whitespace and Unicode folding' } };
    }
    if (dedup.near) {
      const twin = this.near.findTwin(analysis.shingles, analysis.signature);
      if (twin) {
        return {
          reason: 'near-duplicate',
          evidence: { rule: 'minhash-jaccard', score: round3(twin.jaccard), threshold: dedup.jaccard, twinKey: this.describe(twin.ref), detail: `${dedup.shingleWords}-word shingles` },
        };
      }
      this.near.add(ref, analysis.shingles, analysis.signature);
    }
    if (dedup.exact) this.exact.add(analysis.identity, ref);
    return null;
  }

  /** Remembers a row kept earlier (a campaign's kept pool, read back after a restart). */
  remember(row: CleanRow): void {
    const keys = this.analyser.dedupKeys(row);
    if (this.settings.dedup.exact) this.exact.add(keys.identity, row.ref);
    if (this.settings.dedup.near) this.near.add(row.ref, keys.shingles, keys.signature);
  }
}
