import { campaigns, items, planEntries, rounds } from '@tapir/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { hasJudgment, loadAnswer, type ItemRow } from './item-store';
import type { PipelineServices } from './services';

/**
 * What happens after a step: each check reads PostgreSQL, which alone decides what is done, and
 * enqueues the next job under its deterministic id, so a check that runs twice enqueues once.
 */

export async function enqueueJudgeIfReady(s: PipelineServices, item: ItemRow, round: number): Promise<void> {
  if (item.status === 'failed') return;
  const [teacher, student] = await Promise.all([
    loadAnswer(s.db, item.id, 'teacher', round),
    loadAnswer(s.db, item.id, 'student', round),
  ]);
  if (teacher === undefined || student === undefined) return;
  if (await hasJudgment(s.db, item.id, round)) return;
  await s.queues.add('judge', { campaignId: item.campaignId, itemId: item.id, round });
}

/** True when every item is judged or failed and labelled: the planner's barrier. */
export async function allItemsSettled(s: PipelineServices, campaignId: string): Promise<boolean> {
  const result = await s.db.execute<{ open: boolean }>(sql`
    select exists(select 1 from ${items} where campaign_id = ${campaignId} and status = 'pending')
        or exists(select 1 from ${items} where campaign_id = ${campaignId} and category is null and status <> 'failed')
        as open`);
  return result.rows[0]?.open === false;
}

export async function enqueuePlanIfReady(s: PipelineServices, campaignId: string, round: number): Promise<void> {
  if (!(await allItemsSettled(s, campaignId))) return;
  const [r] = await s.db
    .select({ plannedAt: rounds.plannedAt })
    .from(rounds)
    .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
  if (r?.plannedAt) return;
  await s.queues.add('plan', { campaignId, round });
}

/** Marks the round and the campaign completed once no planned item waits for its refined answer. */
export async function completeRoundIfDone(s: PipelineServices, campaignId: string, round: number): Promise<boolean> {
  return s.db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: planEntries.id })
      .from(planEntries)
      .where(and(eq(planEntries.campaignId, campaignId), eq(planEntries.round, round), eq(planEntries.refineStatus, 'pending')))
      .limit(1);
    if (pending) return false;
    const updated = await tx
      .update(rounds)
      .set({ completedAt: new Date() })
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round), isNull(rounds.completedAt)))
      .returning({ round: rounds.round });
    if (updated.length > 0) {
      await tx
        .update(campaigns)
        .set({ status: 'completed', message: null, updatedAt: new Date() })
        .where(and(eq(campaigns.id, campaignId), sql`${campaigns.status} not in ('cancelled')`));
    }
    return true;
  });
}

export async function setCampaignStatus(
  s: Pick<PipelineServices, 'db'>,
  campaignId: string,
  status: string,
  message: string | null = null,
): Promise<void> {
  await s.db.update(campaigns).set({ status, message, updatedAt: new Date() }).where(eq(campaigns.id, campaignId));
}
