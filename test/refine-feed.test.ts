import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { createCampaign } from '@tapir/pipeline';
import { enqueuePendingRefinements } from '../packages/pipeline/src/processors/plan';
import { PostponeStepError } from '../packages/pipeline/src/step-error';
import { sql } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * The planner feeds a round's refinements at the pace they are taken, so that a 100,000-item plan
 * is never added to the queue in one burst: the backlog stays bounded, a halted campaign stops the
 * feed, and a closing worker postpones it.
 */
describe('refinement feed', () => {
  let env: TestEnv;
  let dir: string;
  let campaignId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-feed-'));
    const pool = join(dir, 'pool.jsonl');
    await writeFile(pool, Array.from({ length: 30 }, (_, i) => JSON.stringify({ instruction: `Refine me ${i}` })).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'feed.yaml');
    ({ campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: pool }));
    await env.pipeline.services.db.execute(sql`
      insert into plan_entries (campaign_id, round, item_id, repeat_index, category, stage, position)
      select campaign_id, 1, id, 0, 'Others', 1, seq from items where campaign_id = ${campaignId}`);
  });
  afterAll(async () => {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  });

  const queue = () => env.pipeline.services.queues.queue('refine');
  const setStatus = (status: string) =>
    env.pipeline.services.db.execute(sql`update campaigns set status = ${status} where id = ${campaignId}`).then(() => env.pipeline.services.gate.forget(campaignId));

  test('adds a page only when the backlog is down to the limit, until every pending refinement is queued', async () => {
    await setStatus('refining');
    let settled = false;
    const feeding = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 5, page: 10 }).finally(() => (settled = true));
    await waitFor('first page', async () => ((await queue().getWaitingCount()) === 10 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(await queue().getWaitingCount()).toBe(10); // 10 > 5: the feed waits
    expect(settled).toBe(false);

    // Take jobs as a worker would; the feed follows, never holding more than backlog + page.
    let taken = 0;
    while (!settled || (await queue().getWaitingCount()) > 0) {
      const waiting = await queue().getWaiting(0, 0);
      expect(await queue().getWaitingCount()).toBeLessThanOrEqual(15);
      if (waiting[0]) {
        await waiting[0].remove();
        taken++;
      } else {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await expect(feeding).resolves.toBe(30);
    expect(taken).toBe(30);
  });

  test('a paused campaign stops the feed; a closing worker postpones it', async () => {
    await queue().obliterate({ force: true });
    await setStatus('refining');
    const paused = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 5, page: 10 });
    await waitFor('first page', async () => ((await queue().getWaitingCount()) === 10 ? true : undefined), 10_000);
    await setStatus('paused');
    await expect(paused).resolves.toBe(10);

    await queue().obliterate({ force: true });
    await setStatus('refining');
    const closing = new AbortController();
    const postponed = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 5, page: 10, closing: closing.signal });
    await waitFor('first page', async () => ((await queue().getWaitingCount()) === 10 ? true : undefined), 10_000);
    closing.abort();
    await expect(postponed).rejects.toBeInstanceOf(PostponeStepError);
  });

  test('without a feed (reconcile) every pending refinement is queued at once', async () => {
    await queue().obliterate({ force: true });
    await expect(enqueuePendingRefinements(env.pipeline.services, campaignId, 1)).resolves.toBe(30);
    expect(await queue().getWaitingCount()).toBe(30);
  });
});
