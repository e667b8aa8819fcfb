import { createRng, selectByDifficulty } from '@tapir/core';

interface Item {
  id: number;
  mfd: number;
}

const items = (mfds: number[]): Item[] => mfds.map((mfd, id) => ({ id, mfd }));
const ids = (xs: Item[]) => xs.map((x) => x.id);

describe('selectByDifficulty', () => {
  test('keeps mfd >= delta as hard, drops easy ones with easyShare 0', () => {
    const r = selectByDifficulty(items([0, 1, 2, 0.5, -1, 1]), { delta: 1, easyShare: 0 }, createRng(1));
    expect(ids(r.hard)).toEqual([1, 2, 5]);
    expect(ids(r.selected)).toEqual([1, 2, 5]);
    expect(r.easyKept).toEqual([]);
    expect(ids(r.dropped)).toEqual([0, 3, 4]);
  });

  test('easyShare is the easy share of the selected pool', () => {
    const pool = items([...new Array<number>(30).fill(2), ...new Array<number>(100).fill(0)]);
    const r = selectByDifficulty(pool, { delta: 1, easyShare: 0.25 }, createRng(1));
    expect(r.hard).toHaveLength(30);
    expect(r.easyKept).toHaveLength(10); // 10 / 40 = 0.25
    expect(r.selected).toHaveLength(40);
    const half = selectByDifficulty(pool, { delta: 1, easyShare: 0.5 }, createRng(1));
    expect(half.easyKept).toHaveLength(30);
  });

  test('easy target is capped by the easy items available', () => {
    const r = selectByDifficulty(items([2, 2, 2, 0]), { delta: 1, easyShare: 0.9 }, createRng(1));
    expect(r.easyKept).toHaveLength(1);
    expect(r.dropped).toHaveLength(0);
  });

  test('no hard items keeps nothing, whatever easyShare', () => {
    const r = selectByDifficulty(items([0, 0.5, -2]), { delta: 1, easyShare: 0.5 }, createRng(1));
    expect(r.selected).toEqual([]);
    expect(r.dropped).toHaveLength(3);
  });

  test('empty input', () => {
    expect(selectByDifficulty([], { delta: 1, easyShare: 0.3 }, createRng(1))).toEqual({
      selected: [],
      hard: [],
      easyKept: [],
      dropped: [],
    });
  });

  test('delta boundary is inclusive', () => {
    const r = selectByDifficulty(items([0.9999, 1, 1.0001]), { delta: 1, easyShare: 0 }, createRng(1));
    expect(ids(r.hard)).toEqual([1, 2]);
  });

  test('validates options and mfd values', () => {
    const rng = createRng(1);
    expect(() => selectByDifficulty(items([1]), { delta: 1, easyShare: 1 }, rng)).toThrow(RangeError);
    expect(() => selectByDifficulty(items([1]), { delta: 1, easyShare: -0.1 }, rng)).toThrow(RangeError);
    expect(() => selectByDifficulty(items([1]), { delta: NaN, easyShare: 0 }, rng)).toThrow(RangeError);
    expect(() => selectByDifficulty(items([NaN]), { delta: 1, easyShare: 0 }, rng)).toThrow(RangeError);
  });

  test('property: partition, sizes, every hard kept, easy count, determinism', () => {
    const gen = createRng('selection-props');
    for (let t = 0; t < 300; t++) {
      const n = gen.int(80);
      const pool = items(Array.from({ length: n }, () => Math.round((gen.next() * 18 - 9) * 2) / 2));
      const opts = { delta: Math.round(gen.next() * 6 - 2), easyShare: Math.floor(gen.next() * 10) / 10.5 };
      const r = selectByDifficulty(pool, opts, createRng(t));

      const selected = new Set(ids(r.selected));
      const dropped = new Set(ids(r.dropped));
      expect(r.selected.length + r.dropped.length).toBe(n);
      expect([...selected].filter((id) => dropped.has(id))).toEqual([]);
      expect(new Set([...ids(r.hard), ...ids(r.easyKept)])).toEqual(selected);
      expect(r.hard.length + r.easyKept.length).toBe(r.selected.length);
      for (const item of pool) if (item.mfd >= opts.delta) expect(selected.has(item.id)).toBe(true);
      for (const item of r.easyKept) expect(item.mfd).toBeLessThan(opts.delta);
      for (const item of r.dropped) expect(item.mfd).toBeLessThan(opts.delta);

      const easyCount = pool.filter((x) => x.mfd < opts.delta).length;
      const expectedEasy =
        r.hard.length === 0
          ? 0
          : Math.min(easyCount, Math.round((r.hard.length * opts.easyShare) / (1 - opts.easyShare)));
      expect(r.easyKept).toHaveLength(expectedEasy);
      // Input order is preserved.
      expect(ids(r.selected)).toEqual([...ids(r.selected)].sort((a, b) => a - b));
      expect(selectByDifficulty(pool, opts, createRng(t))).toEqual(r);
    }
  });

  test('different seeds keep different easy items', () => {
    const pool = items([...new Array<number>(10).fill(3), ...new Array<number>(100).fill(0)]);
    const a = selectByDifficulty(pool, { delta: 1, easyShare: 0.5 }, createRng(1));
    const b = selectByDifficulty(pool, { delta: 1, easyShare: 0.5 }, createRng(2));
    expect(ids(a.easyKept)).not.toEqual(ids(b.easyKept));
  });
});
