import { candidateProbability, chooseBands, DEFAULT_MAX_PERMUTATIONS, MinHashIndex, RECALL_AT_THRESHOLD } from '../src';
import { jaccard, shingleHashes } from '../src/shingles';

/** A deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('LSH band choice', () => {
  test.each([0.5, 0.7, 0.8, 0.9])('at threshold %p a pair at the threshold is a candidate with probability >= the target', (t) => {
    const shape = chooseBands(t);
    expect(shape.bands * shape.rows).toBeLessThanOrEqual(DEFAULT_MAX_PERMUTATIONS);
    expect(candidateProbability(t, shape)).toBeGreaterThanOrEqual(RECALL_AT_THRESHOLD);
    // and pairs well below it rarely are
    expect(candidateProbability(t / 3, shape)).toBeLessThan(0.35);
  });
});

describe('shingles and Jaccard', () => {
  test('shingles are sorted and distinct, a short text is one shingle, no words none', () => {
    const h = shingleHashes(['a', 'b', 'a', 'b', 'a'], 2);
    expect(h.length).toBe(2);
    expect(h[0]!).toBeLessThan(h[1]!);
    expect(shingleHashes(['only'], 3).length).toBe(1);
    expect(shingleHashes([], 2).length).toBe(0);
  });
  test('Jaccard of hash sets', () => {
    const a = Uint32Array.from([1, 2, 3, 4]);
    const b = Uint32Array.from([3, 4, 5, 6]);
    expect(jaccard(a, b)).toBeCloseTo(2 / 6);
    expect(jaccard(a, a)).toBe(1);
  });
});

describe('MinHash LSH against brute-force Jaccard on random data', () => {
  // 600 random "documents" of 30-60 words over a 400-word vocabulary, plus 300 edited copies
  // spread over the whole similarity range (0 to 12 words replaced).
  const random = rng(7);
  const word = () => `w${Math.floor(random() * 400)}`;
  const docs: string[][] = [];
  for (let i = 0; i < 600; i++) docs.push(Array.from({ length: 30 + Math.floor(random() * 30) }, word));
  for (let i = 0; i < 300; i++) {
    const copy = [...docs[Math.floor(random() * 600)]!];
    const edits = Math.floor(random() * 13);
    for (let e = 0; e < edits; e++) copy[Math.floor(random() * copy.length)] = word();
    docs.push(copy);
  }
  const sets = docs.map((d) => shingleHashes(d, 2));
  const threshold = 0.8;

  test('recall >= 0.95 of the pairs at or above the threshold, no false positive', () => {
    const index = new MinHashIndex(threshold);
    let truePairs = 0;
    let found = 0;
    let falsePositives = 0;
    let reported = 0;
    for (let i = 0; i < sets.length; i++) {
      let best = 0;
      for (let j = 0; j < i; j++) best = Math.max(best, jaccard(sets[i]!, sets[j]!));
      const twin = index.findTwin(sets[i]!);
      if (best >= threshold) {
        truePairs++;
        if (twin) found++;
      }
      if (twin) {
        reported++;
        if (jaccard(sets[i]!, sets[twin.ref]!) < threshold) falsePositives++;
        expect(twin.jaccard).toBeCloseTo(jaccard(sets[i]!, sets[twin.ref]!), 10);
      }
      // Every document joins the index here, so a twin's ref is a document index.
      index.add(i, sets[i]!);
    }
    expect(truePairs).toBeGreaterThan(50);
    expect(found / truePairs).toBeGreaterThanOrEqual(0.95);
    expect(falsePositives / Math.max(1, reported)).toBeLessThanOrEqual(0.01);
    expect(index.size).toBe(sets.length);
  });

  test('grows past its initial tables and still finds every exact copy', () => {
    const index = new MinHashIndex(threshold);
    const many = Array.from({ length: 20_000 }, (_, i) => shingleHashes([`a${i}`, `b${i}`, `c${i % 7}`, `d${i}`], 2));
    many.forEach((s, i) => index.add(i, s));
    for (const i of [0, 4095, 4096, 12_345, 19_999]) expect(index.findTwin(many[i]!)?.ref).toBe(i);
    expect(index.findTwin(shingleHashes(['never', 'seen', 'before'], 2))).toBeNull();
  });
});
