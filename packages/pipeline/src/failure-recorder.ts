import { expansions, items, planEntries, transition, transitionSources } from '@tapir/db';
import { and, eq, ne } from 'drizzle-orm';
import type { ItemJobData, JobData, JobKind } from './job-catalog';
import { completeRoundIfDone, enqueuePlanIfReady } from './progression';
import type { PipelineServices } from './services';

/**
 * A job that will not be retried again leaves its reason in PostgreSQL, so that every item ends
 * planned, dropped or failed with a reason, and the barrier after it can still open.
 */
export async function recordFinalFailure(
  s: PipelineServices,
  kind: JobKind,
  data: JobData<JobKind>,
  reason: string,
): Promise<void> {
  const why = reason.slice(0, 1000);
  if (kind === 'plan') {
    await transition(s.db, data.campaignId, transitionSources('plan-failed', 'failed'), 'failed', `planning round ${data.round} failed: ${why}`);
    return;
  }
  if (kind === 'expand') {
    const { expansionId } = data as JobData<'expand'>;
    await s.db
      .update(expansions)
      .set({ status: 'failed', reason: why })
      .where(and(eq(expansions.id, expansionId), eq(expansions.status, 'pending')));
    await enqueuePlanIfReady(s, data.campaignId, data.round);
    return;
  }
  const itemId = (data as ItemJobData).itemId;
  if (kind === 'refine') {
    await s.db.transaction(async (tx) => {
      await tx
        .update(planEntries)
        .set({ refineStatus: 'failed' })
        .where(
          and(
            eq(planEntries.campaignId, data.campaignId),
            eq(planEntries.round, data.round),
            eq(planEntries.itemId, itemId),
            eq(planEntries.refineStatus, 'pending'),
          ),
        );
      await tx.update(items).set({ failStep: 'refine', failReason: why }).where(eq(items.id, itemId));
    });
    await completeRoundIfDone(s, data.campaignId, data.round);
    return;
  }
  await s.db
    .update(items)
    .set({ status: 'failed', failStep: kind, failReason: why })
    .where(and(eq(items.id, itemId), ne(items.status, 'failed')));
  await enqueuePlanIfReady(s, data.campaignId, data.round);
}
