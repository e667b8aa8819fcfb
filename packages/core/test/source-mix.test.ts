import {
  createRng,
  mixSourceRows,
  rebalanceToTarget,
  sourceMixLimits,
  targetSourceShares,
  wantedSourceRows,
  type SourceShareSpec,
  type TaxonomyCategory,
} from '@tapir/core';

const TAX: TaxonomyCategory[] = [
  { name: 'Math', weight: 3 },
  { name: 'Code', weight: 2 },
  { name: 'Writing', weight: 2 },
  { name: 'Others', weight: 1 },
];

interface Item {
  id: number;
  category: string;
  hard: boolean;
  source: string;
}

/** counts[source][category] = [hard, easy] */
function pool(counts: Record<string, Record<string, [number, number]>>): Item[] {
  const items: Item[] = [];
  for (const [source, byCategory] of Object.entries(counts)) {
    for (const [category, [hard, easy]] of Object.entries(byCategory)) {
      for (let i = 0; i < hard + easy; i++) items.push({ id: items.length, category, hard: i < hard, source });
    }
  }
  return items;
}

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('targetSourceShares', () => {
  test('weights normalised; no weights: the pool shares', () => {
    expect(targetSourceShares([{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }], [10, 10])).toEqual([0.75, 0.25]);
    expect(targetSourceShares([{ name: 'a' }, { name: 'b', maxShare: 1 }], [30, 10])).toEqual([0.75, 0.25]);
  });

  test('a bound fixes the source at it and the others share what is left by weight', () => {
    const shares = targetSourceShares([{ name: 'a', weight: 8, maxShare: 0.5 }, { name: 'b', weight: 1 }, { name: 'c', weight: 1 }], [1, 1, 1]);
    expect(shares.map((s) => +s.toFixed(9))).toEqual([0.5, 0.25, 0.25]);
    const low = targetSourceShares([{ name: 'a', minShare: 0.4 }, { name: 'b' }], [1, 99]);
    expect(low.map((s) => +s.toFixed(9))).toEqual([0.4, 0.6]);
  });

  test('property: shares sum to 1 and lie within their bounds whenever the bounds allow', () => {
    const r = rng(7);
    for (let t = 0; t < 500; t++) {
      const n = 2 + Math.floor(r() * 4);
      const specs: SourceShareSpec[] = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, weight: 0.1 + r() * 5 }));
      // Feasible bounds: minShares below 1/n, maxShares above 1/n.
      specs.forEach((s) => {
        if (r() < 0.4) s.minShare = +(r() / n).toFixed(3);
        if (r() < 0.4) s.maxShare = +(1 / n + r() * (1 - 1 / n)).toFixed(3);
      });
      const shares = targetSourceShares(specs, specs.map(() => 1));
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      shares.forEach((share, i) => {
        expect(share).toBeGreaterThanOrEqual((specs[i]!.minShare ?? 0) - 1e-9);
        expect(share).toBeLessThanOrEqual((specs[i]!.maxShare ?? 1) + 1e-9);
      });
    }
  });
});

describe('mixSourceRows', () => {
  test('property: category quotas hold exactly, cells within capacity, nothing from a source with no items there', () => {
    const r = rng(11);
    for (let t = 0; t < 300; t++) {
      const C = 1 + Math.floor(r() * 5);
      const S = 1 + Math.floor(r() * 4);
      const seed = Array.from({ length: C }, () => Array.from({ length: S }, () => (r() < 0.3 ? 0 : Math.floor(r() * 20))));
      for (const row of seed) if (!row.some((v) => v > 0)) row[0] = 1;
      const capacity = seed.map((row) => row.map((v) => v * 3));
      const quotas = capacity.map((row) => Math.floor(r() * row.reduce((a, b) => a + b, 0)));
      const total = quotas.reduce((a, b) => a + b, 0);
      const wanted = wantedSourceRows(Array.from({ length: S }, () => r() + 0.01), total);
      const rows = mixSourceRows(quotas, seed, capacity, wanted);
      rows.forEach((row, c) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(quotas[c]);
        row.forEach((v, s) => {
          expect(v).toBeLessThanOrEqual(capacity[c]![s]!);
          if (seed[c]![s] === 0) expect(v).toBe(0);
        });
      });
    }
  });

  test('property: with every source in every category and room to spare, each source is within one row per category of its target', () => {
    const r = rng(3);
    for (let t = 0; t < 200; t++) {
      const C = 2 + Math.floor(r() * 4);
      const S = 2 + Math.floor(r() * 3);
      const seed = Array.from({ length: C }, () => Array.from({ length: S }, () => 5 + Math.floor(r() * 50)));
      const capacity = seed.map((row) => row.map(() => Infinity));
      const quotas = Array.from({ length: C }, () => 10 + Math.floor(r() * 100));
      const total = quotas.reduce((a, b) => a + b, 0);
      const wanted = wantedSourceRows(Array.from({ length: S }, () => 0.2 + r()), total);
      const rows = mixSourceRows(quotas, seed, capacity, wanted);
      for (let s = 0; s < S; s++) {
        const planned = rows.reduce((sum, row) => sum + row[s]!, 0);
        expect(Math.abs(planned - wanted[s]!)).toBeLessThanOrEqual(C);
      }
    }
  });
});

describe('rebalanceToTarget with sources', () => {
  const items = pool({
    alpaca: { Math: [10, 30], Code: [5, 25], Writing: [5, 40], Others: [2, 10] },
    dolly: { Math: [2, 10], Writing: [10, 20], Others: [3, 10] },
    code: { Code: [15, 20], Math: [5, 5] },
  });
  const specs: SourceShareSpec[] = [
    { name: 'alpaca', weight: 2 },
    { name: 'dolly', weight: 1 },
    { name: 'code', weight: 1 },
  ];

  test('category quotas and the hard/easy split are those of the draw without sources; shares follow the weights', () => {
    const plain = rebalanceToTarget(items, TAX, 120, createRng('s'), { maxRepeats: 2, hardShare: 0.4 });
    const mixed = rebalanceToTarget(items, TAX, 120, createRng('s'), { maxRepeats: 2, hardShare: 0.4, sources: specs });
    expect(mixed.quotas).toEqual(plain.quotas);
    expect(mixed.hardShare!.rows).toEqual(plain.hardShare!.rows);
    const perCategory = (entries: typeof mixed.entries) => entries.reduce<Record<string, { hard: number; all: number }>>((acc, e) => {
      const c = (acc[e.category] ??= { hard: 0, all: 0 });
      c.all++;
      if (e.item.hard) c.hard++;
      return acc;
    }, {});
    expect(perCategory(mixed.entries)).toEqual(perCategory(plain.entries));
    const bySource = mixed.entries.reduce<Record<string, number>>((acc, e) => ((acc[e.item.source] = (acc[e.item.source] ?? 0) + 1), acc), {});
    expect(mixed.sources!.planned.slice(0, 3)).toEqual([bySource.alpaca, bySource.dolly, bySource.code]);
    expect(mixed.sources!.wanted.slice(0, 3)).toEqual([60, 30, 30]);
    mixed.sources!.planned.slice(0, 3).forEach((p, s) => expect(Math.abs(p - mixed.sources!.wanted[s]!)).toBeLessThanOrEqual(4));
    expect(mixed.sources!.limits).toEqual([]);
  });

  test('repeats stay within the cap, and the draw is deterministic', () => {
    const a = rebalanceToTarget(items, TAX, 300, createRng(5), { maxRepeats: 1, hardShare: 0.5, sources: specs });
    const b = rebalanceToTarget(items, TAX, 300, createRng(5), { maxRepeats: 1, hardShare: 0.5, sources: specs });
    expect(a.entries.map((e) => [e.item.id, e.repeatIndex])).toEqual(b.entries.map((e) => [e.item.id, e.repeatIndex]));
    const copies = new Map<number, number>();
    for (const e of a.entries) copies.set(e.item.id, (copies.get(e.item.id) ?? 0) + 1);
    expect(Math.max(...copies.values())).toBeLessThanOrEqual(2);
  });

  test('when a minShare cannot hold beside the category quotas, the limit names the source and the rows', () => {
    // "code" has only Code and Math items; Code is 2/8 of the mix, so 80% of the rows cannot come from it.
    const greedy: SourceShareSpec[] = [{ name: 'alpaca' }, { name: 'dolly' }, { name: 'code', minShare: 0.8 }];
    const r = rebalanceToTarget(items, TAX, 100, createRng(1), { maxRepeats: 0, hardShare: 0.3, sources: greedy });
    const code = r.sources!.planned[2]!;
    expect(code).toBeLessThan(80);
    expect(r.sources!.limits).toContainEqual({ source: 'code', kind: 'below-min', wanted: 80, planned: code, by: 80 - code });
    expect(Object.values(r.quotas).reduce((a, b) => a + b, 0)).toBe(r.entries.length);
  });

  test('items of a source not in the specs are drawn and counted apart, never lost', () => {
    const extra = [...items, { id: 9999, category: 'Math', hard: true, source: 'gone' }];
    const r = rebalanceToTarget(extra, TAX, 120, createRng(2), { maxRepeats: 2, hardShare: 0.4, sources: specs });
    expect(r.sources!.names).toEqual(['alpaca', 'dolly', 'code', '(unknown)']);
    expect(r.entries.some((e) => e.item.id === 9999)).toBe(true); // a hard item is never dropped while easy ones are kept
  });
});

test('sourceMixLimits: bounds before target distance; within tolerance is no limit', () => {
  const specs = [{ name: 'a', maxShare: 0.5 }, { name: 'b' }, { name: 'c' }];
  expect(sourceMixLimits(specs, [50, 30, 20], [60, 22, 18], 3)).toEqual([
    { source: 'a', kind: 'above-max', wanted: 50, planned: 60, by: 10 },
    { source: 'b', kind: 'off-target', wanted: 30, planned: 22, by: 8 },
  ]);
});
