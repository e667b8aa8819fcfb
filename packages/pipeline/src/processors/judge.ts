import {
  buildJudgeMessages,
  combineSwappedJudgements,
  JUDGE_PROMPT_VERSION,
  parseJudgeScores,
} from '@tapir/core';
import type { CampaignRuntime } from '../campaign-registry';
import type { ItemJobData } from '../job-catalog';
import { questionText } from '../item-text';
import { runBatched, type BatchedStatement } from '../batched-statement';
import { loadItemState, type ItemState } from '../item-state';
import { callModel } from '../model-call';
import { signalNeeds } from '../difficulty-signals';
import { enqueuePlanIfReady, markMeasuredIfComplete } from '../progression';
import type { PipelineServices } from '../services';
import { PermanentStepError } from '../step-error';

interface OrderVerdict {
  scores: [number, number];
  /** every raw reply, the unparseable ones included, so a user can see what the judge said */
  replies: string[];
}

/**
 * Asks the referee once for one order of the two answers. A reply that does not parse is asked
 * again with a salted cache key (the unparseable reply stays in the ledger), up to the bound.
 */
async function judgeOrder(
  s: PipelineServices,
  campaign: CampaignRuntime,
  item: ItemState,
  round: number,
  answer1: string,
  answer2: string,
  order: 'forward' | 'swapped',
): Promise<OrderVerdict> {
  const replies: string[] = [];
  const maxAttempts = campaign.config.judge.maxParseAttempts;
  let lastReason = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const reply = await callModel(s, campaign, 'judge', round, {
      messages: buildJudgeMessages(questionText(item), answer1, answer2),
      promptVersion: JUDGE_PROMPT_VERSION,
      purpose: 'judge',
      itemId: item.id,
      ...(attempt > 1 ? { salt: `reask-${attempt}` } : {}),
    });
    replies.push(reply.text);
    const parsed = parseJudgeScores(reply.text);
    if (parsed.ok) return { scores: parsed.scores, replies };
    lastReason = parsed.reason;
  }
  throw new PermanentStepError(`judge reply unparseable after ${maxAttempts} attempts (${order} order): ${lastReason}`);
}

// With MFD the only signal, the judgment and the item's new status commit in one statement;
// with IFD too ($10 false), the status waits for both (markMeasuredIfComplete).
/** The judgment and (when MFD is the only signal) the item's measured status, in one statement. */
const RECORD_JUDGMENT: BatchedStatement = {
  name: 'tapir_judgment_record_batch',
  width: 10,
  text: `
  with q as materialized (
    select * from unnest($1::text[], $2::int[], $3::int[], $4::real[], $5::real[], $6::real[], $7::jsonb[], $8::text[], $9::text[], $10::boolean[])
           as q(campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version, mark_judged)
     order by item_id
  ), recorded as (
    insert into judgments (campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version)
    select campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version from q
    on conflict do nothing
  )
  update items i set status = 'judged' from q where i.id = q.item_id and i.status = 'pending' and q.mark_judged`,
};

/** Scores teacher vs student twice, positions swapped, averages, and stores MFD with raw replies. */
export async function processJudge(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  const campaign = await s.registry.get(job.campaignId);
  const needs = signalNeeds(campaign.config);
  if (!item.judged) {
    const teacher = item.teacherAnswer;
    const student = item.studentAnswer;
    if (teacher === null || student === null) throw new PermanentStepError('judge ran before both answers existed');
    // Both orders settle before the job may fail: if one fails (say a 429) while the other is
    // still in flight, a retry of the job must not send that other request a second time.
    const settled = await Promise.allSettled([
      judgeOrder(s, campaign, item, job.round, teacher, student, 'forward'),
      judgeOrder(s, campaign, item, job.round, student, teacher, 'swapped'),
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
      JUDGE_PROMPT_VERSION,
      !needs.ifd,
    ]);
    if (needs.ifd) await markMeasuredIfComplete(s, item.id, job.round, needs);
  } else if (item.status === 'pending') {
    await markMeasuredIfComplete(s, item.id, job.round, needs);
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
