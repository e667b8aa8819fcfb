import { ANSWER_PROMPT_VERSION, buildAnswerMessages } from '@tapir/core';
import { INSERT_ANSWER, runBatched } from '@tapir/db';
import type { LedgerResult } from '@tapir/ledger';
import { sql } from 'drizzle-orm';
import { answerRound } from '../item-text';
import { itemOrChunkJobSchema } from '../job-catalog';
import { itemStepJobs } from '../item-batches';
import { loadItemState } from '../item-state';
import type { CampaignRuntime } from '../campaign-registry';
import { callModel, type ModelCall } from '../model-call';
import type { PipelineServices } from '../services';
import { PermanentStepError } from '../step-error';
import { askForWholeAnswer } from '../whole-answer';
import { signalNeeds } from '../difficulty-signals';
import { poolCleaned } from './clean';
import { dueItems, failItem, itemProgress } from './item-steps';
import { enqueueJudgeIfReady } from './judge';
import { enqueueIfdIfReady } from './score-ifd';
import { DEFAULT_RETRY, defineItemStep, type ItemStepDefinition } from './step-definition';

/**
 * The teacher's answer becomes training data (when refinement falls back), so a cut one is asked
 * again with a larger budget and, still cut, fails the item as `truncated` (no retry can help:
 * the same request is served the same cut answer from the ledger). The student's answer is only
 * measured: a cut one is stored as it is and the referee is told (judge.ts).
 */
async function wholeTeacherAnswer(s: PipelineServices, campaign: CampaignRuntime, round: number, call: ModelCall): Promise<LedgerResult> {
  const answer = await askForWholeAnswer(s, campaign, 'teacher', round, call);
  if (!answer.whole) throw new PermanentStepError(answer.reason);
  return answer.reply;
}

/**
 * The teacher's or the current student's answer to the plain instruction (docs/method.md,
 * step 3). The teacher's is bought once for every round (round 0); the student's belongs to the
 * round's student. Both are what the referee compares.
 */
export function answerStep(role: 'teacher' | 'student'): ItemStepDefinition {
  const name = `answer-${role}`;
  const step: ItemStepDefinition = defineItemStep<void>({
    name,
    label: role,
    unit: 'item',
    chunked: true,
    phase: 'measure',
    schema: itemOrChunkJobSchema,
    retry: DEFAULT_RETRY,
    perRound: role === 'student',
    startsWhenKept: (needs) => role === 'teacher' || needs.mfd,

    async processItem(s, job) {
      const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
      if (!item || item.status === 'failed') return;
      if ((role === 'teacher' ? item.teacherAnswer : item.studentAnswer) !== null) return;
      const campaign = await s.registry.get(job.campaignId);
      const call = { messages: buildAnswerMessages(item.instruction, item.input, item.system), promptVersion: ANSWER_PROMPT_VERSION, purpose: name, itemId: item.id };
      const reply = role === 'teacher' ? await wholeTeacherAnswer(s, campaign, job.round, call) : await callModel(s, campaign, role, job.round, call);
      const endpoint = await campaign.endpoint(role, job.round);
      await runBatched(s.db, INSERT_ANSWER, [
        item.campaignId,
        item.id,
        role,
        answerRound(role, job.round),
        reply.text,
        endpoint.settings.model,
        ANSWER_PROMPT_VERSION,
        reply.callId,
      ]);
    },

    // After the batch's inserts committed: of the teacher's and the student's jobs for the same
    // items, whichever ends second sees both answers.
    async afterBatch(s, batch) {
      const needs = signalNeeds((await s.registry.get(batch.campaignId)).config);
      if (needs.mfd) await enqueueJudgeIfReady(s, batch);
      if (needs.ifd && role === 'teacher') await enqueueIfdIfReady(s, batch);
    },

    onItemFailed: (s, item, reason) => failItem(s, name, item, reason),

    async enqueueDue(s, ctx) {
      if (role === 'student' && !ctx.needs.mfd) return 0;
      if (!(await poolCleaned(s, ctx.campaignId))) return 0;
      const answerRoundSql = role === 'teacher' ? sql`0` : sql`${ctx.round}`;
      const due = await dueItems(
        s,
        sql`select i.id, i.origin = 'expanded' as expanded from items i
             where i.campaign_id = ${ctx.campaignId} and i.status <> 'failed' and (i.category is null or i.status = 'pending')
               and not exists (select 1 from answers a where a.item_id = i.id and a.kind = ${role} and a.round = ${answerRoundSql})
             order by i.id`,
      );
      await s.queues.addBulk(step, itemStepJobs(ctx.campaignId, ctx.round, due, true));
      return due.length;
    },

    progress: {
      columns: (ctx) =>
        itemProgress(
          name,
          sql`(select count(*) from answers where campaign_id = ${ctx.campaignId} and kind = ${role} and round = ${role === 'teacher' ? 0 : ctx.round})`,
        ),
      shown: (ctx) => role === 'teacher' || ctx.needs.mfd,
    },
  });
  return step;
}
