/**
 * Hamilton's largest-remainder apportionment: splits an integer total in proportion to weights so
 * that the counts sum exactly to the total and each count is the floor or the ceiling of its
 * exact quota. Remainder ties go to the lower index, which keeps the result deterministic.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  if (!Number.isInteger(total) || total < 0) {
    throw new RangeError(`largestRemainder: total must be an integer >= 0, got ${total}`);
  }
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) {
      throw new RangeError(`largestRemainder: weight ${i} must be a finite number >= 0, got ${w}`);
    }
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new RangeError('largestRemainder: weights must sum to more than 0');

  const quotas = weights.map((w) => (w / sum) * total);
  const counts = quotas.map((q) => Math.floor(q));
  let left = total - counts.reduce((a, b) => a + b, 0);
  // Floating point can leave a floor one short (e.g. 2.9999999 for an exact 3); the remainder order
  // still hands out exactly `left` units, so the sum is exact either way.
  const order = quotas
    .map((q, i) => ({ i, rem: q - Math.floor(q) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}
