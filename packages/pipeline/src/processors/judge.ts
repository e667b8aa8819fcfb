import {
  buildJudgeMessages,
  combineSwappedJudgements,
  JUDGE_PROMPT_VERSION,
  parseJudgeScores,
} from '@tapir/core';
import type { CampaignRuntime } from '../campaign-registry';
import type { ItemJobData } from '../job-catalog';
import { questionText } from '../item-text';
import { loadItemState, runPrepared, type ItemState } from '../item-state';
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
const RECORD_JUDGMENT_SQL = `
  with recorded as (
    insert into judgments (campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version)
    values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) on conflict do nothing
  )
  update items set status = 'judged' where id = $2 and status = 'pending' and $10::boolean`;

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
    await runPrepared(s.db, 'tapir_judgment_record', RECORD_JUDGMENT_SQL, [
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
