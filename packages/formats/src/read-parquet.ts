import { missingMappedColumns } from './column-mapping';
import { eachOf } from './event-batches';
import { columnWindowEnd, DEFAULT_SLICE_POLICY, sliceRows, windowPageStarts, type SlicePolicy } from './parquet-row-slices';
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
 * Streams a Parquet file a few MB at a time: the footer metadata is read first; then each flat
 * column of a row group is decoded in windows of about `policy.sliceBytes` of the group's data in
 * rows, each ending on one of that column's page starts (offset index) so no page is decoded
 * twice (a column chunk without an offset index that fits the budget is one window per group:
 * windowPageStarts), and rows are zipped out of the windows and handed out 1,024 at a time.
 * Memory is bounded by that budget,
 * not by the writer's row-group size (10^5 to 10^6 rows; pyarrow's default is 1M). A file with a
 * nested column is read in row ranges of the same budget, whole groups when a nested column has
 * no offset index (hyparquet decodes such a column whole for any range).
 *
 * An event's line is the 1-based row number in the file. Nested columns (a ShareGPT
 * `conversations` list of structs) arrive as arrays of objects, as in JSON.
 */
export function readParquet(file: string, opts: ReadPoolOptions = {}, policy: SlicePolicy = DEFAULT_SLICE_POLICY): AsyncGenerator<ImportEvent> {
  return eachOf(readParquetBatches(file, opts, policy));
}

/** readParquet's events, one batch per decoded span of rows (see event-batches.ts). */
export async function* readParquetBatches(file: string, opts: ReadPoolOptions = {}, policy: SlicePolicy = DEFAULT_SLICE_POLICY): AsyncGenerator<ImportEvent[]> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetScan, parquetSchema, readOffsetIndex } = await loadHyparquet();
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
  const allFlat = topLevel.every((child) => flatColumns.has(child.element.name));
  let scan: ParquetScan | undefined;
  try {
    scan = allFlat ? await parquetScan({ file: buffer, metadata }) : undefined;
  } catch (error) {
    throw new PoolFileError(file, `not a readable Parquet file: ${(error as Error).message}`);
  }
  let sawRow = false;
  let groupStart = 0;
  for (let g = 0; g < groups.length; g++) {
    const shape = shapes[g]!;
    const groupEnd = groupStart + shape.rows;
    const where = { file, group: g, groups: groups.length };
    const rows = scan
      ? rowsByColumnWindows(scan, await pageStarts(buffer, groups[g]!, columns, groupStart, readOffsetIndex, where, groupEnd, policy), columns, groupStart, groupEnd, sliceRows(shape, policy), where)
      : rowsByRowSlices(parquetReadObjects, buffer, metadata, groupStart, groupEnd, sliceRows(shape, policy), where);
    for await (const span of rows) {
      sawRow ||= span.rows.length > 0;
      const events: ImportEvent[] = [];
      try {
        for (let k = 0; k < span.rows.length; k++) {
          const row = span.rows[k];
          const line = span.firstLine + k;
          events.push(isPlainObject(row) ? interpreter.interpret(withoutBigInts(row), line) : { kind: 'error', line, message: 'row is not a record' });
        }
      } catch (error) {
        // A file error found at a row (no detectable format): the rows before it are handed out first, as one at a time.
        if (events.length > 0) yield events;
        throw error;
      }
      yield events;
    }
    groupStart = groupEnd;
  }
  if (!sawRow) throw new PoolFileError(file, 'file is empty (no rows)');
}

type AsyncBuffer = Parameters<Hyparquet['parquetMetadataAsync']>[0];
type FileMetaData = Awaited<ReturnType<Hyparquet['parquetMetadataAsync']>>;
type RowGroup = FileMetaData['row_groups'][number];
type ParquetScan = Awaited<ReturnType<Hyparquet['parquetScan']>>;
/**
 * Rows handed out at once from a column window: enough that per-batch costs vanish (a few
 * promises per batch), few enough that their row objects and events stay a small part of memory.
 */
const ROWS_PER_SPAN = 1024;

/** Consecutive rows of the file, the first numbered `firstLine` (1-based). */
interface RowSpan { firstLine: number; rows: unknown[] }
interface GroupPlace { file: string; group: number; groups: number }

function decodeError(where: GroupPlace, rowStart: number, rowEnd: number, error: unknown, column?: string): PoolFileError {
  const what = column ? `column '${column}' of row group` : 'row group';
  return new PoolFileError(where.file, `${what} ${where.group + 1} of ${where.groups} (rows ${rowStart + 1}-${rowEnd}) cannot be decoded: ${(error as Error).message}`, rowStart + 1);
}

async function pageStarts(buffer: AsyncBuffer, group: RowGroup, columns: string[], groupStart: number, readOffsetIndex: Hyparquet['readOffsetIndex'], where: GroupPlace, groupEnd: number, policy: SlicePolicy): Promise<(readonly number[] | undefined)[]> {
  try {
    const starts = await pageStartsByColumn(buffer, group, columns, groupStart, readOffsetIndex);
    return columns.map((name, c) => windowPageStarts(starts[c], Number(chunkOf(group, name)?.meta_data?.total_uncompressed_size ?? Number.POSITIVE_INFINITY), policy));
  } catch (error) {
    throw decodeError(where, groupStart, groupEnd, new Error(`its offset index cannot be read: ${(error as Error).message}`));
  }
}

function chunkOf(group: RowGroup, column: string): RowGroup['columns'][number] | undefined {
  return group.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
}

/**
 * Each column's page starts (file rows) from its offset index, when the writer wrote one: the
 * column-window reader ends its windows there so no page is decoded twice.
 */
async function pageStartsByColumn(buffer: AsyncBuffer, group: RowGroup, columns: string[], groupStart: number, readOffsetIndex: Hyparquet['readOffsetIndex']): Promise<(number[] | undefined)[]> {
  return Promise.all(columns.map(async (name) => {
    const chunk = chunkOf(group, name);
    if (!chunk?.offset_index_offset || !chunk.offset_index_length) return undefined;
    const start = Number(chunk.offset_index_offset);
    const bytes = await buffer.slice(start, start + chunk.offset_index_length);
    return readOffsetIndex({ view: new DataView(bytes), offset: 0 }).page_locations.map((page) => groupStart + Number(page.first_row_index));
  }));
}

/**
 * Flat columns, each decoded in its own windows of about `rows` rows that end on its page
 * boundaries (a 1 MB page of a short column spans many more rows than one of a long column), and
 * rows zipped out of the windows: every page is decoded once and what is live is one window per
 * column, whatever the row group's size.
 */
async function* rowsByColumnWindows(scan: ParquetScan, pageStarts: (readonly number[] | undefined)[], columns: string[], groupStart: number, groupEnd: number, rows: number, where: GroupPlace): AsyncGenerator<RowSpan> {
  const windows = columns.map(() => ({ start: groupStart, end: groupStart, data: [] as ArrayLike<unknown> }));
  let row = groupStart;
  while (row < groupEnd) {
    for (let c = 0; c < columns.length; c++) {
      if (windows[c]!.end > row) continue;
      const end = columnWindowEnd(pageStarts[c], row, rows, groupEnd);
      try {
        windows[c] = { start: row, end, data: await scan.readColumn({ column: columns[c]!, rowStart: row, rowEnd: end }) };
      } catch (error) {
        throw decodeError(where, row, end, error, columns[c]);
      }
    }
    const upTo = Math.min(...windows.map((w) => w.end));
    while (row < upTo) {
      // Row objects are built a span at a time, not for the whole window: they and their events
      // are what the importer holds at once, beside the decoded columns.
      const spanEnd = Math.min(upTo, row + ROWS_PER_SPAN);
      const span: RowSpan = { firstLine: row + 1, rows: new Array<unknown>(spanEnd - row) };
      for (let k = 0; row < spanEnd; row++, k++) {
        const record: Record<string, unknown> = {};
        for (let c = 0; c < columns.length; c++) record[columns[c]!] = windows[c]!.data[row - windows[c]!.start];
        span.rows[k] = record;
      }
      yield span;
    }
  }
}

/** Row ranges read whole across columns: for a group with a nested column, which hyparquet assembles from several leaf columns. */
async function* rowsByRowSlices(read: Hyparquet['parquetReadObjects'], buffer: AsyncBuffer, metadata: FileMetaData, groupStart: number, groupEnd: number, rows: number, where: GroupPlace): AsyncGenerator<RowSpan> {
  for (let rowStart = groupStart; rowStart < groupEnd; rowStart += rows) {
    const rowEnd = Math.min(groupEnd, rowStart + rows);
    let decoded: unknown[];
    try {
      decoded = await read({ file: buffer, metadata, rowStart, rowEnd, useOffsetIndex: true });
    } catch (error) {
      throw decodeError(where, rowStart, rowEnd, error);
    }
    // Handed out a span at a time like the column windows, so their events are not all built at once.
    for (let k = 0; k < decoded.length; k += ROWS_PER_SPAN) {
      yield { firstLine: rowStart + k + 1, rows: decoded.slice(k, k + ROWS_PER_SPAN) };
    }
  }
}

/** int64 columns decode to BigInt, which JSON (answers, lineage) cannot write; a label or id fits a number. */
function withoutBigInts(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'bigint') row[key] = Number(value);
  }
  return row;
}
