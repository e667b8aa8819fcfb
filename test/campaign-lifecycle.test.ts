import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { transition, transitionSources } from '@tapir/db';
import { cancelCampaign, completeRoundIfDone, createCampaign, reconcileCampaign, resumeCampaign } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One module owns the campaign's status: a cancel or a budget pause that lands while a job is
 * running is not overwritten when the job ends, and nothing more is sent for the campaign.
 */
describe('campaign lifecycle on the real services', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
    env.startWorkers(16);
  });
  afterAll(async () => {
    await env?.close();
  });

  async function newRunningCampaign(from: number): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-lifecycle-'));
    const data = join(dir, 'pool.jsonl');
    const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(from, from + 16);
    await writeFile(data, rows.join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'lifecycle.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: data });
    // What `tapir run` does before it reconciles.
    await transition(env.pipeline.services.db, campaignId, transitionSources('run', 'running'), 'running');
    return campaignId;
  }

  /** Holds the planner inside its transaction until released. */
  function holdPlanner(campaignId: string) {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const released = new Promise<void>((r) => (release = r));
    env.pipeline.services.hooks = {
      async beforePlanCommit(id) {
        if (id !== campaignId) return;
        entered();
        await released;
      },
    };
    return { inside, release };
  }

  const status = async (id: string) =>
    (await env.pipeline.services.db.execute<{ status: string }>(sql`select status from campaigns where id = ${id}`)).rows[0]!.status;
  const planned = async (id: string) =>
    (await env.pipeline.services.db.execute<{ planned: boolean }>(sql`select planned_at is not null as planned from rounds where campaign_id = ${id} and round = 1`)).rows[0]?.planned;
  const refineCalls = async (id: string) =>
    Number((await env.pipeline.services.db.execute<{ n: string }>(sql`select count(*) as n from llm_calls where campaign_id = ${id} and purpose = 'refine'`)).rows[0]!.n);
  const pendingRefinements = async (id: string) =>
    Number((await env.pipeline.services.db.execute<{ n: string }>(sql`select count(*) as n from plan_entries where campaign_id = ${id} and refine_status = 'pending'`)).rows[0]!.n);
  const planJobsActive = () => env.pipeline.services.queues.queue('plan').getActiveCount();
  const refineJobsQueued = () => env.pipeline.services.queues.queue('refine').getJobCountByTypes('waiting', 'delayed', 'prioritized', 'active');

  /** Releases the held planner and waits until its job has ended with the plan committed. */
  async function letPlannerFinish(id: string, release: () => void) {
    release();
    await waitFor('the plan committed', async () => ((await planned(id)) ? true : undefined), 30_000);
    await waitFor('the plan job to end', async () => ((await planJobsActive()) === 0 ? true : undefined), 30_000);
    env.pipeline.services.hooks = undefined;
  }

  test('a cancel that lands while the planner runs stays: no refinement is fed or sent, and resume finishes the plan', async () => {
    const campaignId = await newRunningCampaign(240);
    const held = holdPlanner(campaignId);
    await reconcileCampaign(env.pipeline.services, campaignId);
    await held.inside;

    await cancelCampaign(env.pipeline.services, campaignId);
    const sentAtCancel = env.sim.stats().requests;
    await letPlannerFinish(campaignId, held.release);
    await sleep(3000);

    expect(await status(campaignId)).toBe('cancelled');
    expect(env.sim.stats().requests).toBe(sentAtCancel);
    expect(await refineCalls(campaignId)).toBe(0);
    expect(await refineJobsQueued()).toBe(0);
    // The plan itself stays committed, its refinements waiting for resume.
    expect(await pendingRefinements(campaignId)).toBeGreaterThan(0);

    await resumeCampaign(env.pipeline.services, campaignId);
    await reconcileCampaign(env.pipeline.services, campaignId);
    await waitFor('completion after resume', async () => ((await status(campaignId)) === 'completed' ? true : undefined));
    expect(await refineCalls(campaignId)).toBeGreaterThan(0);
    expect(await pendingRefinements(campaignId)).toBe(0);
  });

  test('a paused (budget) campaign is never moved on by a late job: not to refining by the planner, not to completed by the last refinement', async () => {
    const campaignId = await newRunningCampaign(260);
    const held = holdPlanner(campaignId);
    await reconcileCampaign(env.pipeline.services, campaignId);
    await held.inside;

    // The budget's own move, as reserveBudget makes it when a request would cross the limit.
    const message = 'budget reached (test)';
    expect(await transition(env.pipeline.services.db, campaignId, transitionSources('budget', 'paused'), 'paused', message)).toBe(true);
    env.pipeline.services.gate.forget(campaignId);
    const sentAtPause = env.sim.stats().requests;
    await letPlannerFinish(campaignId, held.release);
    await sleep(2000);
    expect(await status(campaignId)).toBe('paused');
    expect(env.sim.stats().requests).toBe(sentAtPause);
    expect(await refineJobsQueued()).toBe(0);

    // Refinements that were in flight at the pause land, and the last one asks whether the round is done.
    await env.pipeline.services.db.execute(sql`update plan_entries set refine_status = 'done' where campaign_id = ${campaignId}`);
    expect(await completeRoundIfDone(env.pipeline.services, campaignId, 1)).toBe(true);
    const row = (
      await env.pipeline.services.db.execute<{ status: string; message: string | null; completed: boolean }>(sql`
        select c.status, c.message, r.completed_at is not null as completed
          from campaigns c join rounds r on r.campaign_id = c.id and r.round = 1 where c.id = ${campaignId}`)
    ).rows[0]!;
    expect(row).toEqual({ status: 'paused', message, completed: true });

    // Resume finds the round finished meanwhile and completes the campaign.
    await resumeCampaign(env.pipeline.services, campaignId);
    expect(await status(campaignId)).toBe('completed');
  });

  test('a cancel is not undone by the budget: a late reservation failure leaves it cancelled', async () => {
    const campaignId = await newRunningCampaign(280);
    await cancelCampaign(env.pipeline.services, campaignId);
    for (const to of ['paused', 'planning', 'refining', 'completed', 'failed'] as const) {
      const by = to === 'paused' ? 'budget' : to === 'completed' ? 'round-complete' : to === 'failed' ? 'plan-failed' : 'planner';
      expect(await transition(env.pipeline.services.db, campaignId, transitionSources(by, to), to)).toBe(false);
    }
    expect(await status(campaignId)).toBe('cancelled');
    await expect(transition(env.pipeline.services.db, campaignId, 'cancelled', 'refining')).rejects.toThrow(/no transition from cancelled to refining/);
  });
});
