import { LEDGER_OPEN_SQL } from '@tapir/llm';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * A campaign grows the ledger far faster than autovacuum's ANALYZE follows. On a table not yet
 * analyzed PostgreSQL assumes 0.5% of rows match any equality, so a semi-join of a batch's keys
 * against "completed" rows was planned as a sequential scan of the whole ledger on every batch
 * (quadratic over a campaign). The hit lookup must stay an index read whatever the statistics say.
 */
describe('ledger hit lookup plan', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(() => env.close());

  test('on a ledger never analyzed yet (60,000 completed rows), no batch size scans llm_calls', async () => {
    const pool = env.pipeline.database.pool;
    // A fresh database: autovacuum off for this one table, so that it is never analyzed while
    // the test runs (at zero latency a whole campaign can finish before autovacuum's first pass).
    await pool.query('alter table llm_calls set (autovacuum_enabled = false)');
    await pool.query(`
      insert into llm_calls (cache_key, campaign_id, role, purpose, provider, model, params, prompt_version, status, response_text)
      select 'k-' || g, 'c1', 'teacher', 'answer', 'openai', 'm', '{}'::jsonb, 'v1', 'completed', repeat('x', 200) from generate_series(1, 60000) g`);

    for (const size of [1, 8, 64]) {
      const keys = Array.from({ length: size }, (_, i) => `k-${i * 911 + 1}`);
      const values = [
        keys,
        keys.map(() => 'c2'),
        keys.map((_, i) => i),
        keys.map(() => 'teacher'),
        keys.map(() => 'answer'),
        keys.map(() => 'openai'),
        keys.map(() => null),
        keys.map(() => 'm'),
        keys.map(() => '{}'),
        keys.map(() => 'v1'),
      ];
      // EXPLAIN without ANALYZE plans the statement and does not run its insert.
      const plan = await pool.query<{ 'QUERY PLAN': string }>({ text: `explain ${LEDGER_OPEN_SQL}`, values });
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).not.toMatch(/Seq Scan on llm_calls/);
      expect(text).toMatch(/llm_calls_cache_key_id_idx/);
    }

    // And the statement still answers from the ledger: a completed key is served, a new one opened.
    const served = await pool.query<{ status: string; response_text: string | null }>({
      text: LEDGER_OPEN_SQL,
      values: [['k-42', 'fresh'], ['c2', 'c2'], [1, 2], ['teacher', 'teacher'], ['answer', 'answer'], ['openai', 'openai'], [null, null], ['m', 'm'], ['{}', '{}'], ['v1', 'v1']],
    });
    expect(served.rows.map((r) => r.status)).toEqual(['served', 'pending']);
    expect(served.rows[0]!.response_text).toBe('x'.repeat(200));
  });
});
