import { is, Table } from 'drizzle-orm';
import { getTableConfig, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../src/schema';

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, Table));
const dialect = new PgDialect();

/**
 * A status-like column is typed by its value list (a misspelled literal fails tsc) and guarded
 * by a CHECK on the same list (a misspelled literal in hand-written SQL fails in PostgreSQL).
 * This ties the two: a column given an enum without its CHECK, or the other way round, fails.
 */
describe('status columns', () => {
  const enumColumns = tables.flatMap((table) => {
    const config = getTableConfig(table);
    return config.columns
      .filter((c) => (c.enumValues?.length ?? 0) > 0)
      .map((c) => ({ table: config.name, column: c.name, values: c.enumValues!, checks: config.checks }));
  });

  test('the status-like columns are the ones expected', () => {
    expect(enumColumns.map((c) => `${c.table}.${c.column}`).sort()).toEqual([
      'answers.kind',
      'answers.source',
      'campaigns.status',
      'expansions.status',
      'items.category_source',
      'items.clean_verdict',
      'items.origin',
      'items.status',
      'llm_calls.status',
      'plan_entries.refine_status',
      'syntheses.status',
    ]);
  });

  test.each(enumColumns.map((c) => [`${c.table}.${c.column}`, c] as const))('%s has a CHECK on exactly its values', (_name, c) => {
    const check = c.checks.find((k) => k.name === `${c.table}_${c.column}_check`);
    expect(check).toBeDefined();
    const text = dialect.sqlToQuery(check!.value).sql;
    expect(text).toBe(`"${c.table}"."${c.column}" in (${c.values.map((v) => `'${v}'`).join(', ')})`);
  });
});
