import { categoryDeficits, matchCategory, OTHERS, planExpansionRequests, type CampaignConfig } from '@tapir/core';
import { expansions, rounds, type DbTransaction } from '@tapir/db';
import { and, eq, inArray, sql } from 'drizzle-orm';

export interface ExpansionDecision {
  /** Expansion requests written this time (0: plan now, filling by repetition where short). */
  requested: number;
  deficits: Record<string, number>;
}

/**
 * Rebalancing fills a short category by expansion first (docs/method.md, steps 7 and 8): when a
 * category's share of the target exceeds the items it has, or its part of the round's hard share
 * exceeds its hard items, the teacher is asked for new
 * instructions like its hard ones, and the round is planned again once they are judged. After
 * expansion.maxPasses passes, or with no hard seed to learn from, repetition fills the rest.
 * Written in the planner's transaction, so the requests and the pass count commit together.
 */
export async function requestExpansionIfShort(
  tx: DbTransaction,
  config: CampaignConfig,
  campaignId: string,
  round: number,
  passesDone: number,
  pool: readonly { itemId: number; category: string; hard: boolean }[],
  targetSize: number,
  hardShare: number,
): Promise<ExpansionDecision> {
  const settings = config.expansion;
  if (!settings.enabled || passesDone >= settings.maxPasses) return { requested: 0, deficits: {} };
  const names = config.taxonomy.categories.map((c) => c.name);
  const canonical = (category: string) => (names.includes(category) ? category : (matchCategory(category, names) ?? OTHERS));
  const available: Record<string, number> = {};
  const seeds: Record<string, number[]> = {};
  const hardItems: Record<string, number> = {};
  for (const item of pool) {
    const category = canonical(item.category);
    available[category] = (available[category] ?? 0) + 1;
    if (item.hard) {
      (seeds[category] ??= []).push(item.itemId);
      hardItems[category] = (hardItems[category] ?? 0) + 1;
    }
  }
  const deficits = categoryDeficits(available, config.taxonomy.categories, targetSize, { hardShare, hardItems });
  if (Object.keys(deficits).length === 0) return { requested: 0, deficits };

  const asked = await tx.execute<{ n: string }>(
    sql`select count(*) as n from ${expansions} where campaign_id = ${campaignId} and round = ${round}`,
  );
  const budgetLeft = settings.maxPerRound - Number(asked.rows[0]?.n ?? 0);
  if (budgetLeft <= 0) return { requested: 0, deficits };
  const requests = planExpansionRequests(deficits, seeds, { oversample: settings.oversample, maxTotal: budgetLeft });
  if (requests.length === 0) return { requested: 0, deficits };

  // Slots keep counting per seed across passes and rounds, so that every request is a new sample.
  const seedIds = [...new Set(requests.map((r) => r.seedItemId))];
  const used = await tx
    .select({ seedItemId: expansions.seedItemId, maxSlot: sql<number>`max(${expansions.slot})` })
    .from(expansions)
    .where(and(eq(expansions.campaignId, campaignId), inArray(expansions.seedItemId, seedIds)))
    .groupBy(expansions.seedItemId);
  const nextSlot = new Map(used.map((u) => [u.seedItemId, Number(u.maxSlot) + 1]));
  const pass = passesDone + 1;
  const rows = requests.map((r) => ({
    campaignId,
    round,
    pass,
    seedItemId: r.seedItemId,
    slot: (nextSlot.get(r.seedItemId) ?? 0) + r.slot,
    category: r.category,
  }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(expansions).values(rows.slice(i, i + 1000)).onConflictDoNothing();
  await tx
    .update(rounds)
    .set({ expansionPasses: pass })
    .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
  return { requested: rows.length, deficits };
}
