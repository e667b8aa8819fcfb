import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { campaignStatus, createCampaign, reconcileCampaign } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { enqueueJudgeIfReady } from '../packages/pipeline/src/steps/judge';
import { seedChunkMembers } from '../packages/pipeline/src/item-batches';
import { chunkOf } from '../packages/pipeline/src/job-catalog';
import { cleanPendingItems } from '../packages/pipeline/src/clean-pass';
import { createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * Seed items travel in chunk jobs (one job per step per 8 item ids), which read their members
 * from PostgreSQL; an expansion's item keeps a job of its own; and a chunk's judge is queued only
 * once every live item in it has both answers, so no judge job can read half a chunk.
 */
describe('chunk jobs', () => {
  let env: TestEnv;
  let dir: string;
  let campaignId: string;
  let ids: number[];
  const db = () => env.pipeline.services.db;
  const queued = async (kind: string) =>
    (await env.pipeline.services.queues.queue(kind).getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.data as Record<string, number>);

  beforeAll(async () => {
    env = await createTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tapir-chunks-'));
    const pool = join(dir, 'pool.jsonl');
    await writeFile(pool, Array.from({ length: 20 }, (_, i) => JSON.stringify({ instruction: `Chunk me, item number ${i}` })).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'chunks.yaml');
    ({ campaignId } = await createCampaign(db(), { config, dataFile: pool }));
    ids = (await db().execute<{ id: number }>(sql`select id from items where campaign_id = ${campaignId} order by id`)).rows.map((r) => r.id);
    // The steps under test start once the pool is cleaned (every item here is kept).
    expect(await cleanPendingItems(env.pipeline.services, campaignId)).toHaveLength(20);
  });
  afterAll(async () => {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  });

  const answer = (itemId: number, kind: 'teacher' | 'student') =>
    db().execute(sql`insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version)
                     values (${campaignId}, ${itemId}, ${kind}, ${kind === 'teacher' ? 0 : 1}, 'An answer.', 'llm', 'm', 'v1')`);

  test('reconcile queues one job per chunk for each step, and no judge before a chunk is answered', async () => {
    await reconcileCampaign(env.pipeline.services, campaignId);
    const chunks = [...new Set(ids.map(chunkOf))].sort((a, b) => a - b);
    for (const kind of ['classify', 'answer-teacher', 'answer-student'] as const) {
      expect((await queued(kind)).map((d) => d.chunk).sort((a, b) => a! - b!)).toEqual(chunks);
    }
    expect(await queued('judge')).toEqual([]);
    // Members come from PostgreSQL: every live seed item of the chunk's range, nothing else.
    const first = chunks[0]!;
    expect(await seedChunkMembers(db(), { campaignId, chunk: first, round: 1 })).toEqual(ids.filter((id) => chunkOf(id) === first));
  });

  test("a chunk's judge is queued when its last live item gets its second answer, not before", async () => {
    const chunk = chunkOf(ids[ids.length - 1]!);
    const members = ids.filter((id) => chunkOf(id) === chunk);
    const job = { campaignId, chunk, round: 1 };
    for (const id of members) await answer(id, 'teacher');
    for (const id of members.slice(1)) await answer(id, 'student');
    await enqueueJudgeIfReady(env.pipeline.services, { ...job, itemIds: members });
    expect((await queued('judge')).filter((d) => d.chunk === chunk)).toEqual([]);
    // The unanswered item fails instead: the rest of the chunk is complete without it.
    await db().execute(sql`update items set status = 'failed', fail_step = 'answer-student', fail_reason = 'test' where id = ${members[0]!}`);
    await enqueueJudgeIfReady(env.pipeline.services, { ...job, itemIds: members });
    expect((await queued('judge')).filter((d) => d.chunk === chunk)).toEqual([job]);
    expect(await seedChunkMembers(db(), job)).toEqual(members.slice(1));
    // Reconcile applies the same rule and adds nothing twice.
    await reconcileCampaign(env.pipeline.services, campaignId);
    expect((await queued('judge')).map((d) => d.chunk)).toEqual([chunk]);
  });

  test('the campaign completes from its chunk jobs, every live item measured', async () => {
    env.startWorkers();
    const status = await waitFor('completion', async () => {
      const s = await campaignStatus(db(), campaignId);
      return s?.campaign.status === 'completed' ? s : undefined;
    });
    expect(status.items.failed).toBe(1);
    expect(status.mfd.count).toBe(ids.length - 1);
  });
});
