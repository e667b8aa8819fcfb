import { closeToReferences, semanticDuplicates } from '@tapir/core';
import type { CleanDrop } from './clean-drop';
import type { BenchmarkQuestion, CleanCandidate } from './model-filter-input';

export interface SemanticThresholds {
  /** Semantic dedup runs only when set. */
  dedupCosine?: number | undefined;
  decontaminateCosine: number;
}

/** Rounded for the evidence: four decimals say all a reader needs of a cosine. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Drops by embedding (Platypus): first every item within `decontaminateCosine` of a benchmark
 * question, naming the benchmark and the question; then, among the rest, every item within
 * `dedupCosine` of a kept one, naming the kept twin. Contamination goes first because it is the
 * graver reason, and a contaminated item must not be the copy a clean twin is dropped for.
 */
export function semanticDrops(
  candidates: readonly CleanCandidate[],
  vectors: readonly Float32Array[],
  benchmarks: readonly BenchmarkQuestion[],
  benchmarkVectors: readonly Float32Array[],
  thresholds: SemanticThresholds,
): Map<number, CleanDrop> {
  const drops = new Map<number, CleanDrop>();
  const contaminated = closeToReferences(vectors, benchmarkVectors, thresholds.decontaminateCosine);
  for (const [i, hit] of contaminated) {
    const candidate = candidates[i] as CleanCandidate;
    const question = benchmarks[hit.reference] as BenchmarkQuestion;
    drops.set(candidate.itemId, {
      reason: 'contaminated',
      evidence: {
        rule: 'embedding-cosine',
        score: round4(hit.cosine),
        threshold: thresholds.decontaminateCosine,
        benchmark: question.name,
        benchmarkQuestion: question.text,
        detail: `question ${question.index} of ${question.name}`,
      },
    });
  }
  if (thresholds.dedupCosine === undefined) return drops;
  const rest = candidates.map((c, i) => ({ c, i })).filter(({ c }) => !drops.has(c.itemId));
  const twins = semanticDuplicates(
    rest.map(({ c, i }) => ({ vector: vectors[i] as Float32Array, hasAnswer: c.hasAnswer, importOrder: c.importOrder })),
    thresholds.dedupCosine,
  );
  for (const [j, twin] of twins) {
    const dropped = (rest[j] as { c: CleanCandidate }).c;
    const kept = (rest[twin.twin] as { c: CleanCandidate }).c;
    drops.set(dropped.itemId, {
      reason: 'semantic-duplicate',
      evidence: { rule: 'embedding-cosine', score: round4(twin.cosine), threshold: thresholds.dedupCosine, twinKey: kept.key },
    });
  }
  return drops;
}
