import type { DifficultySignal } from './difficulty';
import { describeHardShareLimit, type HardShareLimit } from './hard-split';
import { describeSourceMixLimit, type SourceMixLimit } from './source-mix';

/**
 * What the planner records of a round (rounds.plan_summary), read back by `tapir status` and the
 * export manifest. Rows written before this type existed also carry `judged`, an old name of
 * `measured` with the same value; nothing reads it.
 */
/** How a category's planned rows were filled: first copies by the item's origin, then repeats. */
export interface CategoryFill {
  seeds: number;
  expansion: number;
  synthesis: number;
  repeats: number;
}

export interface PlanSummary {
  signal: DifficultySignal;
  /** Items with this round's difficulty signal(s), the pool the plan draws from. */
  measured: number;
  /** Measured items that could not be rated, in all and by reason. */
  unusable: number;
  unusableReasons: Record<string, number>;
  hard: number;
  /** Easy items kept to reach the round's hard share (since issue 19: distinct easy items planned). */
  easyKept: number;
  hardShareTarget: number;
  /**
   * Before issue 19: hard / (hard + easyKept), measured on the selection before rebalancing, so
   * not what the plan holds. Since: the same as hardShareExported.
   */
  hardShareAchieved: number;
  /** Hard rows / planned rows: the hard share of the exported rows. Absent in rounds planned before issue 19. */
  hardShareExported?: number;
  /** Hard items / rated items: the share of the round's pool the student cannot do yet. Absent before issue 19. */
  hardSharePool?: number;
  /** Hard rows the target asks for (round_half_up(planned * hardShareTarget)). Absent before issue 19. */
  hardRowsWanted?: number;
  /** The categories that kept the plan from hardRowsWanted; empty when met. Absent before issue 19. */
  hardShareLimits?: HardShareLimit[];
  /** Where targetSize came from: rounds.targetSize, the selection, or the round before. Absent before issue 19. */
  sizeFrom?: 'config' | 'selection' | 'previous round';
  droppedBySelection: number;
  droppedByRebalance: number;
  targetSize: number;
  /** Curriculum rows, repeats included. */
  planned: number;
  plannedUnique: number;
  plannedHard: number;
  /** Rows whose item the teacher wrote in expansion. */
  plannedExpanded: number;
  /** Rows whose item the teacher wrote from a topic (synthesis). Absent before issue 16. */
  plannedSynthesized?: number;
  /** Per category, how its rows were filled (seeds, expansion, synthesis, repeats). Absent before issue 16. */
  fill?: Record<string, CategoryFill>;
  /** Synthesis requests of the round by status, and the categories they were for. Absent before issue 16. */
  synthesis?: { categories: string[]; outcomes: Record<string, number> };
  repeats: number;
  /** Rows missing from targetSize because every short category is at its repetition cap. */
  shortfall: number;
  /** Categories held at the repetition cap. */
  capped: string[];
  quotas: Record<string, number>;
  expansion: {
    passes: number;
    deficitsLeft: Record<string, number>;
    /** Expansion requests of the round by status (pending, accepted, rejected, failed). */
    outcomes: Record<string, number>;
  };
  /** Items per category: in the measured pool, in the selection, in the plan. */
  mixBefore: Record<string, number>;
  mixSelected: Record<string, number>;
  mixAfter: Record<string, number>;
  stageSizes: number[];
  /**
   * Per source (issue 16): rated items and hard items in the round's pool, planned rows and hard
   * rows, and the rows its share asked for when sources: sets shares. Absent before issue 16.
   */
  sources?: Record<string, SourcePlanSummary>;
  /** The sources whose share could not hold beside the category quotas; empty when all held. */
  sourceLimits?: SourceMixLimit[];
}

export interface SourcePlanSummary {
  items: number;
  hardItems: number;
  planned: number;
  plannedHard: number;
  wanted?: number;
}

/**
 * What kept a round from its target, one line each, for status and the manifest: the repeat cap's
 * shortfall, then the categories that bound the hard share. Empty for a round that met both, and
 * for rounds planned before issue 19 (they did not record it).
 */
export function roundLimits(summary: Pick<PlanSummary, 'shortfall' | 'hardRowsWanted' | 'planned' | 'plannedHard' | 'hardShareLimits' | 'sourceLimits'>): string[] {
  const lines: string[] = [];
  if (summary.shortfall > 0) lines.push(`${summary.shortfall} rows short of the target size: every category is at its repetition cap (rebalance.maxRepeats)`);
  const limits = summary.hardShareLimits ?? [];
  if (limits.length > 0 && summary.hardRowsWanted !== undefined) {
    const fewer = summary.plannedHard < summary.hardRowsWanted;
    lines.push(
      `${summary.plannedHard} hard rows of ${summary.planned} where the target asks for ${summary.hardRowsWanted}` +
        (fewer ? ' (too few hard items)' : ' (too few easy items, or hard items that are all kept)'),
    );
    for (const l of limits) lines.push(describeHardShareLimit(l));
  }
  for (const l of summary.sourceLimits ?? []) lines.push(describeSourceMixLimit(l));
  return lines;
}
