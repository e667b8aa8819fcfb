import type { Query } from './batched-statement';
import type { Expansion, Item } from './rows';

export interface ExpansionToRun {
  id: Expansion['id'];
  status: Expansion['status'];
  seed_item_id: Expansion['seedItemId'];
  slot: Expansion['slot'];
  item_id: Expansion['itemId'];
  instruction: Item['instruction'];
  input: Item['input'];
}

export const LOAD_EXPANSION: Query<[expansionId: Expansion['id'], campaignId: Expansion['campaignId']], ExpansionToRun> = {
  name: 'tapir_expansion_load',
  text: `
  select x.id, x.status, x.seed_item_id, x.slot, x.item_id, i.instruction, i.input
    from expansions x join items i on i.id = x.seed_item_id
   where x.id = $1 and x.campaign_id = $2`,
};

/**
 * The new item and the expansion's outcome commit together; a key already in the pool (the same
 * instruction written twice) makes it a rejected duplicate instead.
 */
export const ACCEPT_EXPANSION: Query<
  [expansionId: Expansion['id'], campaignId: Item['campaignId'], key: Item['key'], instruction: Item['instruction'], seedItemId: number, llmCallId: number],
  { status: Expansion['status']; item_id: Expansion['itemId'] }
> = {
  name: 'tapir_expansion_accept',
  text: `
  with added as (
    -- An expansion belongs to its seed's source, so that an expansion of an expansion does too.
    insert into items (campaign_id, seq, key, instruction, input, origin, seed_item_id, source, status)
    select $2, (select coalesce(max(seq), 0) + 1 from items where campaign_id = $2), $3, $4, '', 'expanded', $5,
           (select source from items where id = $5), 'pending'
    on conflict (campaign_id, key) do nothing
    returning id
  )
  update expansions x
     set status = case when (select id from added) is null then 'rejected' else 'accepted' end,
         reason = case when (select id from added) is null then 'duplicate: the same instruction is already in the pool' else null end,
         item_id = (select id from added), llm_call_id = $6
   where x.id = $1 and x.status = 'pending'
  returning x.status, x.item_id`,
};

export const REJECT_EXPANSION: Query<[expansionId: Expansion['id'], reason: string, llmCallId: number], never> = {
  name: 'tapir_expansion_reject',
  text: `update expansions set status = 'rejected', reason = $2, llm_call_id = $3 where id = $1 and status = 'pending'`,
};
