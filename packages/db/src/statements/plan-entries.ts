import type { BatchedStatement, CoalescedProbe, Query } from './batched-statement';
import type { Answer, PlanEntry } from './rows';

/** The refined answer (when one was asked for: text not null) and the plan rows' status, in one statement. */
export const RECORD_REFINED: BatchedStatement<
  [
    campaignId: PlanEntry['campaignId'],
    itemId: PlanEntry['itemId'],
    round: PlanEntry['round'],
    text: Answer['text'] | null,
    model: string | null,
    promptVersion: string | null,
    llmCallId: number | null,
  ],
  never
> = {
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

/* Refinements are fixed when the round is planned, before any refine job exists. */
export const REFINE_MEMBERS: Query<[campaignId: PlanEntry['campaignId'], round: PlanEntry['round'], first: number, end: number], { id: PlanEntry['itemId'] }> = {
  text: `
  select distinct item_id as id from plan_entries
   where campaign_id = $1 and round = $2 and refine_status = 'pending' and item_id >= $3 and item_id < $4
   order by item_id`,
};

/** A page of the round's pending refinements (keyset over the partial index of pending rows). */
export const REFINE_PENDING_PAGE: Query<
  [campaignId: PlanEntry['campaignId'], round: PlanEntry['round'], after: PlanEntry['itemId'], limit: number],
  { item_id: PlanEntry['itemId'] }
> = {
  name: 'tapir_refine_pending_page',
  text: `select distinct item_id from plan_entries
              where campaign_id = $1 and round = $2 and refine_status = 'pending' and item_id > $3
              order by item_id limit $4`,
};

/** Whether any planned item of the round still waits for its refined answer. */
export const REFINE_PENDING: CoalescedProbe<[campaignId: PlanEntry['campaignId'], round: PlanEntry['round']], { pending: boolean }> = {
  name: 'tapir_refine_pending',
  text: `select exists (select 1 from plan_entries where campaign_id = $1 and round = $2 and refine_status = 'pending') as pending`,
};
