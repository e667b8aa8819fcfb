import { ANSWER_PROMPT_VERSION, buildAnswerMessages } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { answerRound } from '../item-text';
import { runBatched, type BatchedStatement } from '../batched-statement';
import { loadItemState } from '../item-state';
import { callModel } from '../model-call';
import { signalNeeds } from '../difficulty-signals';
import { enqueueIfdIfReady, enqueueJudgeIfReady } from '../progression';
import type { PipelineServices } from '../services';

const INSERT_ANSWER: BatchedStatement = {
  name: 'tapir_answer_insert_batch',
  width: 8,
  text: `
  insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
  select q.campaign_id, q.item_id, q.kind, q.round, q.text, 'llm', q.model, q.prompt_version, q.llm_call_id
    from unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[])
         as q(campaign_id, item_id, kind, round, text, model, prompt_version, llm_call_id)
  on conflict do nothing`,
};

/**
 * The teacher's or the current student's answer to the plain instruction. In a chunk job the
 * judge is queued for the whole chunk once both answers of every item in it are stored
 * (chunk-progression.ts), not item by item.
 */
export async function processAnswer(s: PipelineServices, role: 'teacher' | 'student', job: ItemJobData, inChunk = false): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  const existing = role === 'teacher' ? item.teacherAnswer : item.studentAnswer;
  const campaign = await s.registry.get(job.campaignId);
  if (existing === null) {
    const reply = await callModel(s, campaign, role, job.round, {
      messages: buildAnswerMessages(item.instruction, item.input),
      promptVersion: ANSWER_PROMPT_VERSION,
      purpose: `answer-${role}`,
      itemId: item.id,
    });
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
  }
  // A separate statement after the insert committed: of two answer jobs finishing together,
  // the later one always sees both answers.
  const needs = signalNeeds(campaign.config);
  if (needs.mfd && !inChunk) await enqueueJudgeIfReady(s, item.campaignId, item.id, job.round);
  if (needs.ifd && role === 'teacher') await enqueueIfdIfReady(s, item.campaignId, item.id, job.round);
}
