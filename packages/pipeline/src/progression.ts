import { campaigns, items, planEntries, rounds, type CampaignState } from '@tapir/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { runBatched, runCoalesced, type BatchedStatement, type CoalescedProbe } from './batched-statement';
import type { SignalNeeds } from './difficulty-signals';
import type { PipelineServices } from './services';

/**
 * What happens after a step: each check reads PostgreSQL, which alone decides what is done, and
 * enqueues the next job under its deterministic id, so a check that runs twice enqueues once.
 */

const JUDGE_READY: BatchedStatement = {
  name: 'tapir_judge_ready_batch',
  width: 2,
  text: `
  select q.ord::int as ord,
         i.status <> 'failed'
         and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0 limit 1), false)
         and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'student' and a.round = q.round limit 1), false)
         and (select true from judgments j where j.item_id = i.id and j.round = q.round limit 1) is null as ready
    from unnest($1::int[], $2::int[]) with ordinality as q(item_id, round, ord)
    join items i on i.id = q.item_id`,
};

/**
 * Runs a readiness probe for an item's next step (batched with concurrent probes; each is sent
 * only after its caller's write returned, so it sees that write) and enqueues the step if ready.
 */
async function enqueueItemStepIfReady(
  s: PipelineServices,
  kind: 'judge' | 'score-ifd',
  probe: BatchedStatement,
  job: { campaignId: string; itemId: number; round: number },
): Promise<void> {
  const row = await runBatched<{ ready: boolean }>(s.db, probe, [job.itemId, job.round]);
  if (row?.ready) await s.queues.add(kind, job);
}

export function enqueueJudgeIfReady(s: PipelineServices, campaignId: string, itemId: number, round: number): Promise<void> {
  return enqueueItemStepIfReady(s, 'judge', JUDGE_READY, { campaignId, itemId, round });
}

const IFD_READY: BatchedStatement = {
  name: 'tapir_ifd_ready_batch',
  width: 2,
  text: `
  select q.ord::int as ord,
         i.status <> 'failed'
         and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0 limit 1), false)
         and (select true from ifd_scores f where f.item_id = i.id and f.round = q.round limit 1) is null as ready
    from unnest($1::int[], $2::int[]) with ordinality as q(item_id, round, ord)
    join items i on i.id = q.item_id`,
};

/** IFD needs only the teacher's answer and the round's student endpoint. */
export function enqueueIfdIfReady(s: PipelineServices, campaignId: string, itemId: number, round: number): Promise<void> {
  return enqueueItemStepIfReady(s, 'score-ifd', IFD_READY, { campaignId, itemId, round });
}

const MARK_MEASURED_SQL = `
  update items set status = 'judged'
   where id = $1 and status = 'pending'
     and (not $3::boolean or exists (select 1 from judgments j where j.item_id = $1 and j.round = $2))
     and (not $4::boolean or exists (select 1 from ifd_scores f where f.item_id = $1 and f.round = $2))`;

/**
 * An item measured by two signals is done when both are stored. Each signal's job runs this as
 * its own statement after its insert committed, so of two finishing together the later one
 * always sees both rows.
 */
export async function markMeasuredIfComplete(s: PipelineServices, itemId: number, round: number, needs: SignalNeeds): Promise<void> {
  await s.db.$client.query({ name: 'tapir_mark_measured', text: MARK_MEASURED_SQL, values: [itemId, round, needs.mfd, needs.ifd] });
}

export const PLAN_BARRIER: CoalescedProbe = {
  name: 'tapir_plan_barrier',
  text: `
  select not exists (select 1 from items where campaign_id = $1 and status = 'pending')
         and not exists (select 1 from items where campaign_id = $1 and category is null and status <> 'failed')
         and not exists (select 1 from expansions where campaign_id = $1 and round = $2 and status = 'pending') as settled,
         coalesce((select planned_at is not null from rounds where campaign_id = $1 and round = $2), false) as planned`,
};

/** The planner's barrier: every item judged or failed, labelled, and no new instruction on its way. One prepared probe, shared by the jobs that ask at the same time. */
export async function enqueuePlanIfReady(s: PipelineServices, campaignId: string, round: number): Promise<void> {
  const row = await runCoalesced<{ settled: boolean; planned: boolean }>(s.db, PLAN_BARRIER, [campaignId, round]);
  if (row?.settled && !row.planned) await s.queues.add('plan', { campaignId, round });
}

/** Marks the round and the campaign completed once no planned item waits for its refined answer. */
export const REFINE_PENDING: CoalescedProbe = {
  name: 'tapir_refine_pending',
  text: `select exists (select 1 from plan_entries where campaign_id = $1 and round = $2 and refine_status = 'pending') as pending`,
};

export async function completeRoundIfDone(s: PipelineServices, campaignId: string, round: number): Promise<boolean> {
  // The cheap probe first: almost every refinement finishes with others still pending.
  const probe = await runCoalesced<{ pending: boolean }>(s.db, REFINE_PENDING, [campaignId, round]);
  if (probe?.pending) return false;
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
  status: CampaignState,
  message: string | null = null,
): Promise<void> {
  await s.db.update(campaigns).set({ status, message, updatedAt: new Date() }).where(eq(campaigns.id, campaignId));
}
