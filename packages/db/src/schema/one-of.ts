import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * The CHECK condition "this text column holds one of these values". The values are the code's
 * own constants (the same lists that type the column), so the database refuses exactly what
 * `tsc` refuses, including from hand-written SQL. A null passes, as CHECK lets unknowns through.
 */
export function oneOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;
}
