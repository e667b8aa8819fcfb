import { parseCampaignConfig } from '@tapir/core';
import { llmCalls } from '@tapir/db';
import { campaignStatus, createCampaign, reconcileCampaign } from '@tapir/pipeline';
import { count, eq, sql } from 'drizzle-orm';
import { sharedDataAvailable, sharedDataPath } from './support/shared-data';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const available = sharedDataAvailable('alpaca_eval/gpt4.json', 'alpaca_eval/alpaca-7b.json');
const describeReal = available ? describe : describe.skip;

describeReal('real data: AlpacaEval with GPT-4 as teacher answers and alpaca-7b as student answers', () => {
  let env: TestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    // AlpacaEval holds Vicuna bench's 80 questions and near-copies of its own rows: the default clean step rightly
    // drops them (test/clean.test.ts covers that). This test is about imported answers, on all 805 items.
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'rebalance: { targetSize: 200 }\nclean: { enabled: false }'), 'real.yaml');
    const created = await createCampaign(env.pipeline.services.db, {
      config,
      dataFile: sharedDataPath('alpaca_eval/gpt4.json'),
      teacherAnswersFile: sharedDataPath('alpaca_eval/gpt4.json'),
      studentAnswersFile: sharedDataPath('alpaca_eval/alpaca-7b.json'),
    });
    campaignId = created.campaignId;
    expect(created.summary).toMatchObject({ imported: 805, teacherAnswersImported: 805, studentAnswersImported: 805, badRows: 0 });
    await reconcileCampaign(env.pipeline.services, campaignId);
    env.startWorkers();
    await waitFor(
      'the campaign to complete',
      async () => ((await campaignStatus(env.pipeline.services.db, campaignId))?.campaign.status === 'completed' ? true : undefined),
      240_000,
    );
  });

  afterAll(async () => {
    await env?.close();
  });

  test('no answer is bought: before planning only the judge is called, to classify and to judge', async () => {
    const db = env.pipeline.services.db;
    const byPurpose = await db
      .select({ purpose: llmCalls.purpose, role: llmCalls.role, n: count() })
      .from(llmCalls)
      .where(eq(llmCalls.campaignId, campaignId))
      .groupBy(llmCalls.purpose, llmCalls.role);
    const calls = Object.fromEntries(byPurpose.map((r) => [`${r.role}/${r.purpose}`, r.n]));
    expect(calls['teacher/answer-teacher']).toBeUndefined();
    expect(calls['student/answer-student']).toBeUndefined();
    expect(calls['judge/classify']).toBe(805);
    // Two orders per item, plus bounded re-asks when a reply does not parse.
    expect(calls['judge/judge']).toBeGreaterThanOrEqual(2 * 805);
    // The only teacher calls are the refinements of planned items, after planning.
    const planned = await db.execute<{ n: string }>(
      sql`select count(distinct item_id) as n from plan_entries where campaign_id = ${campaignId}`,
    );
    expect(calls['teacher/refine']).toBe(Number(planned.rows[0]!.n));
  });

  test('GPT-4 beats alpaca-7b on average, as the real outputs say', async () => {
    const status = await campaignStatus(env.pipeline.services.db, campaignId);
    expect(status!.mfd.count).toBe(805);
    expect(status!.mfd.mean!).toBeGreaterThan(0);
  });
});
