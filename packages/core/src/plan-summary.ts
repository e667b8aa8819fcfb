import type { DifficultySignal } from './difficulty';

/**
 * What the planner records of a round (rounds.plan_summary), read back by `tapir status` and the
 * export manifest. Rows written before this type existed also carry `judged`, an old name of
 * `measured` with the same value; nothing reads it.
 */
export interface PlanSummary {
  signal: DifficultySignal;
  /** Items with this round's difficulty signal(s), the pool the plan draws from. */
  measured: number;
  /** Measured items that could not be rated, in all and by reason. */
  unusable: number;
  unusableReasons: Record<string, number>;
  hard: number;
  /** Easy items kept to reach the round's hard share. */
  easyKept: number;
  hardShareTarget: number;
  hardShareAchieved: number;
  droppedBySelection: number;
  droppedByRebalance: number;
  targetSize: number;
  /** Curriculum rows, repeats included. */
  planned: number;
  plannedUnique: number;
  plannedHard: number;
  /** Rows whose item the teacher wrote in expansion. */
  plannedExpanded: number;
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
}
