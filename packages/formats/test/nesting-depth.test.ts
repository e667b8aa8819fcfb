import { nestingDeeperThan } from '../src/nesting-depth';

/** The definition, recursively: the number of object/array levels on the deepest path. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
}

function randomValue(next: (n: number) => number, budget: number): unknown {
  const pick = budget <= 0 ? next(3) : next(6);
  if (pick === 0) return 'text';
  if (pick === 1) return null;
  if (pick === 2) return 42;
  const children = Array.from({ length: next(4) }, () => randomValue(next, budget - 1));
  if (pick === 3) return children;
  return Object.fromEntries(children.map((child, i) => [`k${i}`, child]));
}

describe('nestingDeeperThan', () => {
  test('agrees with the recursive definition for every limit (property over random rows, flat ones included)', () => {
    const next = generator(5);
    for (let i = 0; i < 2000; i++) {
      const value = i % 4 === 0 ? { instruction: 'q', input: '', output: null, n: 3 } : randomValue(next, 1 + next(6));
      const depth = depthOf(value);
      for (let limit = 0; limit <= 8; limit++) expect([i, limit, nestingDeeperThan(value, limit)]).toEqual([i, limit, depth > limit]);
    }
  });

  test('a flat row is one level deep; inherited keys are not the row', () => {
    expect(nestingDeeperThan({ a: 'x', b: 1 }, 1)).toBe(false);
    expect(nestingDeeperThan({ a: 'x', b: 1 }, 0)).toBe(true);
    expect(nestingDeeperThan({}, 0)).toBe(true);
    expect(nestingDeeperThan('text', 0)).toBe(false);
    const row = Object.create({ inherited: { deep: { deeper: 1 } } }) as Record<string, unknown>;
    row['own'] = 'x';
    expect(nestingDeeperThan(row, 1)).toBe(false);
  });
});
