import {
  buildJudgeMessages,
  combineSwappedJudgements,
  JUDGE_PROMPT_VERSION,
  parseJudgeScores,
} from '@tapir/core';
import { items, judgments } from '@tapir/db';
import { and, eq } from 'drizzle-orm';
import type { CampaignRuntime } from '../campaign-registry';
import type { ItemJobData } from '../job-catalog';
import { hasJudgment, loadAnswer, loadItem, questionText, type ItemRow } from '../item-store';
import { callModel } from '../model-call';
import { enqueuePlanIfReady } from '../progression';
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
  item: ItemRow,
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

/** Scores teacher vs student twice, positions swapped, averages, and stores MFD with raw replies. */
export async function processJudge(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItem(s.db, job.campaignId, job.itemId);
  if (!item || item.status === 'failed') return;
  if (!(await hasJudgment(s.db, item.id, job.round))) {
    const [teacher, student] = await Promise.all([
      loadAnswer(s.db, item.id, 'teacher', job.round),
      loadAnswer(s.db, item.id, 'student', job.round),
    ]);
    if (teacher === undefined || student === undefined) {
      throw new PermanentStepError('judge ran before both answers existed');
    }
    const campaign = await s.registry.get(job.campaignId);
    const [forward, swapped] = await Promise.all([
      judgeOrder(s, campaign, item, job.round, teacher, student, 'forward'),
      judgeOrder(s, campaign, item, job.round, student, teacher, 'swapped'),
    ]);
    const combined = combineSwappedJudgements(forward.scores, swapped.scores);
    const endpoint = await campaign.endpoint('judge', job.round);
    await s.db.transaction(async (tx) => {
      await tx
        .insert(judgments)
        .values({
          campaignId: item.campaignId,
          itemId: item.id,
          round: job.round,
          teacherScore: combined.teacherScore,
          studentScore: combined.studentScore,
          mfd: combined.mfd,
          detail: { forward, swapped },
          judgeModel: endpoint.settings.model,
          promptVersion: JUDGE_PROMPT_VERSION,
        })
        .onConflictDoNothing();
      await tx
        .update(items)
        .set({ status: 'judged' })
        .where(and(eq(items.id, item.id), eq(items.status, 'pending')));
    });
  } else {
    await s.db
      .update(items)
      .set({ status: 'judged' })
      .where(and(eq(items.id, item.id), eq(items.status, 'pending')));
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
