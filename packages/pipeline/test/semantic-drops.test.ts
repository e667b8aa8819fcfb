import { semanticDrops, type CleanCandidate } from '../src/clean-models';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const item = (itemId: number, hasAnswer = false): CleanCandidate => ({ itemId, key: `k${itemId}`, instruction: `q${itemId}`, hasAnswer, importOrder: itemId });

describe('semanticDrops', () => {
  const benchmarks = [
    { name: 'mt-bench', index: 4, text: 'Benchmark question A' },
    { name: 'vicuna', index: 9, text: 'Benchmark question B' },
  ];
  const benchmarkVectors = [unit(1, 0, 0, 0), unit(0, 1, 0, 0)];

  test('contamination names the closest benchmark question; dedup among the rest names the kept twin', () => {
    const items = [item(1), item(2), item(3, true), item(4), item(5)];
    const vectors = [
      unit(0.1, 1, 0, 0), // close to vicuna 9
      unit(0, 0, 1, 0), // kept? no: item 3 has an answer and is its twin
      unit(0, 0, 1, 0.1),
      unit(0, 0, 0, 1), // unrelated, kept
      unit(1, 0.05, 0, 0), // close to mt-bench 4 and to nothing kept
    ];
    const drops = semanticDrops(items, vectors, benchmarks, benchmarkVectors, { dedupCosine: 0.95, decontaminateCosine: 0.8 });
    expect(drops.get(1)).toEqual({
      reason: 'contaminated',
      evidence: expect.objectContaining({ rule: 'embedding-cosine', benchmark: 'vicuna', benchmarkQuestion: 'Benchmark question B', threshold: 0.8, detail: 'question 9 of vicuna' }),
    });
    expect(drops.get(5)?.evidence.benchmark).toBe('mt-bench');
    expect(drops.get(2)).toEqual({ reason: 'semantic-duplicate', evidence: expect.objectContaining({ twinKey: 'k3', threshold: 0.95 }) });
    expect(drops.get(2)!.evidence.score).toBeCloseTo(1 / Math.hypot(1, 0.1), 4);
    expect(drops.has(3)).toBe(false);
    expect(drops.has(4)).toBe(false);
    expect(drops.size).toBe(3);
  });

  test('without dedupCosine only contamination drops; a contaminated item is never a kept twin', () => {
    const items = [item(1), item(2)];
    const vectors = [unit(1, 0, 0, 0), unit(1, 0.01, 0, 0)];
    expect([...semanticDrops(items, vectors, benchmarks, benchmarkVectors, { decontaminateCosine: 0.99 }).values()].map((d) => d.reason)).toEqual(['contaminated', 'contaminated']);
    const noBench = semanticDrops(items, vectors, [], [], { dedupCosine: 0.9, decontaminateCosine: 0.8 });
    expect([...noBench.keys()]).toEqual([2]);
    expect(noBench.get(2)!.evidence.twinKey).toBe('k1');
  });
});
