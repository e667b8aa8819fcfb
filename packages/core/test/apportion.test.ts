import { createRng, largestRemainder } from '@tapir/core';

describe('largestRemainder', () => {
  test('textbook case', () => {
    // quotas 4.286, 3.214, 2.500: floors 4,3,2 sum 9, the one spare unit goes to the largest remainder (0.5).
    expect(largestRemainder([0.4, 0.3, 0.2333], 10)).toEqual([4, 3, 3]);
    expect(largestRemainder([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(largestRemainder([1, 1, 1], 2)).toEqual([1, 1, 0]);
  });

  test('ties go to the lower index', () => {
    expect(largestRemainder([1, 1, 1, 1], 1)).toEqual([1, 0, 0, 0]);
    expect(largestRemainder([1, 1, 1, 1], 3)).toEqual([1, 1, 1, 0]);
    expect(largestRemainder([2, 1, 1], 2)).toEqual([1, 1, 0]);
  });

  test('exact quotas are kept exactly', () => {
    expect(largestRemainder([0.5, 0.25, 0.25], 100)).toEqual([50, 25, 25]);
    expect(largestRemainder([0.1, 0.2, 0.7], 10)).toEqual([1, 2, 7]);
    expect(largestRemainder([3, 0, 1], 4)).toEqual([3, 0, 1]);
  });

  test('zero total and zero weights', () => {
    expect(largestRemainder([1, 2], 0)).toEqual([0, 0]);
    expect(largestRemainder([0, 1, 0], 5)).toEqual([0, 5, 0]);
  });

  test('validates inputs', () => {
    expect(() => largestRemainder([1, 1], -1)).toThrow(RangeError);
    expect(() => largestRemainder([1, 1], 1.5)).toThrow(RangeError);
    expect(() => largestRemainder([1, -1], 1)).toThrow(RangeError);
    expect(() => largestRemainder([1, NaN], 1)).toThrow(RangeError);
    expect(() => largestRemainder([1, Infinity], 1)).toThrow(RangeError);
    expect(() => largestRemainder([0, 0], 1)).toThrow(RangeError);
    expect(() => largestRemainder([], 1)).toThrow(RangeError);
  });

  test('property: sums to total, each count is floor or ceil of its quota, deterministic', () => {
    const rng = createRng('apportion');
    for (let t = 0; t < 500; t++) {
      const n = 1 + rng.int(40);
      const weights = Array.from({ length: n }, () => (rng.next() < 0.15 ? 0 : rng.next() * 10));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const total = rng.int(2000);
      const counts = largestRemainder(weights, total);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      const sum = weights.reduce((a, b) => a + b, 0);
      counts.forEach((c, i) => {
        const quota = (weights[i]! / sum) * total;
        expect(Number.isInteger(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(Math.floor(quota - 1e-9));
        expect(c).toBeLessThanOrEqual(Math.ceil(quota + 1e-9));
        if (weights[i] === 0) expect(c).toBe(0);
      });
      expect(largestRemainder(weights, total)).toEqual(counts);
    }
  });
});
