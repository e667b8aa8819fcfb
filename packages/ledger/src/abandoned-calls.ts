import { CLOSE_ABANDONED_CALLS, runQuery, type Db } from '@tapir/db';

/**
 * Closes the campaign's ledger rows that nobody will answer as `abandoned`, so that "in flight"
 * means on the wire: rows whose lease ran out (their worker died) or whose key a twin answered,
 * or, with `everyPending`, every pending row (the round is over). Returns how many were closed.
 */
export async function closeAbandonedCalls(db: Db, campaignId: string, everyPending = false): Promise<number> {
  return (await runQuery(db, CLOSE_ABANDONED_CALLS, [campaignId, everyPending])).length;
}
