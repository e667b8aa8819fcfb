import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { readExportFile } from '@tapir/formats';
import { answers, items, judgments, llmCalls, planEntries } from '@tapir/db';
import {
  campaignStatus,
  exportCampaign,
  reconcileCampaign,
  type CampaignStatus,
} from '@tapir/pipeline';
import { judgeStep } from '../packages/pipeline/src/steps/judge';
import { processPlan } from '../packages/pipeline/src/steps/plan';
import { count, eq, sql } from 'drizzle-orm';
import { completeCampaign } from './support/complete-campaign';
import { readExportBack } from './support/read-back';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const TARGET = 240;
// The simulated round-1 student fails every maths and code item, so those categories hold no easy
// item and force hard rows (about 0.71 of 240 at delta 3). A delta of 3 leaves the other
// categories easy items, so a hard share of 0.8 (1 - easyShare) is within reach of the mix and the
// test can hold the plan to it.
const DELTA = 3;
const EASY_SHARE = 0.2;
const HARD_SHARE = 1 - EASY_SHARE;

describe('a campaign over the 300-item bundled sample, end to end on PostgreSQL, Redis and the simulator', () => {
  let env: TestEnv;
  let campaignId: string;
  let status: CampaignStatus;

  beforeAll(async () => {
    env = await createTestEnv();
    const config = parseCampaignConfig(
      simConfigYaml(env.simUrl, `rebalance: { targetSize: ${TARGET} }\ncurriculum: { stages: 3 }\nselection: { delta: ${DELTA}, easyShare: ${EASY_SHARE} }`),
      'e2e.yaml',
    );
    campaignId = await completeCampaign(env, config, SAMPLE, () => env.startWorkers());
    status = (await campaignStatus(env.pipeline.services.db, campaignId))!;
  });

  afterAll(async () => {
    await env?.close();
  });

  test('every imported item ends planned, dropped by selection, or failed with a reason', async () => {
    const db = env.pipeline.services.db;
    const rows = await db.execute<{ id: number; status: string; fail_reason: string | null; planned: boolean; mfd: number | null }>(sql`
      select i.id, i.status, i.fail_reason,
             exists(select 1 from plan_entries p where p.item_id = i.id) as planned,
             (select mfd from judgments j where j.item_id = i.id) as mfd
        from items i where i.campaign_id = ${campaignId}`);
    expect(rows.rows).toHaveLength(300);
    for (const row of rows.rows) {
      if (row.status === 'failed') expect(row.fail_reason).toBeTruthy();
      else {
        expect(row.status).toBe('judged');
        expect(row.mfd).not.toBeNull();
      }
    }
    expect(rows.rows.filter((r) => r.status === 'pending')).toHaveLength(0);
    expect(rows.rows.some((r) => r.planned)).toBe(true);
    expect(rows.rows.some((r) => !r.planned && r.status === 'judged')).toBe(true);
  });

  test('the plan has exactly targetSize rows, stages keep the mix and the hard share, and difficulty never falls', async () => {
    const db = env.pipeline.services.db;
    const entries = await db.select().from(planEntries).where(eq(planEntries.campaignId, campaignId));
    expect(entries).toHaveLength(TARGET);
    // Each (category, hard or easy) group is cut into the stages separately.
    const byGroup = new Map<string, typeof entries>();
    for (const e of entries) byGroup.set(`${e.category}|${e.hard}`, [...(byGroup.get(`${e.category}|${e.hard}`) ?? []), e]);
    for (const [, list] of byGroup) {
      for (let k = 1; k < 3; k++) {
        const here = list.filter((e) => e.stage === k).map((e) => e.difficulty);
        const next = list.filter((e) => e.stage === k + 1).map((e) => e.difficulty);
        if (here.length && next.length) expect(Math.max(...here)).toBeLessThanOrEqual(Math.min(...next));
        expect(Math.abs(here.length - list.length / 3)).toBeLessThan(1 + 1e-9);
      }
    }
    expect(entries.every((e) => e.refineStatus === 'done')).toBe(true);
  });

  test('the exported stage files, read back, hold the round\'s hard share; no hard item is left out while an easy one of its category is in', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'tapir-export-share-'));
    await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format: 'alpaca' });
    const back = await readExportBack(outDir, DELTA);
    expect(back.rows).toBe(TARGET);
    const round = back.manifest.rounds[0]!;
    expect(round.hardShareTarget).toBe(HARD_SHARE);
    expect(round.limitedBy).toEqual([]);
    expect(Math.abs(back.share - HARD_SHARE)).toBeLessThanOrEqual(0.02);
    // The manifest says what the files hold, per round and per stage.
    expect(round.exportedHardShare).toBe(Math.round(back.share * 1000) / 1000);
    back.manifest.stages.forEach((stage, k) => {
      expect(stage.hardShareTarget).toBe(HARD_SHARE);
      expect(stage.exportedHardShare).toBe(Math.round((back.stages[k]!.hard / back.stages[k]!.rows.length) * 1000) / 1000);
      // Staging cuts every (category, hard or easy) group across the stages, so each stage keeps the
      // share up to one row per group (a group of one or two lands in the middle stage): about 0.06 here.
      expect(Math.abs(back.stages[k]!.hard / back.stages[k]!.rows.length - HARD_SHARE)).toBeLessThanOrEqual(0.1);
    });
    expect(round.poolHardShare).toBe(status.rounds[0]!.hardShare);

    const exported = new Set(back.stages.flatMap((s) => s.rows.map((r) => `${r.category}|${r.instruction}`)));
    const easyCategories = new Set(back.stages.flatMap((s) => s.rows.filter((r) => r.mfd! < DELTA).map((r) => r.category)));
    const judged = await env.pipeline.services.db.execute<{ category: string; instruction: string; mfd: number }>(sql`
      select i.category, i.instruction, j.mfd from items i join judgments j on j.item_id = i.id and j.round = 1
       where i.campaign_id = ${campaignId} and i.status = 'judged'`);
    let checked = 0;
    for (const item of judged.rows) {
      if (item.mfd < DELTA || !easyCategories.has(item.category)) continue;
      expect({ hardItem: item.instruction, exported: exported.has(`${item.category}|${item.instruction}`) }).toEqual({ hardItem: item.instruction, exported: true });
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  test('exported rows equal planned rows, in each format, and every file parses', async () => {
    for (const format of ['alpaca', 'sharegpt', 'openai'] as const) {
      const outDir = await mkdtemp(join(tmpdir(), `tapir-export-${format}-`));
      const { manifest } = await exportCampaign(env.pipeline.services.db, { campaignId, outDir, format });
      expect(manifest.totalRows).toBe(TARGET);
      let rows = 0;
      for (const stage of manifest.stages) {
        const parsed = await readExportFile(join(outDir, stage.file), format);
        expect(parsed).toHaveLength(stage.count);
        rows += parsed.length;
        expect(Object.values(stage.perCategory).reduce((a, b) => a + b, 0)).toBe(stage.count);
      }
      expect(rows).toBe(TARGET);
      const info = JSON.parse(await readFile(join(outDir, 'dataset_info.json'), 'utf8')) as Record<string, { file_name: string }>;
      expect(Object.values(info).map((d) => d.file_name)).toEqual(['stage-1.jsonl', 'stage-2.jsonl', 'stage-3.jsonl']);
      expect(manifest.stages.map((s) => s.mfd.mean!)).toEqual([...manifest.stages.map((s) => s.mfd.mean!)].sort((a, b) => a - b));
    }
  });

  test('status reports steps, MFD histogram, category mix, stages and LLM usage per role', () => {
    expect(status.steps.find((s) => s.step === 'judge')!.done + status.items.failed).toBe(300);
    expect(status.mfd.histogram.reduce((a, b) => a + b.count, 0)).toBe(status.mfd.count);
    expect(Object.values(status.categories.after).reduce((a, b) => a + b, 0)).toBe(TARGET);
    expect(status.stages.map((s) => s.count).reduce((a, b) => a + b, 0)).toBe(TARGET);
    expect(status.llm.map((u) => u.role).sort()).toEqual(['judge', 'student', 'teacher']);
    for (const usage of status.llm) {
      expect(usage.inputTokens).toBeGreaterThan(0);
      expect(usage.outputTokens).toBeGreaterThan(0);
    }
    // The simulated student is weakest on maths and code: the teacher must come out ahead.
    expect(status.mfd.mean!).toBeGreaterThan(0.5);
  });

  test('running steps again changes nothing and buys nothing', async () => {
    const db = env.pipeline.services.db;
    const snapshot = async () => ({
      calls: (await db.select({ n: count() }).from(llmCalls))[0]!.n,
      judgments: (await db.select({ n: count() }).from(judgments))[0]!.n,
      answers: (await db.select({ n: count() }).from(answers))[0]!.n,
      plan: (await db.select({ n: count() }).from(planEntries))[0]!.n,
      items: (await db.select({ n: count() }).from(items))[0]!.n,
    });
    const before = await snapshot();
    const [someItem] = await db.select({ id: items.id }).from(items).where(eq(items.status, 'judged')).limit(1);
    await judgeStep.processItem(env.pipeline.services, { campaignId, itemId: someItem!.id, round: 1 });
    await processPlan(env.pipeline.services, { campaignId, round: 1 });
    const enqueued = await reconcileCampaign(env.pipeline.services, campaignId);
    expect(Object.values(enqueued).every((n) => n === 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
