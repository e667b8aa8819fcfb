import { buildClassifyMessages, CLASSIFY_PROMPT_VERSION, parseClassification } from '@tapir/core';
import type { ItemJobData } from '../job-catalog';
import { loadItemState, runPrepared } from '../item-state';
import { callModel } from '../model-call';
import { enqueuePlanIfReady } from '../progression';
import type { PipelineServices } from '../services';

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
    await runPrepared(
      s.db,
      'tapir_classify_set',
      `update items set category = $2, category_source = 'classifier' where id = $1 and category is null`,
      [item.id, parseClassification(reply.text, names)],
    );
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
