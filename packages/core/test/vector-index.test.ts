import { closeToReferences, cosine, createRng, semanticDuplicates, unitVector, VectorIndex } from '../src';

function randomVector(random: () => number, d: number): Float32Array {
  return Float32Array.from({ length: d }, () => random() * 2 - 1);
}

/** A copy of `v` moved a little: cosine to v stays high. */
function nudge(random: () => number, v: Float32Array, amount: number): Float32Array {
  return Float32Array.from(v, (x) => x + (random() * 2 - 1) * amount);
}

describe('VectorIndex', () => {
  test('nearest agrees with brute-force cosine over several blocks', () => {
    const rng = createRng(7);
    const random = () => rng.next();
    const d = 16;
    const index = new VectorIndex(d);
    const stored = Array.from({ length: 2_500 }, () => randomVector(random, d));
    stored.forEach((v) => index.add(v));
    expect(index.size).toBe(2_500);
    for (let q = 0; q < 40; q++) {
      const query = unitVector(randomVector(random, d));
      const hit = index.nearest(query)!;
      let best = -1;
      let bestCos = -Infinity;
      stored.forEach((v, i) => {
        const c = cosine(v, query);
        if (c > bestCos + 1e-9) {
          bestCos = c;
          best = i;
        }
      });
      expect(hit.position).toBe(best);
      expect(hit.cosine).toBeCloseTo(bestCos, 5);
    }
  });

  test('an empty index finds nothing; dimensions are checked', () => {
    const index = new VectorIndex(3);
    expect(index.nearest(new Float32Array(3))).toBeUndefined();
    expect(() => index.add([1, 2])).toThrow(/3 dimensions/);
    expect(() => new VectorIndex(0)).toThrow(RangeError);
    expect(Array.from(unitVector([0, 0, 0]))).toEqual([0, 0, 0]);
    expect(cosine(unitVector([3, 4]), Float32Array.from([0.6, 0.8]))).toBeCloseTo(1, 6);
  });
});

describe('semanticDuplicates', () => {
  const threshold = 0.9;

  function cluster(random: () => number, shuffle: <T>(a: readonly T[]) => T[], clusters: number, copies: number, d = 24) {
    const items: { vector: Float32Array; hasAnswer: boolean; importOrder: number; cluster: number }[] = [];
    for (let c = 0; c < clusters; c++) {
      const centre = randomVector(random, d);
      for (let k = 0; k < copies; k++) items.push({ vector: nudge(random, centre, 0.05), hasAnswer: random() < 0.3, importOrder: 0, cluster: c });
    }
    // Shuffled import order, so that the first copy is anywhere.
    const order = shuffle(items.map((_, i) => i));
    order.forEach((at, i) => (items[at]!.importOrder = i));
    return items;
  }

  test('properties: kept items are pairwise below the threshold; each dropped one names a kept twin that outranks it', () => {
    const rng = createRng(11);
    const random = () => rng.next();
    const items = cluster(random, (a) => rng.shuffle(a), 60, 4);
    const dropped = semanticDuplicates(items, threshold);
    const kept = items.map((_, i) => i).filter((i) => !dropped.has(i));
    expect(kept.length + dropped.size).toBe(items.length);
    for (let a = 0; a < kept.length; a++) {
      for (let b = a + 1; b < kept.length; b++) expect(cosine(items[kept[a]!]!.vector, items[kept[b]!]!.vector)).toBeLessThan(threshold);
    }
    const rank = (i: number) => [items[i]!.hasAnswer ? 0 : 1, items[i]!.importOrder];
    for (const [i, { twin, cosine: c }] of dropped) {
      expect(dropped.has(twin)).toBe(false);
      expect(c).toBeGreaterThanOrEqual(threshold);
      expect(c).toBeCloseTo(cosine(items[i]!.vector, items[twin]!.vector), 5);
      const [ta, to] = rank(twin);
      const [ia, io] = rank(i);
      expect(ta! < ia! || (ta === ia && to! < io!)).toBe(true);
    }
    // Tight clusters of four: one kept per cluster.
    expect(kept.length).toBe(60);
  });

  test('the copy with an answer is kept over an earlier one without; otherwise the first imported', () => {
    const v = Float32Array.from([1, 0, 0]);
    const near = Float32Array.from([0.99, 0.1, 0]);
    const far = Float32Array.from([0, 1, 0]);
    const dropped = semanticDuplicates(
      [
        { vector: v, hasAnswer: false, importOrder: 0 },
        { vector: near, hasAnswer: true, importOrder: 1 },
        { vector: far, hasAnswer: false, importOrder: 2 },
        { vector: near, hasAnswer: false, importOrder: 3 },
      ],
      threshold,
    );
    expect([...dropped.keys()].sort()).toEqual([0, 3]);
    expect(dropped.get(0)!.twin).toBe(1);
    expect(dropped.get(3)!.twin).toBe(1);
    expect(semanticDuplicates([], threshold).size).toBe(0);
  });
});

describe('closeToReferences', () => {
  test('names the closest reference at or above the threshold, and only those queries', () => {
    const refs = [Float32Array.from([1, 0, 0]), Float32Array.from([0, 1, 0])];
    const queries = [Float32Array.from([0.1, 1, 0]), Float32Array.from([0, 0, 1]), Float32Array.from([1, 0.2, 0]), Float32Array.from([1, 1, 0])];
    const found = closeToReferences(queries, refs, 0.8);
    expect([...found.keys()].sort()).toEqual([0, 2]);
    expect(found.get(0)!.reference).toBe(1);
    expect(found.get(2)!.reference).toBe(0);
    expect(found.get(2)!.cosine).toBeCloseTo(1 / Math.sqrt(1.04), 5);
    expect(closeToReferences(queries, [], 0.8).size).toBe(0);
  });
});
