import { createRng, easyCountForHardShare, sourcesHaveShares, UNKNOWN_SOURCE, type SourceMixLimit, hardShareForRound, rebalanceToTarget, stageLists, targetSizeForRound, type CampaignConfig, type HardShareLimit, type StageableEntry } from '@tapir/core';
import { expansions, rounds, syntheses, type DbTransaction } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { countByCategory } from './plan-counts';
import { requestExpansionIfShort } from './plan-expansion';
import { requestSynthesisIfEmpty } from './plan-synthesis';
import { loadRatedItems, type RatedItem } from './plan-items';
import type { PlannedEntry } from './plan-rows';

/**
 * One curriculum row: a rated item as the rebalancer drew it (a repeat has repeatIndex > 0).
 * It refers to its item instead of copying it: at 100,000 entries a copy per entry was a third
 * of the planner's memory.
 */
export class PlanEntry implements StageableEntry, PlannedEntry {
  constructor(
    readonly item: RatedItem,
    readonly category: string,
    readonly repeatIndex: number,
  ) {}
  get itemId(): number {
    return this.item.itemId;
  }
  get difficulty(): number {
    return this.item.difficulty;
  }
  get hard(): boolean {
    return this.item.hard;
  }
}

/** What the draw decided besides the rows, for the round's summary. */
export interface DrawReport {
  measured: number;
  unusableReasons: Record<string, number>;
  /** Hard items rated, and the easy ones the plan uses (distinct). */
  hard: number;
  easyKept: number;
  /** Distinct items the plan uses. */
  selected: number;
  /** Rated easy items the plan does not use. */
  droppedBySelection: number;
  hardShareTarget: number;
  /** Hard items / rated items: what the round's pool offered. */
  hardSharePool: number;
  /** Hard rows the target asks for, and hard rows planned. */
  hardRowsWanted: number;
  hardRowsPlanned: number;
  hardShareLimits: HardShareLimit[];
  targetSize: number;
  /** Where targetSize came from. */
  sizeFrom: 'config' | 'selection' | 'previous round';
  shortfall: number;
  capped: string[];
  quotas: Record<string, number>;
  deficitsLeft: Record<string, number>;
  mixBefore: Record<string, number>;
  mixSelected: Record<string, number>;
  /** Per source: rated items, hard ones, and the rows the mix wanted (when shares are configured). */
  sources: Record<string, { items: number; hardItems: number; wanted?: number }>;
  sourceLimits: SourceMixLimit[];
}

export type RoundDraw = { outcome: 'expanding' } | { outcome: 'planned'; stages: PlannedEntry[][]; report: DrawReport };

/**
 * Rates the round's measured items, sizes the round, asks for expansion when a category is short
 * of rows or of hard items (the draw stops there), rebalances to the target mix keeping the
 * round's hard share in every category (hard items first) and cuts the curriculum into stages.
 * Only the stage lists and the report leave this function: the rated pool and the rebalancer's
 * entries die when it
 * returns, before the plan is written. The planner's live set at that point is, through the
 * heap's growth factor, what its round adds to the worker's peak memory.
 */
export async function drawRound(tx: DbTransaction, config: CampaignConfig, campaignId: string, round: number, passesDone: number): Promise<RoundDraw> {
  const { rated, unusable, measured } = await loadRatedItems(tx, campaignId, round, config);
  const mixBefore = countByCategory(rated);

  const rng = createRng(`${config.seed}:round-${round}`);
  const hardShareTarget = hardShareForRound(config, round);
  let hardCount = 0;
  for (let k = 0; k < rated.length; k++) if (rated[k]!.hard) hardCount++;
  const size = await roundSize(tx, config, campaignId, round, rated, hardShareTarget);

  // Empty categories are filled by synthesis first; expansion then has seeds to learn from.
  const synthesis = await requestSynthesisIfEmpty(tx, config, campaignId, round, rated, size.targetSize);
  if (synthesis.requested > 0) return { outcome: 'expanding' };
  const expansion = await requestExpansionIfShort(tx, config, campaignId, round, passesDone, rated, size.targetSize, hardShareTarget);
  if (expansion.requested > 0) return { outcome: 'expanding' };

  // The rebalancer draws from every rated item: it splits each category's quota into hard and
  // easy rows itself, so a sample of easy items taken beforehand would only make it repeat easy
  // items while unused ones exist.
  // Easy items only accompany hard ones: a round with no hard item plans nothing (as selection did).
  const rebalanced = rebalanceToTarget(hardCount === 0 ? [] : rated, config.taxonomy.categories, size.targetSize, rng.fork('rebalance'), {
    maxRepeats: config.rebalance.maxRepeats,
    hardShare: hardShareTarget,
    ...(sourcesHaveShares(config.sources) ? { sources: config.sources } : {}),
  });
  const sources: DrawReport['sources'] = {};
  for (let k = 0; k < rated.length; k++) {
    const item = rated[k]!;
    const entry = (sources[item.source ?? UNKNOWN_SOURCE] ??= { items: 0, hardItems: 0 });
    entry.items++;
    if (item.hard) entry.hardItems++;
  }
  rebalanced.sources?.names.forEach((name, s) => {
    if (sources[name] || rebalanced.sources!.wanted[s]! > 0) (sources[name] ??= { items: 0, hardItems: 0 }).wanted = rebalanced.sources!.wanted[s]!;
  });
  const entries = new Array<PlanEntry>(rebalanced.entries.length);
  let easyKept = 0;
  const firstCopies: RatedItem[] = [];
  for (let k = 0; k < entries.length; k++) {
    const e = rebalanced.entries[k]!;
    entries[k] = new PlanEntry(e.item, e.category, e.repeatIndex);
    if (e.repeatIndex === 0) {
      firstCopies.push(e.item);
      if (!e.item.hard) easyKept++;
    }
  }
  const split = rebalanced.hardShare!;
  return {
    outcome: 'planned',
    stages: stageLists(entries, config.curriculum.stages),
    report: {
      measured,
      unusableReasons: unusable,
      hard: hardCount,
      easyKept,
      selected: firstCopies.length,
      droppedBySelection: rated.length - hardCount - easyKept,
      hardShareTarget,
      hardSharePool: rated.length === 0 ? 0 : hardCount / rated.length,
      hardRowsWanted: split.hardWanted,
      hardRowsPlanned: split.hardPlanned,
      hardShareLimits: split.limits,
      targetSize: size.targetSize,
      sizeFrom: size.from,
      shortfall: rebalanced.shortfall,
      capped: rebalanced.capped,
      quotas: rebalanced.quotas,
      deficitsLeft: expansion.deficits,
      mixBefore,
      mixSelected: countByCategory(firstCopies),
      sources,
      sourceLimits: rebalanced.sources?.limits ?? [],
    },
  };
}

/**
 * The round's size: the configured one (rounds.targetSize), or else as many rows as a selection
 * of every hard item and easy ones up to the round's hard share would hold, without the
 * instructions this round's expansion added (else every pass would raise the target it is
 * filling), and never fewer rows than the round before planned: a curriculum that shrinks as its
 * hard share rises would teach less of what the student cannot do (issue 19).
 */
async function roundSize(
  tx: DbTransaction,
  config: CampaignConfig,
  campaignId: string,
  round: number,
  rated: readonly RatedItem[],
  hardShare: number,
): Promise<{ targetSize: number; from: DrawReport['sizeFrom'] }> {
  const configured = targetSizeForRound(config, round);
  if (configured !== undefined) return { targetSize: configured, from: 'config' };
  const addedThisRound = new Set(
    (
      await tx.execute<{ item_id: number }>(sql`
        select item_id from ${expansions} where campaign_id = ${campaignId} and round = ${round} and status = 'accepted'
        union all
        select item_id from ${syntheses} where campaign_id = ${campaignId} and round = ${round} and status = 'accepted'`)
    ).rows.map((r) => Number(r.item_id)),
  );
  let hard = 0;
  let easy = 0;
  for (let k = 0; k < rated.length; k++) {
    const item = rated[k]!;
    if (addedThisRound.has(item.itemId)) continue;
    if (item.hard) hard++;
    else easy++;
  }
  // Easy items only accompany hard ones: with none hard, nothing is selected.
  const selection = hard === 0 ? 0 : hard + Math.min(easy, easyCountForHardShare(hard, hardShare));
  const previous = round === 1 ? 0 : await previousRoundPlanned(tx, campaignId, round - 1);
  return previous > selection ? { targetSize: previous, from: 'previous round' } : { targetSize: selection, from: 'selection' };
}

async function previousRoundPlanned(tx: DbTransaction, campaignId: string, round: number): Promise<number> {
  const [row] = await tx
    .select({ planned: sql<number | null>`(${rounds.planSummary} ->> 'planned')::int` })
    .from(rounds)
    .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
  return Number(row?.planned ?? 0);
}
