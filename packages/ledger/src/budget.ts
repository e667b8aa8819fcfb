import { campaigns, transition, transitionSources, type Db } from '@tapir/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import { CampaignHaltedError } from './campaign-halted-error';
import type { Usage } from './send-hook';

/** What a request holds against the campaign's budget while it is in flight: its worst case. */
export type Reservation = Usage;

const money = (usd: number) => `$${usd.toFixed(usd < 1 ? 4 : 2)}`;

/**
 * Reserves a request's worst case against the campaign's budget in one conditional update. When
 * it would cross a limit, the campaign is paused with a message saying what to do, and the
 * request is not sent.
 */
export async function reserveBudget(db: Db, campaignId: string, r: Reservation): Promise<void> {
  // The refusal is re-checked on a fresh read: requests in flight may have settled in between,
  // in which case there is room after all and the reservation is tried again.
  for (let attempt = 0; ; attempt++) {
    const reserved = await db
      .update(campaigns)
      .set({ reservedUsd: sql`${campaigns.reservedUsd} + ${r.usd}`, reservedTokens: sql`${campaigns.reservedTokens} + ${r.tokens}` })
      .where(
        and(
          eq(campaigns.id, campaignId),
          ne(campaigns.status, 'paused'),
          ne(campaigns.status, 'cancelled'),
          sql`(${campaigns.budgetUsd} is null or ${campaigns.spentUsd} + ${campaigns.reservedUsd} + ${r.usd} <= ${campaigns.budgetUsd})`,
          sql`(${campaigns.budgetTokens} is null or ${campaigns.spentTokens} + ${campaigns.reservedTokens} + ${r.tokens} <= ${campaigns.budgetTokens})`,
        ),
      )
      .returning({ id: campaigns.id });
    if (reserved.length > 0) return;

    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    if (!row) throw new CampaignHaltedError(campaignId, 'missing', `campaign ${campaignId} does not exist`);
    if (row.status === 'paused' || row.status === 'cancelled') {
      throw new CampaignHaltedError(campaignId, row.status, row.message ?? `campaign ${row.status}`);
    }
    const overUsd = row.budgetUsd !== null && row.spentUsd + row.reservedUsd + r.usd > row.budgetUsd;
    const overTokens = row.budgetTokens !== null && row.spentTokens + row.reservedTokens + r.tokens > row.budgetTokens;
    if (!overUsd && !overTokens && attempt < 5) continue;
    const message = overTokens && !overUsd
      ? `token budget reached: ${row.spentTokens} tokens spent (+${row.reservedTokens} in flight) of budget.maxTokens ${row.budgetTokens}; ` +
        `the next request could use up to ${r.tokens}. Raise it with \`tapir resume ${campaignId} --budget-tokens N\``
      : `budget reached: ${money(row.spentUsd)} spent (+${money(row.reservedUsd)} in flight) of budget.maxUsd ${money(row.budgetUsd ?? 0)}; ` +
        `the next request could cost up to ${money(r.usd)}. Raise it with \`tapir resume ${campaignId} --budget USD\``;
    await transition(db, campaignId, transitionSources('budget', 'paused'), 'paused', message);
    throw new CampaignHaltedError(campaignId, 'paused', message);
  }
}

/** Turns a reservation into what was actually paid (0 for a failed request). */
export function settleBudgetSql(r: Reservation, paidUsd: number, paidTokens: number) {
  return {
    reservedUsd: sql`greatest(0, ${campaigns.reservedUsd} - ${r.usd})`,
    reservedTokens: sql`greatest(0, ${campaigns.reservedTokens} - ${r.tokens})`,
    spentUsd: sql`${campaigns.spentUsd} + ${paidUsd}`,
    spentTokens: sql`${campaigns.spentTokens} + ${paidTokens}`,
  };
}
