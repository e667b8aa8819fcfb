import { refinePromptFor } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { runBatched, type BatchedStatement } from '../batched-statement';
import { loadItemState } from '../item-state';
import { callModel } from '../model-call';
import { completeRoundIfDone } from '../progression';
import type { PipelineServices } from '../services';

/** The refined answer (when one was asked for) and the plan rows' status, in one statement. */
export const RECORD_REFINED: BatchedStatement = {
  name: 'tapir_refined_record_batch',
  width: 7,
  text: `
  with q as materialized (
    select * from unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[])
           as q(campaign_id, item_id, round, text, model, prompt_version, llm_call_id)
     order by item_id
  ), recorded as (
    insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
    select campaign_id, item_id, 'refined', 0, text, 'llm', model, prompt_version, llm_call_id from q where text is not null
    on conflict do nothing
  )
  update plan_entries p set refine_status = 'done' from q
   where p.campaign_id = q.campaign_id and p.round = q.round and p.item_id = q.item_id and p.refine_status = 'pending'`,
};

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
  await runBatched(s.db, RECORD_REFINED, values);
  await completeRoundIfDone(s, job.campaignId, job.round);
}
