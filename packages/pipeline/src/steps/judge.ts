import {
  buildJudgeMessages,
  refereeQuestion,
  combineSwappedJudgements,
  judgePromptVersion,
  type JudgeCutOff,
  parseJudgeScores,
} from '@tapir/core';
import { ANSWERS_CUT_OFF, JUDGE_READY, RECORD_JUDGMENT, runBatched, runQuery } from '@tapir/db';
import { sql } from 'drizzle-orm';
import type { CampaignRuntime } from '../campaign-registry';
import { itemOrChunkJobSchema } from '../job-catalog';
import { batchScope, itemStepJobs, sameBatchJob } from '../item-batches';
import { chunkOf } from '../job-catalog';
import { questionText } from '../item-text';
import { loadItemState, type ItemState } from '../item-state';
import { callModel } from '../model-call';
import { signalNeeds } from '../difficulty-signals';
import type { PipelineServices } from '../services';
import { PermanentStepError } from '../step-error';
import { fallBackToText, judgeReplyMode, judgeReplyRequest } from '../structured-reply';
import { dueItems, itemProgress, measuringStep } from './item-steps';
import { markMeasuredIfComplete } from './measurement';
import { defineItemStep, type ItemBatch } from './step-definition';

interface OrderVerdict {
  scores: [number, number];
  /** every raw reply, the unparseable ones included, so a user can see what the judge said */
  replies: string[];
  /** the ledger row (llm_calls.id) of each reply, in the same order: the export's lineage names them */
  callIds: number[];
  /** the prompt version of the reply that gave the scores (it names the reply mode) */
  promptVersion: string;
}

/**
 * Asks the referee once for one order of the two answers, as a structured reply where the endpoint
 * takes one (models.judge.structuredOutput). A reply that does not parse, or whose two scores
 * cannot be told apart without guessing, is asked again with a salted cache key (the reply stays in
 * the ledger), up to the bound. Under `auto`, an endpoint that rejects structured output with a 400
 * saying so is asked in text instead, which spends no parse attempt.
 */
async function judgeOrder(
  s: PipelineServices,
  campaign: CampaignRuntime,
  item: ItemState,
  round: number,
  answer1: string,
  answer2: string,
  order: 'forward' | 'swapped',
  cutOff: JudgeCutOff,
): Promise<OrderVerdict> {
  const replies: string[] = [];
  const callIds: number[] = [];
  const maxAttempts = campaign.config.judge.maxParseAttempts;
  const endpoint = await campaign.endpoint('judge', round);
  let lastReason = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const mode = judgeReplyMode(endpoint);
    const promptVersion = judgePromptVersion(mode);
    const structuredReply = judgeReplyRequest(mode);
    let reply;
    try {
      reply = await callModel(s, campaign, 'judge', round, {
        messages: buildJudgeMessages(refereeQuestion(questionText(item), item.system), answer1, answer2, mode, cutOff),
        promptVersion,
        purpose: 'judge',
        itemId: item.id,
        ...(attempt > 1 ? { salt: `reask-${attempt}` } : {}),
        ...(structuredReply ? { structuredReply } : {}),
      });
    } catch (err) {
      if (!fallBackToText(endpoint, mode, err)) throw err;
      s.logger.warn({ campaignId: campaign.id, model: endpoint.settings.model, mode }, 'judge endpoint rejected structured output; asking in text for the rest of this run');
      attempt--;
      continue;
    }
    replies.push(reply.text);
    callIds.push(reply.callId);
    const parsed = parseJudgeScores(reply.text);
    if (parsed.ok) return { scores: parsed.scores, replies, callIds, promptVersion };
    lastReason = parsed.reason;
  }
  throw new PermanentStepError(`judge reply unparseable after ${maxAttempts} attempts (${order} order): ${lastReason}`);
}

/** Whether the item's teacher and student answers stopped at their token limit, by the ledger's finish reasons. */
async function answersCutOff(s: PipelineServices, itemId: number, round: number): Promise<{ teacher: boolean; student: boolean }> {
  const row = await runBatched(s.db, ANSWERS_CUT_OFF, [itemId, round]);
  return { teacher: row?.teacher_cut ?? false, student: row?.student_cut ?? false };
}

/** Scores teacher vs student twice, positions swapped, averages, and stores MFD with raw replies (docs/method.md, step 4). */
async function judgeItem(s: PipelineServices, job: { campaignId: string; itemId: number; round: number }): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  const campaign = await s.registry.get(job.campaignId);
  const needs = signalNeeds(campaign.config);
  if (!item.judged) {
    const teacher = item.teacherAnswer;
    const student = item.studentAnswer;
    if (teacher === null || student === null) throw new PermanentStepError('judge ran before both answers existed');
    // A student's answer cut off at its token limit is judged as what it is, marked so (docs/decisions.md).
    const cut = await answersCutOff(s, item.id, job.round);
    // Both orders settle before the job may fail: if one fails (say a 429) while the other is
    // still in flight, a retry of the job must not send that other request a second time.
    const settled = await Promise.allSettled([
      judgeOrder(s, campaign, item, job.round, teacher, student, 'forward', { answer1: cut.teacher, answer2: cut.student }),
      judgeOrder(s, campaign, item, job.round, student, teacher, 'swapped', { answer1: cut.student, answer2: cut.teacher }),
    ]);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const [forward, swapped] = settled.map((r) => (r as PromiseFulfilledResult<OrderVerdict>).value) as [OrderVerdict, OrderVerdict];
    const combined = combineSwappedJudgements(forward.scores, swapped.scores);
    const endpoint = await campaign.endpoint('judge', job.round);
    // One statement: the judgment and the item's new status commit together.
    await runBatched(s.db, RECORD_JUDGMENT, [
      item.campaignId,
      item.id,
      job.round,
      combined.teacherScore,
      combined.studentScore,
      combined.mfd,
      JSON.stringify({ forward, swapped }),
      endpoint.settings.model,
      forward.promptVersion,
      !needs.ifd,
    ]);
    if (needs.ifd) await markMeasuredIfComplete(s, item.id, job.round, needs);
  } else if (item.status === 'pending') {
    await markMeasuredIfComplete(s, item.id, job.round, needs);
  }
}

/**
 * Queues the judge for a batch once both answers of every live item in it are stored. Only then:
 * a judge chunk job reads its members when it starts, so one queued earlier could have read a
 * part of the chunk and, still active, swallowed the add that was to bring the rest. Items only
 * ever gain answers or fail, so a batch once complete stays complete, and of the teacher's and
 * the student's jobs, whichever ends second (both probe after their writes committed) sees it
 * so; reconcile applies the same rule.
 */
export async function enqueueJudgeIfReady(s: PipelineServices, batch: ItemBatch): Promise<void> {
  const { ids, seedChunk } = batchScope(batch);
  const [row] = await runQuery(s.db, JUDGE_READY, [batch.campaignId, ids, batch.round, seedChunk]);
  if (row?.complete && row.due) await s.queues.add(judgeStep, sameBatchJob(batch));
}

/** The referee's swapped-order judgment of the teacher's and the student's answers: MFD. */
export const judgeStep = defineItemStep<void>({
  name: 'judge',
  label: 'judge',
  unit: 'item',
  chunked: true,
  schema: itemOrChunkJobSchema,
  perRound: true,
  ...measuringStep('judge'),
  processItem: judgeItem,

  async enqueueDue(s, ctx) {
    if (!ctx.needs.mfd) return 0;
    const answered = (kind: 'teacher' | 'student') =>
      sql`exists (select 1 from answers a where a.item_id = i.id and a.kind = ${kind} and a.round = ${kind === 'teacher' ? 0 : ctx.round})`;
    const due = await dueItems(
      s,
      sql`select i.id, i.origin = 'expanded' as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.status = 'pending' and ${answered('teacher')} and ${answered('student')}
             and not exists (select 1 from judgments j where j.item_id = i.id and j.round = ${ctx.round})
           order by i.id`,
    );
    // A seed chunk's judge only once every live item in it has both answers (enqueueJudgeIfReady);
    // until then the answer chunk jobs that reconcile adds queue it when they end.
    const unanswered = await dueItems(
      s,
      sql`select i.id, false as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.status <> 'failed' and i.origin <> 'expanded'
             and (i.category is null or i.status = 'pending') and not (${answered('teacher')} and ${answered('student')})`,
    );
    const waiting = new Set(unanswered.map((u) => chunkOf(u.id)));
    const ready = due.filter((d) => d.expanded || !waiting.has(chunkOf(d.id)));
    await s.queues.addBulk(judgeStep, itemStepJobs(ctx.campaignId, ctx.round, ready, true));
    return ready.length;
  },

  progress: {
    columns: (ctx) =>
      itemProgress(
        'judge',
        sql`(select count(*) from judgments where campaign_id = ${ctx.campaignId} and round = ${ctx.round})`,
        sql`count(*) filter (where fail_step is null or fail_step not in ('classify', 'answer-teacher', 'answer-student'))`,
      ),
    shown: (ctx) => ctx.needs.mfd,
  },
});
