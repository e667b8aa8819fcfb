import * as db from '@tapir/db';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * Every typed statement of @tapir/db (packages/db/src/statements/) is prepared against the
 * migrated schema: PostgreSQL parses and analyzes it without running it, so a column renamed in
 * the schema (and its migration) fails here for every statement still naming the old one, as a
 * renamed property fails tsc in the statements' typed parameters and rows.
 */
describe('typed statements', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(() => env.close());

  const statements = Object.entries(db).filter(
    (entry): entry is [string, { text: string }] =>
      typeof entry[1] === 'object' && entry[1] !== null && typeof (entry[1] as { text?: unknown }).text === 'string' && /^[A-Z_]+$/.test(entry[0]),
  );

  test('there are statements for every hot table', () => {
    const texts = statements.map(([, s]) => s.text).join('\n');
    for (const table of ['items', 'answers', 'judgments', 'ifd_scores', 'plan_entries', 'expansions', 'llm_calls']) expect(texts).toMatch(new RegExp(`\\b${table}\\b`));
    expect(statements.length).toBeGreaterThanOrEqual(18);
  });

  test('each one parses and names only columns the migrated schema has', async () => {
    const client = await env.pipeline.database.pool.connect();
    try {
      for (const [name, statement] of statements) {
        await expect(client.query(`prepare check_${name.toLowerCase()} as ${statement.text}`).then(() => name)).resolves.toBe(name);
        await client.query(`deallocate check_${name.toLowerCase()}`);
      }
    } finally {
      client.release();
    }
  });
});
