import { refinePromptFor } from '@tapir/core';
import { answers, planEntries } from '@tapir/db';
import { and, eq } from 'drizzle-orm';
import type { ItemJobData } from '../job-catalog';
import { loadAnswer, loadItem } from '../item-store';
import { callModel } from '../model-call';
import { completeRoundIfDone } from '../progression';
import type { PipelineServices } from '../services';

/** The teacher re-answers a planned item with its category's prompt: the training target. */
export async function processRefine(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItem(s.db, job.campaignId, job.itemId);
  if (!item) return;
  const campaign = await s.registry.get(job.campaignId);
  const alreadyRefined = (await loadAnswer(s.db, item.id, 'refined', job.round)) !== undefined;
  let insert: typeof answers.$inferInsert | undefined;
  if (!alreadyRefined) {
    const prompt = refinePromptFor(item.category ?? 'Others', campaign.config.refine.prompts);
    const reply = await callModel(s, campaign, 'teacher', job.round, {
      messages: prompt.build(item.instruction, item.input),
      promptVersion: prompt.version,
      purpose: 'refine',
      itemId: item.id,
    });
    const endpoint = await campaign.endpoint('teacher', job.round);
    insert = {
      campaignId: item.campaignId,
      itemId: item.id,
      kind: 'refined',
      round: 0,
      text: reply.text,
      source: 'llm',
      model: endpoint.settings.model,
      promptVersion: prompt.version,
      llmCallId: reply.callId,
    };
  }
  await s.db.transaction(async (tx) => {
    if (insert) await tx.insert(answers).values(insert).onConflictDoNothing();
    await tx
      .update(planEntries)
      .set({ refineStatus: 'done' })
      .where(and(eq(planEntries.campaignId, job.campaignId), eq(planEntries.round, job.round), eq(planEntries.itemId, item.id)));
  });
  await completeRoundIfDone(s, job.campaignId, job.round);
}
