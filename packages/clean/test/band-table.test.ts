import { BandTable } from '../src/band-table';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

describe('band table', () => {
  test('behaves like a map from key to newest row through many growths, keys over the whole 32-bit range', () => {
    const next = rng(17);
    const table = new BandTable();
    const model = new Map<number, number>();
    const keys: number[] = [];
    for (let row = 0; row < 60_000; row++) {
      // A third of the rows reuse a key already seen: chains, not just distinct keys.
      const key = keys.length > 0 && next() % 3 === 0 ? keys[next() % keys.length]! : next();
      keys.push(key);
      expect(table.insert(key, row)).toBe(model.get(key) ?? -1);
      model.set(key, row);
    }
    expect(table.size).toBe(model.size);
    for (const [key, row] of model) expect(table.head(key)).toBe(row);
    for (let i = 0; i < 1000; i++) {
      const absent = next();
      if (!model.has(absent)) expect(table.head(absent)).toBe(-1);
    }
    expect(table.head(0xffffffff)).toBe(model.get(0xffffffff) ?? -1);
  });
});
