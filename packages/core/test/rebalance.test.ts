import { DEFAULT_TAXONOMY, createRng, largestRemainder, rebalanceToTarget, type TaxonomyCategory } from '@tapir/core';

interface Item {
  id: number;
  category: string;
}

const TAX: TaxonomyCategory[] = [
  { name: 'Math', weight: 0.5 },
  { name: 'Code', weight: 0.3 },
  { name: 'Others', weight: 0.2 },
];

function pool(counts: Record<string, number>): Item[] {
  const out: Item[] = [];
  for (const [category, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out.push({ id: out.length, category });
  }
  return out;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

describe('rebalanceToTarget', () => {
  test('a category of 400,000 items is drawn without overflowing the call stack', () => {
    const r = rebalanceToTarget(pool({ Math: 400_000 }), [{ name: 'Math', weight: 1 }, { name: 'Others', weight: 0 }], 400_000, createRng(3));
    expect(r.entries).toHaveLength(400_000);
    expect(new Set(r.entries.map((e) => e.item.id)).size).toBe(400_000);
  });

  test('down-samples over-full categories to the target weights', () => {
    const r = rebalanceToTarget(pool({ Math: 100, Code: 100, Others: 100 }), TAX, 100, createRng(1));
    expect(r.quotas).toEqual({ Math: 50, Code: 30, Others: 20 });
    expect(r.available).toEqual({ Math: 100, Code: 100, Others: 100 });
    expect(r.entries).toHaveLength(100);
    expect(countBy(r.entries, (e) => e.item.category)).toEqual({ Math: 50, Code: 30, Others: 20 });
    expect(r.entries.every((e) => e.repeatIndex === 0)).toBe(true);
    expect(new Set(r.entries.map((e) => e.item.id)).size).toBe(100);
  });

  test('up-samples short categories by whole shuffled copies', () => {
    const r = rebalanceToTarget(pool({ Math: 3, Code: 30, Others: 20 }), TAX, 20, createRng(1));
    const math = r.entries.filter((e) => e.category === 'Math');
    expect(math).toHaveLength(10);
    const perItem = countBy(math, (e) => String(e.item.id));
    expect(Object.values(perItem).sort()).toEqual([3, 3, 4]);
    // Repeat indexes of an item are 0, 1, 2, ... in order of appearance.
    for (const id of Object.keys(perItem)) {
      expect(math.filter((e) => String(e.item.id) === id).map((e) => e.repeatIndex)).toEqual(
        Array.from({ length: perItem[id]! }, (_, i) => i),
      );
    }
    // No item is repeated twice before every item is repeated once.
    const copies = math.map((e) => e.repeatIndex);
    expect(copies).toEqual([...copies].sort((a, b) => a - b));
  });

  test('redistributes the quota of empty categories over the others', () => {
    const r = rebalanceToTarget(pool({ Math: 50, Others: 50 }), TAX, 70, createRng(1));
    expect(r.quotas).toEqual({ Math: 50, Code: 0, Others: 20 });
    expect(r.entries).toHaveLength(70);
    expect(r.available.Code).toBe(0);
  });

  test('unknown categories count as Others, fuzzy labels as their category', () => {
    const items: Item[] = [
      { id: 0, category: 'Astrology' },
      { id: 1, category: 'math' },
      { id: 2, category: 'Math' },
    ];
    const r = rebalanceToTarget(items, TAX, 3, createRng(1));
    expect(r.available).toEqual({ Math: 2, Code: 0, Others: 1 });
    const astro = r.entries.find((e) => e.item.id === 0);
    expect(astro?.category).toBe('Others');
  });

  test('empty pool gives an empty result with zero quotas', () => {
    const r = rebalanceToTarget([], TAX, 50, createRng(1));
    expect(r.entries).toEqual([]);
    expect(r.quotas).toEqual({ Math: 0, Code: 0, Others: 0 });
    expect(r.available).toEqual({ Math: 0, Code: 0, Others: 0 });
  });

  test('targetSize 0 gives nothing', () => {
    const r = rebalanceToTarget(pool({ Math: 5 }), TAX, 0, createRng(1));
    expect(r.entries).toEqual([]);
  });

  test('validates inputs', () => {
    const rng = createRng(1);
    expect(() => rebalanceToTarget(pool({ Math: 1 }), TAX, -1, rng)).toThrow(RangeError);
    expect(() => rebalanceToTarget(pool({ Math: 1 }), TAX, 1.5, rng)).toThrow(RangeError);
    expect(() => rebalanceToTarget(pool({ Math: 1 }), [], 1, rng)).toThrow(RangeError);
    expect(() => rebalanceToTarget(pool({ Math: 1 }), [{ name: 'Math', weight: 1 }], 1, rng)).toThrow(/Others/);
    expect(() =>
      rebalanceToTarget(pool({ Math: 1 }), [...TAX, { name: 'Math', weight: 1 }], 1, rng),
    ).toThrow(/twice/);
    expect(() =>
      rebalanceToTarget(pool({ Math: 1 }), [{ name: 'Math', weight: 0 }, { name: 'Others', weight: 1 }], 1, rng),
    ).toThrow(/weight 0/);
    expect(() =>
      rebalanceToTarget(pool({ Math: 1 }), [{ name: 'Math', weight: NaN }, { name: 'Others', weight: 1 }], 1, rng),
    ).toThrow(RangeError);
  });

  test('changing one category does not reshuffle another', () => {
    const a = rebalanceToTarget(pool({ Math: 40, Code: 40, Others: 40 }), TAX, 60, createRng(5));
    const items = pool({ Math: 40, Code: 40, Others: 40 }).map((x) => (x.category === 'Code' && x.id % 2 ? { ...x, id: x.id + 1000 } : x));
    const b = rebalanceToTarget(items, TAX, 60, createRng(5));
    const mathIds = (r: typeof a) => r.entries.filter((e) => e.category === 'Math').map((e) => e.item.id);
    expect(mathIds(b)).toEqual(mathIds(a));
  });

  test('default taxonomy with a lopsided pool', () => {
    const r = rebalanceToTarget(pool({ Math: 500, Writing: 3, Others: 10 }), DEFAULT_TAXONOMY, 200, createRng(2));
    expect(r.entries).toHaveLength(200);
    // Taxonomy order: Math, Others, Writing.
    expect([r.quotas.Math, r.quotas.Others, r.quotas.Writing]).toEqual(largestRemainder([0.167, 0.041, 0.017], 200));
    expect(r.quotas.Reasoning).toBe(0);
  });

  test('property: totals, quotas, repeat spread and determinism over random pools', () => {
    const gen = createRng('rebalance-props');
    for (let t = 0; t < 300; t++) {
      const nCats = 2 + gen.int(12);
      const taxonomy: TaxonomyCategory[] = Array.from({ length: nCats - 1 }, (_, i) => ({
        name: `C${i}`,
        weight: 0.01 + gen.next(),
      }));
      taxonomy.push({ name: 'Others', weight: 0.01 + gen.next() });
      const items: Item[] = [];
      for (const c of taxonomy) {
        const n = gen.next() < 0.3 ? 0 : gen.int(30);
        for (let i = 0; i < n; i++) items.push({ id: items.length, category: c.name });
      }
      for (let i = gen.int(4); i > 0; i--) items.push({ id: items.length, category: 'Unknown' });
      const targetSize = gen.int(300);
      const seed = gen.int(1e6);

      const r = rebalanceToTarget(items, taxonomy, targetSize, createRng(seed));
      if (items.length === 0) {
        expect(r.entries).toEqual([]);
        continue;
      }
      expect(r.entries).toHaveLength(targetSize);
      const quotaSum = Object.values(r.quotas).reduce((a, b) => a + b, 0);
      expect(quotaSum).toBe(targetSize);

      const fillable = taxonomy.filter((c) => (r.available[c.name] ?? 0) > 0);
      const expected = largestRemainder(fillable.map((c) => c.weight), targetSize);
      fillable.forEach((c, i) => expect(r.quotas[c.name]).toBe(expected[i]));
      for (const c of taxonomy) if (!r.available[c.name]) expect(r.quotas[c.name]).toBe(0);

      const perCategory = countBy(r.entries, (e) => e.category);
      for (const c of taxonomy) expect(perCategory[c.name] ?? 0).toBe(r.quotas[c.name]);

      for (const c of taxonomy) {
        const entries = r.entries.filter((e) => e.category === c.name);
        if (entries.length === 0) continue;
        const perItem = countBy(entries, (e) => String(e.item.id));
        const repeats = Object.values(perItem);
        if (entries.length >= r.available[c.name]!) {
          // Every item is used, and counts differ by at most one.
          expect(repeats).toHaveLength(r.available[c.name]!);
        }
        expect(Math.max(...repeats) - Math.min(...repeats)).toBeLessThanOrEqual(1);
        const keys = entries.map((e) => `${e.item.id}#${e.repeatIndex}`);
        expect(new Set(keys).size).toBe(keys.length);
      }

      expect(rebalanceToTarget(items, taxonomy, targetSize, createRng(seed))).toEqual(r);
    }
  });
});
