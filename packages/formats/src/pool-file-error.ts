/**
 * A problem with the whole file (missing, binary, truncated, undecodable...), as opposed to a bad
 * row, which is reported as an `error` event while reading carries on.
 */
export class PoolFileError extends Error {
  readonly file: string;
  readonly line?: number;
  /** The problem without the file/line prefix, for callers that print location themselves. */
  readonly reason: string;

  constructor(file: string, reason: string, line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'PoolFileError';
    this.file = file;
    this.reason = reason;
    if (line !== undefined) this.line = line;
  }
}
