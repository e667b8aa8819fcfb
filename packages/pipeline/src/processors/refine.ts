import { refinePromptFor } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { loadItemState, runPrepared } from '../item-state';
import { callModel } from '../model-call';
import { completeRoundIfDone } from '../progression';
import type { PipelineServices } from '../services';

const RECORD_REFINED_SQL = `
  with recorded as (
    insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
    select $1, $2, 'refined', 0, $4, 'llm', $5, $6, $7 where $4::text is not null
    on conflict do nothing
  )
  update plan_entries set refine_status = 'done' where campaign_id = $1 and round = $3 and item_id = $2`;

/** The teacher re-answers a planned item with its category's prompt: the training target. */
export async function processRefine(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item) return;
  let values = [item.campaignId, item.id, job.round, null, null, null, null] as unknown[];
  if (!item.refined) {
    const campaign = await s.registry.get(job.campaignId);
    const prompt = refinePromptFor(item.category ?? 'Others', campaign.config.refine.prompts);
    const reply = await callModel(s, campaign, 'teacher', job.round, {
      messages: prompt.build(item.instruction, item.input),
      promptVersion: prompt.version,
      purpose: 'refine',
      itemId: item.id,
    });
    const endpoint = await campaign.endpoint('teacher', job.round);
    values = [item.campaignId, item.id, job.round, reply.text, endpoint.settings.model, prompt.version, reply.callId];
  }
  // One statement: the refined answer and the plan rows' status commit together.
  await runPrepared(s.db, 'tapir_refined_record', RECORD_REFINED_SQL, values);
  await completeRoundIfDone(s, job.campaignId, job.round);
}
