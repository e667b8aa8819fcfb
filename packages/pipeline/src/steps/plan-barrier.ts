import { runCoalesced } from '@tapir/db';
import { roundJobSchema } from '../job-catalog';
import type { PipelineServices } from '../services';

/**
 * The plan step's queue, apart from its definition (plan.ts): every measuring step asks the
 * barrier after its work, and the plan step enqueues measuring work (expansions), so this is
 * where the import cycle between them is cut.
 */
export const PLAN_QUEUE = { name: 'plan', schema: roundJobSchema } as const;

/**
 * The planner's barrier: every step that holds the plan (items still unmeasured or unlabelled,
 * new instructions on their way: the registry composes the conditions) is done, and the round is
 * not planned yet. One prepared probe, shared by the jobs that ask at the same time.
 */
export async function enqueuePlanIfReady(s: PipelineServices, campaignId: string, round: number): Promise<boolean> {
  const row = await runCoalesced(s.db, s.steps.planBarrier, [campaignId, round]);
  if (!row?.settled || row.planned) return false;
  await s.queues.add(PLAN_QUEUE, { campaignId, round });
  return true;
}

