/**
 * How the Parquet reader cuts row groups into the row ranges it decodes at once. A row group can
 * hold 10^5 to 10^6 rows (pyarrow's default is 1M); decoding one whole turns all of it into JS
 * strings and objects at once, so peak memory would follow the writer's choice. Slicing by the
 * group's uncompressed size keeps what is live near a byte budget whatever the group size. Pure.
 */

/** What the planner needs to know of one row group. */
export interface RowGroupShape {
  rows: number;
  /** The group's total uncompressed size (`total_byte_size` in the footer). */
  uncompressedBytes: number;
  /**
   * Whether a row range can be decoded without decoding the whole group: true when every column
   * is flat (hyparquet skips the pages before the range undecompressed) or has an offset index
   * (only the pages of the range are read). A nested column without one is decoded whole for any
   * range, so slicing such a group would decode it once per slice.
   */
  sliceable: boolean;
}

/** A 0-based, half-open row range of the file, inside one row group. */
export interface RowSlice {
  group: number;
  rowStart: number;
  rowEnd: number;
}

export interface SlicePolicy {
  /** Uncompressed bytes decoded at once; decoded JS values take several times this. */
  sliceBytes: number;
  /** Fewer rows than this per decode costs more in per-call overhead and re-read page edges than it saves. */
  minSliceRows: number;
}

/** 4 MiB of uncompressed column data is roughly 30-40 MB of decoded strings and row objects. */
export const DEFAULT_SLICE_POLICY: SlicePolicy = { sliceBytes: 4 * 1024 * 1024, minSliceRows: 1024 };

/** Rows decoded at once from a group: its share of the byte budget, at least the minimum, at most the group. */
export function sliceRows(shape: RowGroupShape, policy: SlicePolicy = DEFAULT_SLICE_POLICY): number {
  if (shape.rows <= 0) return 0;
  if (!shape.sliceable || shape.uncompressedBytes <= policy.sliceBytes) return shape.rows;
  const byBudget = Math.floor((shape.rows * policy.sliceBytes) / shape.uncompressedBytes);
  return Math.min(shape.rows, Math.max(policy.minSliceRows, byBudget, 1));
}

/** The file's rows as consecutive slices, in file order, each inside one group; empty groups give none. */
export function* planRowSlices(groups: readonly RowGroupShape[], policy: SlicePolicy = DEFAULT_SLICE_POLICY): Generator<RowSlice> {
  let groupStart = 0;
  for (let group = 0; group < groups.length; group++) {
    const shape = groups[group]!;
    const step = sliceRows(shape, policy);
    const groupEnd = groupStart + shape.rows;
    for (let rowStart = groupStart; rowStart < groupEnd; rowStart += step) {
      yield { group, rowStart, rowEnd: Math.min(groupEnd, rowStart + step) };
    }
    groupStart = groupEnd;
  }
}
