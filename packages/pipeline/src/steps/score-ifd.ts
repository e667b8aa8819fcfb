import { computeIfd, IFD_PROMPT_VERSION, ifdPrefix, meanNll } from '@tapir/core';
import { IFD_READY, RECORD_IFD, runQuery } from '@tapir/db';
import { sql } from 'drizzle-orm';
import { signalNeeds } from '../difficulty-signals';
import { batchScope, itemStepJobs } from '../item-batches';
import { itemJobSchema } from '../job-catalog';
import { loadItemState } from '../item-state';
import { scoreWithModel } from '../model-call';
import type { PipelineServices } from '../services';
import { PermanentStepError } from '../step-error';
import { dueItems, itemProgress, measuringStep } from './item-steps';
import { markMeasuredIfComplete, markMeasuredItems } from './measurement';
import { defineItemStep, type ItemBatch, type ItemRef } from './step-definition';

/**
 * The Instruction-Following Difficulty of the teacher's answer for the round's student (Cherry
 * LLM, docs/method.md, step 5): s(A|Q) is the mean token NLL of the answer after the Alpaca prompt with the
 * instruction, s(A) the same with no prompt at all, and IFD = s(A|Q) / s(A). Near 1 the
 * instruction does not help the student produce the answer: it has not learned the task.
 */
async function scoreItem(s: PipelineServices, job: ItemRef): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  const campaign = await s.registry.get(job.campaignId);
  const needs = signalNeeds(campaign.config);
  if (!item.ifdScored) {
    const answer = item.teacherAnswer;
    if (answer === null) throw new PermanentStepError('IFD scoring ran before the teacher answer existed');
    const call = { target: answer, promptVersion: IFD_PROMPT_VERSION, itemId: item.id };
    // Both settle before the job may fail, so that a retry never re-sends one still in flight.
    const settled = await Promise.allSettled([
      scoreWithModel(s, campaign, 'student', job.round, { ...call, prefix: ifdPrefix(item.instruction, item.input), purpose: 'ifd-conditioned' }),
      scoreWithModel(s, campaign, 'student', job.round, { ...call, prefix: '', purpose: 'ifd-unconditioned' }),
    ]);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const [conditioned, unconditioned] = settled.map((r) => (r as PromiseFulfilledResult<{ tokens: number; sumLogprob: number }>).value) as [
      { tokens: number; sumLogprob: number },
      { tokens: number; sumLogprob: number },
    ];
    if (conditioned.tokens === 0 || unconditioned.tokens === 0) {
      throw new PermanentStepError('the teacher answer has no scorable tokens (empty answer?), so IFD is undefined');
    }
    const sAQ = meanNll(conditioned);
    const sA = meanNll(unconditioned);
    let ifd: number;
    try {
      ifd = computeIfd(sAQ, sA);
    } catch (err) {
      throw new PermanentStepError(`IFD undefined: ${(err as Error).message}`);
    }
    const endpoint = await campaign.endpoint('student', job.round);
    await runQuery(s.db, RECORD_IFD, [
      item.campaignId,
      item.id,
      job.round,
      sAQ,
      sA,
      ifd,
      conditioned.tokens,
      endpoint.settings.model,
    ]);
  }
  await markMeasuredIfComplete(s, item.id, job.round, needs);
}

/** Queues IFD scoring for the items of a batch that are ready for it, each as its own job. */
export async function enqueueIfdIfReady(s: PipelineServices, batch: ItemBatch): Promise<void> {
  const { ids, seedChunk } = batchScope(batch);
  const ready = await runQuery(s.db, IFD_READY, [batch.campaignId, ids, batch.round, seedChunk]);
  await s.queues.addBulk(
    scoreIfdStep,
    ready.map((r) => ({ campaignId: batch.campaignId, itemId: r.id, round: batch.round })),
  );
}

/** The student's log-probabilities of the teacher's answer, with and without the instruction: IFD. */
export const scoreIfdStep = defineItemStep<void>({
  name: 'score-ifd',
  label: 'ifd',
  unit: 'item',
  chunked: false,
  schema: itemJobSchema,
  perRound: true,
  ...measuringStep('score-ifd'),
  processItem: scoreItem,

  async enqueueDue(s, ctx) {
    if (!ctx.needs.ifd) return 0;
    // An item measured by both signals whose status update a crash lost between the two statements.
    await markMeasuredItems(s, ctx.campaignId, ctx.round, ctx.needs);
    const due = await dueItems(
      s,
      sql`select i.id, i.origin = 'expanded' as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.status = 'pending'
             and exists (select 1 from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0)
             and not exists (select 1 from ifd_scores f where f.item_id = i.id and f.round = ${ctx.round})
           order by i.id`,
    );
    await s.queues.addBulk(scoreIfdStep, itemStepJobs(ctx.campaignId, ctx.round, due, false));
    return due.length;
  },

  progress: {
    columns: (ctx) =>
      itemProgress(
        'score-ifd',
        sql`(select count(*) from ifd_scores where campaign_id = ${ctx.campaignId} and round = ${ctx.round})`,
        sql`count(*) filter (where fail_step is null or fail_step not in ('classify', 'answer-teacher'))`,
      ),
    shown: (ctx) => ctx.needs.ifd,
  },
});
