import type { BatchedStatement, Query } from './batched-statement';
import type { Item, Judgment } from './rows';

/**
 * The judgment and (when MFD is the only signal, $10) the item's measured status, in one
 * statement; with IFD too the status waits for both (MARK_MEASURED).
 */
export const RECORD_JUDGMENT: BatchedStatement<
  [
    campaignId: Judgment['campaignId'],
    itemId: Judgment['itemId'],
    round: Judgment['round'],
    teacherScore: Judgment['teacherScore'],
    studentScore: Judgment['studentScore'],
    mfd: Judgment['mfd'],
    detail: string,
    judgeModel: Judgment['judgeModel'],
    promptVersion: Judgment['promptVersion'],
    markJudged: boolean,
  ],
  never
> = {
  name: 'tapir_judgment_record_batch',
  width: 10,
  text: `
  with q as materialized (
    select * from unnest($1::text[], $2::int[], $3::int[], $4::real[], $5::real[], $6::real[], $7::jsonb[], $8::text[], $9::text[], $10::boolean[])
           as q(campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version, mark_judged)
     order by item_id
  ), recorded as (
    insert into judgments (campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version)
    select campaign_id, item_id, round, teacher_score, student_score, mfd, detail, judge_model, prompt_version from q
    on conflict do nothing
  )
  update items i set status = 'judged' from q where i.id = q.item_id and i.status = 'pending' and q.mark_judged`,
};

/*
 * Whether every live item of a batch has both answers (complete), and whether any of them still
 * waits for its judgment (due): the one place that says an item is ready to judge. Scalar
 * subqueries with `limit 1`, unnamed, ids as a list: see batched-statement.ts and ITEM_MEMBERS
 * for why. $4: the ids are a seed chunk, whose expansion-born items are not its members.
 */
export const JUDGE_READY: Query<[campaignId: Item['campaignId'], ids: Item['id'][], round: number, seedChunk: boolean], { complete: boolean; due: boolean }> = {
  text: `
  select coalesce(bool_and(
           coalesce((select true from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0 limit 1), false)
           and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'student' and a.round = $3 limit 1), false)
         ), false) as complete,
         coalesce(bool_or(
           i.status = 'pending' and (select true from judgments j where j.item_id = i.id and j.round = $3 limit 1) is null
         ), false) as due
    from (select id, campaign_id, origin, status from items where id = any($2::int[]) offset 0) i
   where i.campaign_id = $1 and i.status <> 'failed' and (not $4::boolean or i.origin <> 'expanded')`,
};
