import { ANSWER_PROMPT_VERSION, buildAnswerMessages } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { answerRound } from '../item-text';
import { loadItemState, runPrepared } from '../item-state';
import { callModel } from '../model-call';
import { signalNeeds } from '../difficulty-signals';
import { enqueueIfdIfReady, enqueueJudgeIfReady } from '../progression';
import type { PipelineServices } from '../services';

const INSERT_ANSWER_SQL = `
  insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
  values ($1, $2, $3, $4, $5, 'llm', $6, $7, $8) on conflict do nothing`;

/** The teacher's or the current student's answer to the plain instruction. */
export async function processAnswer(s: PipelineServices, role: 'teacher' | 'student', job: ItemJobData): Promise<void> {
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
    await runPrepared(s.db, 'tapir_answer_insert', INSERT_ANSWER_SQL, [
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
  if (needs.mfd) await enqueueJudgeIfReady(s, item.campaignId, item.id, job.round);
  if (needs.ifd && role === 'teacher') await enqueueIfdIfReady(s, item.campaignId, item.id, job.round);
}
