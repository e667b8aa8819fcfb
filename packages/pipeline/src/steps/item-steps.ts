import { items } from '@tapir/db';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { PipelineServices } from '../services';
import { enqueuePlanIfReady } from './plan-barrier';
import type { DueItem } from '../item-batches';
import { MEASUREMENT_PENDING } from './measurement';
import { DEFAULT_RETRY, type ItemBatch, type ItemRef, type ProgressColumns } from './step-definition';

/* The parts that item steps share: the default failure, the measuring steps' common fields, and the helpers for their due and progress queries. */

/**
 * The default for an item that failed for good at a measuring step: it is out of the round
 * (with the step and the reason, for `tapir status` and `retry-failed`), and the plan, which
 * may have been waiting only for it, is asked again.
 */
export async function failItem(s: PipelineServices, step: string, item: ItemRef, reason: string): Promise<void> {
  await s.db
    .update(items)
    .set({ status: 'failed', failStep: step, failReason: reason })
    .where(and(eq(items.id, item.itemId), ne(items.status, 'failed')));
  await enqueuePlanIfReady(s, item.campaignId, item.round);
}

/**
 * What every measuring item step shares: it works before the plan, holds the plan while items are
 * unmeasured, asks the barrier after each batch, and fails an item out of the round.
 */
export function measuringStep(name: string) {
  return {
    phase: 'measure' as const,
    retry: DEFAULT_RETRY,
    blocksPlan: MEASUREMENT_PENDING,
    async afterBatch(s: PipelineServices, batch: ItemBatch): Promise<void> {
      await enqueuePlanIfReady(s, batch.campaignId, batch.round);
    },
    onItemFailed: (s: PipelineServices, item: ItemRef, reason: string) => failItem(s, name, item, reason),
  };
}

/** Runs a step's "due items" query (`select i.id, i.origin = 'expanded' as expanded ...`). */
export async function dueItems(s: PipelineServices, query: SQL): Promise<DueItem[]> {
  const result = await s.db.execute<{ id: number; expanded: boolean }>(query);
  return result.rows.map((r) => ({ id: Number(r.id), expanded: r.expanded }));
}

/** Progress counts of a per-item step: items done by `done`, items that failed at this step, over `total`. */
export function itemProgress(step: string, done: SQL, total: SQL = sql`count(*)`): ProgressColumns {
  return { done, failed: sql`count(*) filter (where fail_step = ${step})`, total };
}
