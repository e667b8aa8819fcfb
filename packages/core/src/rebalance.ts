import { apportionWithCapacity } from './apportion-capped';
import type { Rng } from './rng';
import { OTHERS, matchCategory, type TaxonomyCategory } from './taxonomy';

export { largestRemainder } from './apportion';
export { apportionWithCapacity, type CappedApportionment } from './apportion-capped';

export interface RebalanceOptions {
  /**
   * The most extra copies of one item, so each item appears at most 1 + maxRepeats times.
   * Undefined means unlimited (the behaviour before the cap existed).
   */
  maxRepeats?: number;
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
 */
export function rebalanceToTarget<T extends { category: string }>(
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
  if (pool.length === 0) return { entries: [], quotas, available, capped: [], shortfall: targetSize };

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
