import { buildExpandMessages, EXPAND_PROMPT_VERSION, filterExpandedInstruction, instructionKey, parseExpandReply, type ExpansionFilterResult } from '@tapir/core';
import { createHash } from 'node:crypto';
import { ACCEPT_EXPANSION, expansions, LOAD_EXPANSION, REJECT_EXPANSION, runQuery } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { signalNeeds } from '../difficulty-signals';
import { askForWholeAnswer } from '../whole-answer';
import { poolSimilarity } from '../pool-similarity';
import type { PipelineServices } from '../services';
import { enqueuePlanIfReady } from './plan-barrier';
import { DEFAULT_RETRY, defineJobStep } from './step-definition';

const expandJobSchema = z.object({ campaignId: z.string().min(1), round: z.number().int().positive(), expansionId: z.number().int().positive() });
type ExpandJob = z.infer<typeof expandJobSchema>;

/** A different sample for every (seed, slot): a fixed prompt at temperature 1 asked again. */
function samplingSeed(seedItemId: number, slot: number): number {
  return createHash('sha256').update(`expand:${seedItemId}:${slot}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** A filter's verdict as the expansion row's rejection reason, or null when it passed. */
function filterRejection(verdict: ExpansionFilterResult): string | null {
  return verdict.ok ? null : `${verdict.reason}: ${verdict.detail}`;
}

/**
 * The teacher writes one new instruction like a hard seed (docs/method.md, step 8: Lion's filters).
 * An accepted one becomes an item of origin `expanded` that goes through the whole pipeline
 * (classify, answers, judge) like any other before the round is planned again.
 */
async function processExpand(s: PipelineServices, job: ExpandJob): Promise<void> {
  const [row] = await runQuery(s.db, LOAD_EXPANSION, [job.expansionId, job.campaignId]);
  if (!row) return;
  const campaign = await s.registry.get(job.campaignId);
  let newItemId = row.status === 'accepted' ? row.item_id : null;
  if (row.status === 'pending') {
    const settings = campaign.config.expansion;
    const answer = await askForWholeAnswer(s, campaign, 'teacher', job.round, {
      messages: buildExpandMessages(row.instruction, row.input),
      promptVersion: EXPAND_PROMPT_VERSION,
      purpose: 'expand',
      itemId: row.seed_item_id,
      temperature: settings.temperature,
      seed: samplingSeed(row.seed_item_id, row.slot),
    });
    const reply = answer.reply;
    const text = parseExpandReply(reply.text);
    // A cut-off instruction is not the one the teacher meant to write: rejected as `truncated`.
    const rejection = !answer.whole
      ? answer.reason
      : text === null
        ? 'empty: the reply held no instruction'
        : filterRejection(
            filterExpandedInstruction(text, await poolSimilarity(s.db).index(job.campaignId), {
              minWords: settings.minWords,
              maxRougeL: settings.maxRougeL,
            }),
          );
    if (rejection === null && text !== null) {
      const [accepted] = await runQuery(s.db, ACCEPT_EXPANSION, [row.id, job.campaignId, instructionKey(text), text, row.seed_item_id, reply.callId]);
      newItemId = accepted?.item_id ?? null;
    } else if (rejection !== null) {
      await runQuery(s.db, REJECT_EXPANSION, [row.id, rejection, reply.callId]);
    }
  }
  if (newItemId !== null) {
    const data = { campaignId: job.campaignId, itemId: newItemId, round: job.round };
    const needs = signalNeeds(campaign.config);
    for (const step of s.steps.steps) if (step.unit === 'item' && step.startsItem?.(needs)) await s.queues.add(step, data);
  }
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}

export async function enqueuePendingExpansions(s: PipelineServices, campaignId: string, round: number): Promise<number> {
  const pending = await s.db
    .select({ id: expansions.id })
    .from(expansions)
    .where(and(eq(expansions.campaignId, campaignId), eq(expansions.round, round), eq(expansions.status, 'pending')));
  await s.queues.addBulk(
    expandStep,
    pending.map((p) => ({ campaignId, round, expansionId: p.id })),
  );
  return pending.length;
}


async function failExpansion(s: PipelineServices, job: ExpandJob, reason: string): Promise<void> {
  await s.db
    .update(expansions)
    .set({ status: 'failed', reason })
    .where(and(eq(expansions.id, job.expansionId), eq(expansions.status, 'pending')));
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}

/** One request to the teacher for a new instruction like a hard seed (an `expansions` row, made by the planner). */
export const expandStep = defineJobStep<ExpandJob>({
  name: 'expand',
  label: 'expand',
  unit: 'job',
  phase: 'measure',
  schema: expandJobSchema,
  retry: DEFAULT_RETRY,
  perRound: false,
  blocksPlan: `exists (select 1 from expansions where campaign_id = $1 and round = $2 and status = 'pending')`,

  process: processExpand,
  onFinalFailure: failExpansion,
  enqueueDue: (s, ctx) => enqueuePendingExpansions(s, ctx.campaignId, ctx.round),

  progress: {
    columns: (ctx) => {
      const rows = sql`from expansions where campaign_id = ${ctx.campaignId} and round = ${ctx.round}`;
      return {
        done: sql`(select count(*) filter (where status not in ('pending', 'failed')) ${rows})`,
        failed: sql`(select count(*) filter (where status = 'failed') ${rows})`,
        total: sql`(select count(*) ${rows})`,
      };
    },
    // Only once the planner has asked for new instructions.
    shown: (_ctx, counts) => counts.total > 0,
  },
});
