import type { BatchedStatement, Query } from './batched-statement';
import type { Answer } from './rows';

export const INSERT_ANSWER: BatchedStatement<
  [
    campaignId: Answer['campaignId'],
    itemId: Answer['itemId'],
    kind: Answer['kind'],
    round: Answer['round'],
    text: Answer['text'],
    model: string,
    promptVersion: string,
    llmCallId: number,
  ],
  never
> = {
  name: 'tapir_answer_insert_batch',
  width: 8,
  text: `
  insert into answers (campaign_id, item_id, kind, round, text, source, model, prompt_version, llm_call_id)
  select q.campaign_id, q.item_id, q.kind, q.round, q.text, 'llm', q.model, q.prompt_version, q.llm_call_id
    from unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[])
         as q(campaign_id, item_id, kind, round, text, model, prompt_version, llm_call_id)
  on conflict do nothing`,
};

/**
 * Which of an item's two measured answers (the teacher's, the round's student's) came from a
 * reply cut off at its token limit, by the ledger's finish reason ($3: the reasons that mean
 * so). A `served` row holds no reply of its own; the row that served it does.
 */
export const ANSWERS_CUT_OFF: Query<[itemId: Answer['itemId'], round: number, cutOffReasons: string[]], { kind: Answer['kind']; cut_off: boolean }> = {
  text: `
  select a.kind, coalesce(coalesce(o.finish_reason, c.finish_reason) = any($3::text[]), false) as cut_off
    from answers a
    join llm_calls c on c.id = a.llm_call_id
    left join llm_calls o on o.id = c.served_from_call_id
   where a.item_id = $1 and ((a.kind = 'teacher' and a.round = 0) or (a.kind = 'student' and a.round = $2))`,
};
