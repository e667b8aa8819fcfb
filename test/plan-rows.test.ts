import { parseCampaignConfig } from '@tapir/core';
import { loadRatedItems, type RatedItem } from '../packages/pipeline/src/planner/plan-items';
import { insertPlanRows, type PlannedEntry } from '../packages/pipeline/src/planner/plan-rows';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

/**
 * The planner's reads and writes at the sizes where their shape matters: the rated pool comes
 * through a cursor a page at a time, and the plan goes out as column arrays a chunk at a time.
 * Both must carry every value exactly as a row-at-a-time path would, across page and chunk edges.
 */
describe("the planner's paged reads and column writes", () => {
  let env: TestEnv;
  let itemIds: number[];
  const N = 12_345; // more than one cursor page (10,000) and two insert chunks (5,000)
  beforeAll(async () => {
    env = await createTestEnv();
    const pool = env.pipeline.database.pool;
    await pool.query(`
      insert into items (campaign_id, seq, key, instruction, category, status, origin)
      select 'c1', g, 'key-' || g, 'instruction ' || g,
             case when g % 7 = 0 then null else 'Math' end,
             case when g % 11 = 0 then 'pending' else 'judged' end,
             case when g % 13 = 0 then 'expanded' else 'seed' end
        from generate_series(1, ${N}) g`);
    // Another campaign's judged items must not leak into c1's pool.
    await pool.query(`insert into items (campaign_id, seq, key, instruction, status) select 'c2', g, 'key-' || g, 'x', 'judged' from generate_series(1, 50) g`);
    await pool.query(`
      insert into judgments (campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version)
      select 'c1', id, 1, 8, 8 - (seq % 9) * 0.5, (seq % 9) * 0.5, '{}', 'j', 'v' from items where campaign_id = 'c1' and seq % 17 <> 0`);
    await pool.query(`
      insert into ifd_scores (campaign_id, item_id, round, ifd, conditioned_nll, unconditioned_nll, answer_tokens, student_model)
      select 'c1', id, 1, (seq % 5) * 0.25, 1, 1, 10, 'm' from items where campaign_id = 'c1' and seq % 3 = 0`);
    itemIds = (await pool.query<{ id: number }>(`select id from items where campaign_id = 'c1' order by id`)).rows.map((r) => r.id);
  });
  afterAll(() => env.close());

  test('loadRatedItems reads every judged item of the campaign once, in id order, with its signals', async () => {
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'plan-rows.yaml');
    const pool = await env.pipeline.services.db.transaction((tx) => loadRatedItems(tx, 'c1', 1, config));

    const judgedSeqs = Array.from({ length: N }, (_, k) => k + 1).filter((g) => g % 11 !== 0);
    expect(pool.measured).toBe(judgedSeqs.length);
    const withMfd = judgedSeqs.filter((g) => g % 17 !== 0);
    expect(pool.rated.map((r) => r.itemId)).toEqual(withMfd.map((g) => itemIds[g - 1]));
    expect(Object.values(pool.unusable).reduce((a, b) => a + b, 0)).toBe(judgedSeqs.length - withMfd.length);

    for (const [k, g] of withMfd.entries()) {
      const item = pool.rated[k]!;
      expect(item.category).toBe(g % 7 === 0 ? 'Others' : 'Math');
      expect(item.expanded).toBe(g % 13 === 0);
      expect(item.mfd).toBe((g % 9) * 0.5);
      expect(item.ifd).toBe(g % 3 === 0 ? (g % 5) * 0.25 : null);
      expect(item.difficulty).toBe(item.mfd);
      expect(item.hard).toBe(item.mfd! >= config.selection.delta);
    }
  });

  test('insertPlanRows writes every column of every row across chunks, and a second run adds nothing', async () => {
    const categories = ['Math', `O'Brien, "quoted" {braced}`, 'back\\slash', '数学', 'Others'];
    const staged = itemIds.map((itemId, k) => {
      const item: RatedItem = {
        itemId,
        category: categories[k % categories.length]!,
        expanded: false,
        synthesized: false,
        mfd: k % 10 === 0 ? null : k / 8,
        ifd: k % 4 === 0 ? null : 0.1 + k / 1000,
        hard: k % 2 === 0,
        difficulty: k % 10 === 0 ? 0 : k / 8,
      };
      const entry: PlannedEntry = { item, category: item.category, repeatIndex: k % 3 };
      return entry;
    });
    // Four stages of uneven sizes, the first longer than one insert chunk.
    const bounds = [0, 6_001, 6_002, 9_000, staged.length];
    const stages = bounds.slice(1).map((end, s) => staged.slice(bounds[s], end));
    const db = env.pipeline.services.db;
    await db.transaction((tx) => insertPlanRows(tx, 'c1', 1, stages));
    await db.transaction((tx) => insertPlanRows(tx, 'c1', 1, stages));

    const rows = (
      await env.pipeline.database.pool.query<{
        item_id: number; repeat_index: number; category: string; mfd: number | null; ifd: number | null; difficulty: number; hard: boolean; stage: number; position: number;
      }>(`select item_id, repeat_index, category, mfd, ifd, difficulty, hard, stage, position from plan_entries where campaign_id = 'c1' and round = 1 order by stage, position`)
    ).rows;
    expect(rows).toHaveLength(staged.length);
    const placed = stages.flatMap((list, s) => list.map((entry, position) => ({ entry, stage: s + 1, position })));
    rows.forEach((row, k) => {
      const { entry, stage, position } = placed[k]!;
      expect(row.item_id).toBe(entry.item.itemId);
      expect(row.repeat_index).toBe(entry.repeatIndex);
      expect(row.category).toBe(entry.category);
      // real columns hold float4: compare at its precision
      if (entry.item.mfd === null) expect(row.mfd).toBeNull();
      else expect(row.mfd).toBeCloseTo(entry.item.mfd, 3);
      if (entry.item.ifd === null) expect(row.ifd).toBeNull();
      else expect(row.ifd).toBeCloseTo(entry.item.ifd, 5);
      expect(row.difficulty).toBeCloseTo(entry.item.difficulty, 3);
      expect(row.hard).toBe(entry.item.hard);
      expect(row.stage).toBe(stage);
      expect(row.position).toBe(position);
    });
  });
});
