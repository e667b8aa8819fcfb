import { largestRemainder } from './apportion';

export interface CappedApportionment {
  /** Per weight, in input order; sums to min(total, sum of capacities of positive weights). */
  counts: number[];
  /** Indexes whose share was cut down to their capacity, ascending. */
  capped: number[];
  /** total minus the sum of counts: what the capacities could not hold (0 normally). */
  shortfall: number;
}

/**
 * Largest-remainder apportionment with a ceiling per entry ("water-filling"). Each round
 * apportions what is left over the entries not yet capped, by their weights; every entry whose
 * count exceeds its capacity is fixed at its capacity, and the rest is apportioned again over the
 * others, until no count exceeds its capacity. Capping only ever raises the others' level (units
 * per weight), so a capped entry stays below the final level, never has to be uncapped, and the
 * loop ends after at most weights.length rounds.
 *
 * - With no entry over capacity in the first round the result is exactly largestRemainder, so
 *   callers with infinite capacities see no change.
 * - The counts of the uncapped entries are largestRemainder of their weights over what the
 *   capped ones left; a capped entry is always relatively fuller than an uncapped one would be
 *   with one more unit, i.e. capping was needed.
 * - When the capacities cannot hold the total, every positive weight ends at its capacity and
 *   the difference is the shortfall. A weight of 0 means "none wanted", so it never takes any
 *   units, not even to absorb a shortfall.
 */
export function apportionWithCapacity(
  weights: readonly number[],
  capacities: readonly number[],
  total: number,
): CappedApportionment {
  if (capacities.length !== weights.length) {
    throw new RangeError(`apportionWithCapacity: ${weights.length} weights but ${capacities.length} capacities`);
  }
  capacities.forEach((c, i) => {
    if (!(c === Infinity || (Number.isInteger(c) && c >= 0))) {
      throw new RangeError(`apportionWithCapacity: capacity ${i} must be an integer >= 0 or Infinity, got ${c}`);
    }
  });
  // Called for its checks: finite weights >= 0 that are not all 0, and an integer total >= 0.
  // The loop below skips weights <= 0, so it would not notice a negative or NaN weight itself.
  largestRemainder(weights, total);
  const counts = weights.map(() => 0);
  const isCapped = weights.map(() => false);
  let left = total;

  for (;;) {
    const active = weights.flatMap((w, i) => (w > 0 && !isCapped[i] ? [i] : []));
    if (active.length === 0) break;
    const shares = largestRemainder(
      active.map((i) => weights[i] ?? 0),
      left,
    );
    const over = active.filter((i, k) => (shares[k] ?? 0) > (capacities[i] ?? 0));
    if (over.length === 0) {
      active.forEach((i, k) => (counts[i] = shares[k] ?? 0));
      left = 0;
      break;
    }
    // Cap every entry over capacity at once: capping raises the others' level (units per
    // weight), so an entry over it now would, up to rounding, stay over; one pass per round keeps
    // the loop short and its result independent of any order among the capped.
    for (const i of over) {
      isCapped[i] = true;
      counts[i] = capacities[i] ?? 0;
      left -= counts[i];
    }
  }
  // Only a loop that ran out of uncapped entries leaves units over.
  return {
    counts,
    capped: isCapped.flatMap((c, i) => (c ? [i] : [])),
    shortfall: left,
  };
}
