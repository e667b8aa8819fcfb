import { buildClassifyMessages, CLASSIFY_PROMPT_VERSION, parseClassification } from '@tapir/core';
import { runBatched, SET_LABEL } from '@tapir/db';
import { sql } from 'drizzle-orm';
import { itemOrChunkJobSchema } from '../job-catalog';
import { itemStepJobs } from '../item-batches';
import { loadItemState } from '../item-state';
import { callModel } from '../model-call';
import { dueItems, failItem, itemProgress } from './item-steps';
import { poolCleaned } from './clean';
import { enqueuePlanIfReady } from './plan-barrier';
import { DEFAULT_RETRY, defineItemStep } from './step-definition';

/**
 * Labels an item with one taxonomy category via the judge model; data-given labels are kept.
 * Runs alongside the answers (docs/decisions.md, "Pipeline shape"): only the plan needs it.
 */
export const classifyStep = defineItemStep<{ mayOpenPlan: boolean }>({
  name: 'classify',
  label: 'classify',
  unit: 'item',
  chunked: true,
  phase: 'measure',
  schema: itemOrChunkJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,
  startsWhenKept: () => true,
  blocksPlan: `exists (select 1 from items where campaign_id = $1 and category is null and status <> 'failed')`,

  async processItem(s, job) {
    const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
    if (!item || item.status === 'failed') return { mayOpenPlan: false };
    if (item.category !== null) return { mayOpenPlan: true };
    const campaign = await s.registry.get(job.campaignId);
    const names = campaign.config.taxonomy.categories.map((c) => c.name);
    const reply = await callModel(s, campaign, 'judge', job.round, {
      messages: buildClassifyMessages(item.instruction, item.input, names),
      promptVersion: CLASSIFY_PROMPT_VERSION,
      purpose: 'classify',
      itemId: item.id,
      temperature: 0, // a label, not prose: the most likely one
    });
    const labelled = await runBatched(s.db, SET_LABEL, [item.id, parseClassification(reply.text, names)]);
    // Still waiting for its measurement: the barrier cannot open now, and the step that marks
    // the item judged or failed updates this same row after the label committed (row lock),
    // then probes the barrier itself.
    return { mayOpenPlan: labelled?.status !== 'pending' };
  },

  async afterBatch(s, batch, results) {
    if (results.some((r) => r.mayOpenPlan)) await enqueuePlanIfReady(s, batch.campaignId, batch.round);
  },

  onItemFailed: (s, item, reason) => failItem(s, 'classify', item, reason),

  async enqueueDue(s, ctx) {
    if (!(await poolCleaned(s, ctx.campaignId))) return 0;
    const due = await dueItems(
      s,
      sql`select i.id, i.origin = 'expanded' as expanded from items i
           where i.campaign_id = ${ctx.campaignId} and i.status <> 'failed' and i.category is null order by i.id`,
    );
    await s.queues.addBulk(classifyStep, itemStepJobs(ctx.campaignId, ctx.round, due, true));
    return due.length;
  },

  progress: {
    columns: () => itemProgress('classify', sql`count(*) filter (where category is not null)`),
  },
});
