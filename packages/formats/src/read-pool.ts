import { fileKindOf, readHead } from './file-kind';
import { JsonArraySplitter } from './json-array-splitter';
import { JsonlLineSplitter } from './jsonl-line-splitter';
import { PoolFileError } from './pool-file-error';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_ROW_BYTES, type ImportEvent, type ReadPoolOptions } from './pool-types';
import type { RawRecord, RecordSplitter } from './raw-record';
import { readDelimited } from './read-delimited';
import { readParquet } from './read-parquet';
import { readTextChunks } from './read-text-chunks';
import { isPlainObject, typeName } from './row-problem';
import { RowInterpreter } from './row-interpreter';

/**
 * Streams a pool file as records and per-row errors, in file order, with bounded memory. The
 * storage is told by magic bytes and name (file-kind.ts): JSONL or a JSON array of objects, CSV,
 * TSV (each possibly gzip-compressed) or Parquet. Whole-file problems throw PoolFileError from
 * the iteration.
 */
export async function* readPool(file: string, opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent> {
  let head: Buffer;
  try {
    head = await readHead(file, 4);
  } catch {
    // readTextChunks names what is wrong (missing, a directory, unreadable).
    head = Buffer.alloc(0);
  }
  const kind = fileKindOf(file, head);
  if (kind === 'parquet') yield* readParquet(file, opts);
  else if (kind === 'csv' || kind === 'tsv') yield* readDelimited(file, kind === 'csv' ? ',' : '\t', opts);
  else yield* readJson(file, opts);
}

/**
 * JSONL, or a JSON array of objects, holding one read chunk (64 KiB) and its records in memory at
 * a time.
 */
async function* readJson(file: string, opts: ReadPoolOptions): AsyncGenerator<ImportEvent> {
  const maxRowBytes = opts.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const interpreter = new RowInterpreter(file, opts);
  let splitter: RecordSplitter | undefined;
  let sawRecord = false;

  function* eventsOf(raws: RawRecord[]): Generator<ImportEvent> {
    for (const raw of raws) {
      sawRecord = true;
      if ('problem' in raw) {
        yield { kind: 'error', line: raw.line, message: raw.problem };
        continue;
      }
      let row: unknown;
      try {
        row = JSON.parse(raw.text);
      } catch (error) {
        yield { kind: 'error', line: raw.line, message: `not valid JSON: ${(error as Error).message}` };
        continue;
      }
      if (!isPlainObject(row)) {
        yield { kind: 'error', line: raw.line, message: `row is not a JSON object (got ${typeName(row)})` };
        continue;
      }
      yield interpreter.interpret(row, raw.line);
    }
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
