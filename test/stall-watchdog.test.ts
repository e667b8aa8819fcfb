import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { transition, transitionSources } from '@tapir/db';
import { campaignProgress, createCampaign, reconcileCampaign, StallWatchdog } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { measureCampaign } from './support/fault-metrics';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The README's guarantee for standalone workers: a campaign whose queues Redis lost is finished by
 * workers and their stall watchdog alone, with no `tapir run` or `tapir resume` involved.
 */
describe('stall watchdog on the real services', () => {
  let env: TestEnv;
  const watchdogs: StallWatchdog[] = [];

  beforeAll(async () => {
    env = await createTestEnv({ latencyMs: 30, jitterMs: 20 });
  });
  afterAll(async () => {
    await Promise.all(watchdogs.map((w) => w.stop()));
    await env?.close();
  });

  async function runningCampaign(items: number, from: number): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tapir-watchdog-'));
    const data = join(dir, 'pool.jsonl');
    const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(from, from + items);
    await writeFile(data, rows.join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'watchdog.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: data });
    await transition(env.pipeline.services.db, campaignId, transitionSources('run', 'running'), 'running');
    return campaignId;
  }

  function watchdog(stallMs: number): StallWatchdog {
    const w = new StallWatchdog(env.pipeline.services, env.pipeline.redis, { stallMs });
    watchdogs.push(w);
    return w;
  }

  const status = async (id: string) =>
    (await env.pipeline.services.db.execute<{ status: string }>(sql`select status from campaigns where id = ${id}`)).rows[0]!.status;

  test('a campaign whose queues were wiped in Redis is finished by a standalone WorkerHost and its watchdog alone', async () => {
    // Few worker slots for many chunks, so that jobs still wait in the queues when they are wiped.
    const campaignId = await runningCampaign(240, 0);
    await reconcileCampaign(env.pipeline.services, campaignId);
    const host = env.startWorkers(4);
    const dog = watchdog(2000);
    dog.start();
    try {
      await waitFor('a third of the items judged', async () => {
        const judge = (await campaignProgress(env.pipeline.services.db, campaignId))?.steps.find((s) => s.step === 'judge');
        return judge && judge.done / Math.max(1, judge.total) > 0.3 ? true : undefined;
      });
      // What FLUSHALL does to the queues, limited to this test's keys.
      const redis = env.pipeline.redis;
      let wiped = 0;
      for (const key of await redis.keys(`bull:${env.queuePrefix}-*`)) wiped += await redis.del(key);
      expect(wiped).toBeGreaterThan(0);

      await waitFor('completion with no CLI', async () => ((await status(campaignId)) === 'completed' ? true : undefined), 120_000);
      expect(dog.reconciles).toBeGreaterThan(0);
      const measured = await measureCampaign(env.pipeline.services.db, campaignId);
      expect(measured.itemsLost).toBe(0);
      expect(measured.refinementsBoughtTwice + measured.planRowsBeyondCap).toBe(0);
    } finally {
      await dog.stop();
      await host.close();
    }
  });

  test('several watchdogs share one mark: a stuck campaign is reconciled about once per window, not once per worker', async () => {
    // No worker runs (the first test's is closed), so nothing moves however often it is reconciled.
    const queues = env.pipeline.services.queues;
    const campaignId = await runningCampaign(8, 100);
    const dogs = [watchdog(1000), watchdog(1000), watchdog(1000)];
    for (const d of dogs) d.start();
    await sleep(4500);
    await Promise.all(dogs.map((d) => d.stop()));
    const total = dogs.reduce((n, d) => n + d.reconciles, 0);
    // Windows of 1 s over 4.5 s: at most 4 reconciles between them (alone, each would make 3 or 4).
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(4);
    // The first step of a new campaign is clean: its job waits, nothing runs it.
    expect(await queues.queue('clean').getWaitingCount()).toBeGreaterThan(0);
  });
});
