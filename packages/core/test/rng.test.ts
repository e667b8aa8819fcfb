import { createRng } from '@tapir/core';

describe('createRng', () => {
  test('same seed gives the same stream; number and string seeds agree', () => {
    const a = createRng(42);
    const b = createRng('42');
    const xs = Array.from({ length: 50 }, () => a.next());
    const ys = Array.from({ length: 50 }, () => b.next());
    expect(xs).toEqual(ys);
  });

  test('different seeds give different streams', () => {
    const a = Array.from({ length: 10 }, ((r) => () => r.next())(createRng(1)));
    const b = Array.from({ length: 10 }, ((r) => () => r.next())(createRng(2)));
    expect(a).not.toEqual(b);
  });

  test('next() is in [0, 1) and roughly uniform', () => {
    const rng = createRng('uniform');
    const buckets = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]!++;
    }
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 10 * 0.1);
  });

  test('int() stays in range and hits every value', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = rng.int(6);
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(6);
      seen.add(x);
    }
    expect(seen.size).toBe(6);
    expect(createRng(1).int(1)).toBe(0);
  });

  test('int() rejects bad bounds', () => {
    const rng = createRng(1);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(-3)).toThrow(RangeError);
  });

  test('rejects non-finite numeric seeds', () => {
    expect(() => createRng(NaN)).toThrow(RangeError);
    expect(() => createRng(Infinity)).toThrow(RangeError);
  });

  test('shuffle returns a new permutation and leaves the input alone', () => {
    const input = Object.freeze(Array.from({ length: 30 }, (_, i) => i));
    const out = createRng(3).shuffle(input);
    expect(out).not.toBe(input);
    expect([...out].sort((a, b) => a - b)).toEqual([...input]);
    expect(out).not.toEqual([...input]);
    expect(createRng(3).shuffle(input)).toEqual(out);
    expect(createRng(3).shuffle([])).toEqual([]);
  });

  test('shuffle is unbiased enough: each element lands in each slot', () => {
    const rng = createRng('fy');
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let t = 0; t < 8000; t++) {
      rng.shuffle([0, 1, 2, 3]).forEach((v, slot) => counts[v]![slot]!++);
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 2000)).toBeLessThan(250);
  });

  test('sample picks k distinct positions, deterministic per seed', () => {
    for (let seed = 0; seed < 200; seed++) {
      const rng = createRng(seed);
      const n = rng.int(20);
      const k = n === 0 ? 0 : rng.int(n + 1);
      const arr = Array.from({ length: n }, (_, i) => `x${i}`);
      const s = createRng(`s${seed}`).sample(arr, k);
      expect(s).toHaveLength(k);
      expect(new Set(s).size).toBe(k);
      for (const x of s) expect(arr).toContain(x);
      expect(createRng(`s${seed}`).sample(arr, k)).toEqual(s);
    }
  });

  test('sample rejects k out of range', () => {
    const rng = createRng(1);
    expect(() => rng.sample([1, 2], 3)).toThrow(RangeError);
    expect(() => rng.sample([1, 2], -1)).toThrow(RangeError);
    expect(() => rng.sample([1, 2], 1.5)).toThrow(RangeError);
    expect(rng.sample([1, 2], 0)).toEqual([]);
  });

  test('fork is deterministic, label-dependent and independent of parent consumption', () => {
    const parent = createRng(99);
    const f1 = parent.fork('a').next();
    parent.next();
    parent.next();
    expect(parent.fork('a').next()).toBe(f1);
    expect(createRng(99).fork('a').next()).toBe(f1);
    expect(createRng(99).fork('b').next()).not.toBe(f1);
    expect(createRng(98).fork('a').next()).not.toBe(f1);
    expect(createRng(99).fork('a').fork('x').next()).toBe(createRng(99).fork('a').fork('x').next());
    expect(createRng(99).fork('a').fork('x').next()).not.toBe(createRng(99).fork('a').next());
  });

  test('fork streams differ from the parent stream', () => {
    const parent = Array.from({ length: 5 }, ((r) => () => r.next())(createRng(5)));
    const child = Array.from({ length: 5 }, ((r) => () => r.next())(createRng(5).fork('')));
    expect(child).not.toEqual(parent);
  });
});
