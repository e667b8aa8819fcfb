import { createRng, largestRemainder, rebalanceToTarget, type TaxonomyCategory } from '@tapir/core';

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

function timesPerItem(r: { entries: { item: Item }[] }): number[] {
  const out = new Map<number, number>();
  for (const e of r.entries) out.set(e.item.id, (out.get(e.item.id) ?? 0) + 1);
  return [...out.values()];
}

describe('rebalanceToTarget with maxRepeats', () => {
  test('the real-run case: one item no longer fills a quota of 35', () => {
    const items = pool({ Math: 200, Code: 100, Others: 1 });
    const uncapped = rebalanceToTarget(items, TAX, 175, createRng(3));
    expect(uncapped.quotas.Others).toBe(35);
    expect(Math.max(...timesPerItem(uncapped))).toBe(35);

    const r = rebalanceToTarget(items, TAX, 175, createRng(3), { maxRepeats: 3 });
    // Others holds 1 * (1 + 3) = 4; the other 171 split 5:3 between Math and Code.
    expect(r.quotas).toEqual({ Math: 107, Code: 64, Others: 4 });
    expect(r.capped).toEqual(['Others']);
    expect(r.shortfall).toBe(0);
    expect(r.entries).toHaveLength(175);
    expect(Math.max(...timesPerItem(r))).toBeLessThanOrEqual(4);
  });

  test('maxRepeats 0 never repeats; a shortfall when the pool is too small', () => {
    const r = rebalanceToTarget(pool({ Math: 5, Code: 3, Others: 2 }), TAX, 40, createRng(1), { maxRepeats: 0 });
    expect(r.quotas).toEqual({ Math: 5, Code: 3, Others: 2 });
    expect(r.capped).toEqual(['Math', 'Code', 'Others']);
    expect(r.shortfall).toBe(30);
    expect(r.entries).toHaveLength(10);
    expect(r.entries.every((e) => e.repeatIndex === 0)).toBe(true);
  });

  test('without maxRepeats, or with ample room, the result is what it was', () => {
    const items = pool({ Math: 3, Code: 30, Others: 20 });
    const before = rebalanceToTarget(items, TAX, 20, createRng(1));
    expect(before.capped).toEqual([]);
    expect(before.shortfall).toBe(0);
    expect(rebalanceToTarget(items, TAX, 20, createRng(1), {})).toEqual(before);
    // Math needs 10 from 3 items: 4 copies at most, so maxRepeats 3 is just enough.
    expect(rebalanceToTarget(items, TAX, 20, createRng(1), { maxRepeats: 3 })).toEqual(before);
  });

  test('an empty pool reports the whole target as shortfall', () => {
    const r = rebalanceToTarget([], TAX, 50, createRng(1), { maxRepeats: 2 });
    expect(r).toEqual({ entries: [], quotas: { Math: 0, Code: 0, Others: 0 }, available: { Math: 0, Code: 0, Others: 0 }, capped: [], shortfall: 50 });
  });

  test('validates maxRepeats', () => {
    const items = pool({ Math: 1 });
    for (const bad of [-1, 1.5, NaN, Infinity]) {
      expect(() => rebalanceToTarget(items, TAX, 1, createRng(1), { maxRepeats: bad })).toThrow(/maxRepeats must be an integer >= 0/);
    }
  });

  test('property: water-filled quotas over many seeded pools, maxRepeats 0..5', () => {
    const gen = createRng('rebalance-capped-props');
    let sawCapped = 0;
    let sawShortfall = 0;
    for (let t = 0; t < 400; t++) {
      const nCats = 2 + gen.int(10);
      const taxonomy: TaxonomyCategory[] = Array.from({ length: nCats - 1 }, (_, i) => ({ name: `C${i}`, weight: 0.01 + gen.next() }));
      taxonomy.push({ name: 'Others', weight: 0.01 + gen.next() });
      const items: Item[] = [];
      for (const c of taxonomy) {
        const n = gen.next() < 0.25 ? 0 : gen.next() < 0.4 ? 1 + gen.int(3) : gen.int(40);
        for (let i = 0; i < n; i++) items.push({ id: items.length, category: c.name });
      }
      if (items.length === 0) items.push({ id: 0, category: 'Others' });
      const targetSize = gen.int(400);
      const maxRepeats = gen.int(6);
      const seed = gen.int(1e6);

      const r = rebalanceToTarget(items, taxonomy, targetSize, createRng(seed), { maxRepeats });
      const capacity = (name: string) => (r.available[name] ?? 0) * (1 + maxRepeats);
      const room = taxonomy.reduce((s, c) => s + capacity(c.name), 0);
      const total = Math.min(targetSize, room);

      expect(r.entries).toHaveLength(total);
      expect(Object.values(r.quotas).reduce((a, b) => a + b, 0)).toBe(total);
      expect(r.shortfall).toBe(targetSize - total);
      expect(Math.max(0, ...timesPerItem(r))).toBeLessThanOrEqual(1 + maxRepeats);
      for (const c of taxonomy) {
        expect(r.entries.filter((e) => e.category === c.name)).toHaveLength(r.quotas[c.name]!);
        expect(r.quotas[c.name]).toBeLessThanOrEqual(capacity(c.name));
      }

      // Capped categories are exactly full, listed in taxonomy order.
      expect(r.capped).toEqual(taxonomy.map((c) => c.name).filter((n) => r.capped.includes(n)));
      for (const name of r.capped) expect(r.quotas[name]).toBe(capacity(name));

      const fillable = taxonomy.filter((c) => r.available[c.name]! > 0);
      const free = fillable.filter((c) => !r.capped.includes(c.name));
      if (r.capped.length === 0) {
        // Nothing capped: exactly the old, uncapped behaviour.
        const plain = largestRemainder(fillable.map((c) => c.weight), targetSize);
        expect(fillable.map((c) => r.quotas[c.name])).toEqual(plain);
        expect(rebalanceToTarget(items, taxonomy, targetSize, createRng(seed))).toEqual(r);
      } else sawCapped++;
      if (free.length > 0) {
        // Uncapped categories share what the capped ones left, by weight and largest remainder.
        const left = targetSize - r.capped.reduce((s, n) => s + r.quotas[n]!, 0);
        expect(free.map((c) => r.quotas[c.name])).toEqual(largestRemainder(free.map((c) => c.weight), left));
        expect(r.shortfall).toBe(0);
      } else if (r.shortfall > 0) sawShortfall++;

      expect(rebalanceToTarget(items, taxonomy, targetSize, createRng(seed), { maxRepeats })).toEqual(r);
    }
    // The generator must actually exercise the cap and the shortfall, not only the easy path.
    expect(sawCapped).toBeGreaterThan(50);
    expect(sawShortfall).toBeGreaterThan(20);
  });
});
