import type { PoolRecord } from '@tapir/formats';

export interface HeldRow {
  line: number;
  record: PoolRecord;
}

/**
 * The rows of `tapir clean`'s first pass, held for the second so that a pool that fits is parsed
 * once (parsing was a fifth of cleaning's CPU). Whole files or nothing: a file whose rows outgrow
 * the budget is let go and read again, so memory stays bounded whatever the pool's size.
 */
export class HeldRows {
  private readonly files: (HeldRow[] | null)[] = [];
  private fileBytes = 0;
  private used = 0;

  constructor(readonly budgetBytes: number) {}

  startFile(): void {
    this.used += this.fileBytes;
    this.fileBytes = 0;
    this.files.push([]);
  }

  hold(line: number, record: PoolRecord): void {
    const last = this.files.length - 1;
    const rows = this.files[last];
    if (!rows) return;
    this.fileBytes += estimatedBytes(record);
    if (this.used + this.fileBytes > this.budgetBytes) {
      this.files[last] = null;
      this.fileBytes = 0;
      return;
    }
    rows.push({ line, record });
  }

  /** The file's rows in order, or null when it has to be read again. Lets them go. */
  take(file: number): HeldRow[] | null {
    const rows = this.files[file] ?? null;
    this.files[file] = null;
    return rows;
  }
}

/** What V8 spends on a row: one byte a character for Latin-1 strings, two otherwise, plus objects. */
const ROW_OVERHEAD_BYTES = 96;
const STRING_OVERHEAD_BYTES = 16;
const LATIN1 = /^[\x00-\xff]*$/;

function estimatedBytes(record: PoolRecord): number {
  let bytes = ROW_OVERHEAD_BYTES;
  for (const value of Object.values(record)) {
    if (typeof value === 'string') bytes += stringBytes(value);
    else if (Array.isArray(value)) for (const v of value as unknown[]) if (typeof v === 'string') bytes += stringBytes(v);
  }
  return bytes;
}

function stringBytes(text: string): number {
  return STRING_OVERHEAD_BYTES + (LATIN1.test(text) ? text.length : 2 * text.length);
}
