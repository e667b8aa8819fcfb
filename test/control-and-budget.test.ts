import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { llmCalls } from '@tapir/db';
import {
  campaignStatus,
  cancelCampaign,
  createCampaign,
  reconcileCampaign,
  resumeCampaign,
  retryFailed,
  type CampaignStatus,
} from '@tapir/pipeline';
import { and, eq, sql } from 'drizzle-orm';
import { chunkOf } from '../packages/pipeline/src/job-catalog';
import { measureCampaign } from './support/fault-metrics';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');

async function pool(lines: number, from: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tapir-control-'));
  const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(from, from + lines);
  await writeFile(join(dir, 'pool.jsonl'), rows.join('\n') + '\n');
  return join(dir, 'pool.jsonl');
}

async function statusWhen(env: TestEnv, id: string, want: (s: CampaignStatus) => boolean, what: string): Promise<CampaignStatus> {
  return waitFor(what, async () => {
    const s = await campaignStatus(env.pipeline.services.db, id);
    return s && want(s) ? s : undefined;
  });
}

describe('campaign control on the real services', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
    env.startWorkers(16);
  });
  afterAll(async () => {
    await env?.close();
  });

  test('a budget pauses the campaign before it would be crossed; resume --budget finishes it', async () => {
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'budget: { maxUsd: 0.05 }'), 'budget.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await pool(50, 0) });
    await reconcileCampaign(env.pipeline.services, campaignId);
    const paused = await statusWhen(env, campaignId, (s) => s.campaign.status === 'paused', 'the budget pause');
    expect(paused.campaign.message).toMatch(/budget reached: .* of budget\.maxUsd \$0\.05/);
    expect(paused.campaign.message).toContain(`tapir resume ${campaignId} --budget`);
    // Let the requests in flight at the pause land (nothing on the wire, no ledger row open),
    // then check the spend never crossed the limit.
    await waitFor('the requests in flight at the pause to land', async () => {
      if (env.sim.inFlight() > 0) return undefined;
      const open = await env.pipeline.services.db.execute<{ n: string }>(
        sql`select count(*) as n from llm_calls where campaign_id = ${campaignId} and status = 'pending'`,
      );
      return Number(open.rows[0]!.n) === 0 ? true : undefined;
    });
    const afterPause = await campaignStatus(env.pipeline.services.db, campaignId);
    expect(afterPause!.budget.spentUsd).toBeLessThanOrEqual(0.05);
    expect(afterPause!.budget.maxUsd).toBe(0.05);

    await resumeCampaign(env.pipeline.services, campaignId, { budgetUsd: 50 });
    await reconcileCampaign(env.pipeline.services, campaignId);
    const done = await statusWhen(env, campaignId, (s) => s.campaign.status === 'completed', 'completion after resume');
    expect(done.budget.spentUsd).toBeGreaterThan(0.05);
    expect(done.budget.spentUsd).toBeLessThanOrEqual(50);
    // Nothing was paid twice: each cache key has at most one completed row.
    const repeats = await env.pipeline.services.db.execute<{ n: string }>(sql`
      select count(*) as n from (select cache_key from llm_calls where campaign_id = ${campaignId} and status = 'completed'
        group by cache_key having count(*) > 1) t`);
    expect(Number(repeats.rows[0]!.n)).toBe(0);
  });

  test('cancel removes queued work and loses nothing; resume continues', async () => {
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'cancel.yaml');
    // More chunks (8 items each) than the workers' 16 jobs per queue, so that some still wait when we cancel.
    const dir = await mkdtemp(join(tmpdir(), 'tapir-control-'));
    const data = join(dir, 'pool.jsonl');
    await writeFile(data, Array.from({ length: 200 }, (_, i) => JSON.stringify({ instruction: `Describe cancellation scenario number ${i}.` })).join('\n') + '\n');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: data });
    env.sim.configure({ latencyMs: 1500 }); // slow enough that work is still queued when we cancel
    env.sim.resetStats();
    await reconcileCampaign(env.pipeline.services, campaignId);
    await waitFor('requests on the wire', async () => (env.sim.inFlight() > 0 ? true : undefined));
    const inFlightAtCancel = env.sim.inFlight();
    const removed = await cancelCampaign(env.pipeline.services, campaignId);
    expect(removed).toBeGreaterThan(0);
    await reconcileCampaign(env.pipeline.services, campaignId); // a cancelled campaign enqueues nothing
    // The jobs active at the cancel finish the requests they have started (some still wait for a
    // concurrency slot): wait until nothing has gone on the wire for 2 s, then nothing more may.
    let lastEntered = -1;
    let quietSince = Date.now();
    await waitFor('the jobs active at the cancel to settle', async () => {
      const { entered, inFlight } = env.sim.stats().wire;
      if (entered !== lastEntered || inFlight > 0) {
        lastEntered = entered;
        quietSince = Date.now();
      }
      return Date.now() - quietSince >= 2000 ? true : undefined;
    });
    const sentAfterCancel = (await campaignStatus(env.pipeline.services.db, campaignId))!.llm.reduce((a, u) => a + u.calls, 0);
    await new Promise((r) => setTimeout(r, 2000));
    const cancelled = await campaignStatus(env.pipeline.services.db, campaignId);
    expect(cancelled!.campaign.status).toBe('cancelled');
    expect(cancelled!.llm.reduce((a, u) => a + u.calls, 0)).toBe(sentAfterCancel);
    env.sim.configure({ latencyMs: 0 });

    await resumeCampaign(env.pipeline.services, campaignId);
    await reconcileCampaign(env.pipeline.services, campaignId);
    await statusWhen(env, campaignId, (s) => s.campaign.status === 'completed', 'completion after resume');
    // Loses nothing: every item finished, and what was on the wire at the cancel was kept, not bought again.
    const measured = await measureCampaign(env.pipeline.services.db, campaignId);
    expect(measured).toMatchObject({ items: 200, itemsLost: 0, itemsFailedWithReason: 0, itemsFinished: 200, refinementsBoughtTwice: 0, planRowsBeyondCap: 0 });
    expect(inFlightAtCancel).toBeGreaterThan(0);
    expect(env.sim.stats().wire.billedAgain).toBe(0);
  });

  test('errors no retry can fix fail at once with the reason; retry-failed runs them again', async () => {
    env.sim.configure({ contextTokens: 5 }); // every request is now "too long": a 400 no retry fixes
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'ctx.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await pool(10, 120) });
    await reconcileCampaign(env.pipeline.services, campaignId);
    const failed = await statusWhen(env, campaignId, (s) => s.items.failed === 10, 'every item to fail');
    expect(failed.failures.every((f) => /context_length \(HTTP 400\)/.test(f.reason))).toBe(true);
    // One attempt each: not retried.
    const sent = await env.pipeline.services.db
      .select({ id: llmCalls.id })
      .from(llmCalls)
      .where(and(eq(llmCalls.campaignId, campaignId), eq(llmCalls.status, 'failed')));
    expect(sent.length).toBeLessThanOrEqual(30);

    env.sim.configure({ contextTokens: 32768 });
    const retried = await retryFailed(env.pipeline.services, campaignId);
    expect(retried).toEqual({ items: 10, refinements: 0, replanned: true });
    await reconcileCampaign(env.pipeline.services, campaignId);
    const done = await statusWhen(env, campaignId, (s) => s.campaign.status === 'completed', 'completion after retry-failed');
    expect(done.items.failed).toBe(0);
  });

  test('a second campaign over the same items and settings pays for nothing: every request is served from the ledger', async () => {
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'ledger.yaml');
    const data = await pool(20, 200);
    const first = await createCampaign(env.pipeline.services.db, { config, dataFile: data });
    await reconcileCampaign(env.pipeline.services, first.campaignId);
    const paid = await statusWhen(env, first.campaignId, (s) => s.campaign.status === 'completed', 'the first campaign');
    const second = await createCampaign(env.pipeline.services.db, { config, dataFile: data });
    await reconcileCampaign(env.pipeline.services, second.campaignId);
    const again = await statusWhen(env, second.campaignId, (s) => s.campaign.status === 'completed', 'the second campaign');
    const sum = (s: CampaignStatus, f: (u: CampaignStatus['llm'][number]) => number) => s.llm.reduce((a, u) => a + f(u), 0);
    expect(sum(paid, (u) => u.calls)).toBeGreaterThan(0);
    expect(sum(again, (u) => u.calls)).toBe(0);
    expect(sum(again, (u) => u.servedFromLedger)).toBe(sum(paid, (u) => u.calls));
    expect(again.budget.spentUsd).toBe(0);
    expect(again.stages.map((st) => st.count)).toEqual(paid.stages.map((st) => st.count));
  });

  test('a job hash orphaned by a partial Redis loss does not block its item: reconcile removes it and re-adds the job', async () => {
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'orphan.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await pool(3, 230) });
    const [first] = (
      await env.pipeline.services.db.execute<{ id: number }>(sql`select id from items where campaign_id = ${campaignId} order by id limit 1`)
    ).rows;
    // What a wipe racing an add can leave: the job's hash, in no state list.
    const queue = env.pipeline.services.queues.queue('classify');
    const chunk = chunkOf(first!.id);
    const orphanKey = queue.toKey(`${campaignId}.classify.r1.c${chunk}`);
    await env.pipeline.redis.hset(orphanKey, 'name', 'classify', 'data', JSON.stringify({ campaignId, chunk, round: 1 }));
    await reconcileCampaign(env.pipeline.services, campaignId);
    await statusWhen(env, campaignId, (s) => s.campaign.status === 'completed', 'completion despite the orphan');
    // The orphan's item went through like the others: labelled, judged, refined; nothing lost.
    const measured = await measureCampaign(env.pipeline.services.db, campaignId);
    expect(measured).toMatchObject({ items: 3, itemsLost: 0, itemsFailedWithReason: 0, itemsFinished: 3 });
    const orphaned = await env.pipeline.services.db.execute<{ status: string; category: string | null }>(
      sql`select status, category from items where id = ${first!.id}`,
    );
    expect(orphaned.rows[0]).toMatchObject({ status: 'judged', category: expect.any(String) });
  });
});
