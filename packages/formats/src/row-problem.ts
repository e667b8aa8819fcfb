/**
 * A row that cannot become a record. Thrown inside record extraction and turned into an `error`
 * event by the reader; bad rows are rare, so throwing keeps the extraction code straight-line.
 */
export class RowProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowProblem';
  }
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function mustBeString(label: string, value: unknown): string {
  if (typeof value !== 'string') throw new RowProblem(`${label} must be a string, got ${typeName(value)}`);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
