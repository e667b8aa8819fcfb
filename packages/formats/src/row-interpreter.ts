import { applyColumnMapping, type ColumnMapping } from './column-mapping';
import { detectFormatFromFields, SUPPORTED_FORMATS_HELP } from './detect-format';
import { nestingDeeperThan } from './nesting-depth';
import { PoolFileError } from './pool-file-error';
import { MAX_ROW_DEPTH, type ImportEvent, type PoolFormat } from './pool-types';
import { recordFromRow } from './record-from-row';
import { collectRowFields, describeKeys } from './row-fields';
import { RowProblem } from './row-problem';

export interface RowInterpreterOptions {
  format?: PoolFormat | 'auto';
  maxInstructionChars?: number;
  columns?: ColumnMapping;
  onFormatDetected?: (format: PoolFormat, line: number) => void;
}

/**
 * Turns one parsed row (a JSON object, a CSV record or a Parquet row, all as column -> value) into
 * a record or a bad-row event. The format is decided by the first row it sees and kept for the
 * rest of the file, so every reader shares the JSON readers' detection, column mapping and limits.
 */
export class RowInterpreter {
  private format: PoolFormat | undefined;

  constructor(
    private readonly file: string,
    private readonly opts: RowInterpreterOptions = {},
  ) {
    this.format = opts.format === 'auto' ? undefined : opts.format;
    // A mapping names the instruction column, which is the alpaca layout by definition.
    if (this.format === undefined && opts.columns?.instruction !== undefined) this.format = 'alpaca';
  }

  /** `row` must be a plain object; `line` is the line (text formats) or 1-based row (Parquet). */
  interpret(row: Record<string, unknown>, line: number, checkDepth = true): ImportEvent {
    if (checkDepth && nestingDeeperThan(row, MAX_ROW_DEPTH)) {
      return { kind: 'error', line, message: `row nests objects/arrays more than ${MAX_ROW_DEPTH} levels deep` };
    }
    const { columns } = this.opts;
    let record;
    try {
      const detected = collectRowFields(row);
      const fields = columns ? applyColumnMapping(row, detected, columns) : detected;
      if (this.format === undefined) {
        this.format = detectFormatFromFields(fields);
        if (this.format === undefined) {
          const reason = `cannot detect the pool format: the first row has keys ${describeKeys(row)}; ${SUPPORTED_FORMATS_HELP}; or name the columns in the source entry (columns: {instruction: <column>, output: <column>})`;
          throw new PoolFileError(this.file, reason, line);
        }
        this.opts.onFormatDetected?.(this.format, line);
      }
      record = recordFromRow(this.format, fields);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      return { kind: 'error', line, message: error.message };
    }
    const { maxInstructionChars } = this.opts;
    const promptChars = record.instruction.length + record.input.length;
    if (maxInstructionChars !== undefined && promptChars > maxInstructionChars) {
      const what = record.input.length > 0 ? 'instruction and input are' : 'instruction is';
      return { kind: 'error', line, message: `${what} ${promptChars} characters, more than import.maxInstructionChars = ${maxInstructionChars}` };
    }
    return { kind: 'record', line, record };
  }
}
