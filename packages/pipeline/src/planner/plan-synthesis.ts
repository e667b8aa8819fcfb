import { readFileSync } from 'node:fs';
import {
  bundledTopicsPath,
  matchCategory,
  OTHERS,
  parseTopicFile,
  planSynthesisRequests,
  synthesisDeficits,
  topicsFor,
  TopicListError,
  type CampaignConfig,
  type TopicList,
} from '@tapir/core';
import { syntheses, type DbTransaction } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { PermanentStepError } from '../step-error';

export interface SynthesisDecision {
  /** Requests written this time (0: go on to expansion and the plan). */
  requested: number;
  /** The categories synthesis is for this round. */
  categories: string[];
}

/** The campaign's topic list: synthesis.topics, or the bundled one. A bad file fails the plan naming it and the line. */
export function loadTopicList(config: CampaignConfig): TopicList {
  const file = config.synthesis.topics ?? bundledTopicsPath();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PermanentStepError(`synthesis.topics: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return parseTopicFile(file, text, config.taxonomy.categories.map((c) => c.name));
  } catch (err) {
    if (err instanceof TopicListError) throw new PermanentStepError(`synthesis.topics: ${file}:${err.line}: ${err.message}`);
    throw err;
  }
}

/**
 * Categories with weight > 0 and no seeds get their quota from synthesis (issue 16), before
 * expansion and repetition: the teacher writes instructions seeded by topics, and the round is
 * planned again once they are judged. Once per round: what the filters rejected is left to
 * expansion (which now has seeds in the category) and repetition. `synthesis.categories` names
 * the targets instead, whatever the pool holds. Written in the planner's transaction.
 */
export async function requestSynthesisIfEmpty(
  tx: DbTransaction,
  config: CampaignConfig,
  campaignId: string,
  round: number,
  pool: readonly { category: string; expanded: boolean; synthesized: boolean }[],
  targetSize: number,
): Promise<SynthesisDecision> {
  const settings = config.synthesis;
  if (!settings.enabled) return { requested: 0, categories: [] };
  const asked = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${syntheses} where campaign_id = ${campaignId} and round = ${round}`);
  if (Number(asked.rows[0]?.n ?? 0) > 0) return { requested: 0, categories: [] };

  const names = config.taxonomy.categories.map((c) => c.name);
  const canonical = (category: string) => (names.includes(category) ? category : (matchCategory(category, names) ?? OTHERS));
  const available: Record<string, number> = {};
  const withSeeds = new Set<string>();
  for (const item of pool) {
    const category = canonical(item.category);
    available[category] = (available[category] ?? 0) + 1;
    if (!item.expanded && !item.synthesized) withSeeds.add(category);
  }
  const targets = new Set(
    settings.categories !== undefined
      ? settings.categories.map(canonical)
      : config.taxonomy.categories.filter((c) => c.weight > 0 && !withSeeds.has(c.name)).map((c) => c.name),
  );
  const deficits = synthesisDeficits(available, config.taxonomy.categories, targetSize, targets);
  if (Object.keys(deficits).length === 0) return { requested: 0, categories: [] };

  const topics = loadTopicList(config);
  for (const category of Object.keys(deficits)) {
    if (topicsFor(topics, category).length === 0) {
      throw new PermanentStepError(`synthesis.topics: no topic for category "${category}" (add a [${category}] section or general topics)`);
    }
  }
  const used = await tx
    .select({ category: syntheses.category, maxSlot: sql<number>`max(${syntheses.slot})` })
    .from(syntheses)
    .where(eq(syntheses.campaignId, campaignId))
    .groupBy(syntheses.category);
  const nextSlot = Object.fromEntries(used.map((u) => [u.category, Number(u.maxSlot) + 1]));
  const requests = planSynthesisRequests(deficits, (c) => topicsFor(topics, c), nextSlot, {
    seed: config.seed,
    audiences: settings.audiences,
    forms: settings.forms,
    oversample: settings.oversample,
    maxTotal: settings.maxPerRound,
  });
  const rows = requests.map((r) => ({ campaignId, round, ...r }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(syntheses).values(rows.slice(i, i + 1000)).onConflictDoNothing();
  return { requested: rows.length, categories: Object.keys(deficits) };
}

/** The round's synthesis requests by status, and the categories they were for, for the plan summary. */
export async function synthesisOutcomes(tx: DbTransaction, campaignId: string, round: number): Promise<{ categories: string[]; outcomes: Record<string, number> }> {
  const rows = await tx
    .select({ category: syntheses.category, status: syntheses.status, n: sql<number>`count(*)::int` })
    .from(syntheses)
    .where(and(eq(syntheses.campaignId, campaignId), eq(syntheses.round, round)))
    .groupBy(syntheses.category, syntheses.status);
  const outcomes: Record<string, number> = {};
  for (const r of rows) outcomes[r.status] = (outcomes[r.status] ?? 0) + Number(r.n);
  return { categories: [...new Set(rows.map((r) => r.category))].sort(), outcomes };
}
