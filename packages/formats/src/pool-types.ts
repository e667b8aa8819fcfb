import type { ColumnMapping } from './column-mapping';

/** Record layouts a pool file can use; the file layout (JSONL or JSON array) is detected separately. */
export type PoolFormat = 'alpaca' | 'sharegpt' | 'openai';

export const POOL_FORMATS: readonly PoolFormat[] = ['alpaca', 'sharegpt', 'openai'];

export interface PoolRecord {
  /** Non-empty after trim. */
  instruction: string;
  /** '' when the row has none; chat formats always give ''. */
  input: string;
  /** The row's own answer: alpaca `output`, or the first assistant turn after the instruction. */
  output?: string;
  /** Raw label; checking it against the taxonomy is the caller's job. */
  category?: string;
  teacherAnswer?: string;
  studentAnswer?: string;
  /** The system prompt (ShareGPT `system` turn or field, OpenAI role system, alpaca `system` column); absent when blank. */
  system?: string;
  /** User turns after the first exchange, in order; absent for a single exchange. */
  followUps?: string[];
}

export type ImportEvent =
  | { kind: 'record'; line: number; record: PoolRecord }
  | { kind: 'error'; line: number; message: string };

export interface ReadPoolOptions {
  /** Default 'auto': decided by the keys of the first JSON object in the file. */
  format?: PoolFormat | 'auto';
  /**
   * Largest single JSONL line or JSON array element, in UTF-8 bytes. Default 8 MiB. A larger row
   * is a bad row, and reading it holds at most this much: a file that is one 1 GB line costs
   * 8 MiB of memory, not 1 GB.
   */
  maxRowBytes?: number;
  /** Longest instruction plus input, in characters; a longer row is a bad row. Default: no limit. */
  maxInstructionChars?: number;
  /** Told which format auto-detection chose, once, before that row's event; e.g. for a CLI log line. */
  onFormatDetected?: (format: PoolFormat, line: number) => void;
  /** The file's columns for tapir's fields, for layouts the detector cannot guess (a source entry's `columns:`). */
  columns?: ColumnMapping;
  /** Read size. Small values exist so tests can split records across reads. */
  chunkBytes?: number;
}

/** Rows of real instruction sets are kilobytes; a multi-turn ShareGPT conversation can reach a few hundred. */
export { DEFAULT_MAX_ROW_BYTES } from '@tapir/core';
/**
 * Deepest nesting of objects and arrays in a row. Real rows nest 3 deep (messages, parts, part);
 * a row 100,000 deep is an attack on whatever walks it recursively later (JSON.stringify, the
 * driver), so it is refused at the door.
 */
export const MAX_ROW_DEPTH = 64;
/**
 * Measured on a 1M-line, 246 MB JSONL: 64 KiB reads gave 550k rows/s at 80 MB peak RSS, 1 MiB
 * reads 485k rows/s at 165 MB. Large reads decode into large strings that V8 keeps outside the
 * heap until a full GC, so bigger is not faster here.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
