import { sql } from 'drizzle-orm';
import type { Db } from '@tapir/db';

export interface FaultRow {
  scenario: string;
  items: number;
  faultsInjected: number;
  itemsLost: number;
  duplicateRows: number;
  repeatedPaidRequests: number;
  /** Successful replies the simulator sent beyond one per distinct request: paid twice on the wire. */
  simulatorAnsweredTwice: number;
  inFlightAtKills: number | null;
  itemsFailedWithReason: number;
  finishedShare: number;
  seconds: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * What the fault suite checks after a campaign has run under faults, all read from PostgreSQL:
 * - lost: an item neither judged (then planned or dropped by selection) nor failed with a
 *   reason, or a planned item without its refined answer and without a refine failure;
 * - duplicates: more than one answer, judgment or plan row where there must be one;
 * - repeated paid requests: extra sends of a request that was eventually answered (a request
 *   left pending by a killed worker may have been paid for, so it counts too).
 */
export async function measureCampaign(db: Db, campaignId: string) {
  const q = async (query: ReturnType<typeof sql>) => (await db.execute<Record<string, unknown>>(query)).rows[0] ?? {};
  const items = await q(sql`
    select count(*) as total,
           count(*) filter (where status = 'failed' and fail_reason is not null) as failed_with_reason,
           count(*) filter (where status = 'pending' or (status = 'failed' and fail_reason is null)
                              or (status <> 'failed' and category is null)) as lost_items
      from items where campaign_id = ${campaignId}`);
  const lostRefines = await q(sql`
    select count(distinct item_id) as n from plan_entries where campaign_id = ${campaignId} and refine_status = 'pending'`);
  const duplicates = await q(sql`
    select (select count(*) from (select 1 from answers where campaign_id = ${campaignId} group by item_id, kind, round having count(*) > 1) a)
         + (select count(*) from (select 1 from judgments where campaign_id = ${campaignId} group by item_id, round having count(*) > 1) j)
         + (select count(*) from (select 1 from plan_entries where campaign_id = ${campaignId} group by round, item_id, repeat_index having count(*) > 1) p)
           as n`);
  const repeated = await q(sql`
    select coalesce(sum(sends - 1), 0) as n from (
      select cache_key, count(*) filter (where status in ('completed', 'pending', 'abandoned')) as sends
        from llm_calls where campaign_id = ${campaignId}
       group by cache_key having count(*) filter (where status = 'completed') > 0) k`);
  const total = n(items.total);
  const failed = n(items.failed_with_reason);
  return {
    items: total,
    itemsLost: n(items.lost_items) + n(lostRefines.n),
    duplicateRows: n(duplicates.n),
    repeatedPaidRequests: n(repeated.n),
    itemsFailedWithReason: failed,
    finishedShare: total === 0 ? 0 : (total - failed) / total,
  };
}

/**
 * What the provider itself saw: its successful replies (`ok`, every model) minus the distinct
 * requests (ledger keys sent at least once and answered or in flight). Unlike the ledger's count,
 * a row left pending by a killed worker whose request never got an answer does not count.
 */
export async function simulatorAnsweredTwice(db: Db, campaignId: string, okReplies: number): Promise<number> {
  const row = (
    await db.execute<{ n: string }>(
      sql`select count(distinct cache_key) as n from llm_calls where campaign_id = ${campaignId} and status in ('completed', 'pending', 'abandoned')`,
    )
  ).rows[0];
  return Math.max(0, okReplies - n(row?.n));
}

/** Requests sent and not answered yet, right now: what a kill at this moment leaves in flight
 * (a killed worker's rows are `abandoned` once their lease has run out and someone noticed). */
export async function requestsInFlight(db: Db, campaignId: string): Promise<number> {
  const row = (await db.execute<{ n: string }>(sql`select count(*) as n from llm_calls where campaign_id = ${campaignId} and status in ('pending', 'abandoned')`)).rows[0];
  return n(row?.n);
}

export function formatFaultTable(rows: FaultRow[]): string {
  const header = ['scenario', 'items', 'faults injected', 'items lost', 'duplicate rows', 'repeated paid requests', 'simulator answered twice', 'in flight at kills', 'failed with reason', 'finished', 'seconds'];
  const body = rows.map((r) => [
    r.scenario,
    r.items,
    r.faultsInjected,
    r.itemsLost,
    r.duplicateRows,
    r.repeatedPaidRequests,
    r.simulatorAnsweredTwice,
    r.inFlightAtKills ?? '-',
    r.itemsFailedWithReason,
    `${(r.finishedShare * 100).toFixed(1)}%`,
    r.seconds.toFixed(1),
  ]);
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
