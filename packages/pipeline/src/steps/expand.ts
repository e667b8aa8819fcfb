import { buildExpandMessages, EXPAND_PROMPT_VERSION, filterExpandedInstruction, instructionKey, parseExpandReply } from '@tapir/core';
import { createHash } from 'node:crypto';
import { expansions } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { signalNeeds } from '../difficulty-signals';
import { callModel } from '../model-call';
import { poolSimilarity } from '../pool-similarity';
import type { PipelineServices } from '../services';
import { enqueuePlanIfReady } from './plan-barrier';
import { DEFAULT_RETRY, defineJobStep } from './step-definition';

const expandJobSchema = z.object({ campaignId: z.string().min(1), round: z.number().int().positive(), expansionId: z.number().int().positive() });
type ExpandJob = z.infer<typeof expandJobSchema>;

interface ExpansionRow {
  id: number;
  status: string;
  seed_item_id: number;
  slot: number;
  item_id: number | null;
  instruction: string;
  input: string;
}

const LOAD_SQL = `
  select x.id, x.status, x.seed_item_id, x.slot, x.item_id, i.instruction, i.input
    from expansions x join items i on i.id = x.seed_item_id
   where x.id = $1 and x.campaign_id = $2`;

// The new item and the expansion's outcome commit together; a key already in the pool (the
// same instruction written twice) makes it a rejected duplicate instead.
const ACCEPT_SQL = `
  with added as (
    insert into items (campaign_id, seq, key, instruction, input, origin, seed_item_id, status)
    select $2, (select coalesce(max(seq), 0) + 1 from items where campaign_id = $2), $3, $4, '', 'expanded', $5, 'pending'
    on conflict (campaign_id, key) do nothing
    returning id
  )
  update expansions x
     set status = case when (select id from added) is null then 'rejected' else 'accepted' end,
         reason = case when (select id from added) is null then 'duplicate: the same instruction is already in the pool' else null end,
         item_id = (select id from added), llm_call_id = $6
   where x.id = $1 and x.status = 'pending'
  returning x.status, x.item_id`;

const REJECT_SQL = `update expansions set status = 'rejected', reason = $2, llm_call_id = $3 where id = $1 and status = 'pending'`;

/** A different sample for every (seed, slot): a fixed prompt at temperature 1 asked again. */
function samplingSeed(seedItemId: number, slot: number): number {
  return createHash('sha256').update(`expand:${seedItemId}:${slot}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * The teacher writes one new instruction like a hard seed (docs/method.md, step 8: Lion's filters).
 * An accepted one becomes an item of origin `expanded` that goes through the whole pipeline
 * (classify, answers, judge) like any other before the round is planned again.
 */
async function processExpand(s: PipelineServices, job: ExpandJob): Promise<void> {
  const loaded = await s.db.$client.query<ExpansionRow>({ name: 'tapir_expansion_load', text: LOAD_SQL, values: [job.expansionId, job.campaignId] });
  const row = loaded.rows[0];
  if (!row) return;
  const campaign = await s.registry.get(job.campaignId);
  let newItemId = row.status === 'accepted' ? row.item_id : null;
  if (row.status === 'pending') {
    const settings = campaign.config.expansion;
    const reply = await callModel(s, campaign, 'teacher', job.round, {
      messages: buildExpandMessages(row.instruction, row.input),
      promptVersion: EXPAND_PROMPT_VERSION,
      purpose: 'expand',
      itemId: row.seed_item_id,
      temperature: settings.temperature,
      seed: samplingSeed(row.seed_item_id, row.slot),
    });
    const text = parseExpandReply(reply.text);
    const verdict =
      text === null
        ? ({ ok: false, reason: 'empty', detail: 'the reply held no instruction' } as const)
        : filterExpandedInstruction(text, await poolSimilarity(s.db).index(job.campaignId), {
            minWords: settings.minWords,
            maxRougeL: settings.maxRougeL,
          });
    if (verdict.ok && text !== null) {
      const accepted = await s.db.$client.query<{ status: string; item_id: number | null }>({
        name: 'tapir_expansion_accept',
        text: ACCEPT_SQL,
        values: [row.id, job.campaignId, instructionKey(text), text, row.seed_item_id, reply.callId],
      });
      newItemId = accepted.rows[0]?.item_id ?? null;
    } else if (!verdict.ok) {
      await s.db.$client.query({
        name: 'tapir_expansion_reject',
        text: REJECT_SQL,
        values: [row.id, `${verdict.reason}: ${verdict.detail}`, reply.callId],
      });
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
