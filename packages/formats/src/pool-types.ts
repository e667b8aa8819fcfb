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
}

export type ImportEvent =
  | { kind: 'record'; line: number; record: PoolRecord }
  | { kind: 'error'; line: number; message: string };

export interface ReadPoolOptions {
  /** Default 'auto': decided by the keys of the first JSON object in the file. */
  format?: PoolFormat | 'auto';
  /**
   * Largest single JSONL line or JSON array element, in characters (UTF-16 code units, which is
   * bytes for ASCII text). Default 64 Mi. Guards memory against a file that is one giant line.
   */
  maxRecordChars?: number;
  /** Told which format auto-detection chose, once, before that row's event; e.g. for a CLI log line. */
  onFormatDetected?: (format: PoolFormat, line: number) => void;
  /** Read size. Small values exist so tests can split records across reads. */
  chunkBytes?: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;
/**
 * Measured on a 1M-line, 246 MB JSONL: 64 KiB reads gave 550k rows/s at 80 MB peak RSS, 1 MiB
 * reads 485k rows/s at 165 MB. Large reads decode into large strings that V8 keeps outside the
 * heap until a full GC, so bigger is not faster here.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
