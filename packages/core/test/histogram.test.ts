import { createRng, mfdHistogram, summarize } from '@tapir/core';

describe('mfdHistogram', () => {
  test('default: 18 unit bins from -9 to 9', () => {
    const bins = mfdHistogram([]);
    expect(bins).toHaveLength(18);
    expect(bins[0]).toEqual({ from: -9, to: -8, count: 0 });
    expect(bins[17]).toEqual({ from: 8, to: 9, count: 0 });
  });

  test('bins are [from, to) with the top edge in the last bin; outliers clamp', () => {
    const bins = mfdHistogram([0, 0.5, 0.999, 1, -0.5, 9, 12, -20, -9]);
    const at = (from: number) => bins.find((b) => b.from === from)?.count;
    expect(at(0)).toBe(3);
    expect(at(1)).toBe(1);
    expect(at(-1)).toBe(1);
    expect(at(8)).toBe(2);
    expect(at(-9)).toBe(2);
  });

  test('custom range and width', () => {
    const bins = mfdHistogram([0.1, 0.25, 0.3], { min: 0, max: 1, binWidth: 0.25 });
    expect(bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 0.25, 1],
      [0.25, 0.5, 2],
      [0.5, 0.75, 0],
      [0.75, 1, 0],
    ]);
    expect(mfdHistogram([], { min: -9, max: 9, binWidth: 0.1 })).toHaveLength(180);
    const uneven = mfdHistogram([2.9], { min: 0, max: 3, binWidth: 2 });
    expect(uneven.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 2, 0],
      [2, 3, 1],
    ]);
  });

  test('validates', () => {
    expect(() => mfdHistogram([], { min: 1, max: 1 })).toThrow(RangeError);
    expect(() => mfdHistogram([], { binWidth: 0 })).toThrow(RangeError);
    expect(() => mfdHistogram([NaN])).toThrow(RangeError);
  });

  test('property: counts add up', () => {
    const gen = createRng('hist');
    for (let t = 0; t < 100; t++) {
      const values = Array.from({ length: gen.int(200) }, () => gen.next() * 30 - 15);
      const bins = mfdHistogram(values, { binWidth: 0.5 + gen.int(3) * 0.5 });
      expect(bins.reduce((a, b) => a + b.count, 0)).toBe(values.length);
    }
  });
});

describe('summarize', () => {
  test('empty', () => {
    expect(summarize([])).toEqual({ count: 0, mean: null, min: null, max: null });
  });
  test('values', () => {
    expect(summarize([1, 2, 4])).toEqual({ count: 3, mean: 2.3333, min: 1, max: 4 });
    expect(summarize([-1.5])).toEqual({ count: 1, mean: -1.5, min: -1.5, max: -1.5 });
  });
});
