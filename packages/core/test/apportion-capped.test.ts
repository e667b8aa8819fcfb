import { apportionWithCapacity, createRng, largestRemainder } from '@tapir/core';

describe('apportionWithCapacity', () => {
  test('infinite or ample capacities give plain largest remainder', () => {
    expect(apportionWithCapacity([1, 1, 1], [Infinity, Infinity, Infinity], 10)).toEqual({ counts: [4, 3, 3], capped: [], shortfall: 0 });
    expect(apportionWithCapacity([0.5, 0.3, 0.2], [50, 30, 20], 100)).toEqual({ counts: [50, 30, 20], capped: [], shortfall: 0 });
  });

  test("a capped entry's excess goes to the others by weight", () => {
    // Shares 50/30/20; the first holds 10, so the other 90 split 3:2 as 54/36.
    expect(apportionWithCapacity([0.5, 0.3, 0.2], [10, 100, 100], 100)).toEqual({ counts: [10, 54, 36], capped: [0], shortfall: 0 });
  });

  test('capping can cascade over several rounds', () => {
    // Round 1: 34/33/33 caps entry 0 at 4. Round 2: 48/48 caps entry 1 at 40. Entry 2 takes 56.
    expect(apportionWithCapacity([1, 1, 1], [4, 40, 100], 100)).toEqual({ counts: [4, 40, 56], capped: [0, 1], shortfall: 0 });
  });

  test('not enough capacity: everything at capacity and a shortfall', () => {
    expect(apportionWithCapacity([1, 2, 3], [1, 2, 3], 10)).toEqual({ counts: [1, 2, 3], capped: [0, 1, 2], shortfall: 4 });
    // Exactly enough: the plain shares already fit, nothing needed capping.
    expect(apportionWithCapacity([1, 2, 3], [1, 2, 3], 6)).toEqual({ counts: [1, 2, 3], capped: [], shortfall: 0 });
    expect(apportionWithCapacity([1, 1], [0, 0], 5)).toEqual({ counts: [0, 0], capped: [0, 1], shortfall: 5 });
  });

  test('weight 0 never takes units, even to absorb a shortfall', () => {
    expect(apportionWithCapacity([1, 0], [2, 100], 5)).toEqual({ counts: [2, 0], capped: [0], shortfall: 3 });
  });

  test('validates inputs', () => {
    expect(() => apportionWithCapacity([1, 1], [1], 1)).toThrow(/2 weights but 1 capacities/);
    expect(() => apportionWithCapacity([1], [-1], 1)).toThrow(RangeError);
    expect(() => apportionWithCapacity([1], [1.5], 1)).toThrow(RangeError);
    expect(() => apportionWithCapacity([1], [NaN], 1)).toThrow(RangeError);
    expect(() => apportionWithCapacity([1, -1], [1, 1], 1)).toThrow(RangeError);
    expect(() => apportionWithCapacity([0, 0], [1, 1], 1)).toThrow(RangeError);
    expect(() => apportionWithCapacity([1], [1], -1)).toThrow(RangeError);
  });

  test('property: total, capacities, water level and determinism', () => {
    const rng = createRng('apportion-capped');
    for (let t = 0; t < 1000; t++) {
      const n = 1 + rng.int(15);
      const weights = Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : rng.next() * 10));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const capacities = weights.map(() => (rng.next() < 0.1 ? Infinity : rng.int(60)));
      const total = rng.int(400);
      const r = apportionWithCapacity(weights, capacities, total);

      const room = weights.reduce((s, w, i) => s + (w > 0 ? capacities[i]! : 0), 0);
      const sum = r.counts.reduce((a, b) => a + b, 0);
      expect(sum).toBe(Math.min(total, room));
      expect(r.shortfall).toBe(total - sum);
      r.counts.forEach((c, i) => {
        expect(c).toBeLessThanOrEqual(capacities[i]!);
        if (weights[i] === 0) expect(c).toBe(0);
      });
      for (const i of r.capped) expect(r.counts[i]).toBe(capacities[i]);
      if (r.capped.length === 0) expect(r.counts).toEqual(largestRemainder(weights, total));

      // The uncapped entries are largest remainder of their weights over what the capped left.
      const free = weights.flatMap((w, i) => (w > 0 && !r.capped.includes(i) ? [i] : []));
      if (free.length > 0) {
        const left = total - r.capped.reduce((s, i) => s + r.counts[i]!, 0);
        expect(free.map((i) => r.counts[i])).toEqual(largestRemainder(free.map((i) => weights[i]!), left));
      } else {
        expect(r.shortfall).toBeGreaterThanOrEqual(0);
      }
      // Capping was needed: a capped entry is fuller, relative to its weight, than any uncapped
      // entry would be with one unit more.
      for (const c of r.capped) {
        for (const u of free) {
          expect(capacities[c]! / weights[c]!).toBeLessThan((r.counts[u]! + 1) / weights[u]! + 1e-9);
        }
      }
      expect(apportionWithCapacity(weights, capacities, total)).toEqual(r);
    }
  });
});
