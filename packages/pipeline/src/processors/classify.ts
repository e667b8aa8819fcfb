import { buildClassifyMessages, CLASSIFY_PROMPT_VERSION, parseClassification } from '@tapir/core';
import { items } from '@tapir/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { ItemJobData } from '../job-catalog';
import { loadItem } from '../item-store';
import { callModel } from '../model-call';
import { enqueuePlanIfReady } from '../progression';
import type { PipelineServices } from '../services';

/** Labels an item with one taxonomy category via the judge model; data-given labels are kept. */
export async function processClassify(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItem(s.db, job.campaignId, job.itemId);
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
    await s.db
      .update(items)
      .set({ category: parseClassification(reply.text, names), categorySource: 'classifier' })
      .where(and(eq(items.id, item.id), isNull(items.category)));
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
