/**
 * One JSONL line or JSON array element, not yet parsed, with the line it starts on. `problem` is
 * set instead of `text` when the layout itself is broken at that spot (e.g. an empty element).
 */
export type RawRecord = { line: number; text: string } | { line: number; problem: string };

/** Cuts decoded text into raw records; text may arrive in arbitrary pieces. */
export interface RecordSplitter {
  push(text: string): RawRecord[];
  /** Called once at end of input; throws PoolFileError if the input stopped mid-structure. */
  end(): RawRecord[];
}

export function capExceededReason(kind: 'line' | 'array element', cap: number): string {
  return `${kind} is larger than the ${formatSize(cap)} cap (maxRecordChars = ${cap})`;
}

function formatSize(chars: number): string {
  const mebi = chars / (1024 * 1024);
  return mebi >= 1 ? `${Number.isInteger(mebi) ? mebi : mebi.toFixed(1)} MiB` : `${chars}-character`;
}
