import type { BatchedStatement, Query } from './batched-statement';
import type { Answer, Item } from './rows';

/** What every item step needs to know, in one batched round trip. */
export interface ItemStateRow {
  id: Item['id'];
  campaign_id: Item['campaignId'];
  instruction: Item['instruction'];
  input: Item['input'];
  category: Item['category'];
  status: Item['status'];
  system: Item['system'];
  follow_ups: Item['followUps'];
  teacher: Answer['text'] | null;
  student: Answer['text'] | null;
  refined: boolean;
  judged: boolean;
  ifd_scored: boolean;
}

export const ITEM_STATE: BatchedStatement<[itemId: Item['id'], campaignId: Item['campaignId'], round: number], ItemStateRow> = {
  name: 'tapir_item_state_batch',
  width: 3,
  text: `
  select q.ord::int as ord, i.id, i.campaign_id, i.instruction, i.input, i.category, i.status, i.system, i.follow_ups,
         (select text from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0) as teacher,
         (select text from answers a where a.item_id = i.id and a.kind = 'student' and a.round = q.round) as student,
         coalesce((select true from answers a where a.item_id = i.id and a.kind = 'refined' and a.round = 0 limit 1), false) as refined,
         coalesce((select true from judgments j where j.item_id = i.id and j.round = q.round limit 1), false) as judged,
         coalesce((select true from ifd_scores f where f.item_id = i.id and f.round = q.round limit 1), false) as ifd_scored
    from unnest($1::int[], $2::text[], $3::int[]) with ordinality as q(item_id, campaign_id, round, ord)
    join items i on i.id = q.item_id and i.campaign_id = q.campaign_id`,
};

/** A classifier's label, unless the data gave one; returns the item's status. */
export const SET_LABEL: BatchedStatement<[itemId: Item['id'], category: NonNullable<Item['category']>], { status: Item['status'] }> = {
  name: 'tapir_classify_set_batch',
  width: 2,
  text: `
  update items i set category = q.category, category_source = 'classifier'
    from (select * from unnest($1::int[], $2::text[]) with ordinality as u(item_id, category, ord) order by item_id) as q
   where i.id = q.item_id and i.category is null
  returning q.ord::int as ord, i.status`,
};

/*
 * Unnamed on purpose (see batched-statement.ts): a prepared statement keeps the generic plan it
 * made on a campaign's still-empty tables. The ids go as a list, not a range: on a table not yet
 * analyzed PostgreSQL guesses that a range, and the campaign, each hold 0.5% of rows, and ANDs
 * the two indexes, which reads every item of the campaign per chunk. The `offset 0` subquery
 * keeps the campaign's condition out of the index scan: eight primary-key lookups, then a filter
 * (test/statement-plans.test.ts).
 *
 * Items born of an expansion are left out: they appear while the round runs, possibly in the
 * range of a chunk job that has already read its members, so each is queued as its own job.
 */
export const ITEM_MEMBERS: Query<[campaignId: Item['campaignId'], ids: Item['id'][]], { id: Item['id'] }> = {
  text: `
  select id from (select id, campaign_id, origin, status from items where id = any($2::int[]) offset 0) i
   where campaign_id = $1 and origin <> 'expanded' and status <> 'failed'
   order by id`,
};

/** An item measured by every signal the campaign uses becomes `judged` ($3: MFD used, $4: IFD used). */
export const MARK_MEASURED: Query<[itemId: Item['id'], round: number, mfd: boolean, ifd: boolean], never> = {
  name: 'tapir_mark_measured',
  text: `
  update items set status = 'judged'
   where id = $1 and status = 'pending'
     and (not $3::boolean or exists (select 1 from judgments j where j.item_id = $1 and j.round = $2))
     and (not $4::boolean or exists (select 1 from ifd_scores f where f.item_id = $1 and f.round = $2))`,
};

/** The same for every pending item of a campaign (reconcile's repair). */
export const MARK_MEASURED_ALL: Query<[campaignId: Item['campaignId'], round: number, mfd: boolean, ifd: boolean], never> = {
  text: `update items i set status = 'judged'
      where i.campaign_id = $1 and i.status = 'pending'
        and (not $3::boolean or exists (select 1 from judgments j where j.item_id = i.id and j.round = $2))
        and (not $4::boolean or exists (select 1 from ifd_scores f where f.item_id = i.id and f.round = $2))`,
};
