import type { Query } from './batched-statement';
import type { LlmCall } from './rows';

/** A batch's parameters: one array per column of its rows (`unnest($1, $2, ...)`). */
export type ColumnsOf<Row extends readonly unknown[]> = { [K in keyof Row]: Row[K][] };

export interface LedgerOpenedRow {
  id: LlmCall['id'];
  status: 'served' | 'pending';
  response_text: LlmCall['responseText'];
  input_tokens: LlmCall['inputTokens'];
  output_tokens: LlmCall['outputTokens'];
  finish_reason: LlmCall['finishReason'];
}

/** One request's ledger row to open: LEDGER_OPEN's columns, in order (the ledger batches them, one array per column). */
export type LedgerOpenValues = [
  cacheKey: LlmCall['cacheKey'],
  campaignId: LlmCall['campaignId'],
  itemId: LlmCall['itemId'],
  role: LlmCall['role'],
  purpose: LlmCall['purpose'],
  provider: LlmCall['provider'],
  baseUrl: LlmCall['baseUrl'],
  model: LlmCall['model'],
  params: string,
  promptVersion: LlmCall['promptVersion'],
];

/**
 * Opens a batch of ledger rows in one statement. Per request: an answered identical request
 * yields a `served` row pointing at it; otherwise a `pending` row is written before anything is
 * sent. Ids are drawn in `req` so that each result row finds its request by ordinality.
 */
export const LEDGER_OPEN: Query<ColumnsOf<LedgerOpenValues>, LedgerOpenedRow> = {
  text: `
  with req as materialized (
    select r.ord, nextval('llm_calls_id_seq')::int as id, r.cache_key, r.campaign_id, r.item_id, r.role, r.purpose,
           r.provider, r.base_url, r.model, r.params, r.prompt_version
      from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[])
           with ordinality as r(cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params, prompt_version, ord)
  ), hit as (
    select k.cache_key, l.id, l.response_text, l.input_tokens, l.output_tokens, l.finish_reason
      from (select distinct cache_key from req) k
      cross join lateral (
        select l.id, l.response_text, l.input_tokens, l.output_tokens, l.finish_reason
          from llm_calls l
         where l.cache_key = k.cache_key and l.status = 'completed'
         order by l.id
         limit 1
      ) l
  ), opened as (
    insert into llm_calls (id, cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params,
                           prompt_version, status, served_from_call_id, cost_usd, completed_at)
    select req.id, req.cache_key, req.campaign_id, req.item_id, req.role, req.purpose, req.provider, req.base_url, req.model,
           req.params, req.prompt_version,
           case when hit.id is null then 'pending' else 'served' end,
           hit.id,
           case when hit.id is null then null else 0 end,
           case when hit.id is null then null else now() end
      from req left join hit on hit.cache_key = req.cache_key
  )
  select req.id, case when hit.id is null then 'pending' else 'served' end as status,
         hit.response_text, hit.input_tokens, hit.output_tokens, hit.finish_reason
    from req left join hit on hit.cache_key = req.cache_key
   order by req.ord`,
};

export type LedgerCompleteValues = [
  id: LlmCall['id'],
  text: string,
  finishReason: string,
  latencyMs: number,
  inputTokens: number,
  outputTokens: number,
  costUsd: number | null,
];

export const LEDGER_COMPLETE: Query<ColumnsOf<LedgerCompleteValues>, never> = {
  text: `
  update llm_calls l
     set status = 'completed', response_text = c.text, finish_reason = c.finish_reason, latency_ms = c.latency_ms,
         input_tokens = c.input_tokens, output_tokens = c.output_tokens, cost_usd = c.cost_usd, completed_at = now()
    from unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::float8[])
         as c(id, text, finish_reason, latency_ms, input_tokens, output_tokens, cost_usd)
   where l.id = c.id`,
};

/** A row opened for a request that a send hook then stopped: nothing was sent, so nothing stays. */
export const LEDGER_UNSENT: Query<[id: LlmCall['id']], never> = {
  name: 'tapir_ledger_unsent',
  text: 'delete from llm_calls where id = $1',
};
