import { eachOf } from './event-batches';
import { fileKindOf, readHead } from './file-kind';
import { JsonArraySplitter } from './json-array-splitter';
import { JsonlLineSplitter } from './jsonl-line-splitter';
import { PoolFileError } from './pool-file-error';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_ROW_BYTES, type ImportEvent, type ReadPoolOptions } from './pool-types';
import type { RawRecord, RecordSplitter } from './raw-record';
import { readDelimited } from './read-delimited';
import { readParquetBatches } from './read-parquet';
import { readTextChunks } from './read-text-chunks';
import { isPlainObject, typeName } from './row-problem';
import { RowInterpreter } from './row-interpreter';

/**
 * Streams a pool file as records and per-row errors, in file order, with bounded memory. The
 * storage is told by magic bytes and name (file-kind.ts): JSONL or a JSON array of objects, CSV,
 * TSV (each possibly gzip-compressed) or Parquet. Whole-file problems throw PoolFileError from
 * the iteration.
 */
export function readPool(file: string, opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent> {
  return eachOf(readPoolBatches(file, opts));
}

/** readPool's events in batches (a read chunk, a Parquet column window; see event-batches.ts), same order. */
export async function* readPoolBatches(file: string, opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent[]> {
  let head: Buffer;
  try {
    head = await readHead(file, 4);
  } catch {
    // readTextChunks names what is wrong (missing, a directory, unreadable).
    head = Buffer.alloc(0);
  }
  const kind = fileKindOf(file, head);
  if (kind === 'parquet') yield* readParquetBatches(file, opts);
  else if (kind === 'csv' || kind === 'tsv') yield* oneByOne(readDelimited(file, kind === 'csv' ? ',' : '\t', opts));
  else yield* readJson(file, opts);
}

/** csv-parse hands out one record at a time; batching it would only add a copy. */
async function* oneByOne(events: AsyncIterable<ImportEvent>): AsyncGenerator<ImportEvent[]> {
  for await (const event of events) yield [event];
}

/**
 * JSONL, or a JSON array of objects, holding one read chunk (64 KiB) and its records in memory at
 * a time; one batch per chunk.
 */
async function* readJson(file: string, opts: ReadPoolOptions): AsyncGenerator<ImportEvent[]> {
  const maxRowBytes = opts.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const interpreter = new RowInterpreter(file, opts);
  let splitter: RecordSplitter | undefined;
  let sawRecord = false;

  function eventOf(raw: RawRecord): ImportEvent {
    if ('problem' in raw) return { kind: 'error', line: raw.line, message: raw.problem };
    let row: unknown;
    try {
      row = JSON.parse(raw.text);
    } catch (error) {
      return { kind: 'error', line: raw.line, message: `not valid JSON: ${(error as Error).message}` };
    }
    if (!isPlainObject(row)) return { kind: 'error', line: raw.line, message: `row is not a JSON object (got ${typeName(row)})` };
    return interpreter.interpret(row, raw.line);
  }

  function* eventsOf(raws: RawRecord[]): Generator<ImportEvent[]> {
    if (raws.length === 0) return;
    sawRecord = true;
    const events: ImportEvent[] = [];
    try {
      for (const raw of raws) events.push(eventOf(raw));
    } catch (error) {
      // A file error found at a row (no detectable format): the rows before it are handed out first, as one at a time.
      if (events.length > 0) yield events;
      throw error;
    }
    yield events;
  }

  let textStartLine = 1;
  for await (const text of readTextChunks(file, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES)) {
    if (!splitter) {
      const layout = detectLayout(file, text, textStartLine);
      if (layout === undefined) {
        textStartLine += countNewlines(text); // only whitespace so far
        continue;
      }
      splitter =
        layout === 'json-array'
          ? new JsonArraySplitter(file, maxRowBytes, textStartLine)
          : new JsonlLineSplitter(maxRowBytes, textStartLine);
    }
    yield* eventsOf(splitter.push(text));
  }
  if (!splitter) throw new PoolFileError(file, textStartLine === 1 ? 'file is empty' : 'file is empty (only whitespace)');
  yield* eventsOf(splitter.end());
  if (!sawRecord) throw new PoolFileError(file, 'file is empty (no rows)');
}

type Layout = 'jsonl' | 'json-array';

/** Decided by the first non-whitespace character; undefined while there is only whitespace. */
function detectLayout(file: string, text: string, lineOfTextStart: number): Layout | undefined {
  const match = /\S/.exec(text);
  if (!match) return undefined;
  const first = match[0];
  if (first === '[') return 'json-array';
  if (first === '{') {
    if (/^\{[ \t]*\r?\n/.test(text.slice(match.index))) {
      const line = lineOfTextStart + countNewlines(text.slice(0, match.index));
      throw new PoolFileError(file, "looks like a pretty-printed JSON object, not JSONL or a JSON array of records", line);
    }
    return 'jsonl';
  }
  const line = lineOfTextStart + countNewlines(text.slice(0, match.index));
  throw new PoolFileError(
    file,
    `not JSONL or a JSON array: starts with ${JSON.stringify(first)}; expected '{' (JSONL) or '[' (JSON array)`,
    line,
  );
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
