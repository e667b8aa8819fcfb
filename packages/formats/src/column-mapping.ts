import type { FieldName, RowFields } from './row-fields';
import { RowProblem } from './row-problem';

/** Fields a source entry's `columns:` may map; the chat fields are recognised by their own names. */
export const MAPPABLE_FIELDS = ['instruction', 'input', 'output', 'category', 'teacherAnswer', 'studentAnswer'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** `columns: {instruction: prompt, input: context, output: response}`: tapir's field -> the file's column. */
export type ColumnMapping = Partial<Record<MappableField, string>>;

/**
 * Overrides what the alias detector found with the columns the source entry names. A named column
 * wins over an alias spelling of the same field (a file with both `instruction` and `prompt`, mapped
 * to `prompt`, reads `prompt`), and a column mapped to one field is not also read as another.
 * A mapped column missing from the row is a row problem naming both spellings.
 */
export function applyColumnMapping(row: Record<string, unknown>, fields: RowFields, mapping: ColumnMapping): RowFields {
  const mapped: RowFields = { ...fields };
  const mappedColumns = new Set(Object.values(mapping));
  for (const [field, found] of Object.entries(fields) as [FieldName, { key: string }][]) {
    if (mappedColumns.has(found.key)) delete mapped[field];
  }
  for (const [field, column] of Object.entries(mapping) as [MappableField, string][]) {
    if (!Object.prototype.hasOwnProperty.call(row, column)) {
      if (field === 'instruction') throw new RowProblem(`missing column '${column}' (columns.instruction)`);
      delete mapped[field];
      continue;
    }
    mapped[field] = { key: column, value: row[column] };
  }
  return mapped;
}

/** The mapped columns a header lacks, for a whole-file error before any row is read. */
export function missingMappedColumns(header: readonly string[], mapping: ColumnMapping): string[] {
  const present = new Set(header);
  return Object.entries(mapping)
    .filter(([, column]) => !present.has(column))
    .map(([field, column]) => `'${column}' (columns.${field})`);
}
