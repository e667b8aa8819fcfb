/**
 * One JSONL line or JSON array element, not yet parsed, with the line it starts on. `problem` is
 * set instead of `text` when the layout itself is broken at that spot (e.g. an empty element) or
 * the row was too large to keep.
 */
export type RawRecord = { line: number; text: string } | { line: number; problem: string };

/** Cuts decoded text into raw records; text may arrive in arbitrary pieces. */
export interface RecordSplitter {
  push(text: string): RawRecord[];
  /** Called once at end of input; throws PoolFileError if the input stopped mid-structure. */
  end(): RawRecord[];
}

export function rowTooLargeProblem(kind: 'line' | 'array element', maxRowBytes: number): string {
  return `${kind} is larger than the ${formatSize(maxRowBytes)} limit (import.maxRowBytes = ${maxRowBytes}); skipped without reading it whole`;
}

function formatSize(bytes: number): string {
  const mebi = bytes / (1024 * 1024);
  return mebi >= 1 ? `${Number.isInteger(mebi) ? mebi : mebi.toFixed(1)} MiB` : `${bytes}-byte`;
}

/**
 * UTF-8 size of a string, counted only when it could matter: a UTF-16 code unit is 1 to 3 UTF-8
 * bytes, so text of at most limit/3 units is under the limit without counting, and text of more
 * than `limit` units is over it. Keeps the common short row free of a second pass.
 */
export function exceedsBytes(text: string, limit: number): boolean {
  if (text.length * 3 <= limit) return false;
  if (text.length > limit) return true;
  return Buffer.byteLength(text, 'utf8') > limit;
}
