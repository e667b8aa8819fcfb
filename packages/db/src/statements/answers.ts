import type { BatchedStatement } from './batched-statement';
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
