import { jaccard, jaccardAtLeast } from '../src/shingles';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomSet(random: () => number, size: number, universe: number): Uint32Array {
  const values = new Set<number>();
  while (values.size < size) values.add(Math.floor(random() * universe));
  return Uint32Array.from(values).sort();
}

describe('jaccardAtLeast', () => {
  test('is the exact Jaccard when it reaches the bound and -1 when not, read in place from a larger store', () => {
    const random = rng(21);
    for (let trial = 0; trial < 5000; trial++) {
      // Small universes make every similarity from 0 to 1 common, including pairs exactly at the bound.
      const universe = 4 + Math.floor(random() * 40);
      const a = randomSet(random, Math.floor(random() * Math.min(universe, 30)), universe);
      const b = randomSet(random, Math.floor(random() * Math.min(universe, 30)), universe);
      const min = [0.5, 0.6, 0.75, 0.8, 0.9, 1][Math.floor(random() * 6)]!;
      const store = new Uint32Array(b.length + 7);
      store.set(b, 3);
      const exact = jaccard(a, b);
      const got = jaccardAtLeast(a, store, 3, 3 + b.length, min);
      if (exact >= min) expect(got).toBe(exact);
      else expect(got).toBe(-1);
    }
  });

  test('pairs exactly at the bound are kept (no rounding turns them away)', () => {
    // 4 shared of 5 in all: Jaccard 0.8 exactly.
    const a = Uint32Array.from([1, 2, 3, 4]);
    const b = Uint32Array.from([1, 2, 3, 4, 5]);
    expect(jaccardAtLeast(a, b, 0, b.length, 0.8)).toBe(0.8);
    expect(jaccardAtLeast(b, a, 0, a.length, 0.8)).toBe(0.8);
  });

  test('two empty sets are identical', () => {
    expect(jaccardAtLeast(new Uint32Array(0), new Uint32Array(0), 0, 0, 0.8)).toBe(1);
  });
});
