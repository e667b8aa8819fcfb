import type { Query } from './batched-statement';
import type { IfdScore, Item } from './rows';

export const RECORD_IFD: Query<
  [
    campaignId: IfdScore['campaignId'],
    itemId: IfdScore['itemId'],
    round: IfdScore['round'],
    conditionedNll: IfdScore['conditionedNll'],
    unconditionedNll: IfdScore['unconditionedNll'],
    ifd: IfdScore['ifd'],
    answerTokens: IfdScore['answerTokens'],
    studentModel: IfdScore['studentModel'],
  ],
  never
> = {
  name: 'tapir_ifd_record',
  text: `
  insert into ifd_scores (campaign_id, item_id, round, conditioned_nll, unconditioned_nll, ifd, answer_tokens, student_model)
  values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
};

/* The items of a batch whose teacher answer is stored and whose IFD is not: IFD needs nothing else. */
export const IFD_READY: Query<[campaignId: Item['campaignId'], ids: Item['id'][], round: number, seedChunk: boolean], { id: Item['id'] }> = {
  text: `
  select i.id from (select id, campaign_id, origin, status from items where id = any($2::int[]) offset 0) i
   where i.campaign_id = $1 and i.status = 'pending' and (not $4::boolean or i.origin <> 'expanded')
     and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0 limit 1), false)
     and (select true from ifd_scores f where f.item_id = i.id and f.round = $3 limit 1) is null
   order by i.id`,
};
