import { planEntries, REFINE_PENDING, rounds, runCoalesced, transition, transitionSources } from '@tapir/db';
import { closeAbandonedCalls } from '@tapir/ledger';
import { and, eq, isNull } from 'drizzle-orm';
import type { PipelineServices } from './services';

/**
 * How a round and a campaign end. Each check reads PostgreSQL, which alone decides what is done,
 * so a check that runs twice changes things once.
 */

/** Marks the round and the campaign completed once no planned item waits for its refined answer. */
export async function completeRoundIfDone(s: PipelineServices, campaignId: string, round: number): Promise<boolean> {
  // The cheap probe first: almost every refinement finishes with others still pending.
  const probe = await runCoalesced(s.db, REFINE_PENDING, [campaignId, round]);
  if (probe?.pending) return false;
  const outcome = await s.db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: planEntries.id })
      .from(planEntries)
      .where(and(eq(planEntries.campaignId, campaignId), eq(planEntries.round, round), eq(planEntries.refineStatus, 'pending')))
      .limit(1);
    if (pending) return 'refining' as const;
    const updated = await tx
      .update(rounds)
      .set({ completedAt: new Date() })
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round), isNull(rounds.completedAt)))
      .returning({ round: rounds.round });
    // A halted campaign keeps its status; resume finds the round finished and completes it.
    if (updated.length > 0) await transition(tx, campaignId, transitionSources('round-complete', 'completed'), 'completed');
    return updated.length > 0 ? ('finished now' as const) : ('finished before' as const);
  });
  if (outcome === 'refining') return false;
  // Nothing of a finished round is waited for any more: a row still pending belongs to a stray
  // duplicate or a dead worker. Closed as abandoned so that a finished campaign has nothing in
  // flight; a late answer still completes its row (LEDGER_COMPLETE takes abandoned rows).
  if (outcome === 'finished now') await closeAbandonedCalls(s.db, campaignId, true);
  return true;
}
