import { ANSWER_PROMPT_VERSION, buildAnswerMessages } from '@tapir/core';
import { answers } from '@tapir/db';
import type { ItemJobData } from '../job-catalog';
import { answerRound, loadAnswer, loadItem } from '../item-store';
import { callModel } from '../model-call';
import { enqueueJudgeIfReady } from '../progression';
import type { PipelineServices } from '../services';

/** The teacher's or the current student's answer to the plain instruction. */
export async function processAnswer(s: PipelineServices, role: 'teacher' | 'student', job: ItemJobData): Promise<void> {
  const item = await loadItem(s.db, job.campaignId, job.itemId);
  if (!item || item.status === 'failed') return;
  if ((await loadAnswer(s.db, item.id, role, job.round)) === undefined) {
    const campaign = await s.registry.get(job.campaignId);
    const reply = await callModel(s, campaign, role, job.round, {
      messages: buildAnswerMessages(item.instruction, item.input),
      promptVersion: ANSWER_PROMPT_VERSION,
      purpose: `answer-${role}`,
      itemId: item.id,
    });
    const endpoint = await campaign.endpoint(role, job.round);
    await s.db
      .insert(answers)
      .values({
        campaignId: item.campaignId,
        itemId: item.id,
        kind: role,
        round: answerRound(role, job.round),
        text: reply.text,
        source: 'llm',
        model: endpoint.settings.model,
        promptVersion: ANSWER_PROMPT_VERSION,
        llmCallId: reply.callId,
      })
      .onConflictDoNothing();
  }
  await enqueueJudgeIfReady(s, item, job.round);
}
