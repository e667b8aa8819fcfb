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

export interface SlicePolicy {
  /** Uncompressed bytes decoded at once; decoded JS values take several times this. */
  sliceBytes: number;
  /** Fewer rows than this per decode costs more in per-call overhead and re-read page edges than it saves. */
  minSliceRows: number;
}

/**
 * 2 MiB of uncompressed column data is roughly 15-20 MB of decoded strings and row objects. 4 MiB
 * until 2026-12-04: once single-page chunks stopped being decoded once per window
 * (windowPageStarts), 2 MiB cost the reader about 7% more CPU and the million-row Parquet import
 * about 15 MB less peak RSS (229.8 against 244.4 MB) at the same speed; 1 MiB cuts the bench file's
 * one-page `input` chunk (1.1 MB) into row windows again and costs 4x the CPU.
 */
export const DEFAULT_SLICE_POLICY: SlicePolicy = { sliceBytes: 2 * 1024 * 1024, minSliceRows: 1024 };

/** Rows decoded at once from a group: its share of the byte budget, at least the minimum, at most the group. */
export function sliceRows(shape: RowGroupShape, policy: SlicePolicy = DEFAULT_SLICE_POLICY): number {
  if (shape.rows <= 0) return 0;
  if (!shape.sliceable || shape.uncompressedBytes <= policy.sliceBytes) return shape.rows;
  const byBudget = Math.floor((shape.rows * policy.sliceBytes) / shape.uncompressedBytes);
  return Math.min(shape.rows, Math.max(policy.minSliceRows, byBudget, 1));
}

/**
 * Where a column's decode window that starts at row `start` ends: at the first of the column's
 * page starts at or after `start + rows`, so consecutive windows never cut a page and each page
 * is decoded once; at `start + rows` when the page starts are unknown (no offset index); never
 * past `groupEnd`. Rows are the file's, 0-based; `pageStarts` is ascending.
 */
export function columnWindowEnd(pageStarts: readonly number[] | undefined, start: number, rows: number, groupEnd: number): number {
  const wanted = Math.min(groupEnd, start + Math.max(1, rows));
  if (!pageStarts) return wanted;
  let low = 0;
  let high = pageStarts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (pageStarts[middle]! < wanted) low = middle + 1;
    else high = middle;
  }
  return low < pageStarts.length ? Math.min(groupEnd, pageStarts[low]!) : groupEnd;
}

/**
 * The page starts a column's windows end on (see columnWindowEnd), given what the footer says of
 * the column chunk. With an offset index: its page starts. Without one (hyparquet-writer writes
 * none for a chunk of a single page, e.g. a short `input` column whose 100,000 rows fit one 1 MB
 * page), the page boundaries are unknown and every window that touches a page decodes all of it:
 * cut into rows, the bench file's `input` page was decoded four times per group. Such a chunk is
 * read in one window to the group's end (no page starts inside the group: `[]`) when its
 * uncompressed size is within the budget, which bounds that window as any other; a larger chunk
 * without an index keeps row windows (`undefined`).
 */
export function windowPageStarts(offsetIndexStarts: readonly number[] | undefined, chunkUncompressedBytes: number, policy: SlicePolicy = DEFAULT_SLICE_POLICY): readonly number[] | undefined {
  if (offsetIndexStarts) return offsetIndexStarts;
  return chunkUncompressedBytes <= policy.sliceBytes ? [] : undefined;
}
