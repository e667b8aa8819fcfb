import { DEFAULT_SLICE_POLICY, planRowSlices, sliceRows, type RowGroupShape, type SlicePolicy } from '../src/parquet-row-slices';

const policy: SlicePolicy = { sliceBytes: 1000, minSliceRows: 10 };

/** Deterministic pseudo-random shapes (no dependency on Math.random, so a failure reproduces). */
function shapes(seed: number, count: number): RowGroupShape[] {
  let x = seed;
  const next = (m: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % m);
  return Array.from({ length: count }, () => ({ rows: next(5) === 0 ? 0 : next(500), uncompressedBytes: next(20_000), sliceable: next(4) !== 0 }));
}

describe('sliceRows', () => {
  test('a group within the budget is decoded whole', () => {
    expect(sliceRows({ rows: 300, uncompressedBytes: 1000, sliceable: true }, policy)).toBe(300);
  });
  test('a larger group gets its share of the budget', () => {
    expect(sliceRows({ rows: 1000, uncompressedBytes: 4000, sliceable: true }, policy)).toBe(250);
  });
  test('never fewer than the minimum rows, never more than the group', () => {
    expect(sliceRows({ rows: 1000, uncompressedBytes: 1_000_000, sliceable: true }, policy)).toBe(10);
    expect(sliceRows({ rows: 5, uncompressedBytes: 1_000_000, sliceable: true }, policy)).toBe(5);
    expect(sliceRows({ rows: 1000, uncompressedBytes: 1_000_000, sliceable: true }, { sliceBytes: 1, minSliceRows: 0 })).toBe(1);
  });
  test('a group that cannot be sliced cheaply is decoded whole', () => {
    expect(sliceRows({ rows: 1000, uncompressedBytes: 1_000_000, sliceable: false }, policy)).toBe(1000);
  });
  test('an empty group has no rows to slice', () => {
    expect(sliceRows({ rows: 0, uncompressedBytes: 0, sliceable: true }, policy)).toBe(0);
  });
  test('the default policy slices a 100,000-row group of 13.6 MB (the bench file) into about 30,000 rows', () => {
    expect(sliceRows({ rows: 100_000, uncompressedBytes: 13_597_550, sliceable: true }, DEFAULT_SLICE_POLICY)).toBe(30_846);
  });
});

describe('planRowSlices', () => {
  test('two groups, one sliced, one whole, an empty one skipped', () => {
    const groups = [
      { rows: 25, uncompressedBytes: 2500, sliceable: true },
      { rows: 0, uncompressedBytes: 0, sliceable: true },
      { rows: 30, uncompressedBytes: 9000, sliceable: false },
    ];
    expect([...planRowSlices(groups, policy)]).toEqual([
      { group: 0, rowStart: 0, rowEnd: 10 },
      { group: 0, rowStart: 10, rowEnd: 20 },
      { group: 0, rowStart: 20, rowEnd: 25 },
      { group: 2, rowStart: 25, rowEnd: 55 },
    ]);
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])('properties hold for random files (seed %i)', (seed) => {
    const groups = shapes(seed, 12);
    const slices = [...planRowSlices(groups, policy)];
    const total = groups.reduce((sum, g) => sum + g.rows, 0);
    // Slices tile the file in order: contiguous, non-empty, covering every row exactly once.
    let expectedStart = 0;
    for (const slice of slices) {
      expect(slice.rowStart).toBe(expectedStart);
      expect(slice.rowEnd).toBeGreaterThan(slice.rowStart);
      expectedStart = slice.rowEnd;
    }
    expect(expectedStart).toBe(total);
    // Each slice stays inside its group, and every group's rows are covered by its own slices.
    let groupStart = 0;
    groups.forEach((shape, g) => {
      const own = slices.filter((s) => s.group === g);
      expect(own.reduce((sum, s) => sum + s.rowEnd - s.rowStart, 0)).toBe(shape.rows);
      for (const s of own) {
        expect(s.rowStart).toBeGreaterThanOrEqual(groupStart);
        expect(s.rowEnd).toBeLessThanOrEqual(groupStart + shape.rows);
        // Within budget unless the minimum or an unsliceable group says otherwise.
        const bytes = ((s.rowEnd - s.rowStart) * shape.uncompressedBytes) / Math.max(shape.rows, 1);
        if (shape.sliceable && s.rowEnd - s.rowStart > policy.minSliceRows) expect(bytes).toBeLessThanOrEqual(policy.sliceBytes);
      }
      groupStart += shape.rows;
    });
  });
});
