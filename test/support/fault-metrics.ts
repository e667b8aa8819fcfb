import { sql } from 'drizzle-orm';
import { DEFAULT_MAX_REPEATS } from '@tapir/core';
import type { Db } from '@tapir/db';

/**
 * A fault as it landed: what the campaign was doing and how many requests were on the wire
 * (counted by the simulator; for a kill, also the ledger rows the dead process left open, as a
 * reply it had received but not yet recorded is bought again too).
 */
export interface FaultMoment {
  what: string;
  campaignStatus: string;
  inFlight: number;
}

export interface FaultRow {
  scenario: string;
  items: number;
  faultsInjected: number;
  /** Requests on the wire at the moments of the kills, wipes, restarts (simulator); null when the scenario has no such moment. */
  inFlightAtFaults: number | null;
  /** Replies the simulator billed after their client had gone (killed or timed out). */
  undelivered: number;
  /** Replies the simulator billed again for a request it had already billed: paid twice on the wire. */
  repeatedOnWire: number;
  /** The ledger's own figure (extra sends of a key later answered, pending rows included), for comparison. */
  ledgerRepeated: number;
  /** Refinements of one item recorded as paid more than once. */
  refinementsBoughtTwice: number;
  /** Plan rows of an item beyond 1 + rebalance.maxRepeats in a round. */
  planRowsBeyondCap: number;
  itemsLost: number;
  itemsFailedWithReason: number;
  itemsFinished: number;
  finishedShare: number;
  campaignStatus: string;
  seconds: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * What the fault suite checks after a campaign has run under faults, read from PostgreSQL:
 * - finished: judged, labelled, and every plan row of the item refined (a failed refinement or
 *   a failed item is not finished, even with a reason);
 * - lost: neither finished nor failed with a reason;
 * - duplicates where they can occur (unique indexes make the other kinds impossible): two
 *   completed refinement requests for one item, plan rows of one item beyond the repeat cap.
 * Requests paid twice are the simulator's to count (`repeatedOnWire`); the ledger's view is
 * kept beside it because it is what `tapir status` shows.
 */
export async function measureCampaign(db: Db, campaignId: string) {
  const q = async (query: ReturnType<typeof sql>) => (await db.execute<Record<string, unknown>>(query)).rows[0] ?? {};
  const items = await q(sql`
    select count(*) as total,
           count(*) filter (where i.status = 'failed' and i.fail_reason is not null) as failed_with_reason,
           count(*) filter (where i.status = 'judged' and i.category is not null and not exists (
             select 1 from plan_entries p where p.campaign_id = i.campaign_id and p.item_id = i.id and p.refine_status <> 'done'))
             as finished,
           count(*) filter (where i.status = 'pending' or (i.status = 'failed' and i.fail_reason is null)
                              or (i.status <> 'failed' and i.category is null)
                              or exists (select 1 from plan_entries p where p.campaign_id = i.campaign_id and p.item_id = i.id
                                          and p.refine_status = 'pending')) as lost
      from items i where i.campaign_id = ${campaignId}`);
  const refinements = await q(sql`
    select coalesce(sum(bought - 1), 0) as n from (
      select item_id, count(*) as bought from llm_calls
       where campaign_id = ${campaignId} and purpose = 'refine' and status = 'completed'
       group by item_id having count(*) > 1) r`);
  const planRows = await q(sql`
    select coalesce(sum(copies - 1 - cap), 0) as n from (
      select count(*) as copies,
             coalesce((select (config -> 'rebalance' ->> 'maxRepeats')::int from campaigns where id = ${campaignId}), ${DEFAULT_MAX_REPEATS}) as cap
        from plan_entries where campaign_id = ${campaignId} group by round, item_id) p
     where copies > 1 + cap`);
  const ledgerRepeated = await q(sql`
    select coalesce(sum(sends - 1), 0) as n from (
      select cache_key, count(*) filter (where status in ('completed', 'pending', 'abandoned')) as sends
        from llm_calls where campaign_id = ${campaignId}
       group by cache_key having count(*) filter (where status = 'completed') > 0) k`);
  const campaign = await q(sql`select status from campaigns where id = ${campaignId}`);
  const total = n(items.total);
  return {
    items: total,
    itemsLost: n(items.lost),
    itemsFailedWithReason: n(items.failed_with_reason),
    itemsFinished: n(items.finished),
    finishedShare: total === 0 ? 0 : n(items.finished) / total,
    refinementsBoughtTwice: n(refinements.n),
    planRowsBeyondCap: n(planRows.n),
    ledgerRepeated: n(ledgerRepeated.n),
    campaignStatus: String(campaign.status ?? 'missing'),
  };
}

/** Statuses in which a campaign is doing work: a fault at such a moment lands mid-run. */
export const RUNNING_STATUSES: ReadonlySet<string> = new Set(['running', 'planning', 'expanding', 'refining']);

export async function campaignStatusOf(db: Db, campaignId: string): Promise<string> {
  const row = (await db.execute<{ status: string }>(sql`select status from campaigns where id = ${campaignId}`)).rows[0];
  return row?.status ?? 'missing';
}

export function formatFaultTable(rows: FaultRow[]): string {
  const header = [
    'scenario', 'items', 'faults', 'on the wire at faults', 'billed, client gone (sim)', 'repeated on the wire (sim)', 'repeated (ledger)',
    'refinements bought twice', 'plan rows beyond cap', 'items lost', 'failed with reason', 'finished', 'seconds',
  ];
  const body = rows.map((r) => [
    r.scenario,
    r.items,
    r.faultsInjected,
    r.inFlightAtFaults ?? '-',
    r.undelivered,
    r.repeatedOnWire,
    r.ledgerRepeated,
    r.refinementsBoughtTwice,
    r.planRowsBeyondCap,
    r.itemsLost,
    r.itemsFailedWithReason,
    `${(r.finishedShare * 100).toFixed(1)}%`,
    r.seconds.toFixed(1),
  ]);
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
