import { ANSWERS_CUT_OFF, ITEM_MEMBERS, JUDGE_READY, LEDGER_CLAIM, LEDGER_PROBE, RECORD_REFINED, REFINE_MEMBERS, REFINE_PENDING } from '@tapir/db';
import { defaultStepRegistry } from '../packages/pipeline/src/steps/registry';
import { chunkIds, chunkRange } from '../packages/pipeline/src/item-batches';
import { chunkOf } from '../packages/pipeline/src/job-catalog';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * A campaign on a fresh database grows its tables far faster than autovacuum analyzes them (at
 * zero latency a whole campaign can finish before autovacuum's first pass). On a table never
 * analyzed PostgreSQL guesses 0.5% of rows match any equality; the hot statements must stay index
 * reads under that guess, or each batch reads a whole table and a campaign's cost grows with the
 * square of its size. Autovacuum is off for these tables here, so that they stay unanalyzed.
 */
describe('hot statements on tables not yet analyzed', () => {
  let env: TestEnv;
  let explain: (text: string, values: unknown[]) => Promise<string>;
  beforeAll(async () => {
    env = await createTestEnv();
    const pool = env.pipeline.database.pool;
    for (const table of ['llm_calls', 'items', 'plan_entries']) await pool.query(`alter table ${table} set (autovacuum_enabled = false)`);
    // EXPLAIN without ANALYZE plans a statement and does not run it (nor its inserts).
    explain = async (text, values) => {
      const plan = await pool.query<{ 'QUERY PLAN': string }>({ text: `explain ${text}`, values });
      return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
  });
  afterAll(() => env.close());

  test('the ledger hit lookup (60,000 completed rows) reads the (cache_key, id) index for every batch size', async () => {
    const pool = env.pipeline.database.pool;
    await pool.query(`
      insert into llm_calls (cache_key, campaign_id, role, purpose, provider, model, params, prompt_version, status, response_text)
      select 'k-' || g, 'c1', 'teacher', 'answer', 'openai', 'm', '{}'::jsonb, 'v1', 'completed', repeat('x', 200) from generate_series(1, 60000) g`);

    for (const size of [1, 8, 64]) {
      const keys = Array.from({ length: size }, (_, i) => `k-${i * 911 + 1}`);
      const values = [keys, keys.map(() => 'c2'), keys.map((_, i) => i), keys.map(() => 'teacher'), keys.map(() => 'answer'), keys.map(() => 'openai'), keys.map(() => null), keys.map(() => 'm'), keys.map(() => '{}'), keys.map(() => 'v1')];
      const plan = await explain(LEDGER_PROBE.text, values);
      expect(plan).not.toMatch(/Seq Scan on llm_calls/);
      expect(plan).toMatch(/llm_calls_cache_key_id_idx/);
      // The claim: the completed-twin check and the expired-lease takeover are index reads too.
      const claim = await explain(LEDGER_CLAIM.text, [...values, 'host:1', 30_000]);
      expect(claim).not.toMatch(/Seq Scan on llm_calls/);
    }

    // And the statement still answers from the ledger: a completed key is served, a new one may be sent.
    const served = await pool.query<{ status: string; response_text: string | null }>({
      text: LEDGER_PROBE.text,
      values: [['k-42', 'fresh'], ['c2', 'c2'], [1, 2], ['teacher', 'teacher'], ['answer', 'answer'], ['openai', 'openai'], [null, null], ['m', 'm'], ['{}', '{}'], ['v1', 'v1']],
    });
    expect(served.rows.map((r) => r.status)).toEqual(['served', 'send']);
    expect(served.rows[0]!.response_text).toBe('x'.repeat(200));
  });

  test("the planner's barrier, the refine-pending probe, the refinement record and the chunk statements stay index reads over a 20,000-item round", async () => {
    const pool = env.pipeline.database.pool;
    await pool.query(`
      insert into items (campaign_id, seq, key, instruction, category, status)
      select 'c1', g, 'key-' || g, 'instruction ' || g, 'Math', case when g % 1000 = 0 then 'pending' else 'judged' end
        from generate_series(1, 20000) g`);
    await pool.query(`
      insert into plan_entries (campaign_id, round, item_id, repeat_index, category, stage, position, refine_status)
      select 'c1', 1, id, 0, 'Math', 1 + seq % 3, seq, case when seq % 1000 = 0 then 'pending' else 'done' end from items where campaign_id = 'c1'`);

    const barrier = await explain(defaultStepRegistry.planBarrier.text, ['c1', 1]);
    expect(barrier).not.toMatch(/Seq Scan on items/);
    const pending = await explain(REFINE_PENDING.text, ['c1', 1]);
    expect(pending).not.toMatch(/Seq Scan on plan_entries/);

    const ids = (await pool.query<{ id: number }>(`select id from items where campaign_id = 'c1' and seq % 1000 = 0 order by id limit 8`)).rows.map((r) => r.id);
    for (const batch of [ids.slice(0, 1), ids]) {
      const values = [batch.map(() => 'c1'), batch, batch.map(() => 1), batch.map(() => 'refined'), batch.map(() => 'm'), batch.map(() => 'v1'), batch.map(() => null)];
      const record = await explain(RECORD_REFINED.text, values);
      // The stage index matches (campaign, round) only: it would read the whole round per row.
      expect(record).not.toMatch(/Seq Scan on plan_entries|plan_entries_stage_idx/);
      expect(record).toMatch(/plan_entries_(refine_pending_idx|uq)/);
    }

    // A chunk job's members and its judge probe: a range of 8 ids of the primary key (or of the
    // pending-refinement index), never the campaign's whole (campaign_id, status) range.
    const chunk = chunkOf(ids[0]!);
    const { first, end } = chunkRange(chunk);
    for (const [text, values] of [
      [ITEM_MEMBERS.text, ['c1', chunkIds(chunk)]],
      [JUDGE_READY.text, ['c1', chunkIds(chunk), 1, true]],
      [REFINE_MEMBERS.text, ['c1', 1, first, end]],
    ] as const) {
      const plan = await explain(text, [...values]);
      expect(plan).not.toMatch(/Seq Scan on (items|plan_entries)|items_campaign_status_idx|items_uncategorized_idx|plan_entries_stage_idx/);
      expect(plan).toMatch(/items_pkey|plan_entries_refine_pending_idx/);
    }
  });
  test("the judge's cut-off probe reads one item's answers by index and their ledger rows by primary key", async () => {
    const pool = env.pipeline.database.pool;
    await pool.query(`alter table answers set (autovacuum_enabled = false)`);
    await pool.query(`
      insert into items (campaign_id, seq, key, instruction, category, status)
      select 'c3', g, 'key-' || g, 'instruction ' || g, 'Math', 'judged' from generate_series(1, 10000) g`);
    await pool.query(`
      insert into llm_calls (cache_key, campaign_id, item_id, role, purpose, provider, model, params, prompt_version, status, response_text, finish_reason)
      select 'c3-' || i.id || '-' || k.kind, 'c3', i.id, k.kind, 'answer-' || k.kind, 'openai', 'm', '{}'::jsonb, 'v1', 'completed', 'x', 'stop'
        from items i cross join (values ('teacher'), ('student')) as k(kind) where i.campaign_id = 'c3'`);
    await pool.query(`
      insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
      select 'c3', c.item_id, c.role, case when c.role = 'teacher' then 0 else 1 end, 'x', 'llm', 'm', 'v1', c.id
        from llm_calls c where c.campaign_id = 'c3'`);
    const [item] = (await pool.query<{ id: number }>(`select id from items where campaign_id = 'c3' and seq = 4321`)).rows;
    const plan = await explain(ANSWERS_CUT_OFF.text, [[item!.id], [1]]);
    expect(plan).not.toMatch(/Seq Scan on (answers|llm_calls)/);
    expect(plan).toMatch(/answers_item_kind_round_uq/);
    expect(plan).toMatch(/llm_calls_pkey/);
    // And it answers: the student's answer, marked cut in the ledger, is reported cut; the teacher's is not.
    await pool.query(`update llm_calls set finish_reason = 'length' where campaign_id = 'c3' and item_id = $1 and role = 'student'`, [item!.id]);
    const rows = (await pool.query<{ ord: number; teacher_cut: boolean; student_cut: boolean }>({ text: ANSWERS_CUT_OFF.text, values: [[item!.id], [1]] })).rows;
    expect(rows).toEqual([{ ord: 1, teacher_cut: false, student_cut: true }]);
  });
});
