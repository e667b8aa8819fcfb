import { refinePromptFor } from '@tapir/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { items, planEntries, RECORD_REFINED, REFINE_MEMBERS, REFINE_PENDING_PAGE, runBatched, runQuery } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { chunkJobs, chunkRange, completeChunks } from '../item-batches';
import { ITEM_CHUNK_SIZE, itemOrChunkJobSchema } from '../job-catalog';
import { loadItemState } from '../item-state';
import { completeRoundIfDone } from '../progression';
import type { PipelineServices } from '../services';
import { PermanentStepError, PostponeStepError } from '../step-error';
import { askForWholeAnswer } from '../whole-answer';
import { answerFollowUps } from './follow-up-turns';
import { DEFAULT_RETRY, defineItemStep, type ItemRef } from './step-definition';

/** The teacher re-answers a planned item with its category's prompt: the training target (docs/method.md, step 10). */
async function refineItem(s: PipelineServices, job: ItemRef): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item) return;
  let values = [item.campaignId, item.id, job.round, null, null, null, null] as unknown[];
  if (!item.refined) {
    const campaign = await s.registry.get(job.campaignId);
    const prompt = refinePromptFor(item.category ?? 'Others', campaign.config.refine.prompts);
    const answer = await askForWholeAnswer(s, campaign, 'teacher', job.round, {
      messages: prompt.build(item.instruction, item.input, item.system),
      promptVersion: prompt.version,
      purpose: 'refine',
      itemId: item.id,
    });
    // Still cut after the larger budget: the refinement fails for good and the item falls back
    // to the teacher's first answer, which is whole (a cut one failed the item before the plan).
    if (!answer.whole) throw new PermanentStepError(answer.reason);
    const endpoint = await campaign.endpoint('teacher', job.round);
    // Written before the refined answer: a crash between the two re-runs the job, whose requests
    // the ledger serves, and the follow-up rows are kept once (on conflict do nothing).
    if (item.followUps.length > 0) await answerFollowUps(s, campaign, job.round, item, answer.reply.text, endpoint.settings.model);
    values = [item.campaignId, item.id, job.round, answer.reply.text, endpoint.settings.model, prompt.version, answer.reply.callId];
  }
  // One statement: the refined answer and the plan rows' status commit together.
  await runBatched(s.db, RECORD_REFINED, values);
}

/**
 * A refinement that fails for good (a cut-off refined answer among them: reason `truncated`)
 * leaves the teacher's first answer as the item's training target (docs/decisions.md); the plan
 * rows say so, the export counts it in refineFallbacks, and the round can still complete.
 */
async function failRefinement(s: PipelineServices, item: ItemRef, reason: string): Promise<void> {
  await s.db.transaction(async (tx) => {
    await tx
      .update(planEntries)
      .set({ refineStatus: 'failed' })
      .where(
        and(
          eq(planEntries.campaignId, item.campaignId),
          eq(planEntries.round, item.round),
          eq(planEntries.itemId, item.itemId),
          eq(planEntries.refineStatus, 'pending'),
        ),
      );
    await tx.update(items).set({ failStep: 'refine', failReason: reason }).where(eq(items.id, item.itemId));
  });
  await completeRoundIfDone(s, item.campaignId, item.round);
}

export const refineStep = defineItemStep<void>({
  name: 'refine',
  label: 'refine',
  unit: 'item',
  chunked: true,
  phase: 'refine',
  schema: itemOrChunkJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,

  async chunkMembers(s, job) {
    const { first, end } = chunkRange(job.chunk);
    return (await runQuery(s.db, REFINE_MEMBERS, [job.campaignId, job.round, first, end])).map((r) => r.id);
  },

  processItem: refineItem,

  // The round may have been waiting only for these refinements (or, on a retry that found them
  // all stored, for nothing any more).
  async afterBatch(s, batch) {
    await completeRoundIfDone(s, batch.campaignId, batch.round);
  },

  onItemFailed: failRefinement,

  async enqueueDue(s, ctx) {
    const added = await enqueuePendingRefinements(s, ctx.campaignId, ctx.round);
    if (added === 0) await completeRoundIfDone(s, ctx.campaignId, ctx.round);
    return added;
  },

  progress: {
    columns: (ctx) => {
      const entries = sql`from plan_entries where campaign_id = ${ctx.campaignId} and round = ${ctx.round}`;
      return {
        done: sql`(select count(distinct item_id) filter (where refine_status = 'done') ${entries})`,
        failed: sql`(select count(distinct item_id) filter (where refine_status = 'failed') ${entries})`,
        total: sql`(select count(distinct item_id) ${entries})`,
      };
    },
  },
});

const REFINE_PAGE = 1000;
/**
 * Refine jobs the planner lets wait in the queue before it adds the next page. Adding 100,000 in
 * one burst was the worker's memory peak in bench scenario 5 (each added job leaves a few KB of
 * garbage that outlives the burst); fed at the pace refinements finish, the peak no longer
 * depends on the plan's size, and Redis holds a bounded backlog.
 */
export const REFINE_BACKLOG = (2 * REFINE_PAGE) / ITEM_CHUNK_SIZE;
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
    const page = { rows: await runQuery(s.db, REFINE_PENDING_PAGE, [campaignId, round, after, pageSize]) };
    if (page.rows.length === 0) return total;
    const { ids, after: next } = completeChunks(page.rows.map((r) => r.item_id), page.rows.length === pageSize);
    await s.queues.addBulk(refineStep, chunkJobs(campaignId, round, ids));
    total += ids.length;
    after = next;
    if (page.rows.length < pageSize) return total;
  }
}

/** True once the refine queue's backlog allows another page; false if the campaign halted meanwhile. */
async function waitForRefineBacklog(s: PipelineServices, campaignId: string, feed: RefineFeed): Promise<boolean> {
  const queue = s.queues.queue(refineStep.name);
  for (;;) {
    if (feed.closing?.aborted) throw new PostponeStepError('worker closing while feeding refinements', 1000);
    if (await s.gate.halted(campaignId)) return false;
    if ((await queue.getWaitingCount()) <= feed.backlog) return true;
    await sleep(BACKLOG_POLL_MS);
  }
}
