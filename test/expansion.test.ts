import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { filterExpandedInstruction, parseCampaignConfig, RougeLIndex, type PlanSummary } from '@tapir/core';
import { campaignStatus } from '@tapir/pipeline';
import { completeCampaign } from './support/complete-campaign';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';
import { MATH_SEEDS } from './support/math-seeds';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const TARGET = 40;


/**
 * Rebalancing fills a short category by expansion before repetition: the teacher writes new
 * instructions like the category's hard seeds, they pass Lion's filters, go through the whole
 * pipeline, and the category reaches its target with no item repeated.
 */
describe('instruction expansion fills a short category', () => {
  let env: TestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    const sampleRows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
    const categories = JSON.parse(await readFile(SAMPLE.replace(/\.jsonl$/, '.categories.json'), 'utf8')) as Record<string, string>;
    // Writing and history prompts: the simulator's classifier puts none of them under Math.
    const others = sampleRows.filter((_, i) => ['Writing', 'History', 'Literature'].includes(categories[String(i + 1)] ?? '')).slice(0, 34);
    const pool = [...MATH_SEEDS.map((instruction) => JSON.stringify({ instruction })), ...others];
    const file = join(await mkdtemp(join(tmpdir(), 'tapir-expand-')), 'pool.jsonl');
    await writeFile(file, pool.join('\n') + '\n');
    const config = parseCampaignConfig(
      simConfigYaml(
        env.simUrl,
        [
          'taxonomy: { categories: [ { name: Math, weight: 0.5 }, { name: Others, weight: 0.5 } ] }',
          `rebalance: { targetSize: ${TARGET}, maxRepeats: 0 }`,
          'rounds: { count: 1, hardShare: [1] }',
          'expansion: { enabled: true, oversample: 1.5, maxPasses: 3 }',
        ].join('\n'),
      ),
      'expand.yaml',
    );
    campaignId = await completeCampaign(env, config, file, () => env.startWorkers());
  });

  afterAll(async () => {
    await env?.close();
  });

  test('the short category reaches its target by expansion, with no repeats', async () => {
    const status = (await campaignStatus(env.pipeline.services.db, campaignId))!;
    const summary = (await env.pipeline.services.db.$client.query<{ plan_summary: PlanSummary }>(
      'select plan_summary from rounds where campaign_id = $1 and round = 1',
      [campaignId],
    )).rows[0]!.plan_summary;
    expect(summary.quotas.Math).toBe(TARGET / 2);
    expect(summary.mixAfter.Math).toBe(TARGET / 2);
    expect(summary.repeats).toBe(0);
    expect(summary.shortfall).toBe(0);
    expect(summary.plannedExpanded).toBeGreaterThan(0);
    expect(summary.expansion.passes).toBeGreaterThanOrEqual(1);
    expect(status.rounds[0]?.plan?.expanded).toBe(summary.plannedExpanded);
  });

  test('every accepted instruction passes the filters, carries its seed, and went through the pipeline', async () => {
    const db = env.pipeline.services.db.$client;
    const accepted = await db.query<{
      seed_item_id: number;
      item_id: number;
      instruction: string;
      origin: string;
      item_seed: number;
      category: string | null;
      seed_mfd: number;
      teacher: boolean;
      student: boolean;
      judged: boolean;
      clean_verdict: string | null;
      clean_reason: string | null;
    }>(
      `select x.seed_item_id, x.item_id, i.instruction, i.origin, i.seed_item_id as item_seed, i.category, i.clean_verdict, i.clean_reason,
              (select mfd from judgments j where j.item_id = x.seed_item_id and j.round = 1) as seed_mfd,
              exists (select 1 from answers a where a.item_id = i.id and a.kind = 'teacher') as teacher,
              exists (select 1 from answers a where a.item_id = i.id and a.kind = 'student' and a.round = 1) as student,
              exists (select 1 from judgments j where j.item_id = i.id and j.round = 1) as judged
         from expansions x join items i on i.id = x.item_id
        where x.campaign_id = $1 and x.status = 'accepted'`,
      [campaignId],
    );
    expect(accepted.rows.filter((r) => r.clean_verdict !== 'dropped').length).toBeGreaterThan(0);
    const pool = await db.query<{ id: number; instruction: string }>('select id, instruction from items where campaign_id = $1 and origin = $2', [
      campaignId,
      'seed',
    ]);
    const index = new RougeLIndex(pool.rows.map((r) => r.instruction));
    for (const row of accepted.rows) {
      expect(row.origin).toBe('expanded');
      expect(row.item_seed).toBe(row.seed_item_id);
      // Seeds are the hard items of the short category.
      expect(Number(row.seed_mfd)).toBeGreaterThanOrEqual(1);
      expect(filterExpandedInstruction(row.instruction, index, { minWords: 4, maxRougeL: 0.7 })).toEqual({ ok: true });
      // The clean step sees expansions like any new item: one that passed the ROUGE-L filter can
      // still be a near-copy (word-pair Jaccard) of an item kept before it, and stops there.
      if (row.clean_verdict === 'dropped') {
        expect(['near-duplicate', 'duplicate', 'contaminated']).toContain(row.clean_reason);
        continue;
      }
      expect(row.category).not.toBeNull();
      expect(row.teacher && row.student && row.judged).toBe(true);
    }
    const rejected = await db.query<{ reason: string }>(`select reason from expansions where campaign_id = $1 and status = 'rejected'`, [campaignId]);
    for (const r of rejected.rows) expect(r.reason).toMatch(/^(too-short|mentions-instruction|too-similar|empty|duplicate)/);
    const pending = await db.query(`select 1 from expansions where campaign_id = $1 and status = 'pending'`, [campaignId]);
    expect(pending.rows).toHaveLength(0);
  });
});
