import { campaigns, type Db } from '@tapir/db';
import { eq } from 'drizzle-orm';
import { reserveBudget, settleBudgetSql } from './budget';
import type { SendHook } from './send-hook';

/**
 * A campaign's spend limit around each request: the worst case is reserved before sending (a
 * request that would cross the limit pauses the campaign and is not sent), and the reservation
 * turns into what was paid in the transaction that writes the request's outcome, so that spend
 * and the ledger never disagree.
 */
export function budgetHook(db: Db, campaignId: string): SendHook {
  return {
    before: (worstCase) => reserveBudget(db, campaignId, worstCase),
    settle: async (tx, reserved, paid) => {
      await tx.update(campaigns).set(settleBudgetSql(reserved, paid.usd, paid.tokens)).where(eq(campaigns.id, campaignId));
    },
  };
}
