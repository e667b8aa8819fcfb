import type { CategoryFill } from '@tapir/core';
import { UNKNOWN_SOURCE } from '@tapir/core';
import type { PlannedEntry } from './plan-rows';

/** Counts over the staged plan (one list per stage) for the round's summary, in one pass. */
export interface StagedCounts {
  planned: number;
  /** Distinct items: every drawn item has exactly one entry with repeatIndex 0 (rebalanceToTarget). */
  plannedUnique: number;
  plannedHard: number;
  plannedExpanded: number;
  plannedSynthesized: number;
  repeats: number;
  /** Per category, how its rows were filled: first copies of seeds, of expanded and of synthesized items, and repeats. */
  fill: Record<string, CategoryFill>;
  mixAfter: Record<string, number>;
  /** Rows and hard rows per source (items without a source under UNKNOWN_SOURCE). */
  bySource: Record<string, { planned: number; plannedHard: number }>;
  stageSizes: number[];
}

export function countStaged(stages: readonly (readonly PlannedEntry[])[]): StagedCounts {
  const counts: StagedCounts = {
    planned: 0,
    plannedUnique: 0,
    plannedHard: 0,
    plannedExpanded: 0,
    plannedSynthesized: 0,
    repeats: 0,
    fill: {},
    bySource: {},
    mixAfter: {},
    stageSizes: stages.map((list) => list.length),
  };
  for (const list of stages) {
    for (let k = 0; k < list.length; k++) {
      const entry = list[k]!;
      counts.planned++;
      if (entry.repeatIndex === 0) counts.plannedUnique++;
      else counts.repeats++;
      if (entry.item.hard) counts.plannedHard++;
      if (entry.item.expanded) counts.plannedExpanded++;
      if (entry.item.synthesized) counts.plannedSynthesized++;
      const fill = (counts.fill[entry.category] ??= { seeds: 0, expansion: 0, synthesis: 0, repeats: 0 });
      if (entry.repeatIndex > 0) fill.repeats++;
      else if (entry.item.expanded) fill.expansion++;
      else if (entry.item.synthesized) fill.synthesis++;
      else fill.seeds++;
      counts.mixAfter[entry.category] = (counts.mixAfter[entry.category] ?? 0) + 1;
      const source = (counts.bySource[entry.item.source ?? UNKNOWN_SOURCE] ??= { planned: 0, plannedHard: 0 });
      source.planned++;
      if (entry.item.hard) source.plannedHard++;
    }
  }
  return counts;
}

/** Items per category (indexed loop: the planner runs once per round, too rarely for its loops to be optimised, and a for-of there allocates per element). */
export function countByCategory(list: readonly { category: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = 0; k < list.length; k++) {
    const category = list[k]!.category;
    out[category] = (out[category] ?? 0) + 1;
  }
  return out;
}
