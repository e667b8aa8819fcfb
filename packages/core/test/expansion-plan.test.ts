import {
  categoryDeficits,
  createRng,
  largestRemainder,
  planExpansionRequests,
  rebalanceToTarget,
  type ExpansionRequest,
  type TaxonomyCategory,
} from '@tapir/core';

const TAXONOMY: TaxonomyCategory[] = [
  { name: 'Math', weight: 2 },
  { name: 'Code', weight: 1 },
  { name: 'Writing', weight: 1 },
  { name: 'Unwanted', weight: 0 },
  { name: 'Others', weight: 1 },
];

describe('categoryDeficits', () => {
  test('ideal quota over the fillable categories minus what is available, positive only', () => {
    // Fillable: Math, Code, Others (Writing has no items, Unwanted has weight 0): quotas 20, 10, 10.
    expect(categoryDeficits({ Math: 5, Code: 12, Writing: 0, Unwanted: 9, Others: 10 }, TAXONOMY, 40)).toEqual({ Math: 15 });
    expect(categoryDeficits({ Math: 1, Code: 1, Others: 1 }, TAXONOMY, 40)).toEqual({ Math: 19, Code: 9, Others: 9 });
  });

  test("with a hard part, a category is also short of the hard rows its part of the round's hard share asks for", () => {
    // Quotas 20, 10, 10; at hard share 0.7 the hard parts are 14, 7, 7.
    const available = { Math: 30, Code: 10, Others: 10 };
    expect(categoryDeficits(available, TAXONOMY, 40)).toEqual({});
    expect(categoryDeficits(available, TAXONOMY, 40, { hardShare: 0.7, hardItems: { Math: 4, Code: 7, Others: 2 } })).toEqual({ Math: 10, Others: 5 });
    // The larger of the two deficits counts, not their sum.
    expect(categoryDeficits({ Math: 5, Code: 10, Others: 10 }, TAXONOMY, 40, { hardShare: 0.5, hardItems: { Math: 1, Code: 5, Others: 5 } })).toEqual({ Math: 15 });
  });

  test('nothing available, or nothing fillable, means no deficits', () => {
    expect(categoryDeficits({}, TAXONOMY, 100)).toEqual({});
    expect(categoryDeficits({ Unwanted: 3, Writing: 0 }, TAXONOMY, 100)).toEqual({});
    expect(categoryDeficits({ Math: 3 }, TAXONOMY, 0)).toEqual({});
  });

  test('validates counts', () => {
    expect(() => categoryDeficits({ Math: 1 }, TAXONOMY, -1)).toThrow(RangeError);
    expect(() => categoryDeficits({ Math: 1 }, TAXONOMY, 1.5)).toThrow(RangeError);
    expect(() => categoryDeficits({ Math: -1 }, TAXONOMY, 10)).toThrow(RangeError);
    expect(() => categoryDeficits({ Math: 0.5 }, TAXONOMY, 10)).toThrow(RangeError);
  });

  test('property: matches the quotas of rebalanceToTarget without a repeat cap; quotas add up to the target', () => {
    const gen = createRng('deficit-props');
    for (let t = 0; t < 300; t++) {
      const taxonomy: TaxonomyCategory[] = Array.from({ length: 1 + gen.int(8) }, (_, i) => ({
        name: i === 0 ? 'Others' : `c${i}`,
        weight: gen.int(4) === 0 ? 0 : (1 + gen.int(20)) / 10,
      }));
      const available: Record<string, number> = {};
      for (const c of taxonomy) if (gen.int(3) > 0) available[c.name] = gen.int(30);
      const target = gen.int(200);
      const deficits = categoryDeficits(available, taxonomy, target);

      const fillable = taxonomy.filter((c) => c.weight > 0 && (available[c.name] ?? 0) > 0);
      for (const [name, missing] of Object.entries(deficits)) {
        expect(fillable.map((c) => c.name)).toContain(name);
        expect(Number.isInteger(missing) && missing > 0).toBe(true);
      }
      if (fillable.length === 0) {
        expect(deficits).toEqual({});
        continue;
      }
      const quotas = largestRemainder(
        fillable.map((c) => c.weight),
        target,
      );
      expect(quotas.reduce((a, b) => a + b, 0)).toBe(target);
      fillable.forEach((c, i) => expect(deficits[c.name] ?? 0).toBe(Math.max(0, quotas[i]! - (available[c.name] ?? 0))));

      // Same fillable rule and quotas as rebalancing itself (when weight-0 categories hold items, rebalance throws only if all do).
      const pool = Object.entries(available).flatMap(([category, n]) => Array.from({ length: n }, () => ({ category })));
      const rebalanced = rebalanceToTarget(pool, taxonomy, target, createRng(t));
      for (const c of taxonomy) {
        expect(deficits[c.name] ?? 0).toBe(Math.max(0, (rebalanced.quotas[c.name] ?? 0) - (available[c.name] ?? 0)));
      }
    }
  });
});

describe('planExpansionRequests', () => {
  const plan = (
    deficits: Record<string, number>,
    seeds: Record<string, number[]>,
    oversample = 1.5,
    maxTotal = 1000,
  ): ExpansionRequest[] => planExpansionRequests(deficits, seeds, { oversample, maxTotal });

  test('ceil(deficit * oversample) per category, seeds round robin in ascending id order', () => {
    expect(plan({ Math: 4, Code: 2, Writing: 3 }, { Math: [5, 3], Code: [7], Writing: [] })).toEqual([
      { category: 'Code', seedItemId: 7, slot: 0 },
      { category: 'Code', seedItemId: 7, slot: 1 },
      { category: 'Code', seedItemId: 7, slot: 2 },
      { category: 'Math', seedItemId: 3, slot: 0 },
      { category: 'Math', seedItemId: 5, slot: 0 },
      { category: 'Math', seedItemId: 3, slot: 1 },
      { category: 'Math', seedItemId: 5, slot: 1 },
      { category: 'Math', seedItemId: 3, slot: 2 },
      { category: 'Math', seedItemId: 5, slot: 2 },
    ]);
  });

  test('more seeds than requests: the lowest ids, once each', () => {
    expect(plan({ Math: 2 }, { Math: [9, 1, 4, 7] }, 1)).toEqual([
      { category: 'Math', seedItemId: 1, slot: 0 },
      { category: 'Math', seedItemId: 4, slot: 0 },
    ]);
  });

  test('duplicate seed ids count once', () => {
    expect(plan({ Math: 3 }, { Math: [2, 2, 1] }, 1).map((r) => [r.seedItemId, r.slot])).toEqual([
      [1, 0],
      [2, 0],
      [1, 1],
    ]);
  });

  test('oversample is applied before ceil without float noise: 100 * 1.1 asks for 110', () => {
    expect(100 * 1.1).toBeGreaterThan(110);
    expect(plan({ Math: 100 }, { Math: [1] }, 1.1)).toHaveLength(110);
    expect(plan({ Math: 3 }, { Math: [1] }, 1.5)).toHaveLength(5);
  });

  test('over maxTotal the asks are scaled down in proportion (largest remainder)', () => {
    // Asks: Code 3, Math 6 = 9 > 5: quotas 1.67 and 3.33 -> Code 2, Math 3.
    const requests = plan({ Math: 4, Code: 2 }, { Math: [1, 2], Code: [3] }, 1.5, 5);
    expect(requests.filter((r) => r.category === 'Code')).toHaveLength(2);
    expect(requests.filter((r) => r.category === 'Math')).toHaveLength(3);
    expect(plan({ Math: 4 }, { Math: [1] }, 1, 0)).toEqual([]);
  });

  test('categories without seeds or without a deficit get nothing', () => {
    expect(plan({ Math: 0, Code: 5 }, { Math: [1], Writing: [2] })).toEqual([]);
    expect(plan({}, { Math: [1] })).toEqual([]);
  });

  test('validates options and deficits', () => {
    expect(() => plan({ Math: 1 }, { Math: [1] }, 0.9)).toThrow(RangeError);
    expect(() => plan({ Math: 1 }, { Math: [1] }, NaN)).toThrow(RangeError);
    expect(() => plan({ Math: 1 }, { Math: [1] }, 1, -1)).toThrow(RangeError);
    expect(() => plan({ Math: 1 }, { Math: [1] }, 1, 2.5)).toThrow(RangeError);
    expect(() => plan({ Math: 1.5 }, { Math: [1] })).toThrow(RangeError);
    expect(() => plan({ Math: -2 }, { Math: [1] })).toThrow(RangeError);
  });

  test('property: counts add up, caps hold, proportions hold, round robin is balanced, deterministic', () => {
    const gen = createRng('expansion-plan-props');
    for (let t = 0; t < 300; t++) {
      const categories = Array.from({ length: 1 + gen.int(7) }, (_, i) => `cat${i}`);
      const deficits: Record<string, number> = {};
      const seeds: Record<string, number[]> = {};
      for (const c of categories) {
        deficits[c] = gen.int(40);
        if (gen.int(5) > 0) seeds[c] = Array.from({ length: gen.int(12) }, () => gen.int(1000));
      }
      const oversample = 1 + gen.int(20) / 10;
      const maxTotal = gen.int(150);
      const requests = planExpansionRequests(deficits, seeds, { oversample, maxTotal });

      const wanted = Object.fromEntries(
        categories.map((c) => [c, (seeds[c] ?? []).length === 0 ? 0 : Math.ceil(Math.round(deficits[c]! * oversample * 1e9) / 1e9)]),
      );
      const totalWanted = Object.values(wanted).reduce((a, b) => a + b, 0);
      expect(requests).toHaveLength(Math.min(totalWanted, maxTotal));

      for (const c of categories) {
        const mine = requests.filter((r) => r.category === c);
        expect(mine.length).toBeLessThanOrEqual(wanted[c]!);
        if (totalWanted > maxTotal) {
          // Each count is the floor or the ceiling of its proportional share.
          expect(Math.abs(mine.length - (wanted[c]! * maxTotal) / totalWanted)).toBeLessThan(1);
        } else expect(mine).toHaveLength(wanted[c]!);

        const unique = [...new Set(seeds[c] ?? [])].sort((a, b) => a - b);
        const uses = new Map<number, number>();
        for (const r of mine) {
          expect(unique).toContain(r.seedItemId);
          // slot counts the earlier uses of the same seed.
          expect(r.slot).toBe(uses.get(r.seedItemId) ?? 0);
          uses.set(r.seedItemId, r.slot + 1);
        }
        const counts = unique.map((s) => uses.get(s) ?? 0);
        if (counts.length > 0) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        // Lower ids are never used less than higher ones.
        for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
      }

      const shuffledSeeds = Object.fromEntries(Object.entries(seeds).map(([c, s]) => [c, gen.shuffle(s)]));
      const reordered = Object.fromEntries(gen.shuffle(Object.entries(deficits)));
      expect(planExpansionRequests(reordered, shuffledSeeds, { oversample, maxTotal })).toEqual(requests);
    }
  });
});
