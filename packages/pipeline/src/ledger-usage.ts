import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';

export interface RoleUsage {
  role: string;
  /** requests that went on the wire (completed + failed + in flight + abandoned) */
  calls: number;
  /** requests answered from the ledger, paid for nothing */
  servedFromLedger: number;
  completed: number;
  failed: number;
  /** on the wire now: sent by a worker that still renews its lease */
  pending: number;
  /** sent by a worker that stopped (killed, crashed) before the answer was recorded: the provider may have billed them */
  abandoned: number;
  /** abandoned requests that were then answered again: these may have been billed twice */
  mayHaveBeenBilledTwice: number;
  /** what the second answers of those cost: the most a crash added to the bill */
  mayHaveBeenBilledTwiceUsd: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  meanLatencyMs: number | null;
}

/** A campaign's requests as a whole: what the manifest reports of what was sent and what a crash cost. */
export interface LedgerTotals {
  sent: number;
  servedFromLedger: number;
  abandoned: number;
  mayHaveBeenBilledTwice: number;
  mayHaveBeenBilledTwiceUsd: number;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const micro = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * The campaign's ledger per role. "Sent" counts rows that went on the wire (every row but
 * `served`: rows are opened when the request is sent). A pending row whose lease ran out counts
 * as abandoned even before reconcile closes it: its worker is gone, so it is not in flight. An
 * abandoned row whose key was answered afterwards may have been billed twice (the provider may
 * have answered the first send too); the answer's cost is what that could have added.
 */
export async function ledgerUsage(db: Db, campaignId: string): Promise<RoleUsage[]> {
  const rows = (
    await db.execute<Record<string, unknown>>(sql`
      select role, count(*) filter (where status <> 'served') as calls,
             count(*) filter (where status = 'served') as served,
             count(*) filter (where status = 'completed') as completed,
             count(*) filter (where status = 'failed') as failed,
             count(*) filter (where status = 'pending' and not lost) as pending,
             count(*) filter (where lost) as abandoned,
             count(*) filter (where lost and twin_cost is not null) as billed_twice,
             coalesce(sum(twin_cost) filter (where lost), 0) as billed_twice_usd,
             coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
             coalesce(sum(cost_usd), 0) as cost_usd, avg(latency_ms) filter (where status = 'completed') as latency
        from (
          select l.role, l.status, l.input_tokens, l.output_tokens, l.cost_usd, l.latency_ms, a.lost,
                 case when a.lost then (select coalesce(c.cost_usd, 0) from llm_calls c
                                         where c.cache_key = l.cache_key and c.status = 'completed' order by c.id limit 1) end as twin_cost
            from llm_calls l
            cross join lateral (
              select l.status = 'abandoned' or (l.status = 'pending' and (l.lease_expires_at is null or l.lease_expires_at < now())) as lost
            ) a
           where l.campaign_id = ${campaignId}
        ) calls
       group by role order by role`)
  ).rows;
  return rows.map((u) => ({
    role: String(u.role),
    calls: num(u.calls),
    servedFromLedger: num(u.served),
    completed: num(u.completed),
    failed: num(u.failed),
    pending: num(u.pending),
    abandoned: num(u.abandoned),
    mayHaveBeenBilledTwice: num(u.billed_twice),
    mayHaveBeenBilledTwiceUsd: micro(num(u.billed_twice_usd)),
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    costUsd: micro(num(u.cost_usd)),
    meanLatencyMs: u.latency === null ? null : Math.round(num(u.latency)),
  }));
}

export async function ledgerTotals(db: Db, campaignId: string): Promise<LedgerTotals> {
  const usage = await ledgerUsage(db, campaignId);
  const sum = (pick: (u: RoleUsage) => number) => usage.reduce((a, u) => a + pick(u), 0);
  return {
    sent: sum((u) => u.calls),
    servedFromLedger: sum((u) => u.servedFromLedger),
    abandoned: sum((u) => u.abandoned),
    mayHaveBeenBilledTwice: sum((u) => u.mayHaveBeenBilledTwice),
    mayHaveBeenBilledTwiceUsd: micro(sum((u) => u.mayHaveBeenBilledTwiceUsd)),
  };
}
