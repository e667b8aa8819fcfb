import { largestRemainder } from './apportion';
import type { TaxonomyCategory } from './taxonomy';

export interface ExpansionRequest {
  category: string;
  /** The hard item whose instruction seeds the prompt. */
  seedItemId: number;
  /** How many earlier requests used this seed (0, 1, 2, ...), so repeated prompts stay distinct. */
  slot: number;
}

export interface ExpansionPlanOptions {
  /** Candidates requested per missing row (>= 1), since the filters drop some. */
  oversample: number;
  /** Most requests in total (expansion.maxPerRound). */
  maxTotal: number;
}

// Products like 100 * 1.1 come out as 110.00000000000001; snapping to 9 decimals keeps ceil honest.
const ceilSnapped = (x: number): number => Math.ceil(Math.round(x * 1e9) / 1e9);

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be an integer >= 0, got ${value}`);
}

/** The round's hard share and each category's hard items, for deficits of hard rows. */
export interface HardPart {
  hardShare: number;
  hardItems: Readonly<Record<string, number>>;
}

/**
 * Rows each category is short of its ideal share of `targetSize`: the quotas rebalanceToTarget
 * would give without a repeat cap (largest remainder over the weights of the categories that
 * have a weight > 0 and at least one item), minus the items available. Only positive deficits are
 * returned; a category without items gets no quota, since expansion needs seeds from it.
 *
 * With `hardPart` a category is also short when its hard items cannot fill its part of the round's
 * hard share, ceil(quota * hardShare): expansion writes new instructions like its hard ones, which
 * is how TAPIR grows a round, before the rebalancer repeats hard items (issue 19).
 */
export function categoryDeficits(
  available: Readonly<Record<string, number>>,
  taxonomy: readonly TaxonomyCategory[],
  targetSize: number,
  hardPart?: HardPart,
): Record<string, number> {
  assertCount(targetSize, 'categoryDeficits: targetSize');
  for (const [name, count] of Object.entries(available)) assertCount(count, `categoryDeficits: available["${name}"]`);
  const fillable = taxonomy.filter((c) => c.weight > 0 && (available[c.name] ?? 0) > 0);
  if (fillable.length === 0) return {};
  const quotas = largestRemainder(
    fillable.map((c) => c.weight),
    targetSize,
  );
  const deficits: Record<string, number> = {};
  fillable.forEach((c, i) => {
    const quota = quotas[i] ?? 0;
    let missing = quota - (available[c.name] ?? 0);
    if (hardPart) {
      // The hard rows the category's part of the round's hard share asks for, beyond its hard items.
      const hardMissing = ceilSnapped(quota * hardPart.hardShare) - (hardPart.hardItems[c.name] ?? 0);
      missing = Math.max(missing, hardMissing);
    }
    if (missing > 0) deficits[c.name] = missing;
  });
  return deficits;
}

/**
 * Which seed to expand for each missing row. A category asks for ceil(deficit * oversample)
 * candidates; if all categories together ask for more than maxTotal, the asks are scaled down in
 * proportion (largest remainder), so no category is starved. Seeds are taken round robin in
 * ascending id order, so the new instructions spread over all hard items of the category and no
 * seed is used more than once more than any other. Categories without seeds get nothing.
 * Categories are planned in code-unit order of their names: the plan depends only on its inputs.
 */
export function planExpansionRequests(
  deficits: Readonly<Record<string, number>>,
  seedsByCategory: Readonly<Record<string, readonly number[]>>,
  opts: ExpansionPlanOptions,
): ExpansionRequest[] {
  const { oversample, maxTotal } = opts;
  if (!(Number.isFinite(oversample) && oversample >= 1)) {
    throw new RangeError(`planExpansionRequests: oversample must be a finite number >= 1, got ${oversample}`);
  }
  assertCount(maxTotal, 'planExpansionRequests: maxTotal');

  const planned = Object.keys(deficits)
    .sort(compareCodeUnits)
    .map((category) => {
      const deficit = deficits[category] ?? 0;
      assertCount(deficit, `planExpansionRequests: deficit of "${category}"`);
      // Deduplicated so that round robin really balances the seeds.
      const seeds = [...new Set(seedsByCategory[category] ?? [])].sort((a, b) => a - b);
      return { category, seeds, wanted: seeds.length === 0 ? 0 : ceilSnapped(deficit * oversample) };
    })
    .filter((p) => p.wanted > 0);

  const totalWanted = planned.reduce((sum, p) => sum + p.wanted, 0);
  // Each scaled count is at most ceil(wanted * maxTotal / total) <= wanted, so no category gains.
  const counts =
    totalWanted > maxTotal
      ? largestRemainder(
          planned.map((p) => p.wanted),
          maxTotal,
        )
      : planned.map((p) => p.wanted);

  const requests: ExpansionRequest[] = [];
  planned.forEach(({ category, seeds }, c) => {
    const count = counts[c] ?? 0;
    for (let i = 0; i < count; i++) {
      requests.push({ category, seedItemId: seeds[i % seeds.length] as number, slot: Math.floor(i / seeds.length) });
    }
  });
  return requests;
}
