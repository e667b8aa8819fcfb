import { columnWindowEnd, DEFAULT_SLICE_POLICY, sliceRows, windowPageStarts, type SlicePolicy } from '../src/parquet-row-slices';

const policy: SlicePolicy = { sliceBytes: 1000, minSliceRows: 10 };

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
  test('the default policy slices a 100,000-row group of 13.6 MB (the bench file) into about 15,000 rows', () => {
    expect(sliceRows({ rows: 100_000, uncompressedBytes: 13_597_550, sliceable: true }, DEFAULT_SLICE_POLICY)).toBe(15_423);
  });
});

describe('columnWindowEnd', () => {
  const pages = [100, 130, 400, 410, 700]; // a group of rows 100-899

  test('ends on the first page start at or after the wanted end', () => {
    expect(columnWindowEnd(pages, 100, 50, 900)).toBe(400);
    expect(columnWindowEnd(pages, 100, 30, 900)).toBe(130);
    expect(columnWindowEnd(pages, 400, 5, 900)).toBe(410);
  });
  test('the last page runs to the end of the group', () => {
    expect(columnWindowEnd(pages, 700, 10, 900)).toBe(900);
    expect(columnWindowEnd(pages, 410, 1000, 900)).toBe(900);
  });
  test('without page starts the window is exactly the rows asked, within the group', () => {
    expect(columnWindowEnd(undefined, 100, 50, 900)).toBe(150);
    expect(columnWindowEnd(undefined, 880, 50, 900)).toBe(900);
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])('windows tile a group on page boundaries (seed %i)', (seed) => {
    let x = seed;
    const next = (m: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % m);
    const groupStart = next(1000);
    const groupRows = 1 + next(2000);
    const starts = new Set([groupStart]);
    for (let i = next(30); i > 0; i--) starts.add(groupStart + next(groupRows));
    const pageStarts = [...starts].sort((a, b) => a - b);
    const rows = 1 + next(300);
    const ends: number[] = [];
    for (let row = groupStart; row < groupStart + groupRows; ) {
      const end = columnWindowEnd(pageStarts, row, rows, groupStart + groupRows);
      expect(end).toBeGreaterThan(row);
      expect(end === groupStart + groupRows || pageStarts.includes(end)).toBe(true);
      // No longer than needed: no page start lies strictly between the wanted end and the window's end.
      expect(pageStarts.some((p) => p >= row + rows && p < end)).toBe(false);
      ends.push(end);
      row = end;
    }
    expect(ends.at(-1)).toBe(groupStart + groupRows);
  });
});

describe('windowPageStarts', () => {
  test('an offset index gives the page starts, whatever the chunk size', () => {
    expect(windowPageStarts([0, 50], 10 ** 9, policy)).toEqual([0, 50]);
  });
  test('a chunk without an index within the budget is one window to the group end, so its page is decoded once', () => {
    const starts = windowPageStarts(undefined, 1000, policy);
    expect(starts).toEqual([]);
    expect(columnWindowEnd(starts, 100, 10, 900)).toBe(900);
  });
  test('a larger chunk without an index keeps row windows', () => {
    const starts = windowPageStarts(undefined, 1001, policy);
    expect(starts).toBeUndefined();
    expect(columnWindowEnd(starts, 100, 10, 900)).toBe(110);
  });
});
