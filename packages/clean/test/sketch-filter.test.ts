import { agreeingValues, FILTER_MISS, minimumAgreement } from '../src/sketch-filter';
import { MinHasher } from '../src/minhasher';
import { fmix32 } from '../src/hash32';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/** P(Binomial(n, p) < k), summed term by term without logs (n is small here). */
function lowerTail(n: number, p: number, k: number): number {
  let total = 0;
  let choose = 1;
  for (let i = 0; i < k; i++) {
    total += choose * Math.pow(p, i) * Math.pow(1 - p, n - i);
    choose = (choose * (n - i)) / (i + 1);
  }
  return total;
}

/** Two sets of hashes with `shared` values in common and `own` values of their own each: Jaccard shared / (shared + 2 own). */
function pairWith(next: () => number, shared: number, own: number): [Uint32Array, Uint32Array] {
  const common = Array.from({ length: shared }, () => fmix32(next()));
  const a = [...common, ...Array.from({ length: own }, () => fmix32(next()))];
  const b = [...common, ...Array.from({ length: own }, () => fmix32(next()))];
  return [Uint32Array.from(a).sort(), Uint32Array.from(b).sort()];
}

describe('b-bit sketch filter', () => {
  test('agreeing values are the 4-bit values that are equal, padding never counted as a difference', () => {
    const next = rng(3);
    for (const values of [1, 7, 8, 9, 45, 105]) {
      const ints = Math.ceil(values / 8);
      for (let trial = 0; trial < 200; trial++) {
        const a = new Int32Array(ints);
        const b = new Int32Array(ints);
        let expected = 0;
        for (let v = 0; v < values; v++) {
          const x = next() & 0xf;
          const y = next() % 3 === 0 ? x : next() & 0xf;
          a[v >> 3]! |= x << (4 * (v & 7));
          b[v >> 3]! |= y << (4 * (v & 7));
          if (x === y) expected++;
        }
        expect(agreeingValues(a, 0, b, 0, values)).toBe(expected);
      }
    }
  });

  test('agreement is read at an offset into a larger array', () => {
    const records = new Int32Array([7, 7, 0x12345678, 0x0000000f]);
    expect(agreeingValues(Int32Array.from([0x12345678, 0x0000000f]), 0, records, 2, 16)).toBe(16);
    expect(agreeingValues(Int32Array.from([0x12345679, 0x0000000f]), 0, records, 2, 16)).toBe(15);
  });

  test.each([0.5, 0.7, 0.8, 0.9, 0.95])('the minimum agreement at threshold %p leaves at most FILTER_MISS of pairs at the threshold below it, and is the largest such', (t) => {
    const values = 105;
    const p = t + (1 - t) / 16;
    const m = minimumAgreement(t, values);
    expect(lowerTail(values, p, m)).toBeLessThanOrEqual(FILTER_MISS);
    expect(lowerTail(values, p, m + 1)).toBeGreaterThan(FILTER_MISS);
  });

  test('the minimum agreement grows with the threshold', () => {
    let last = -1;
    for (let t = 0.3; t < 1; t += 0.05) {
      const m = minimumAgreement(t, 105);
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
  });

  test('real signatures: pairs at the threshold pass; pairs that share a template (Jaccard 0.5) pass as rarely as the binomial says, about 1 in 15', () => {
    const hasher = new MinHasher(0.8);
    const values = hasher.shape.bands * hasher.shape.rows;
    const m = minimumAgreement(0.8, values);
    const next = rng(11);
    let templatePassed = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const [a, b] = pairWith(next, 24, 3); // Jaccard 0.8
      expect(agreeingValues(hasher.signature(a).sketch, 0, hasher.signature(b).sketch, 0, values)).toBeGreaterThanOrEqual(m);
      const [c, d] = pairWith(next, 20, 10); // Jaccard 0.5
      if (agreeingValues(hasher.signature(c).sketch, 0, hasher.signature(d).sketch, 0, values) >= m) templatePassed++;
    }
    const p = 0.5 + 0.5 / 16;
    const expected = 1 - lowerTail(values, p, m);
    expect(expected).toBeLessThan(0.1);
    expect(Math.abs(templatePassed / trials - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / trials));
  });
});
