import { TRUNCATED_REASON_LIKE } from '@tapir/core';
import { campaigns, isCampaignStatus, items, planEntries, rounds, transition, transitionSources } from '@tapir/db';
import { and, eq, inArray, isNotNull, ne, notInArray, sql } from 'drizzle-orm';
import { resetCampaignBreakers } from './endpoint-health';
import type { PipelineServices } from './services';

/**
 * An item dropped as `truncated` is not retried: the same request at the same budget is served
 * the same cut answer from the ledger, so only a larger `maxTokens` in a new campaign could help.
 */
const notTruncated = sql`coalesce(${items.failReason}, '') not like ${TRUNCATED_REASON_LIKE}`;

export class CampaignControlError extends Error {}

async function requireCampaign(s: PipelineServices, campaignId: string) {
  const [row] = await s.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) throw new CampaignControlError(`campaign ${campaignId} does not exist (see \`tapir list\`)`);
  return row;
}

export interface ResumeOptions {
  /** New budget.maxUsd; must be above what is already spent. */
  budgetUsd?: number;
  budgetTokens?: number;
}

/**
 * Makes a paused, failed, cancelled or interrupted campaign runnable again. The spend counters
 * are recomputed from the ledger (reservations of requests that died with a worker are
 * forgotten), budgets may be raised, and the caller then reconciles the queues.
 */
export async function resumeCampaign(s: PipelineServices, campaignId: string, opts: ResumeOptions = {}): Promise<void> {
  const row = await requireCampaign(s, campaignId);
  await s.db.transaction(async (tx) => {
    const spent = await tx.execute<{ usd: number | null; tokens: string | null }>(sql`
      select sum(cost_usd) as usd, sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) as tokens
        from llm_calls where campaign_id = ${campaignId} and status = 'completed'`);
    const spentUsd = Number(spent.rows[0]?.usd ?? 0);
    const spentTokens = Number(spent.rows[0]?.tokens ?? 0);
    if (opts.budgetUsd !== undefined && opts.budgetUsd <= spentUsd) {
      throw new CampaignControlError(`--budget ${opts.budgetUsd} is not above what campaign ${campaignId} has already spent ($${spentUsd.toFixed(4)})`);
    }
    if (opts.budgetTokens !== undefined && opts.budgetTokens <= spentTokens) {
      throw new CampaignControlError(`--budget-tokens ${opts.budgetTokens} is not above the ${spentTokens} tokens already spent`);
    }
    const [round] = await tx
      .select({ completedAt: rounds.completedAt })
      .from(rounds)
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, row.currentRound)));
    const target = round?.completedAt ? 'completed' : 'running';
    // Resume takes a campaign from wherever it stopped; a completed one it only re-counts.
    if (!(isCampaignStatus(row.status) && row.status === target)) {
      await transition(tx, campaignId, transitionSources('resume', target), target);
    }
    await tx
      .update(campaigns)
      .set({
        spentUsd,
        spentTokens,
        reservedUsd: 0,
        reservedTokens: 0,
        ...(opts.budgetUsd !== undefined ? { budgetUsd: opts.budgetUsd } : {}),
        ...(opts.budgetTokens !== undefined ? { budgetTokens: opts.budgetTokens } : {}),
        updatedAt: new Date(),
      })
      .where(eq(campaigns.id, campaignId));
  });
  s.gate.forget(campaignId);
  await resetCampaignBreakers(s, campaignId);
}

export const PAUSED_BY_USER_MESSAGE = 'paused by the user; `tapir resume` continues it';

/**
 * Halts a live campaign as a budget pause does: its queued jobs stay where they are and are
 * dropped when a worker picks them up (the gate sees the status within a second), requests in
 * flight finish and are recorded, and `tapir resume` rebuilds the queues from PostgreSQL. Pausing
 * a paused campaign changes nothing; a finished, failed or cancelled one is refused with its status.
 */
export async function pauseCampaign(s: PipelineServices, campaignId: string): Promise<void> {
  const row = await requireCampaign(s, campaignId);
  if (row.status === 'paused') return;
  const moved = await transition(s.db, campaignId, transitionSources('pause', 'paused'), 'paused', PAUSED_BY_USER_MESSAGE);
  s.gate.forget(campaignId);
  if (!moved) {
    const now = await requireCampaign(s, campaignId);
    if (now.status !== 'paused') throw new CampaignControlError(`campaign ${campaignId} is ${now.status}: only a created or working campaign can be paused`);
  }
}

/** Stops a campaign: waiting jobs are removed, jobs in flight are dropped when they next check. */
export async function cancelCampaign(s: PipelineServices, campaignId: string): Promise<number> {
  const row = await requireCampaign(s, campaignId);
  if (row.status === 'completed') throw new CampaignControlError(`campaign ${campaignId} is already completed`);
  // Already cancelled: nothing to move, but its queued jobs are removed again all the same.
  const moved = await transition(s.db, campaignId, transitionSources('cancel', 'cancelled'), 'cancelled', 'cancelled by the user');
  if (!moved && (await requireCampaign(s, campaignId)).status === 'completed') {
    throw new CampaignControlError(`campaign ${campaignId} completed before it could be cancelled`);
  }
  s.gate.forget(campaignId);
  return s.queues.removeCampaignJobs(campaignId, ['waiting', 'delayed', 'prioritized', 'failed']);
}

export interface RetryFailedResult {
  items: number;
  refinements: number;
  /** The round had been planned without the failed items: its plan is discarded and made again. */
  replanned: boolean;
}

/**
 * Gives failed items another chance. Items that failed before planning go back to pending; if
 * the round was already planned without them, the plan is discarded so that it is made again
 * with them (refined answers already bought are kept and reused). Failed refinements are queued
 * again. Failures of reason `truncated` are left as they are (notTruncated).
 */
export async function retryFailed(s: PipelineServices, campaignId: string): Promise<RetryFailedResult> {
  const row = await requireCampaign(s, campaignId);
  const round = row.currentRound;
  // A refinement that failed leaves its item in the plan (fail_step set, status kept): those are
  // queued again, not reset to pending like the items that failed while being measured.
  const refineSteps = s.steps.inPhase('refine').map((step) => step.name);
  const result = await s.db.transaction(async (tx) => {
    const result: RetryFailedResult = { items: 0, refinements: 0, replanned: false };
    const reset = await tx
      .update(items)
      .set({
        // Reconcile marks those already measured by every signal the campaign uses as judged.
        status: 'pending',
        failStep: null,
        failReason: null,
      })
      .where(and(eq(items.campaignId, campaignId), isNotNull(items.failStep), notInArray(items.failStep, refineSteps), notTruncated))
      .returning({ id: items.id });
    result.items = reset.length;

    if (result.items > 0) {
      const [planned] = await tx
        .select({ plannedAt: rounds.plannedAt })
        .from(rounds)
        .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
      if (planned?.plannedAt) {
        await tx.delete(planEntries).where(and(eq(planEntries.campaignId, campaignId), eq(planEntries.round, round)));
        await tx
          .update(rounds)
          .set({ plannedAt: null, completedAt: null, planSummary: null })
          .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
        await tx.update(items).set({ failStep: null, failReason: null }).where(and(eq(items.campaignId, campaignId), inArray(items.failStep, refineSteps)));
        result.replanned = true;
      }
    }
    if (!result.replanned) {
      const refines = await tx
        .update(planEntries)
        .set({ refineStatus: 'pending' })
        .where(
          and(
            eq(planEntries.campaignId, campaignId),
            eq(planEntries.round, round),
            eq(planEntries.refineStatus, 'failed'),
            sql`${planEntries.itemId} in (select ${items.id} from ${items} where ${items.campaignId} = ${campaignId} and ${notTruncated})`,
          ),
        )
        .returning({ itemId: planEntries.itemId });
      const ids = [...new Set(refines.map((r) => r.itemId))];
      result.refinements = ids.length;
      if (ids.length > 0) {
        await tx.update(items).set({ failStep: null, failReason: null }).where(inArray(items.id, ids));
        await tx.update(rounds).set({ completedAt: null }).where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
      }
    }
    // A cancelled campaign keeps its status: its items wait for `tapir resume`.
    if (result.items + result.refinements > 0) await transition(tx, campaignId, transitionSources('retry-failed', 'running'), 'running');
    return result;
  });
  s.gate.forget(campaignId);
  return result;
}
