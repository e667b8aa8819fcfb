/**
 * PostgreSQL's COPY text format: columns separated by tabs, rows by newlines, NULL as `\N`, and
 * backslash, tab, newline and carriage return escaped inside values.
 * https://www.postgresql.org/docs/current/sql-copy.html#SQL-COPY-FILE-FORMATS-TEXT
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export type CopyValue = string | number | null;

export function copyTextValue(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`COPY: ${value} is not a finite number`);
    return String(value);
  }
  // PostgreSQL text cannot hold U+0000 at all; callers refuse such rows with their line first.
  if (value.includes('\u0000')) throw new Error('COPY: text contains U+0000, which PostgreSQL cannot store');
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

/** One row, newline-terminated. */
export function copyTextRow(values: readonly CopyValue[]): string {
  let row = '';
  for (let i = 0; i < values.length; i++) row += (i === 0 ? '' : '\t') + copyTextValue(values[i]!);
  return row + '\n';
}
