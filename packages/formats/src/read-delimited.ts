import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { missingMappedColumns } from './column-mapping';
import { PoolFileError } from './pool-file-error';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_ROW_BYTES, type ImportEvent, type ReadPoolOptions } from './pool-types';
import { readTextChunks } from './read-text-chunks';
import { collectRowFields } from './row-fields';
import { RowInterpreter } from './row-interpreter';

/**
 * Streams a CSV or TSV file with a header row (gzip-compressed or not) as records, one parsed
 * record in memory at a time. Quoting follows RFC 4180 (`"a ""b"""`, fields spanning lines) for
 * both: pandas writes TSV that way too. A quote inside an unquoted field is kept as text.
 *
 * Empty cells are "no value" (pandas and HF datasets write null that way), except the instruction,
 * where an empty cell is reported as an empty instruction rather than a missing one.
 * An event's line is the line the record starts on.
 */
export async function* readDelimited(file: string, delimiter: ',' | '\t', opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent> {
  const interpreter = new RowInterpreter(file, opts);
  const parser = Readable.from(readTextChunks(file, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES)).pipe(
    parse({
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      // Characters, not bytes: close enough to keep one runaway quoted field from eating memory.
      max_record_size: opts.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES,
    }),
  );
  let header: string[] | undefined;
  let keepEmpty = new Set<string>();
  let lastRecordEnd = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      let newlinesInside = 0;
      for (const field of record) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) newlinesInside++;
      const line = info.lines - newlinesInside;
      lastRecordEnd = info.lines;
      if (!header) {
        header = record.map((name) => name.trim());
        checkHeader(file, header, opts);
        keepEmpty = instructionColumns(header, opts);
        continue;
      }
      if (record.length !== header.length) {
        yield { kind: 'error', line, message: `has ${record.length} field(s), the header has ${header.length}` };
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let k = 0; k < header.length; k++) {
        const value = record[k]!;
        row[header[k]!] = value === '' && !keepEmpty.has(header[k]!) ? null : value;
      }
      yield interpreter.interpret(row, line, false);
    }
  } catch (error) {
    if (error instanceof PoolFileError) throw error;
    const csvError = error as CsvError & { lines?: number };
    const what = delimiter === ',' ? 'CSV' : 'TSV';
    if (csvError.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse names the last line; the quote opened in the record after the last one read.
      throw new PoolFileError(file, `not valid ${what}: a quoted field opened in the record starting here is never closed`, lastRecordEnd + 1);
    }
    if (typeof csvError.code === 'string' && csvError.code.startsWith('CSV_')) {
      throw new PoolFileError(file, `not valid ${what}: ${csvError.message}`, csvError.lines);
    }
    throw error;
  }
  if (!header) throw new PoolFileError(file, 'file is empty (no header row)');
}

function checkHeader(file: string, header: readonly string[], opts: ReadPoolOptions): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new PoolFileError(file, `header names column '${name}' twice`, 1);
    seen.add(name);
  }
  if (opts.columns) {
    const missing = missingMappedColumns(header, opts.columns);
    if (missing.length > 0) throw new PoolFileError(file, `header has no column ${missing.join(', ')}; it has ${header.map((h) => `'${h}'`).join(', ')}`, 1);
  }
}

/** The columns read as the instruction (mapped, or found by alias), whose empty cells stay ''. */
function instructionColumns(header: readonly string[], opts: ReadPoolOptions): Set<string> {
  const keep = new Set<string>();
  if (opts.columns?.instruction) keep.add(opts.columns.instruction);
  const fields = collectRowFields(Object.fromEntries(header.map((h) => [h, ''])));
  if (fields.instruction) keep.add(fields.instruction.key);
  return keep;
}
