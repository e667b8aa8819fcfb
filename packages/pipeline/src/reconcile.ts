import { campaigns, rounds } from '@tapir/db';
import { closeAbandonedCalls } from '@tapir/ledger';
import { and, eq } from 'drizzle-orm';
import { signalNeeds } from './difficulty-signals';
import type { PipelineServices } from './services';
import type { RoundContext } from './steps/step-definition';

/** Units enqueued per step (items, chunks' items, expansions, or the plan), by step name. */
export type ReconcileCounts = Record<string, number>;

/**
 * Enqueues every job that PostgreSQL says is still due for the campaign's current round: each
 * step of the round's phase (before the plan: measuring; after it: refining) enqueues its own,
 * in registry order. It is how a run starts and how a lost queue (Redis flushed or restarted) is
 * rebuilt; deterministic job ids make it safe to call at any time.
 */
export async function reconcileCampaign(s: PipelineServices, campaignId: string): Promise<ReconcileCounts> {
  const [campaign] = await s.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw new Error(`campaign ${campaignId} does not exist`);
  const round = campaign.currentRound;
  // Reconcile runs after whatever stopped the work (a start after a crash, a resume, a stall):
  // rows of dead workers are closed here, so that status shows what is really on the wire.
  await closeAbandonedCalls(s.db, campaignId);
  const counts: ReconcileCounts = Object.fromEntries(s.steps.names.map((name) => [name, 0]));

  const [roundRow] = await s.db
    .select()
    .from(rounds)
    .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
  if (roundRow?.completedAt) return counts;
  if (campaign.status === 'paused' || campaign.status === 'cancelled') return counts;
  // A job that failed in Redis without its failure reaching PostgreSQL (e.g. the database was
  // down at that moment) would block re-adding its id; PostgreSQL says what is still due.
  await s.queues.removeCampaignJobs(campaignId, ['failed']);

  const ctx: RoundContext = { campaignId, round, needs: signalNeeds((await s.registry.get(campaignId)).config) };
  for (const step of s.steps.inPhase(roundRow?.plannedAt ? 'refine' : 'measure')) {
    counts[step.name] = await step.enqueueDue(s, ctx);
  }
  return counts;
}
