/**
 * ROUGE-L as Google's rouge_score computes it with its default tokenizer and no stemmer, which is
 * what Lion's filter used (drop a new instruction with ROUGE-L > 0.7 against the pool), so the
 * threshold keeps its meaning.
 */

import { rougeTokens } from './text-words';

/**
 * rouge_score's tokenize on ASCII text (lowercase, anything but [a-z0-9] separates); text in other
 * scripts is tokenised as text-words.ts says (Chinese, Japanese and Korean per character).
 */
export function rougeTokenize(text: string): string[] {
  return rougeTokens(text);
}

/**
 * Length of the longest common subsequence, keeping one row of the dynamic programme over the
 * shorter sequence, so memory is O(min(n, m)) even for long texts.
 */
export function lcsLength<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const m = short.length;
  if (m === 0) return 0;
  // row[j] = LCS of the long prefix seen so far and short[0..j); `diagonal` carries row[j - 1] of the previous line.
  const row = new Uint32Array(m + 1);
  for (let i = 0; i < long.length; i++) {
    const x = long[i];
    let diagonal = 0;
    for (let j = 1; j <= m; j++) {
      const above = row[j] as number;
      if (x === short[j - 1]) row[j] = diagonal + 1;
      else if ((row[j - 1] as number) > above) row[j] = row[j - 1] as number;
      diagonal = above;
    }
  }
  return row[m] as number;
}

/**
 * rouge_score's _score_lcs F-measure: precision = lcs / prediction length, recall = lcs / target
 * length, f = 2pr / (p + r); 0 when either side has no tokens. Computed the same way, in the same
 * order, so that values match rouge_score to the last bit and thresholds compare the same.
 */
export function rougeLFromLcs(lcs: number, targetLength: number, predictionLength: number): number {
  if (targetLength === 0 || predictionLength === 0) return 0;
  const precision = lcs / predictionLength;
  const recall = lcs / targetLength;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/**
 * ROUGE-L F-measure of `a` (rouge_score's target) and `b` (its prediction). With beta 1 it is
 * symmetric: rougeL(a, b) === rougeL(b, a).
 */
export function rougeL(a: string, b: string): number {
  const ta = rougeTokenize(a);
  const tb = rougeTokenize(b);
  return rougeLFromLcs(lcsLength(ta, tb), ta.length, tb.length);
}

export interface RougeLMatch {
  /**
   * When `above`: the similarity of the text found above the threshold. Otherwise the highest
   * similarity among the texts that were compared; texts skipped by the bound are all at or below
   * the threshold, so the true maximum is at most max(this, threshold).
   */
  max: number;
  /** Some indexed text has ROUGE-L strictly above the threshold. */
  above: boolean;
  /** The indexed text above the threshold, when there is one. */
  text?: string;
}

/**
 * An instruction pool for ROUGE-L near-duplicate checks. Comparing a candidate with 100k texts by
 * LCS is slow, so the index keeps, per token, which texts contain it and how often; the multiset
 * overlap sum_t min(count_a(t), count_b(t)) bounds the LCS from above, and a text whose bound
 * cannot beat the threshold is never compared. Texts are tokenised once, to integer ids.
 */
export class RougeLIndex {
  private readonly vocabulary = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly tokenIds: Uint32Array[] = [];
  /** postings[tokenId] = [textIndex, countInText, textIndex, countInText, ...]. */
  private readonly postings: number[][] = [];
  /** Per-text overlap counts for one query; all zero between queries. */
  private overlapBuffer = new Uint32Array(0);

  constructor(texts: Iterable<string> = []) {
    for (const t of texts) this.add(t);
  }

  private scratch(): Uint32Array {
    if (this.overlapBuffer.length < this.texts.length) {
      this.overlapBuffer = new Uint32Array(Math.max(this.texts.length, 2 * this.overlapBuffer.length));
    }
    return this.overlapBuffer;
  }

  get size(): number {
    return this.texts.length;
  }

  add(text: string): void {
    const index = this.texts.length;
    const ids = rougeTokenize(text).map((token) => {
      let id = this.vocabulary.get(token);
      if (id === undefined) {
        id = this.vocabulary.size;
        this.vocabulary.set(token, id);
        this.postings.push([]);
      }
      return id;
    });
    this.texts.push(text);
    this.tokenIds.push(Uint32Array.from(ids));
    for (const [id, count] of countIds(ids)) this.postings[id]?.push(index, count);
  }

  /**
   * Whether any indexed text has ROUGE-L above `threshold` against `candidate`. Texts are compared
   * in order of decreasing bound (ties by insertion order) and the search stops at the first one
   * above the threshold, so a near-duplicate is usually found after one or two LCS computations.
   */
  maxSimilarity(candidate: string, threshold: number): RougeLMatch {
    if (!(threshold >= 0) || !Number.isFinite(threshold)) {
      throw new RangeError(`RougeLIndex.maxSimilarity: threshold must be a finite number >= 0, got ${threshold}`);
    }
    const tokens = rougeTokenize(candidate);
    // Tokens the pool has never seen match nothing; -1 is an id no indexed text contains.
    const ids = Int32Array.from(tokens, (t) => this.vocabulary.get(t) ?? -1);
    const n = ids.length;

    // Overlap per text, accumulated in a reused buffer: a common token ("the") touches most of
    // the pool, and a Map per query would dominate the cost.
    const overlap = this.scratch();
    const touched: number[] = [];
    for (const [id, count] of countIds(ids)) {
      if (id < 0) continue;
      const posting = this.postings[id] ?? [];
      for (let p = 0; p < posting.length; p += 2) {
        const textIndex = posting[p] as number;
        if (overlap[textIndex] === 0) touched.push(textIndex);
        overlap[textIndex] = (overlap[textIndex] as number) + Math.min(count, posting[p + 1] as number);
      }
    }

    // The bound uses the same formula as the score, so a text whose LCS equals its overlap is
    // never pruned by a rounding difference; a smaller LCS gives a strictly smaller score.
    const candidates: { index: number; bound: number }[] = [];
    for (const index of touched) {
      const bound = rougeLFromLcs(overlap[index] as number, this.tokenIds[index]?.length ?? 0, n);
      overlap[index] = 0;
      if (bound > threshold) candidates.push({ index, bound });
    }
    candidates.sort((x, y) => y.bound - x.bound || x.index - y.index);

    let max = 0;
    for (const { index } of candidates) {
      const other = this.tokenIds[index] ?? new Uint32Array(0);
      const score = rougeLFromLcs(lcsLength<number>(other, ids), other.length, n);
      if (score > threshold) return { max: score, above: true, text: this.texts[index] ?? '' };
      if (score > max) max = score;
    }
    return { max, above: false };
  }
}

function countIds(ids: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
