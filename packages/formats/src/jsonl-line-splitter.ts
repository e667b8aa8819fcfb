import { PoolFileError } from './pool-file-error';
import { capExceededReason, type RawRecord, type RecordSplitter } from './raw-record';

/**
 * Splits JSONL text into lines by hand rather than with readline: measured ~35% faster on a
 * 1M-line file (0.9 s vs 1.46 s including JSON.parse), and readline decodes with a lenient
 * decoder, which would hide invalid UTF-8. Blank lines are skipped; CRLF is accepted.
 */
export class JsonlLineSplitter implements RecordSplitter {
  // A line spread over several chunks is kept as pieces and joined once: appending to one
  // string and searching it again would be quadratic for a 50 MB line.
  private pieces: string[] = [];
  private pendingChars = 0;

  /** `line`: where the text given to the first push() starts. */
  constructor(
    private readonly file: string,
    private readonly maxRecordChars: number,
    private line = 1,
  ) {}

  push(text: string): RawRecord[] {
    const out: RawRecord[] = [];
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      let lineText = text.slice(start, newline);
      if (this.pieces.length > 0) {
        this.pieces.push(lineText);
        lineText = this.pieces.join('');
        this.pieces = [];
        this.pendingChars = 0;
      }
      this.emit(lineText, out);
      this.line++;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      this.pendingChars += text.length - start;
      if (this.pendingChars > this.maxRecordChars) {
        throw new PoolFileError(this.file, capExceededReason('line', this.maxRecordChars), this.line);
      }
      this.pieces.push(start === 0 ? text : text.slice(start));
    }
    return out;
  }

  end(): RawRecord[] {
    const out: RawRecord[] = [];
    if (this.pieces.length > 0) this.emit(this.pieces.join(''), out);
    this.pieces = [];
    return out;
  }

  private emit(lineText: string, out: RawRecord[]): void {
    if (lineText.length > this.maxRecordChars) {
      throw new PoolFileError(this.file, capExceededReason('line', this.maxRecordChars), this.line);
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
