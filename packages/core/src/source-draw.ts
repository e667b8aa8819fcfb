import { fillCellsOnceFirst, mixSourceRows, sourceMixLimits, targetSourceShares, wantedSourceRows, type SourceMixLimit, type SourceShareSpec } from './source-mix';

/** The rows per category, source and side the rebalancer is to draw, and what the mix reports. */
export interface SourceDrawPlan {
  /** Spec order; a last entry holds items whose source is not among the specs (expanded items without a seed, old campaigns). */
  names: string[];
  /** category -> per source (names order) hard and easy rows. */
  cells: Map<string, { hard: number[]; easy: number[] }>;
  wanted: number[];
  planned: number[];
  limits: SourceMixLimit[];
}

export const UNKNOWN_SOURCE = '(unknown)';

/**
 * Spreads each category's hard and easy rows (from splitByHardShare) over the sources: the mix
 * (mixSourceRows) says how many rows of a category each source gets; a category's hard rows go to
 * its sources by that, within the hard items each holds (and their repeat cap), then its easy rows
 * fill the rest of each source's part. Where a source's part cannot be filled from its own items
 * of the right side, other sources of the category fill it: the category's hard and easy rows are
 * never cut for the sake of a source share.
 */
export function planSourceDraw(
  specs: readonly SourceShareSpec[],
  categories: readonly { name: string; hard: number; easy: number; hardBySource: number[]; easyBySource: number[] }[],
  maxRepeats: number | undefined,
): SourceDrawPlan {
  const names = [...specs.map((s) => s.name), UNKNOWN_SOURCE];
  const weighted = specs.every((s) => s.weight !== undefined);
  const allSpecs: SourceShareSpec[] = [...specs, weighted ? { name: UNKNOWN_SOURCE, weight: 0 } : { name: UNKNOWN_SOURCE, maxShare: 1 }];
  const cap = (items: number) => (items === 0 ? 0 : maxRepeats === undefined ? Infinity : items * (1 + maxRepeats));
  const seed = categories.map((c) => c.hardBySource.map((h, s) => h + c.easyBySource[s]!));
  const capacity = categories.map((c) => c.hardBySource.map((h, s) => cap(h) + cap(c.easyBySource[s]!)));
  const poolItems = names.map((_, s) => seed.reduce((sum, row) => sum + row[s]!, 0));
  const shares = targetSourceShares(allSpecs, poolItems);
  if (!weighted) {
    // Items of no known source are not part of any share: they follow the pool.
    const unknownShare = poolItems.reduce((a, b) => a + b, 0) === 0 ? 0 : poolItems[names.length - 1]! / poolItems.reduce((a, b) => a + b, 0);
    shares[names.length - 1] = unknownShare;
  }
  const total = categories.reduce((sum, c) => sum + c.hard + c.easy, 0);
  const wanted = wantedSourceRows(shares, total);
  const rows = mixSourceRows(
    categories.map((c) => c.hard + c.easy),
    seed,
    capacity,
    wanted,
  );
  const cells = new Map<string, { hard: number[]; easy: number[] }>();
  const planned = names.map(() => 0);
  categories.forEach((c, k) => {
    const part = rows[k]!;
    const hard = fillCellsOnceFirst(c.hard, part, c.hardBySource, c.hardBySource.map(cap));
    const easy = fillCellsOnceFirst(
      c.easy,
      part.map((p, s) => Math.max(0, p - hard[s]!)),
      c.easyBySource,
      c.easyBySource.map(cap),
    );
    cells.set(c.name, { hard, easy });
    hard.forEach((n, s) => (planned[s]! += n + easy[s]!));
  });
  const drawnFrom = categories.filter((c) => c.hard + c.easy > 0).length;
  const limits = sourceMixLimits(allSpecs, wanted, planned, Math.max(1, drawnFrom)).filter((l) => l.source !== UNKNOWN_SOURCE);
  return { names, cells, wanted, planned, limits };
}
