import { createRng, largestRemainder, rebalanceToTarget, splitByHardShare, describeHardShareLimit, type TaxonomyCategory, type Rng } from '@tapir/core';

interface Item {
  id: number;
  category: string;
  hard: boolean;
}

function makePool(counts: Record<string, { hard: number; easy: number }>): Item[] {
  const out: Item[] = [];
  for (const [category, n] of Object.entries(counts)) {
    for (let i = 0; i < n.hard; i++) out.push({ id: out.length, category, hard: true });
    for (let i = 0; i < n.easy; i++) out.push({ id: out.length, category, hard: false });
  }
  return out;
}

function shuffled<T>(list: T[], rng: Rng): T[] {
  return rng.sample(list, list.length);
}

type Result = ReturnType<typeof rebalanceToTarget<Item>>;

/** The invariants every split result must hold, whatever the pool. */
function checkInvariants(pool: Item[], taxonomy: TaxonomyCategory[], r: Result, maxRepeats: number | undefined): void {
  const split = r.hardShare!;
  expect(split).toBeDefined();
  // Sizes add up: per category, hard + easy = quota = rows drawn; the total is the quotas' sum.
  const quotaSum = Object.values(r.quotas).reduce((a, b) => a + b, 0);
  expect(r.entries).toHaveLength(quotaSum);
  const times = new Map<number, number>();
  for (const e of r.entries) times.set(e.item.id, (times.get(e.item.id) ?? 0) + 1);
  if (maxRepeats !== undefined) expect(Math.max(0, ...times.values())).toBeLessThanOrEqual(1 + maxRepeats);
  let hardRows = 0;
  for (const c of taxonomy) {
    const rows = r.entries.filter((e) => e.category === c.name);
    const hard = rows.filter((e) => e.item.hard).length;
    hardRows += hard;
    expect(rows).toHaveLength(r.quotas[c.name]!);
    const planned = split.rows[c.name] ?? { hard: 0, easy: 0 };
    expect({ category: c.name, hard, easy: rows.length - hard }).toEqual({ category: c.name, ...planned });
    // Never drop a hard item while an easy one of the same category is kept.
    if (rows.some((e) => !e.item.hard)) {
      const hardInPool = pool.filter((i) => i.category === c.name && i.hard);
      for (const item of hardInPool) expect({ category: c.name, kept: times.has(item.id) }).toEqual({ category: c.name, kept: true });
    }
  }
  expect(hardRows).toBe(split.hardPlanned);
  expect(split.hardWanted).toBe(Math.round(Math.round(quotaSum * split.target * 1e9) / 1e9));
  if (split.limits.length === 0) {
    expect(split.hardPlanned).toBe(split.hardWanted);
  } else {
    expect(split.hardPlanned).not.toBe(split.hardWanted);
    const gap = Math.abs(split.hardWanted - split.hardPlanned);
    // The named categories account for the whole gap (each "by" is rounded to 0.01, and a
    // category within 0.005 of its part is not named).
    const named = split.limits.reduce((s, l) => s + l.by, 0);
    expect(named).toBeGreaterThanOrEqual(gap - 0.005 * Object.keys(split.rows).length - 1e-9);
    const short = split.hardPlanned < split.hardWanted;
    for (const l of split.limits) {
      expect(short ? ['hard-short'] : ['easy-short', 'hard-kept']).toContain(l.kind);
      expect(l.by).toBeGreaterThan(0);
      expect(describeHardShareLimit(l)).toContain(l.category);
    }
  }
}

describe('rebalanceToTarget with a hard share', () => {
  test('property: the rows hold the target hard share within 0.02 whenever every category has enough hard and easy items', () => {
    const gen = createRng('rebalance-hard-share-enough');
    for (let t = 0; t < 300; t++) {
      const nCats = 1 + gen.int(8);
      const taxonomy: TaxonomyCategory[] = Array.from({ length: nCats }, (_, i) => ({ name: `C${i}`, weight: 0.05 + gen.next() }));
      taxonomy.push({ name: 'Others', weight: 0.05 + gen.next() });
      const targetSize = 25 + gen.int(600);
      const hardShare = 0.05 + gen.next() * 0.9;
      const maxRepeats = gen.next() < 0.2 ? undefined : gen.int(4);
      const factor = maxRepeats === undefined ? 3 : 1 + maxRepeats;
      // Quotas are largest remainder over all categories (every one gets items); choose each
      // category's hard and easy counts inside the bounds that make "enough".
      const quotas = largestRemainder(taxonomy.map((c) => c.weight), targetSize);
      const counts: Record<string, { hard: number; easy: number }> = {};
      taxonomy.forEach((c, i) => {
        const q = quotas[i]!;
        const hardPart = q * hardShare;
        const hardMin = Math.ceil((hardPart + 0.5) / factor);
        const hardMax = Math.floor(hardPart - 0.5);
        const easyMin = Math.ceil((q * (1 - hardShare) + 0.5) / factor);
        const hard = hardMax >= hardMin ? hardMin + gen.int(hardMax - hardMin + 1) : -1;
        counts[c.name] = { hard, easy: easyMin + gen.int(3 * easyMin + 3) };
      });
      // A category too small to satisfy both bounds cannot be "enough"; such pools are skipped.
      if (Object.values(counts).some((n) => n.hard < 0 || (n.hard + n.easy) * factor < 1)) continue;
      const pool = shuffled(makePool(counts), gen);
      const r = rebalanceToTarget(pool, taxonomy, targetSize, createRng(gen.int(1e6)), { maxRepeats, hardShare });
      expect(r.shortfall).toBe(0);
      checkInvariants(pool, taxonomy, r, maxRepeats);
      expect(r.hardShare!.limits).toEqual([]);
      const exported = r.entries.filter((e) => e.item.hard).length / r.entries.length;
      expect(Math.abs(exported - hardShare)).toBeLessThanOrEqual(0.02);
    }
  });

  test('property: over any random pool the invariants hold, and a missed share names its categories', () => {
    const gen = createRng('rebalance-hard-share-any');
    const seen = { met: 0, 'hard-short': 0, 'easy-short': 0, 'hard-kept': 0 };
    for (let t = 0; t < 500; t++) {
      const nCats = 1 + gen.int(10);
      const taxonomy: TaxonomyCategory[] = Array.from({ length: nCats }, (_, i) => ({ name: `C${i}`, weight: gen.next() < 0.1 ? 0 : 0.01 + gen.next() }));
      taxonomy.push({ name: 'Others', weight: 0.01 + gen.next() });
      const counts: Record<string, { hard: number; easy: number }> = {};
      for (const c of taxonomy) {
        const many = gen.next() < 0.5;
        counts[c.name] = { hard: gen.next() < 0.2 ? 0 : gen.int(many ? 80 : 6), easy: gen.next() < 0.2 ? 0 : gen.int(many ? 80 : 6) };
      }
      const pool = shuffled(makePool(counts), gen);
      if (pool.length === 0 || taxonomy.every((c) => c.weight === 0 || counts[c.name]!.hard + counts[c.name]!.easy === 0)) continue;
      const targetSize = gen.int(500);
      const hardShare = gen.next();
      const maxRepeats = gen.next() < 0.2 ? undefined : gen.int(4);
      const seed = gen.int(1e6);
      const r = rebalanceToTarget(pool, taxonomy, targetSize, createRng(seed), { maxRepeats, hardShare });
      checkInvariants(pool, taxonomy, r, maxRepeats);
      // Same inputs, same rows.
      expect(rebalanceToTarget(pool, taxonomy, targetSize, createRng(seed), { maxRepeats, hardShare })).toEqual(r);
      if (r.hardShare!.limits.length === 0) seen.met++;
      for (const l of r.hardShare!.limits) seen[l.kind]++;
    }
    // The generator reaches every outcome, not only the easy path.
    expect(seen.met).toBeGreaterThan(50);
    expect(seen['hard-short']).toBeGreaterThan(20);
    expect(seen['easy-short']).toBeGreaterThan(20);
    expect(seen['hard-kept']).toBeGreaterThan(20);
  });

  test('a category sampled down keeps its hard items first', () => {
    const taxonomy = [{ name: 'Math', weight: 1 }, { name: 'Others', weight: 0 }];
    const pool = makePool({ Math: { hard: 30, easy: 70 } });
    const r = rebalanceToTarget(pool, taxonomy, 50, createRng(1), { hardShare: 0.5 });
    expect(r.entries.filter((e) => e.item.hard)).toHaveLength(30);
    expect(r.entries.filter((e) => !e.item.hard)).toHaveLength(20);
    // 25 hard rows wanted, but 30 hard items, none dropped while easy ones are kept.
    expect(r.hardShare!.limits).toEqual([{ category: 'Math', kind: 'hard-kept', by: 5, hardItems: 30, easyItems: 70 }]);
  });

  test('a category filled up repeats hard items, not easy ones, for its hard part', () => {
    const taxonomy = [{ name: 'Math', weight: 1 }, { name: 'Others', weight: 0 }];
    const pool = makePool({ Math: { hard: 10, easy: 10 } });
    const r = rebalanceToTarget(pool, taxonomy, 40, createRng(1), { hardShare: 0.7, maxRepeats: 3 });
    expect(r.entries.filter((e) => e.item.hard)).toHaveLength(28);
    expect(r.entries.filter((e) => !e.item.hard)).toHaveLength(12);
    expect(r.entries.filter((e) => !e.item.hard && e.repeatIndex > 0)).toHaveLength(2);
    expect(r.hardShare!.limits).toEqual([]);
  });

  test("one category's missing hard rows go to another's hard part", () => {
    const taxonomy = [{ name: 'Math', weight: 1 }, { name: 'Code', weight: 1 }, { name: 'Writing', weight: 1 }, { name: 'Others', weight: 0 }];
    // Math (one hard item, one repeat) can give 2 hard rows of its part of 5; Code and Writing
    // (up to 10 each with one repeat) make up the rest.
    const pool = makePool({ Math: { hard: 1, easy: 40 }, Code: { hard: 5, easy: 40 }, Writing: { hard: 5, easy: 40 } });
    const r = rebalanceToTarget(pool, taxonomy, 30, createRng(1), { hardShare: 0.5, maxRepeats: 1 });
    expect(r.hardShare!.rows).toEqual({ Math: { hard: 2, easy: 8 }, Code: { hard: 7, easy: 3 }, Writing: { hard: 6, easy: 4 }, Others: { hard: 0, easy: 0 } });
    expect(r.hardShare!.hardPlanned).toBe(15);
    expect(r.hardShare!.limits).toEqual([]);
  });

  test('the pool of the issue: 7 easy items cannot make round 1 30% hard, and the plan says so', () => {
    const taxonomy = [{ name: 'Math', weight: 1 }, { name: 'Writing', weight: 1 }, { name: 'Others', weight: 0 }];
    const pool = makePool({ Math: { hard: 150, easy: 3 }, Writing: { hard: 143, easy: 4 } });
    const r = rebalanceToTarget(pool, taxonomy, 300, createRng(1), { hardShare: 0.3, maxRepeats: 3 });
    expect(r.hardShare!.hardWanted).toBe(90);
    // Each category can hold at most 4 * (easy items) easy rows; the rest must be hard.
    expect(r.hardShare!.rows).toEqual({ Math: { hard: 150, easy: 0 }, Writing: { hard: 143, easy: 7 }, Others: { hard: 0, easy: 0 } });
    const kinds = r.hardShare!.limits.map((l) => [l.category, l.kind]);
    expect(kinds).toEqual([
      ['Math', 'hard-kept'],
      ['Writing', 'hard-kept'],
    ]);
    expect(describeHardShareLimit(r.hardShare!.limits[0]!)).toBe('Math: 150 hard items all kept, 105 hard rows over its share');
  });

  test('without a hard share the draw is the one it always was', () => {
    const taxonomy = [{ name: 'Math', weight: 1 }, { name: 'Others', weight: 1 }];
    const pool = makePool({ Math: { hard: 5, easy: 50 }, Others: { hard: 20, easy: 3 } });
    const r = rebalanceToTarget(pool, taxonomy, 40, createRng(9), { maxRepeats: 2 });
    expect(r.hardShare).toBeUndefined();
    const plain = rebalanceToTarget(
      pool.map(({ id, category }) => ({ id, category })),
      taxonomy,
      40,
      createRng(9),
      { maxRepeats: 2 },
    );
    expect(r.entries.map((e) => e.item.id)).toEqual(plain.entries.map((e) => e.item.id));
  });
});

describe('splitByHardShare', () => {
  test('without binding bounds it is largest remainder over the quotas', () => {
    const split = splitByHardShare(
      [
        { name: 'A', quota: 7, hardItems: 0, easyItems: 100 },
        { name: 'B', quota: 3, hardItems: 0, easyItems: 100 },
      ].map((c) => ({ ...c, hardItems: 100 })),
      0.5,
    );
    // Hard items outnumber both quotas, so every row would be hard were no easy item kept; the
    // lower bound (no hard item dropped while an easy one is kept) is then the quota itself.
    expect(split.rows).toEqual({ A: { hard: 7, easy: 0 }, B: { hard: 3, easy: 0 } });
    const free = splitByHardShare(
      [
        { name: 'A', quota: 7, hardItems: 3, easyItems: 100 },
        { name: 'B', quota: 3, hardItems: 1, easyItems: 100 },
      ],
      0.5,
      9,
    );
    expect([free.rows.A!.hard, free.rows.B!.hard]).toEqual(largestRemainder([7, 3], 5));
  });

  test('rejects what it cannot split', () => {
    expect(() => splitByHardShare([{ name: 'A', quota: 5, hardItems: 1, easyItems: 1 }], 0.5, 1)).toThrow(/repeat cap/);
    expect(() => splitByHardShare([{ name: 'A', quota: 1.5, hardItems: 1, easyItems: 1 }], 0.5)).toThrow(/quota of "A"/);
    expect(() => splitByHardShare([], 1.5)).toThrow(/hardShare/);
  });
});
