import { createRng } from './rng';
import { rougeL } from './rouge-l';
import { rougeTokens } from './text-words';

/** How varied a set of synthesized instructions is (phi-1.5's concern), and how far from the pool. */
export interface DiversityReport {
  instructions: number;
  distinctTopics: number;
  words: number;
  /** Distinct word 3-grams per 1,000 words: higher is more varied (3-grams do not cross instructions). */
  distinctTrigramsPer1000Words: number;
  /** Mean ROUGE-L F of sampled (synthesized, imported) pairs; null when either side is empty. */
  meanRougeLAgainstPool: number | null;
  /** Pairs the mean is taken over. */
  rougeLPairs: number;
}

/** Distinct 3-grams of the texts' words, per 1,000 words (tokenised as ROUGE-L tokenises). */
export function distinctTrigramsPer1000Words(texts: readonly string[]): { words: number; perThousand: number } {
  const trigrams = new Set<string>();
  let words = 0;
  for (const text of texts) {
    const tokens = rougeTokens(text);
    words += tokens.length;
    for (let i = 0; i + 2 < tokens.length; i++) trigrams.add(`${tokens[i]}\u0000${tokens[i + 1]}\u0000${tokens[i + 2]}`);
  }
  return { words, perThousand: words === 0 ? 0 : (trigrams.size * 1000) / words };
}

/**
 * Mean ROUGE-L of every pair of a sample of `sampleSize` synthesized instructions against a
 * sample of as many imported ones (seeded, so the figure is reproducible): pairwise ROUGE-L is
 * quadratic, and a few hundred pairs per side estimate the mean well.
 */
export function meanPairwiseRougeL(
  synthesized: readonly string[],
  pool: readonly string[],
  opts: { sampleSize: number; seed: number },
): { mean: number | null; pairs: number } {
  if (synthesized.length === 0 || pool.length === 0) return { mean: null, pairs: 0 };
  const rng = createRng(opts.seed).fork('diversity');
  const a = rng.sample(synthesized, Math.min(opts.sampleSize, synthesized.length));
  const b = rng.sample(pool, Math.min(opts.sampleSize, pool.length));
  let sum = 0;
  for (const x of a) for (const y of b) sum += rougeL(x, y);
  return { mean: sum / (a.length * b.length), pairs: a.length * b.length };
}

export function diversityReport(
  synthesized: readonly { instruction: string; topic: string }[],
  pool: readonly string[],
  opts: { sampleSize?: number; seed: number },
): DiversityReport {
  const texts = synthesized.map((s) => s.instruction);
  const trigrams = distinctTrigramsPer1000Words(texts);
  const rouge = meanPairwiseRougeL(texts, pool, { sampleSize: opts.sampleSize ?? 100, seed: opts.seed });
  return {
    instructions: synthesized.length,
    distinctTopics: new Set(synthesized.map((s) => s.topic)).size,
    words: trigrams.words,
    distinctTrigramsPer1000Words: trigrams.perThousand,
    meanRougeLAgainstPool: rouge.mean,
    rougeLPairs: rouge.pairs,
  };
}
