import { runBatched, runCoalesced, type BatchedStatement, type CoalescedProbe } from '@tapir/db';
import { createTestEnv, type TestEnv } from './support/test-env';

/** Batched statements against the real PostgreSQL: each caller gets its own row, whatever batch it went in. */
describe('runBatched', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(() => env.close());

  const SQUARES: BatchedStatement<[n: number, label: string], { square: number; shout: string; xact: string }> = {
    name: 'test_squares_batch',
    width: 2,
    text: `select q.ord::int as ord, q.n * q.n as square, q.label || '!' as shout, pg_current_xact_id()::text as xact
             from unnest($1::int[], $2::text[]) with ordinality as q(n, label, ord)
            where q.n >= 0`,
  };

  test('200 concurrent callers each get their own row, in fewer round trips than callers; inputs without a row get undefined', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => runBatched(env.pipeline.services.db, SQUARES, [i % 7 === 3 ? -i : i, `n${i}`])),
    );
    results.forEach((row, i) => {
      if (i % 7 === 3) expect(row).toBeUndefined();
      else expect(row).toMatchObject({ square: i * i, shout: `n${i}!` });
    });
    // Each statement is its own transaction: distinct transaction ids count the round trips.
    const statements = new Set(results.filter((r) => r !== undefined).map((r) => (r as { xact: string }).xact)).size;
    expect(statements).toBeGreaterThan(1);
    expect(statements).toBeLessThan(50);
  });

  test('a failing batch rejects its callers with the database error; the next batch works', async () => {
    const bad: BatchedStatement<[n: number], { inverse: number }> = { name: 'test_bad_batch', width: 1, text: `select q.ord::int as ord, 1 / q.n as inverse from unnest($1::int[]) with ordinality as q(n, ord)` };
    await expect(runBatched(env.pipeline.services.db, bad, [0])).rejects.toThrow(/division by zero/);
    await expect(runBatched(env.pipeline.services.db, bad, [1])).resolves.toMatchObject({ inverse: 1 });
  });

  test('a call with the wrong number of values is refused before anything is sent', async () => {
    await expect(runBatched(env.pipeline.services.db, SQUARES, [1] as unknown as [number, string])).rejects.toThrow(/1 value\(s\) for a statement of width 2/);
  });

  test('runCoalesced: concurrent probes of one key share a statement, and each key gets its own answer', async () => {
    const probe: CoalescedProbe<[k: number], { tenfold: number; xact: string }> = { name: 'test_coalesced_probe', text: `select $1::int * 10 as tenfold, pg_current_xact_id()::text as xact` };
    const keys = Array.from({ length: 120 }, (_, i) => i % 3);
    const rows = await Promise.all(keys.map((k) => runCoalesced(env.pipeline.services.db, probe, [k])));
    rows.forEach((row, i) => expect(row?.tenfold).toBe(keys[i]! * 10));
    const statements = new Set(rows.map((r) => r!.xact)).size;
    expect(statements).toBeGreaterThanOrEqual(3);
    expect(statements).toBeLessThan(60);
  });
});
