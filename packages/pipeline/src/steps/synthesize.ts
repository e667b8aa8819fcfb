import { buildSynthesisMessages, filterExpandedInstruction, instructionKey, parseSynthesisReply, SYNTHESIZE_PROMPT_VERSION } from '@tapir/core';
import { createHash } from 'node:crypto';
import { syntheses } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { signalNeeds } from '../difficulty-signals';
import { poolSimilarity } from '../pool-similarity';
import type { PipelineServices } from '../services';
import { askForWholeAnswer } from '../whole-answer';
import { enqueuePlanIfReady } from './plan-barrier';
import { DEFAULT_RETRY, defineJobStep } from './step-definition';

const synthesizeJobSchema = z.object({ campaignId: z.string().min(1), round: z.number().int().positive(), category: z.string().min(1) });
type SynthesizeJob = z.infer<typeof synthesizeJobSchema>;

interface PendingSynthesis {
  id: number;
  category: string;
  slot: number;
  topic: string;
  audience: string;
  form: string;
}

/** A different sample per (category, slot, topic): the same request asked again (a crash, another campaign) is the same sample, served from the ledger. */
export function synthesisSamplingSeed(row: { category: string; slot: number; topic: string }): number {
  return createHash('sha256').update(`synthesize:${row.category}:${row.slot}:${row.topic}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * One synthesis request: the teacher writes a new instruction from the row's topic, audience and
 * form; it passes expansion's filters (too short, mentions "instruction", too close to the pool)
 * or is rejected with the reason. An accepted one becomes a pending item of origin `synthesized`
 * with no category: it is classified, answered and judged like any item. Returns the new item.
 */
async function synthesizeOne(s: PipelineServices, job: SynthesizeJob, row: PendingSynthesis): Promise<number | null> {
  const campaign = await s.registry.get(job.campaignId);
  const settings = campaign.config.synthesis;
  const answer = await askForWholeAnswer(s, campaign, 'teacher', job.round, {
    messages: buildSynthesisMessages(row),
    promptVersion: SYNTHESIZE_PROMPT_VERSION,
    purpose: 'synthesize',
    temperature: settings.temperature,
    seed: synthesisSamplingSeed(row),
  });
  const text = parseSynthesisReply(answer.reply.text);
  let rejection: string | null = null;
  if (!answer.whole) rejection = answer.reason;
  else if (text === null) rejection = 'empty: the reply held no instruction';
  else {
    const verdict = filterExpandedInstruction(text, await poolSimilarity(s.db).index(job.campaignId), {
      minWords: settings.minWords,
      maxRougeL: settings.maxRougeL,
    });
    if (!verdict.ok) rejection = `${verdict.reason}: ${verdict.detail}`;
  }
  if (rejection !== null || text === null) {
    await s.db.execute(sql`
      update syntheses set status = 'rejected', reason = ${rejection}, llm_call_id = ${answer.reply.callId}
       where id = ${row.id} and status = 'pending'`);
    return null;
  }
  // One statement: the item and the request's outcome commit together; a duplicate of a pool
  // instruction is rejected as such.
  const accepted = await s.db.execute<{ item_id: number | null }>(sql`
    with added as (
      insert into items (campaign_id, seq, key, instruction, input, origin, status)
      select ${job.campaignId}, (select coalesce(max(seq), 0) + 1 from items where campaign_id = ${job.campaignId}), ${instructionKey(text)}, ${text}, '', 'synthesized', 'pending'
      on conflict (campaign_id, key) do nothing
      returning id
    )
    update syntheses y
       set status = case when (select id from added) is null then 'rejected' else 'accepted' end,
           reason = case when (select id from added) is null then 'duplicate: the same instruction is already in the pool' else null end,
           item_id = (select id from added), llm_call_id = ${answer.reply.callId}
     where y.id = ${row.id} and y.status = 'pending'
    returning y.item_id`);
  return accepted.rows[0]?.item_id ?? null;
}

/**
 * A category's pending synthesis requests of the round, side by side (the teacher's concurrency
 * cap paces them). Every outcome is written as it arrives, so a retried job asks only for what is
 * still pending, and the ledger serves what was answered before a crash.
 */
async function processSynthesize(s: PipelineServices, job: SynthesizeJob): Promise<void> {
  const pending = await s.db
    .select({ id: syntheses.id, category: syntheses.category, slot: syntheses.slot, topic: syntheses.topic, audience: syntheses.audience, form: syntheses.form })
    .from(syntheses)
    .where(and(eq(syntheses.campaignId, job.campaignId), eq(syntheses.round, job.round), eq(syntheses.category, job.category), eq(syntheses.status, 'pending')));
  const outcomes = await Promise.allSettled(pending.map((row) => synthesizeOne(s, job, row)));
  const campaign = await s.registry.get(job.campaignId);
  const needs = signalNeeds(campaign.config);
  for (const outcome of outcomes) {
    if (outcome.status !== 'fulfilled' || outcome.value === null) continue;
    const data = { campaignId: job.campaignId, itemId: outcome.value, round: job.round };
    for (const step of s.steps.steps) if (step.unit === 'item' && step.startsItem?.(needs)) await s.queues.add(step, data);
  }
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}

async function failSynthesis(s: PipelineServices, job: SynthesizeJob, reason: string): Promise<void> {
  await s.db
    .update(syntheses)
    .set({ status: 'failed', reason })
    .where(and(eq(syntheses.campaignId, job.campaignId), eq(syntheses.round, job.round), eq(syntheses.category, job.category), eq(syntheses.status, 'pending')));
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}

/** One job per (round, category) with pending requests. */
export async function enqueuePendingSyntheses(s: PipelineServices, campaignId: string, round: number): Promise<number> {
  const categories = await s.db
    .selectDistinct({ category: syntheses.category })
    .from(syntheses)
    .where(and(eq(syntheses.campaignId, campaignId), eq(syntheses.round, round), eq(syntheses.status, 'pending')));
  await s.queues.addBulk(
    synthesizeStep,
    categories.map((c) => ({ campaignId, round, category: c.category })),
  );
  return categories.length;
}

/** Topic-seeded synthesis for categories with no seeds (phi-1.5; `syntheses` rows, made by the planner). */
export const synthesizeStep = defineJobStep<SynthesizeJob>({
  name: 'synthesize',
  label: 'synth',
  unit: 'job',
  phase: 'measure',
  schema: synthesizeJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,
  blocksPlan: `exists (select 1 from syntheses where campaign_id = $1 and round = $2 and status = 'pending')`,

  process: processSynthesize,
  onFinalFailure: failSynthesis,
  enqueueDue: (s, ctx) => enqueuePendingSyntheses(s, ctx.campaignId, ctx.round),

  progress: {
    columns: (ctx) => {
      const rows = sql`from syntheses where campaign_id = ${ctx.campaignId} and round = ${ctx.round}`;
      return {
        done: sql`(select count(*) filter (where status not in ('pending', 'failed')) ${rows})`,
        failed: sql`(select count(*) filter (where status = 'failed') ${rows})`,
        total: sql`(select count(*) ${rows})`,
      };
    },
    // Only once the planner has asked for synthesized instructions.
    shown: (_ctx, counts) => counts.total > 0,
  },
});
