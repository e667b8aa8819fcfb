import { missingMappedColumns } from './column-mapping';
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
 * Streams a Parquet file one row group at a time: the footer metadata is read first, then each
 * row group's column chunks are fetched and decoded into rows, handed out, and dropped before the
 * next group is read. Memory is bounded by the largest row group (writers default to 10^5 to 10^6
 * rows per group; HF's converter writes about 100 MB groups at most), not by the file.
 *
 * An event's line is the 1-based row number in the file. Nested columns (a ShareGPT
 * `conversations` list of structs) arrive as arrays of objects, as in JSON.
 */
export async function* readParquet(file: string, opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent> {
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
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  if (opts.columns) {
    const missing = missingMappedColumns(columns, opts.columns);
    if (missing.length > 0) throw new PoolFileError(file, `has no column ${missing.join(', ')}; it has ${columns.map((c) => `'${c}'`).join(', ')}`);
  }
  const interpreter = new RowInterpreter(file, opts);
  const groups = metadata.row_groups;
  let rowStart = 0;
  let sawRow = false;
  for (let g = 0; g < groups.length; g++) {
    const rowEnd = rowStart + Number(groups[g]!.num_rows);
    if (rowEnd === rowStart) continue;
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd });
    } catch (error) {
      throw new PoolFileError(file, `row group ${g + 1} of ${groups.length} (rows ${rowStart + 1}-${rowEnd}) cannot be decoded: ${(error as Error).message}`, rowStart + 1);
    }
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const line = rowStart + k + 1;
      sawRow = true;
      if (!isPlainObject(row)) {
        yield { kind: 'error', line, message: 'row is not a record' };
        continue;
      }
      yield interpreter.interpret(withoutBigInts(row), line);
    }
    rowStart = rowEnd;
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
