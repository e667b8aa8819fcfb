import { apportionWithCapacity } from './apportion-capped';
import { splitByHardShare, type HardShareLimit } from './hard-split';
import type { Rng } from './rng';
import { planSourceDraw, UNKNOWN_SOURCE } from './source-draw';
import type { SourceMixLimit, SourceShareSpec } from './source-mix';
import { OTHERS, matchCategory, type TaxonomyCategory } from './taxonomy';

export { largestRemainder } from './apportion';
export { apportionWithCapacity, type CappedApportionment } from './apportion-capped';
export { splitByHardShare, describeHardShareLimit, type HardShareLimit, type HardSplit, type SplitCategory } from './hard-split';

export interface RebalanceOptions {
  /**
   * The most extra copies of one item, so each item appears at most 1 + maxRepeats times.
   * Undefined means unlimited (the behaviour before the cap existed).
   */
  maxRepeats?: number;
  /**
   * The round's hard share. When set, every item needs `hard`, and each category's quota is split
   * into hard and easy rows (splitByHardShare) so that the rows keep this share where the pool
   * allows. Undefined: hardness is not looked at (the behaviour before issue 19).
   */
  hardShare?: number;
  /**
   * Per-source shares (issue 16; needs hardShare): every item needs `source`, and each category's
   * hard and easy rows are spread over the sources (planSourceDraw). Undefined: sources are not
   * looked at, and the draw is exactly the one before sources existed.
   */
  sources?: readonly SourceShareSpec[];
}

/** What the source mix decided, when RebalanceOptions.sources was set. */
export interface RebalanceSources {
  /** Spec order, then UNKNOWN_SOURCE. */
  names: string[];
  wanted: number[];
  planned: number[];
  limits: SourceMixLimit[];
}

/** What the hard/easy split decided, when RebalanceOptions.hardShare was set. */
export interface RebalanceHardShare {
  target: number;
  /** Hard rows the target asks for, and hard rows drawn. */
  hardWanted: number;
  hardPlanned: number;
  /** Hard and easy rows per category. */
  rows: Record<string, { hard: number; easy: number }>;
  /** The categories that kept hardPlanned from hardWanted; empty when it was met. */
  limits: HardShareLimit[];
}

export interface RebalancedEntry<T> {
  item: T;
  /** 0 for the first copy of an item, 1.. for up-sampled repeats. */
  repeatIndex: number;
  /** The taxonomy category the item was counted under (unknown labels count as Others). */
  category: string;
}

export interface RebalanceResult<T> {
  /** In taxonomy order, then in sampling order within a category. */
  entries: RebalancedEntry<T>[];
  /** Items to draw per taxonomy category; sums to targetSize - shortfall. */
  quotas: Record<string, number>;
  /** Items per taxonomy category in the pool. */
  available: Record<string, number>;
  /** Categories held at their capacity (available * (1 + maxRepeats)), in taxonomy order. */
  capped: string[];
  /** targetSize minus the entries produced: what the repeat cap left unfilled (0 normally). */
  shortfall: number;
  /** Present when RebalanceOptions.hardShare was set. */
  hardShare?: RebalanceHardShare;
  /** Present when RebalanceOptions.sources was set. */
  sources?: RebalanceSources;
}

function validateTaxonomy(taxonomy: readonly TaxonomyCategory[]): void {
  if (taxonomy.length === 0) throw new RangeError('rebalance: taxonomy is empty');
  const seen = new Set<string>();
  for (const c of taxonomy) {
    if (!Number.isFinite(c.weight) || c.weight < 0) {
      throw new RangeError(`rebalance: category "${c.name}" needs a finite weight >= 0, got ${c.weight}`);
    }
    if (seen.has(c.name)) throw new RangeError(`rebalance: category "${c.name}" appears twice in the taxonomy`);
    seen.add(c.name);
  }
  if (!seen.has(OTHERS)) throw new RangeError(`rebalance: taxonomy must contain "${OTHERS}"`);
}

/**
 * Draws `quota` entries from one category's items: a plain random sample when there are enough,
 * otherwise whole shuffled copies, so no item is repeated twice before every item is repeated
 * once (repeat counts within a category differ by at most 1). Hence an item appears at most
 * ceil(quota / items.length) times, which is how a quota within capacity honours maxRepeats.
 */
function drawCategory<T>(items: readonly T[], quota: number, category: string, rng: Rng): RebalancedEntry<T>[] {
  if (items.length >= quota) {
    return rng.sample(items, quota).map((item) => ({ item, repeatIndex: 0, category }));
  }
  const entries: RebalancedEntry<T>[] = [];
  for (let copy = 0; entries.length < quota; copy++) {
    const take = Math.min(items.length, quota - entries.length);
    for (const item of rng.sample(items, take)) entries.push({ item, repeatIndex: copy, category });
  }
  return entries;
}

/**
 * Resamples the selected pool to the taxonomy's target distribution (docs/method.md, step 7).
 * Categories with no items cannot be filled, so the whole target is apportioned again over the
 * categories that have items. Each category draws from its own forked stream, so changing one
 * category's items does not reshuffle the others.
 *
 * Repetition is capped because a student fine-tuned on one item many times memorises it: with
 * maxRepeats set, a category holds at most available * (1 + maxRepeats) entries. Quotas are then
 * water-filled (apportionWithCapacity): largest remainder over the weights, categories over
 * capacity fixed at capacity, the rest re-apportioned over the others by weight until stable.
 * The total is exactly min(targetSize, sum of capacities), counting only categories with a
 * weight > 0 (weight 0 means none wanted, so such a category never fills a gap); what is missing
 * is the shortfall, for the planner to report. Without maxRepeats nothing is capped, the quotas
 * are plain largest remainder and the total is targetSize, as before the cap existed.
 *
 * With opts.hardShare the quotas stay as they are and each is split into hard and easy rows
 * (splitByHardShare): the round's hard rows are round_half_up(rows * hardShare) wherever the
 * categories' items allow, and a hard item is never dropped while an easy one of its category is
 * kept. What kept the split from the share is named in result.hardShare.limits.
 */
export function rebalanceToTarget<T extends { category: string; hard?: boolean; source?: string | null }>(
  pool: readonly T[],
  taxonomy: readonly TaxonomyCategory[],
  targetSize: number,
  rng: Rng,
  opts: RebalanceOptions = {},
): RebalanceResult<T> {
  if (!Number.isInteger(targetSize) || targetSize < 0) {
    throw new RangeError(`rebalance: targetSize must be an integer >= 0, got ${targetSize}`);
  }
  const { maxRepeats } = opts;
  if (maxRepeats !== undefined && !(Number.isInteger(maxRepeats) && maxRepeats >= 0)) {
    throw new RangeError(`rebalance: maxRepeats must be an integer >= 0, got ${maxRepeats}`);
  }
  const { hardShare } = opts;
  if (hardShare !== undefined && !(hardShare >= 0 && hardShare <= 1)) {
    throw new RangeError(`rebalance: hardShare must be a number from 0 to 1, got ${hardShare}`);
  }
  validateTaxonomy(taxonomy);
  const names = taxonomy.map((c) => c.name);
  const exactNames = new Set(names);

  const byCategory = new Map<string, T[]>(names.map((n) => [n, []]));
  for (const item of pool) {
    const name = exactNames.has(item.category) ? item.category : (matchCategory(item.category, names) ?? OTHERS);
    byCategory.get(name)?.push(item);
  }

  const available: Record<string, number> = {};
  const quotas: Record<string, number> = {};
  for (const name of names) {
    available[name] = byCategory.get(name)?.length ?? 0;
    quotas[name] = 0;
  }
  // Nothing to draw from: the whole target is missing, so shortfall = targetSize - entries holds here too.
  if (pool.length === 0) {
    const empty = { entries: [], quotas, available, capped: [], shortfall: targetSize };
    return hardShare === undefined ? empty : { ...empty, hardShare: { target: hardShare, hardWanted: 0, hardPlanned: 0, rows: {}, limits: [] } };
  }

  const fillable = taxonomy.filter((c) => (available[c.name] ?? 0) > 0);
  if (fillable.every((c) => c.weight === 0)) {
    throw new RangeError('rebalance: every category that has items has weight 0, so no quota can be assigned');
  }
  const apportioned = apportionWithCapacity(
    fillable.map((c) => c.weight),
    fillable.map((c) => (maxRepeats === undefined ? Infinity : (available[c.name] ?? 0) * (1 + maxRepeats))),
    targetSize,
  );
  fillable.forEach((c, i) => (quotas[c.name] = apportioned.counts[i] ?? 0));
  const capped = apportioned.capped.map((i) => fillable[i]?.name ?? '');

  if (hardShare === undefined) {
    const entries: RebalancedEntry<T>[] = [];
    for (const name of names) {
      const quota = quotas[name] ?? 0;
      if (quota === 0) continue;
      // A loop, not push(...drawn): spreading a category of a few hundred thousand entries as
      // arguments overflows the call stack.
      for (const entry of drawCategory(byCategory.get(name) ?? [], quota, name, rng.fork(`rebalance:${name}`))) entries.push(entry);
    }
    return { entries, quotas, available, capped, shortfall: apportioned.shortfall };
  }

  // Hard and easy rows are drawn apart, each from its own stream: hard items first when a category
  // is sampled down (the split's lower bound keeps every hard item while any easy one is kept),
  // and a category's repeats go to whichever side its part asks for.
  const hardOf = new Map<string, T[]>();
  const easyOf = new Map<string, T[]>();
  for (const name of names) {
    const items = byCategory.get(name) ?? [];
    hardOf.set(name, items.filter((item) => item.hard === true));
    easyOf.set(name, items.filter((item) => item.hard !== true));
  }
  const split = splitByHardShare(
    names.map((name) => ({ name, quota: quotas[name] ?? 0, hardItems: hardOf.get(name)!.length, easyItems: easyOf.get(name)!.length })),
    hardShare,
    maxRepeats,
  );
  const entries: RebalancedEntry<T>[] = [];
  let sources: RebalanceSources | undefined;
  if (opts.sources === undefined) {
    for (const name of names) {
      const { hard, easy } = split.rows[name] ?? { hard: 0, easy: 0 };
      if (hard > 0) for (const entry of drawCategory(hardOf.get(name)!, hard, name, rng.fork(`rebalance:${name}:hard`))) entries.push(entry);
      if (easy > 0) for (const entry of drawCategory(easyOf.get(name)!, easy, name, rng.fork(`rebalance:${name}:easy`))) entries.push(entry);
    }
  } else {
    const specs = opts.sources;
    const sourceIndex = new Map(specs.map((spec, i) => [spec.name, i]));
    const unknown = specs.length;
    const bySource = (items: readonly T[]) => {
      const lists: T[][] = Array.from({ length: specs.length + 1 }, () => []);
      for (const item of items) lists[sourceIndex.get(item.source ?? '') ?? unknown]!.push(item);
      return lists;
    };
    const hardLists = new Map(names.map((name) => [name, bySource(hardOf.get(name)!)]));
    const easyLists = new Map(names.map((name) => [name, bySource(easyOf.get(name)!)]));
    const plan = planSourceDraw(
      specs,
      names.map((name) => ({
        name,
        hard: split.rows[name]?.hard ?? 0,
        easy: split.rows[name]?.easy ?? 0,
        hardBySource: hardLists.get(name)!.map((l) => l.length),
        easyBySource: easyLists.get(name)!.map((l) => l.length),
      })),
      maxRepeats,
    );
    for (const name of names) {
      const cell = plan.cells.get(name)!;
      plan.names.forEach((source, s) => {
        const tag = source === UNKNOWN_SOURCE ? 'unknown' : source;
        if (cell.hard[s]! > 0) for (const entry of drawCategory(hardLists.get(name)![s]!, cell.hard[s]!, name, rng.fork(`rebalance:${name}:hard:${tag}`))) entries.push(entry);
        if (cell.easy[s]! > 0) for (const entry of drawCategory(easyLists.get(name)![s]!, cell.easy[s]!, name, rng.fork(`rebalance:${name}:easy:${tag}`))) entries.push(entry);
      });
    }
    sources = { names: plan.names, wanted: plan.wanted, planned: plan.planned, limits: plan.limits };
  }
  return {
    entries,
    quotas,
    available,
    capped,
    shortfall: apportioned.shortfall,
    hardShare: { target: hardShare, hardWanted: split.hardWanted, hardPlanned: split.hardPlanned, rows: split.rows, limits: split.limits },
    ...(sources ? { sources } : {}),
  };
}
