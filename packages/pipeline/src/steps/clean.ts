import { sql } from 'drizzle-orm';
import { cleanPendingItems } from '../clean-pass';
import { signalNeeds } from '../difficulty-signals';
import { itemStepJobs, type DueItem } from '../item-batches';
import { itemOrChunkJobSchema } from '../job-catalog';
import { dueItems, failItem } from './item-steps';
import { enqueuePlanIfReady } from './plan-barrier';
import { DEFAULT_RETRY, defineItemStep } from './step-definition';
import type { PipelineServices } from '../services';

/** Items the clean step has not judged yet; every later step of an item waits for its verdict. */
export const UNCLEANED = `exists (select 1 from items where campaign_id = $1 and clean_verdict is null and status <> 'failed')`;

/** Whether the campaign's pool is cleaned: the steps after clean enqueue nothing before. */
export async function poolCleaned(s: PipelineServices, campaignId: string): Promise<boolean> {
  const rows = await s.db.execute(sql`select 1 from items where campaign_id = ${campaignId} and clean_verdict is null and status <> 'failed' limit 1`);
  return rows.rows.length === 0;
}

/**
 * Rows out of the pool before any model sees them (issue 15): duplicates, benchmark copies and
 * low-quality rows, by the rules of `clean:` (packages/clean). One job cleans every uncleaned item
 * of the campaign (clean-pass.ts: dedup needs the whole pool in one order); the jobs for an
 * expansion's new item run the same pass, which then finds just that item. The steps marked
 * `startsWhenKept` enqueue nothing while any item of the campaign is uncleaned (poolCleaned),
 * so a chunk job of theirs never meets an item still being judged; the pass asks them at its end.
 */
export const cleanStep = defineItemStep<DueItem[]>({
  name: 'clean',
  label: 'clean',
  unit: 'item',
  chunked: true,
  phase: 'measure',
  schema: itemOrChunkJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,
  startsItem: () => true,
  blocksPlan: UNCLEANED,

  async processItem(s, item) {
    const kept: DueItem[] = [];
    // A pass that was already ending when this item arrived may have missed it: ask again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = (await s.db.execute<{ pending: boolean }>(sql`select clean_verdict is null and status <> 'failed' as pending from items where id = ${item.itemId}`)).rows;
      if (!row?.pending) return kept;
      kept.push(...(await cleanPendingItems(s, item.campaignId)));
    }
    throw new Error(`item ${item.itemId} is still uncleaned after three cleaning passes`);
  },

  // After a pass that kept items, the steps that start with a kept item are asked what is due
  // (they wait while anything is uncleaned): that also covers items kept by a pass a crash cut short.
  async afterBatch(s, batch, results) {
    if (results.some((kept) => kept.length > 0)) {
      const ctx = { campaignId: batch.campaignId, round: batch.round, needs: signalNeeds((await s.registry.get(batch.campaignId)).config) };
      for (const step of s.steps.steps) if (step.unit === 'item' && step.startsWhenKept?.(ctx.needs)) await step.enqueueDue(s, ctx);
    }
    // Everything may have been dropped, or the pass was the last thing the plan waited for.
    await enqueuePlanIfReady(s, batch.campaignId, batch.round);
  },

  onItemFailed: (s, item, reason) => failItem(s, 'clean', item, reason),

  // One job is enough: its pass judges every uncleaned item.
  async enqueueDue(s, ctx) {
    const first = await dueItems(
      s,
      sql`select i.id, i.origin = 'expanded' as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.clean_verdict is null and i.status <> 'failed' order by i.id limit 1`,
    );
    await s.queues.addBulk(cleanStep, itemStepJobs(ctx.campaignId, ctx.round, first, true));
    return first.length;
  },

  progress: {
    columns: () => ({
      done: sql`count(*) filter (where clean_verdict is not null)`,
      failed: sql`count(*) filter (where fail_step = 'clean')`,
      total: sql`count(*)`,
    }),
  },
});
