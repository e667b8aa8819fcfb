import { setTimeout as sleep } from 'node:timers/promises';
import type { PlanSummary } from '@tapir/core';
import { expansions, rounds } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { chunkJobs, completeChunks } from '../item-chunks';
import { ITEM_CHUNK_SIZE, type JobData } from '../job-catalog';
import { completeRoundIfDone, setCampaignStatus } from '../progression';
import type { PipelineServices } from '../services';
import { PostponeStepError } from '../step-error';
import { countStaged } from './plan-counts';
import { drawRound } from './plan-draw';
import { insertPlanRows } from './plan-rows';

/**
 * The barrier step, once per round: rate every measured item by the configured difficulty
 * signal, keep the hard ones plus easy ones up to the round's hard share, fill short categories
 * by expansion (a pass ends this job; the round is planned again when the new items are
 * judged), rebalance to the target mix, cut into stages, and write the plan in one transaction.
 * A second run finds the round planned and only re-enqueues the refinements still missing.
 */
export async function processPlan(s: PipelineServices, job: JobData<'plan'>, closing?: AbortSignal): Promise<void> {
  const campaign = await s.registry.get(job.campaignId);
  const { config } = campaign;
  await setCampaignStatus(s, job.campaignId, 'planning');

  const outcome = await s.db.transaction(async (tx): Promise<'planned' | 'expanding'> => {
    const locked = await tx.execute<{ planned_at: Date | null; expansion_passes: number }>(
      sql`select planned_at, expansion_passes from ${rounds} where campaign_id = ${job.campaignId} and round = ${job.round} for update`,
    );
    if (locked.rows[0]?.planned_at) return 'planned';
    const passesDone = Number(locked.rows[0]?.expansion_passes ?? 0);

    const draw = await drawRound(tx, config, job.campaignId, job.round, passesDone);
    if (draw.outcome === 'expanding') return 'expanding';
    const { stages, report } = draw;

    await insertPlanRows(tx, job.campaignId, job.round, stages);

    const expansionOutcomes = await tx
      .select({ status: expansions.status, n: sql<number>`count(*)::int` })
      .from(expansions)
      .where(and(eq(expansions.campaignId, job.campaignId), eq(expansions.round, job.round)))
      .groupBy(expansions.status);
    const counts = countStaged(stages);
    const summary: PlanSummary = {
      signal: config.difficulty.signal,
      measured: report.measured,
      unusable: Object.values(report.unusableReasons).reduce((a, b) => a + b, 0),
      unusableReasons: report.unusableReasons,
      hard: report.hard,
      easyKept: report.easyKept,
      hardShareTarget: report.hardShareTarget,
      hardShareAchieved: report.selected === 0 ? 0 : Math.round((report.hard / report.selected) * 1000) / 1000,
      droppedBySelection: report.droppedBySelection,
      // The plan draws from the selection, each item once at repeatIndex 0.
      droppedByRebalance: report.selected - counts.plannedUnique,
      targetSize: report.targetSize,
      planned: counts.planned,
      plannedUnique: counts.plannedUnique,
      plannedHard: counts.plannedHard,
      plannedExpanded: counts.plannedExpanded,
      repeats: counts.repeats,
      shortfall: report.shortfall,
      capped: report.capped,
      quotas: report.quotas,
      expansion: {
        passes: passesDone,
        deficitsLeft: report.deficitsLeft,
        outcomes: Object.fromEntries(expansionOutcomes.map((o) => [o.status, Number(o.n)])),
      },
      mixBefore: report.mixBefore,
      mixSelected: report.mixSelected,
      mixAfter: counts.mixAfter,
      stageSizes: counts.stageSizes,
    };
    await tx
      .update(rounds)
      .set({ planSummary: summary, plannedAt: new Date() })
      .where(and(eq(rounds.campaignId, job.campaignId), eq(rounds.round, job.round)));
    return 'planned';
  });

  if (outcome === 'expanding') {
    await setCampaignStatus(s, job.campaignId, 'expanding');
    await enqueuePendingExpansions(s, job.campaignId, job.round);
    return;
  }
  await setCampaignStatus(s, job.campaignId, 'refining');
  await enqueuePendingRefinements(s, job.campaignId, job.round, { backlog: REFINE_BACKLOG, ...(closing ? { closing } : {}) });
  await completeRoundIfDone(s, job.campaignId, job.round);
}

export async function enqueuePendingExpansions(s: PipelineServices, campaignId: string, round: number): Promise<number> {
  const pending = await s.db
    .select({ id: expansions.id })
    .from(expansions)
    .where(and(eq(expansions.campaignId, campaignId), eq(expansions.round, round), eq(expansions.status, 'pending')));
  await s.queues.addBulk(
    'expand',
    pending.map((p) => ({ campaignId, round, expansionId: p.id })),
  );
  return pending.length;
}

const REFINE_PAGE = 1000;
/**
 * Refine jobs the planner lets wait in the queue before it adds the next page. Adding 100,000 in
 * one burst was the worker's memory peak in bench scenario 5 (each added job leaves a few KB of
 * garbage that outlives the burst); fed at the pace refinements finish, the peak no longer
 * depends on the plan's size, and Redis holds a bounded backlog.
 */
const REFINE_BACKLOG = (2 * REFINE_PAGE) / ITEM_CHUNK_SIZE;
const BACKLOG_POLL_MS = 200;

export interface RefineFeed {
  /** Wait while more than this many refine jobs (chunks of items) wait in the queue (all campaigns). */
  backlog: number;
  /** The worker is closing: stop feeding and postpone the job, which continues where it stopped. */
  closing?: AbortSignal;
  /** Item ids per page (tests). */
  page?: number;
}

/**
 * Enqueues the refinements a round still needs, a page of item ids at a time (keyset over the
 * partial index of pending rows), so that a 100,000-item plan never sits in memory as job data.
 * Each page goes in as chunk jobs; a full page's last chunk may go on in the next page, so it
 * waits for that page, and no chunk is added twice. With `feed`, each page waits until the
 * queue's backlog is down to `feed.backlog`; a halted campaign stops the feed (resume enqueues
 * the rest). Returns how many items the added chunks hold.
 */
export async function enqueuePendingRefinements(s: PipelineServices, campaignId: string, round: number, feed?: RefineFeed): Promise<number> {
  const pageSize = feed?.page ?? REFINE_PAGE;
  let after = 0;
  let total = 0;
  for (;;) {
    if (feed && !(await waitForRefineBacklog(s, campaignId, feed))) return total;
    const page = await s.db.$client.query<{ item_id: number }>({
      name: 'tapir_refine_pending_page',
      text: `select distinct item_id from plan_entries
              where campaign_id = $1 and round = $2 and refine_status = 'pending' and item_id > $3
              order by item_id limit $4`,
      values: [campaignId, round, after, pageSize],
    });
    if (page.rows.length === 0) return total;
    const { ids, after: next } = completeChunks(page.rows.map((r) => r.item_id), page.rows.length === pageSize);
    await s.queues.addBulk('refine', chunkJobs(campaignId, round, ids));
    total += ids.length;
    after = next;
    if (page.rows.length < pageSize) return total;
  }
}

/** True once the refine queue's backlog allows another page; false if the campaign halted meanwhile. */
async function waitForRefineBacklog(s: PipelineServices, campaignId: string, feed: RefineFeed): Promise<boolean> {
  const queue = s.queues.queue('refine');
  for (;;) {
    if (feed.closing?.aborted) throw new PostponeStepError('worker closing while feeding refinements', 1000);
    if (await s.gate.halted(campaignId)) return false;
    if ((await queue.getWaitingCount()) <= feed.backlog) return true;
    await sleep(BACKLOG_POLL_MS);
  }
}
