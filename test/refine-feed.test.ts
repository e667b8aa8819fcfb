import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { createCampaign } from '@tapir/pipeline';
import { enqueuePendingRefinements } from '../packages/pipeline/src/steps/refine';
import { PostponeStepError } from '../packages/pipeline/src/step-error';
import { chunkOf, ITEM_CHUNK_SIZE } from '../packages/pipeline/src/job-catalog';
import type { Job } from 'bullmq';
import { sql } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * The planner feeds a round's refinements, in chunk jobs, at the pace they are taken, so that a
 * 100,000-item plan is never added to the queue in one burst: the backlog stays bounded, no chunk
 * is added twice across pages, a halted campaign stops the feed, and a closing worker postpones it.
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
  const itemIds = async () =>
    (await env.pipeline.services.db.execute<{ id: number }>(sql`select id from items where campaign_id = ${campaignId} order by id`)).rows.map((r) => r.id);
  /** The campaign's items that the given refine chunk jobs cover. */
  const covered = (ids: number[], chunks: number[]) => ids.filter((id) => chunks.includes(chunkOf(id)));
  const chunkOfJob = (job: Job) => (job.data as { chunk: number }).chunk;

  test('adds a page only when the backlog is down to the limit, until every pending refinement is queued', async () => {
    await setStatus('refining');
    const ids = await itemIds();
    let settled = false;
    const feeding = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 0, page: 10 }).finally(() => (settled = true));
    await waitFor('first page', async () => ((await queue().getWaitingCount()) > 0 ? true : undefined), 10_000);
    const firstPage = await queue().getWaitingCount();
    await new Promise((r) => setTimeout(r, 600));
    expect(await queue().getWaitingCount()).toBe(firstPage); // more than the backlog: the feed waits
    expect(settled).toBe(false);

    // Take jobs as a worker would; the feed follows, never holding more than the chunks of a page
    // (10 ids span at most 2 chunks of 8) on top of the backlog.
    const taken: number[] = [];
    while (!settled || (await queue().getWaitingCount()) > 0) {
      const waiting = await queue().getWaiting(0, 0);
      expect(await queue().getWaitingCount()).toBeLessThanOrEqual(Math.ceil(10 / ITEM_CHUNK_SIZE) + 1);
      if (waiting[0]) {
        taken.push(chunkOfJob(waiting[0]));
        await waiting[0].remove();
      } else {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await expect(feeding).resolves.toBe(30);
    expect(new Set(taken).size).toBe(taken.length); // no chunk added twice
    expect(covered(ids, taken)).toEqual(ids); // and every item in one of them
  });

  test('a paused campaign stops the feed; a closing worker postpones it', async () => {
    await queue().obliterate({ force: true });
    await setStatus('refining');
    const ids = await itemIds();
    const paused = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 0, page: 10 });
    await waitFor('first page', async () => ((await queue().getWaitingCount()) > 0 ? true : undefined), 10_000);
    await setStatus('paused');
    const firstPage = (await queue().getWaiting()).map(chunkOfJob);
    const counted = await paused;
    expect(counted).toBeLessThan(30);
    expect(counted).toBe(covered(ids, firstPage).length);

    await queue().obliterate({ force: true });
    await setStatus('refining');
    const closing = new AbortController();
    const postponed = enqueuePendingRefinements(env.pipeline.services, campaignId, 1, { backlog: 0, page: 10, closing: closing.signal });
    await waitFor('first page', async () => ((await queue().getWaitingCount()) > 0 ? true : undefined), 10_000);
    closing.abort();
    await expect(postponed).rejects.toBeInstanceOf(PostponeStepError);
  });

  test('without a feed (reconcile) every pending refinement is queued at once, one job per chunk', async () => {
    await queue().obliterate({ force: true });
    const ids = await itemIds();
    await expect(enqueuePendingRefinements(env.pipeline.services, campaignId, 1)).resolves.toBe(30);
    expect(await queue().getWaitingCount()).toBe(new Set(ids.map(chunkOf)).size);
  });
});
