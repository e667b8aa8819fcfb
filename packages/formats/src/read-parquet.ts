import { missingMappedColumns } from './column-mapping';
import { DEFAULT_SLICE_POLICY, planRowSlices, type SlicePolicy } from './parquet-row-slices';
import { PoolFileError } from './pool-file-error';
import type { ImportEvent, ReadPoolOptions } from './pool-types';
import { isPlainObject } from './row-problem';
import { RowInterpreter } from './row-interpreter';

type Hyparquet = typeof import('hyparquet', { with: { 'resolution-mode': 'import' } });

let hyparquet: Promise<Hyparquet> | undefined;
/** hyparquet is ESM-only; node16 CommonJS output keeps this a real import(). */
function loadHyparquet(): Promise<Hyparquet> {
  return (hyparquet ??= import('hyparquet'));
}

/**
 * Streams a Parquet file a slice of rows at a time: the footer metadata is read first, then each
 * row group is decoded in row ranges of a few MB of column data (`planRowSlices`), handed out, and
 * dropped before the next range is decoded. Memory is bounded by that budget, not by the writer's
 * row-group size (10^5 to 10^6 rows; pyarrow's default is 1M), except for a group with a nested
 * column and no offset index, which hyparquet can only decode whole and so is read whole.
 *
 * An event's line is the 1-based row number in the file. Nested columns (a ShareGPT
 * `conversations` list of structs) arrive as arrays of objects, as in JSON.
 */
export async function* readParquet(file: string, opts: ReadPoolOptions = {}, policy: SlicePolicy = DEFAULT_SLICE_POLICY): AsyncGenerator<ImportEvent> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await loadHyparquet();
  let buffer;
  let metadata;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PoolFileError(file, 'file not found');
    throw new PoolFileError(file, `not a readable Parquet file: ${(error as Error).message}`);
  }
  const topLevel = parquetSchema(metadata).children;
  const columns = topLevel.map((child) => child.element.name);
  if (opts.columns) {
    const missing = missingMappedColumns(columns, opts.columns);
    if (missing.length > 0) throw new PoolFileError(file, `has no column ${missing.join(', ')}; it has ${columns.map((c) => `'${c}'`).join(', ')}`);
  }
  const flatColumns = new Set(topLevel.filter((child) => child.children.length === 0 && child.element.repetition_type !== 'REPEATED').map((child) => child.element.name));
  const groups = metadata.row_groups;
  const shapes = groups.map((group) => ({
    rows: Number(group.num_rows),
    uncompressedBytes: Number(group.total_byte_size),
    sliceable: group.columns.every((chunk) => flatColumns.has(chunk.meta_data?.path_in_schema[0] ?? '') || Boolean(chunk.offset_index_length)),
  }));
  const interpreter = new RowInterpreter(file, opts);
  let sawRow = false;
  for (const slice of planRowSlices(shapes, policy)) {
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart: slice.rowStart, rowEnd: slice.rowEnd, useOffsetIndex: true });
    } catch (error) {
      throw new PoolFileError(file, `row group ${slice.group + 1} of ${groups.length} (rows ${slice.rowStart + 1}-${slice.rowEnd}) cannot be decoded: ${(error as Error).message}`, slice.rowStart + 1);
    }
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const line = slice.rowStart + k + 1;
      sawRow = true;
      if (!isPlainObject(row)) {
        yield { kind: 'error', line, message: 'row is not a record' };
        continue;
      }
      yield interpreter.interpret(withoutBigInts(row), line);
    }
  }
  if (!sawRow) throw new PoolFileError(file, 'file is empty (no rows)');
}

/** int64 columns decode to BigInt, which JSON (answers, lineage) cannot write; a label or id fits a number. */
function withoutBigInts(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'bigint') row[key] = Number(value);
  }
  return row;
}
