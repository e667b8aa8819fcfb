import { and, eq, inArray } from 'drizzle-orm';
import { canTransition, type CampaignStatus } from './campaign-lifecycle';
import type { Db, DbTransaction } from './connection';
import { campaigns } from './schema';

/**
 * Moves a campaign to `to` only if its status is still one of `from`, in one conditional UPDATE,
 * and says whether it moved. Losing the race (a `tapir cancel` or a budget pause landed first)
 * is an answer, not an error: the caller decides what not to do. A move the lifecycle table does
 * not allow is a bug in the caller and throws before anything is written.
 */
export async function transition(
  db: Db | DbTransaction,
  campaignId: string,
  from: CampaignStatus | readonly CampaignStatus[],
  to: CampaignStatus,
  message: string | null = null,
): Promise<boolean> {
  const expected: readonly CampaignStatus[] = typeof from === 'string' ? [from] : from;
  const refused = expected.filter((status) => !canTransition(status, to));
  if (expected.length === 0 || refused.length > 0) {
    throw new Error(`campaign lifecycle: no transition from ${refused.join(', ') || '(nothing)'} to ${to}`);
  }
  const moved = await db
    .update(campaigns)
    .set({ status: to, message, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaignId), inArray(campaigns.status, [...expected])))
    .returning({ id: campaigns.id });
  return moved.length > 0;
}
