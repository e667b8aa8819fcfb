import type { BatchedStatement, Query } from './batched-statement';
import { CUT_OFF_FINISH_REASONS } from '@tapir/core';
import type { Answer } from './rows';

/** The finish reasons of a cut-off reply as an SQL list: constants of tapir's, not user input. */
const CUT_OFF_SQL_LIST = CUT_OFF_FINISH_REASONS.map((reason) => `'${reason.replace(/'/g, "''")}'`).join(', ');

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
 * reply cut off at its token limit, by the ledger's finish reason (CUT_OFF_FINISH_REASONS). A
 * `served` row holds no reply of its own; the row that served it does. Batched across concurrent
 * judge jobs: asked once per item, it was a statement per item on the hot path (issue 20's bench).
 */
export const ANSWERS_CUT_OFF: BatchedStatement<[itemId: Answer['itemId'], round: number], { ord: number; teacher_cut: boolean; student_cut: boolean }> = {
  name: 'tapir_answers_cut_off_batch',
  width: 2,
  text: `
  select q.ord::int as ord,
         coalesce((select coalesce(o.finish_reason, c.finish_reason) in (${CUT_OFF_SQL_LIST})
                     from answers a
                     join llm_calls c on c.id = a.llm_call_id
                     left join llm_calls o on o.id = c.served_from_call_id
                    where a.item_id = q.item_id and a.kind = 'teacher' and a.round = 0
                    limit 1), false) as teacher_cut,
         coalesce((select coalesce(o.finish_reason, c.finish_reason) in (${CUT_OFF_SQL_LIST})
                     from answers a
                     join llm_calls c on c.id = a.llm_call_id
                     left join llm_calls o on o.id = c.served_from_call_id
                    where a.item_id = q.item_id and a.kind = 'student' and a.round = q.round
                    limit 1), false) as student_cut
    from unnest($1::int[], $2::int[]) with ordinality as q(item_id, round, ord)`,
};
