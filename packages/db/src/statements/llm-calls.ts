import type { Query } from './batched-statement';
import type { LlmCall } from './rows';

/** A batch's parameters: one array per column of its rows (`unnest($1, $2, ...)`). */
export type ColumnsOf<Row extends readonly unknown[]> = { [K in keyof Row]: Row[K][] };

/**
 * What the ledger knows of a request before anything is spent on it: `served` (an identical
 * request was answered; a served row now points at it, `id` is that row), `wait` (an identical
 * request is on the wire under a live lease; `id` is its row) or `send` (neither; no row written).
 */
export interface LedgerProbedRow {
  id: LlmCall['id'] | null;
  status: 'served' | 'wait' | 'send';
  response_text: LlmCall['responseText'];
  input_tokens: LlmCall['inputTokens'];
  output_tokens: LlmCall['outputTokens'];
  finish_reason: LlmCall['finishReason'];
}

/** One request's ledger row: LEDGER_PROBE's and LEDGER_CLAIM's columns, in order (the ledger batches them, one array per column). */
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
 * Looks a batch of requests up before any hook runs (rate limit, budget, concurrency slot): an
 * answered identical request yields a `served` row pointing at it; an identical one on the wire
 * under a live lease is to be waited for; otherwise the request may be sent (LEDGER_CLAIM then
 * opens its row). Ids are drawn only for served rows, in `hit_ids`, so that each result row finds
 * its request by ordinality.
 */
export const LEDGER_PROBE: Query<ColumnsOf<LedgerOpenValues>, LedgerProbedRow> = {
  text: `
  with req as materialized (
    select r.ord, r.cache_key, r.campaign_id, r.item_id, r.role, r.purpose,
           r.provider, r.base_url, r.model, r.params, r.prompt_version
      from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[])
           with ordinality as r(cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params, prompt_version, ord)
  ), keys as materialized (
    select distinct cache_key from req
  ), hit as (
    select k.cache_key, l.id, l.response_text, l.input_tokens, l.output_tokens, l.finish_reason
      from keys k
      cross join lateral (
        select l.id, l.response_text, l.input_tokens, l.output_tokens, l.finish_reason
          from llm_calls l
         where l.cache_key = k.cache_key and l.status = 'completed'
         order by l.id
         limit 1
      ) l
  ), busy as (
    select k.cache_key, l.id
      from keys k
      cross join lateral (
        select l.id from llm_calls l
         where l.cache_key = k.cache_key and l.status = 'pending' and l.lease_expires_at >= now()
         limit 1
      ) l
  ), hit_ids as materialized (
    select req.ord, nextval('llm_calls_id_seq')::int as id, hit.id as hit_id
      from req join hit on hit.cache_key = req.cache_key
  ), served as (
    insert into llm_calls (id, cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params,
                           prompt_version, status, served_from_call_id, cost_usd, completed_at)
    select hit_ids.id, req.cache_key, req.campaign_id, req.item_id, req.role, req.purpose, req.provider, req.base_url, req.model,
           req.params, req.prompt_version, 'served', hit_ids.hit_id, 0, now()
      from req join hit_ids on hit_ids.ord = req.ord
  )
  select coalesce(hit_ids.id, busy.id) as id,
         case when hit.id is not null then 'served' when busy.id is not null then 'wait' else 'send' end as status,
         hit.response_text, hit.input_tokens, hit.output_tokens, hit.finish_reason
    from req
    left join hit on hit.cache_key = req.cache_key
    left join hit_ids on hit_ids.ord = req.ord
    left join busy on busy.cache_key = req.cache_key
   order by req.ord`,
};

/** Whether LEDGER_CLAIM opened the request's row (`claimed`, then send it) or found its key taken. */
export interface LedgerClaimedRow {
  id: LlmCall['id'];
  claimed: boolean;
}

/** The claim's parameters: the rows' columns, then who holds the lease and for how long. */
export type LedgerClaimParams = [...ColumnsOf<LedgerOpenValues>, leaseOwner: string, leaseMs: number];

/**
 * Opens the `pending` rows of a batch of requests about to go on the wire (inside their
 * concurrency slot), under a lease of `leaseMs` held by `leaseOwner`. Single flight is the
 * partial unique index on cache_key where status = 'pending': of two processes claiming one key
 * at once, PostgreSQL lets one insert and the other's ON CONFLICT DO NOTHING skips it, whatever
 * their snapshots (an advisory lock taken inside one statement would not cover what the
 * statement's older snapshot cannot see). Before inserting, a pending row of the key whose lease
 * expired is closed as `abandoned` (its worker is gone: taken over, not duplicated); the scalar
 * subquery on `expired` makes that update run to the end before the insert, whose unique check
 * then no longer sees the closed rows. A key answered since the probe is not claimed either.
 * A request not claimed is probed again by the ledger (served, or waited for).
 */
export const LEDGER_CLAIM: Query<LedgerClaimParams, LedgerClaimedRow> = {
  text: `
  with req as materialized (
    select r.ord, nextval('llm_calls_id_seq')::int as id, r.cache_key, r.campaign_id, r.item_id, r.role, r.purpose,
           r.provider, r.base_url, r.model, r.params, r.prompt_version
      from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[])
           with ordinality as r(cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params, prompt_version, ord)
  ), expired as (
    update llm_calls l
       set status = 'abandoned', completed_at = now(),
           error = 'abandoned: its worker (' || coalesce(l.lease_owner, 'unknown') || ') stopped renewing the lease; taken over'
     where l.cache_key = any($1::text[]) and l.status = 'pending' and (l.lease_expires_at is null or l.lease_expires_at < now())
    returning l.id
  ), claimed as (
    insert into llm_calls (id, cache_key, campaign_id, item_id, role, purpose, provider, base_url, model, params,
                           prompt_version, status, sent_at, lease_owner, lease_expires_at)
    select req.id, req.cache_key, req.campaign_id, req.item_id, req.role, req.purpose, req.provider, req.base_url, req.model,
           req.params, req.prompt_version, 'pending', now(), $11::text, now() + $12::int * interval '1 millisecond'
      from req
     where (select count(*) from expired) >= 0
       and (select c.id from llm_calls c where c.cache_key = req.cache_key and c.status = 'completed' limit 1) is null
    on conflict (cache_key) where status = 'pending' do nothing
    returning id
  )
  select req.id, claimed.id is not null as claimed
    from req left join claimed on claimed.id = req.id
   order by req.ord`,
};

/** Whether each waited-for row is still on the wire under a live lease, by id, in input order. */
export const LEDGER_TWIN_BUSY: Query<[ids: LlmCall['id'][]], { busy: boolean }> = {
  text: `
  select coalesce(l.status = 'pending' and l.lease_expires_at >= now(), false) as busy
    from unnest($1::int[]) with ordinality as w(id, ord)
    left join llm_calls l on l.id = w.id
   order by w.ord`,
};

/** Extends the lease of this process's rows still on the wire (one statement per renewal for all of them). */
export const LEDGER_RENEW_LEASES: Query<[ids: LlmCall['id'][], leaseMs: number], never> = {
  text: `
  update llm_calls set lease_expires_at = now() + $2::int * interval '1 millisecond'
   where id = any($1::int[]) and status = 'pending'`,
};

/**
 * Closes a campaign's pending rows nobody will answer as `abandoned`: those whose lease expired
 * (their worker died) or whose key was answered by a twin, or with `$2` every pending row (the
 * round is finished: a row still open belongs to a stray duplicate, and its late answer, if any,
 * still completes it). Run by reconcile (start, resume, the stall watchdog) and when a round ends.
 */
export const CLOSE_ABANDONED_CALLS: Query<[campaignId: string, everyPending: boolean], { id: LlmCall['id'] }> = {
  text: `
  update llm_calls l
     set status = 'abandoned', completed_at = now(),
         error = 'abandoned: its worker (' || coalesce(l.lease_owner, 'unknown') || ') stopped before the answer was recorded'
   where l.campaign_id = $1 and l.status = 'pending'
     and ($2::boolean or l.lease_expires_at is null or l.lease_expires_at < now()
          or (select c.id from llm_calls c where c.cache_key = l.cache_key and c.status = 'completed' limit 1) is not null)
  returning l.id`,
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

/**
 * Writes a batch of answers. A row closed as `abandoned` meanwhile (its lease ran out while this
 * process was cut off from PostgreSQL) still takes its answer: it was paid, and the ledger says so.
 */
export const LEDGER_COMPLETE: Query<ColumnsOf<LedgerCompleteValues>, never> = {
  text: `
  update llm_calls l
     set status = 'completed', response_text = c.text, finish_reason = c.finish_reason, latency_ms = c.latency_ms,
         input_tokens = c.input_tokens, output_tokens = c.output_tokens, cost_usd = c.cost_usd, completed_at = now()
    from unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::float8[])
         as c(id, text, finish_reason, latency_ms, input_tokens, output_tokens, cost_usd)
   where l.id = c.id and l.status in ('pending', 'abandoned')`,
};
