import { buildClassifyMessages, CLASSIFY_PROMPT_VERSION, parseClassification } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { runBatched, type BatchedStatement } from '../batched-statement';
import { loadItemState } from '../item-state';
import { callModel } from '../model-call';
import { enqueuePlanIfReady } from '../progression';
import type { PipelineServices } from '../services';

const SET_LABEL: BatchedStatement = {
  name: 'tapir_classify_set_batch',
  width: 2,
  text: `
  update items i set category = q.category, category_source = 'classifier'
    from (select * from unnest($1::int[], $2::text[]) with ordinality as u(item_id, category, ord) order by item_id) as q
   where i.id = q.item_id and i.category is null
  returning q.ord::int as ord, i.status`,
};

/** Labels an item with one taxonomy category via the judge model; data-given labels are kept. */
export async function processClassify(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  if (item.category === null) {
    const campaign = await s.registry.get(job.campaignId);
    const names = campaign.config.taxonomy.categories.map((c) => c.name);
    const reply = await callModel(s, campaign, 'judge', job.round, {
      messages: buildClassifyMessages(item.instruction, item.input, names),
      promptVersion: CLASSIFY_PROMPT_VERSION,
      purpose: 'classify',
      itemId: item.id,
      temperature: 0, // a label, not prose: the most likely one
    });
    const labelled = await runBatched<{ status: string }>(s.db, SET_LABEL, [item.id, parseClassification(reply.text, names)]);
    // Still waiting for its measurement: the barrier cannot open now, and the step that marks
    // the item judged or failed updates this same row after the label committed (row lock),
    // then probes the barrier itself.
    if (labelled?.status === 'pending') return;
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
