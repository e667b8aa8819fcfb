import { createRng, hardShareForRound, rebalanceToTarget, selectByHardShare, stageLists, type CampaignConfig, type StageableEntry } from '@tapir/core';
import { expansions, type DbTransaction } from '@tapir/db';
import { and, eq } from 'drizzle-orm';
import { countByCategory } from './plan-counts';
import { requestExpansionIfShort } from './plan-expansion';
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
  hard: number;
  easyKept: number;
  selected: number;
  droppedBySelection: number;
  hardShareTarget: number;
  targetSize: number;
  shortfall: number;
  capped: string[];
  quotas: Record<string, number>;
  deficitsLeft: Record<string, number>;
  mixBefore: Record<string, number>;
  mixSelected: Record<string, number>;
}

export type RoundDraw = { outcome: 'expanding' } | { outcome: 'planned'; stages: PlannedEntry[][]; report: DrawReport };

/**
 * Rates the round's measured items, keeps the hard ones plus easy ones up to the round's hard
 * share, asks for expansion when a category is short (the draw stops there), rebalances to the
 * target mix and cuts the curriculum into stages. Only the stage lists and the report leave this
 * function: the rated pool, the selection's lists and the rebalancer's entries die when it
 * returns, before the plan is written. The planner's live set at that point is, through the
 * heap's growth factor, what its round adds to the worker's peak memory.
 */
export async function drawRound(tx: DbTransaction, config: CampaignConfig, campaignId: string, round: number, passesDone: number): Promise<RoundDraw> {
  const { rated, unusable, measured } = await loadRatedItems(tx, campaignId, round, config);
  const mixBefore = countByCategory(rated);

  const rng = createRng(`${config.seed}:round-${round}`);
  const hardShareTarget = hardShareForRound(config, round);
  const selection = selectByHardShare(rated, hardShareTarget, rng.fork('select'));
  // Without a configured size the curriculum is as big as the selected pool; instructions this
  // round's expansion added fill short categories within that size, not enlarge it (else
  // every pass would raise the target it is filling).
  const addedThisRound = new Set(
    (
      await tx
        .select({ itemId: expansions.itemId })
        .from(expansions)
        .where(and(eq(expansions.campaignId, campaignId), eq(expansions.round, round), eq(expansions.status, 'accepted')))
    ).map((r) => r.itemId),
  );
  const targetSize = config.rebalance.targetSize ?? selection.selected.filter((e) => !addedThisRound.has(e.itemId)).length;

  const expansion = await requestExpansionIfShort(tx, config, campaignId, round, passesDone, selection.selected, targetSize);
  if (expansion.requested > 0) return { outcome: 'expanding' };

  const rebalanced = rebalanceToTarget(selection.selected, config.taxonomy.categories, targetSize, rng.fork('rebalance'), {
    maxRepeats: config.rebalance.maxRepeats,
  });
  const entries = new Array<PlanEntry>(rebalanced.entries.length);
  for (let k = 0; k < entries.length; k++) {
    const e = rebalanced.entries[k]!;
    entries[k] = new PlanEntry(e.item, e.category, e.repeatIndex);
  }
  return {
    outcome: 'planned',
    stages: stageLists(entries, config.curriculum.stages),
    report: {
      measured,
      unusableReasons: unusable,
      hard: selection.hard.length,
      easyKept: selection.easyKept.length,
      selected: selection.selected.length,
      droppedBySelection: selection.dropped.length,
      hardShareTarget,
      targetSize,
      shortfall: rebalanced.shortfall,
      capped: rebalanced.capped,
      quotas: rebalanced.quotas,
      deficitsLeft: expansion.deficits,
      mixBefore,
      mixSelected: countByCategory(selection.selected),
    },
  };
}
