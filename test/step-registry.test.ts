import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import {
  campaignProgress,
  campaignStatus,
  createCampaign,
  defaultStepRegistry,
  defineItemStep,
  DEFAULT_RETRY,
  dueItems,
  enqueuePlanIfReady,
  failItem,
  itemOrChunkJobSchema,
  itemProgress,
  itemStepJobs,
  PermanentStepError,
  reconcileCampaign,
  StepRegistry,
} from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * docs/adding-a-step.md, proven: a step written as one definition and registered in a test-only
 * registry is run by the worker host, enqueued by reconcile, shown by progress, holds the plan
 * until it is done, and records an item's final failure, with no other file knowing of it.
 */
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));

/** Counts an instruction's words into a table of its own; an instruction saying "poison" fails for good. */
const toyWordsStep = defineItemStep<void>({
  name: 'toy-words',
  label: 'words',
  unit: 'item',
  chunked: true,
  phase: 'measure',
  schema: itemOrChunkJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,
  startsItem: () => true,
  blocksPlan: `exists (select 1 from items i where i.campaign_id = $1 and i.status <> 'failed'
                        and not exists (select 1 from toy_word_counts w where w.item_id = i.id))`,

  async processItem(s, item) {
    await held;
    const row = (await s.db.execute<{ instruction: string }>(sql`select instruction from items where id = ${item.itemId}`)).rows[0];
    if (!row) return;
    if (row.instruction.includes('poison')) throw new PermanentStepError('the toy step refuses poison');
    await s.db.execute(sql`insert into toy_word_counts (item_id, words) values (${item.itemId}, ${row.instruction.split(/\s+/).length}) on conflict do nothing`);
  },
  async afterBatch(s, batch) {
    await enqueuePlanIfReady(s, batch.campaignId, batch.round);
  },
  onItemFailed: (s, item, reason) => failItem(s, 'toy-words', item, reason),
  async enqueueDue(s, ctx) {
    const due = await dueItems(
      s,
      sql`select i.id, i.origin = 'expanded' as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.status <> 'failed'
             and not exists (select 1 from toy_word_counts w where w.item_id = i.id) order by i.id`,
    );
    await s.queues.addBulk(toyWordsStep, itemStepJobs(ctx.campaignId, ctx.round, due, true));
    return due.length;
  },
  progress: { columns: () => itemProgress('toy-words', sql`(select count(*) from toy_word_counts)`) },
});

const [clean, classify, ...rest] = defaultStepRegistry.steps;
const toyRegistry = new StepRegistry([clean!, classify!, toyWordsStep, ...rest]);

describe('a toy step registered in a test-only registry', () => {
  let env: TestEnv;
  let dir: string;

  beforeAll(async () => {
    env = await createTestEnv({}, { steps: toyRegistry });
    await env.pipeline.database.pool.query('create table toy_word_counts (item_id int primary key, words int not null)');
    dir = await mkdtemp(join(tmpdir(), 'tapir-toy-step-'));
  });
  afterAll(async () => {
    release();
    await env.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('runs through a whole campaign: enqueued, shown, holding the plan, failing one item for good', async () => {
    const pool = join(dir, 'pool.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) => ({ instruction: `Explain in a few words what item number ${i} of this toy pool is about.` }));
    rows[7] = { instruction: 'Explain why poison is dangerous in a few words.' };
    await writeFile(pool, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'toy.yaml');
    const db = env.pipeline.services.db;
    const { campaignId } = await createCampaign(db, { config, dataFile: pool });

    const enqueued = await reconcileCampaign(env.pipeline.services, campaignId);
    expect(enqueued['toy-words']).toBe(30);
    env.startWorkers(16);

    // Everything else finishes while the toy step is held; the plan waits for it.
    await waitFor('every item judged', async () => {
      const n = (await db.execute<{ n: number }>(sql`select count(*)::int as n from judgments where campaign_id = ${campaignId}`)).rows[0]!.n;
      return n === 30 ? n : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const planned = await db.execute<{ planned: boolean }>(sql`select planned_at is not null as planned from rounds where campaign_id = ${campaignId}`);
    expect(planned.rows[0]?.planned).toBe(false);
    const progress = await campaignProgress(db, campaignId, toyRegistry);
    const toy = progress!.steps.find((s) => s.step === 'toy-words');
    expect(toy).toMatchObject({ label: 'words', done: 0, failed: 0, total: 30 });
    expect(progress!.steps.map((s) => s.step).slice(0, 3)).toEqual(['clean', 'classify', 'toy-words']);

    release();
    await waitFor('the campaign to complete', async () => {
      const s = await campaignStatus(db, campaignId, toyRegistry);
      if (s?.campaign.status === 'failed') throw new Error(`campaign failed: ${s.campaign.message}`);
      return s?.campaign.status === 'completed' ? s : undefined;
    });

    const counted = await db.execute<{ n: number }>(sql`select count(*)::int as n from toy_word_counts`);
    expect(counted.rows[0]!.n).toBe(29);
    const failed = await db.execute<{ fail_step: string; fail_reason: string; status: string }>(
      sql`select fail_step, fail_reason, status from items where campaign_id = ${campaignId} and instruction like '%poison%'`,
    );
    expect(failed.rows[0]).toMatchObject({ fail_step: 'toy-words', status: 'failed' });
    expect(failed.rows[0]!.fail_reason).toMatch(/refuses poison/);
    const inPlan = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from plan_entries p join items i on i.id = p.item_id where p.campaign_id = ${campaignId} and i.instruction like '%poison%'`,
    );
    expect(inPlan.rows[0]!.n).toBe(0);
    const status = await campaignStatus(db, campaignId, toyRegistry);
    expect(status!.steps.find((s) => s.step === 'toy-words')).toMatchObject({ done: 29, failed: 1, total: 30 });
    expect(status!.failures.some((f) => f.step === 'toy-words')).toBe(true);
    // A second reconcile finds nothing due for the toy step (nor any other).
    expect(Object.values(await reconcileCampaign(env.pipeline.services, campaignId)).every((n) => n === 0)).toBe(true);
  });
});
