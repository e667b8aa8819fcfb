import { copyTextValue, type CopyValue } from './copy-text';

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const LETTER_N = 0x4e;
const DIGIT_0 = 0x30;
const MINUS = 0x2d;
/** Room for any integer's digits and sign (safe integers have at most 16 digits). */
const NUMBER_BYTES = 24;

/**
 * A batch of COPY text rows (the bytes `copyTextRow` would give, see copy-text.ts) in one reusable
 * buffer. Building a batch as one JS string (each row concatenated from its values, the batch from
 * its rows, then flattened and encoded for the socket) allocated about 700 bytes per row, and the
 * 5,000-row batch lived long enough to be promoted to V8's old generation, which then filled with
 * dead batches between full collections. Here each value is written where it goes: a plain value
 * allocates nothing, and the buffer is cleared and filled again. Pure: no I/O.
 */
export class CopyRowBuffer {
  private bytes: Buffer;
  private used = 0;
  private rowCount = 0;

  constructor(initialBytes = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  /** Rows appended since the last clear. */
  get count(): number {
    return this.rowCount;
  }

  get byteLength(): number {
    return this.used;
  }

  /** Appends one row, encoded exactly as `copyTextRow(values)` (and refused where it refuses). */
  appendRow(values: readonly CopyValue[]): void {
    const rowStart = this.used;
    try {
      for (let i = 0; i < values.length; i++) {
        if (i > 0) this.putByte(TAB);
        this.putValue(values[i]!);
      }
    } catch (error) {
      this.used = rowStart; // a refused row leaves no half row behind
      throw error;
    }
    this.putByte(NEWLINE);
    this.rowCount++;
  }

  /**
   * The rows appended so far. A view, not a copy: valid until the next clear or append, so the
   * caller must be done with it (the COPY confirmed) before filling the buffer again.
   */
  view(): Buffer {
    return this.bytes.subarray(0, this.used);
  }

  /** Empties the buffer for the next batch, keeping its memory. */
  clear(): void {
    this.used = 0;
    this.rowCount = 0;
  }

  private putValue(value: CopyValue): void {
    if (value === null) {
      this.putByte(BACKSLASH);
      this.putByte(LETTER_N);
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      this.putInteger(value);
    } else {
      // Text (escaped only when it must be) and other numbers: copyTextValue's own string.
      const text = copyTextValue(value);
      // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4).
      this.reserve(text.length * 3);
      this.used += this.bytes.write(text, this.used, 'utf8');
    }
  }

  /** Decimal digits as String(value) writes them, without making the string. */
  private putInteger(value: number): void {
    this.reserve(NUMBER_BYTES);
    if (value < 0) this.bytes[this.used++] = MINUS;
    let rest = Math.abs(value);
    const start = this.used;
    do {
      this.bytes[this.used++] = DIGIT_0 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    for (let low = start, high = this.used - 1; low < high; low++, high--) {
      const digit = this.bytes[low]!;
      this.bytes[low] = this.bytes[high]!;
      this.bytes[high] = digit;
    }
  }

  private putByte(byte: number): void {
    this.reserve(1);
    this.bytes[this.used++] = byte;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > this.bytes.length) this.grow(this.used + bytes);
  }

  private grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}
