import { detectFormatFromFields, SUPPORTED_FORMATS_HELP } from './detect-format';
import { JsonArraySplitter } from './json-array-splitter';
import { JsonlLineSplitter } from './jsonl-line-splitter';
import { PoolFileError } from './pool-file-error';
import {
  DEFAULT_CHUNK_BYTES,
  DEFAULT_MAX_ROW_BYTES,
  MAX_ROW_DEPTH,
  type ImportEvent,
  type PoolFormat,
  type ReadPoolOptions,
} from './pool-types';
import type { RawRecord, RecordSplitter } from './raw-record';
import { readTextChunks } from './read-text-chunks';
import { recordFromRow } from './record-from-row';
import { collectRowFields, describeKeys } from './row-fields';
import { isPlainObject, RowProblem, typeName } from './row-problem';
import { nestingDeeperThan } from './nesting-depth';

/**
 * Streams a pool file (JSONL, or a JSON array of objects) as records and per-row errors, in file
 * order, holding one read chunk (64 KiB) and its records in memory at a time. Whole-file problems throw
 * PoolFileError from the iteration.
 */
export async function* readPool(file: string, opts: ReadPoolOptions = {}): AsyncGenerator<ImportEvent> {
  const maxRowBytes = opts.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const { maxInstructionChars } = opts;
  let format: PoolFormat | undefined = opts.format === 'auto' ? undefined : opts.format;
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
      if (nestingDeeperThan(row, MAX_ROW_DEPTH)) {
        yield { kind: 'error', line: raw.line, message: `row nests objects/arrays more than ${MAX_ROW_DEPTH} levels deep` };
        continue;
      }
      const fields = collectRowFields(row);
      if (format === undefined) {
        format = detectFormatFromFields(fields);
        if (format === undefined) {
          const reason = `cannot detect the pool format: the first object has keys ${describeKeys(row)}; ${SUPPORTED_FORMATS_HELP}`;
          throw new PoolFileError(file, reason, raw.line);
        }
        opts.onFormatDetected?.(format, raw.line);
      }
      let record;
      try {
        record = recordFromRow(format, fields);
      } catch (error) {
        if (!(error instanceof RowProblem)) throw error;
        yield { kind: 'error', line: raw.line, message: error.message };
        continue;
      }
      const promptChars = record.instruction.length + record.input.length;
      if (maxInstructionChars !== undefined && promptChars > maxInstructionChars) {
        const what = record.input.length > 0 ? 'instruction and input are' : 'instruction is';
        yield { kind: 'error', line: raw.line, message: `${what} ${promptChars} characters, more than import.maxInstructionChars = ${maxInstructionChars}` };
        continue;
      }
      yield { kind: 'record', line: raw.line, record };
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
