/**
 * Per-source shares of a round's curriculum rows (issue 16), mixed with the category quotas.
 * Pure; rebalanceToTarget draws the rows. Category quotas always hold (they are the task mix the
 * curriculum is for); source shares bend where the pool cannot give both, and the limits say
 * which source and by how many rows.
 */
import { apportionWithCapacity } from './apportion-capped';
import { largestRemainder } from './apportion';

export interface SourceShareSpec {
  name: string;
  weight?: number;
  minShare?: number;
  maxShare?: number;
}

/**
 * Why a source's planned rows differ from its target:
 * - `below-min` / `above-max`: its share is outside the configured bound;
 * - `off-target`: within its bounds, but further from its target than rounding explains (more
 *   than one row per category), because the categories it has items in could not take more, or
 *   the others could not give up theirs.
 * `by` is in rows: how far the planned rows are from the bound (or target).
 */
export interface SourceMixLimit {
  source: string;
  kind: 'below-min' | 'above-max' | 'off-target';
  wanted: number;
  planned: number;
  by: number;
}

/** True when the specs ask for a mix at all; without weights or bounds sources follow the pool. */
export function sourcesHaveShares(specs: readonly SourceShareSpec[] | undefined): boolean {
  return (specs ?? []).some((s) => s.weight !== undefined || s.minShare !== undefined || s.maxShare !== undefined);
}

/**
 * Each source's target share: its weight over all weights, or (with no weights) its share of the
 * pool, moved into [minShare, maxShare]: share_i = clamp(level * base_i, min_i, max_i), with the one
 * level that makes the shares sum to 1 (found by bisection; the sum only grows with the level). A
 * source fixed at a bound is one the others' proportions could not hold. Sums to 1 whenever the
 * bounds allow (the config checks that minShares add up to at most 1 and maxShares to at least 1).
 */
export function targetSourceShares(specs: readonly SourceShareSpec[], poolItems: readonly number[]): number[] {
  const weighted = specs.every((s) => s.weight !== undefined);
  const raw = specs.map((s, i) => (weighted ? (s.weight ?? 0) : (poolItems[i] ?? 0)));
  const rawSum = raw.reduce((a, b) => a + b, 0);
  const base = raw.map((r) => (rawSum > 0 ? r / rawSum : 1 / specs.length));
  const at = (level: number) => base.map((b, i) => Math.min(specs[i]!.maxShare ?? 1, Math.max(specs[i]!.minShare ?? 0, level * b)));
  const sum = (shares: number[]) => shares.reduce((a, b) => a + b, 0);
  let lo = 0;
  let hi = 1;
  while (sum(at(hi)) < 1 && hi < 1e12) hi *= 2;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (sum(at(mid)) < 1) lo = mid;
    else hi = mid;
  }
  return at(hi);
}

/**
 * Rows per category and source: row sums are the category quotas exactly, each cell within its
 * capacity, column sums as close to the sources' wanted rows as the pool allows. Fractional
 * targets come from iterative proportional fitting seeded with the items each cell holds (so a
 * source's rows go to the categories it has items in, in proportion), and each category's row is
 * then rounded by capped largest remainder.
 */
export function mixSourceRows(
  quotas: readonly number[],
  seed: readonly (readonly number[])[],
  capacity: readonly (readonly number[])[],
  wanted: readonly number[],
): number[][] {
  const x = seed.map((row) => row.map((v) => v));
  for (let iter = 0; iter < 200; iter++) {
    let worst = 0;
    for (let s = 0; s < wanted.length; s++) {
      const col = x.reduce((sum, row) => sum + row[s]!, 0);
      if (col <= 0) continue;
      worst = Math.max(worst, Math.abs(col - wanted[s]!));
      const f = wanted[s]! / col;
      for (const row of x) row[s]! *= f;
    }
    for (let c = 0; c < x.length; c++) {
      const sum = x[c]!.reduce((a, b) => a + b, 0);
      if (sum > 0) x[c] = x[c]!.map((v) => (v * quotas[c]!) / sum);
    }
    if (worst < 1e-6) break;
  }
  return x.map((row, c) => fillCells(quotas[c]!, row, seed[c]!, capacity[c]!));
}

/**
 * Like fillCells, but every item is used once before any is repeated: first within `items`
 * (one copy each), then up to `caps`. A hard item is never left out of a category's rows while
 * another of its items is drawn twice, whichever source it came from.
 */
export function fillCellsOnceFirst(total: number, prefer: readonly number[], items: readonly number[], caps: readonly number[]): number[] {
  const once = fillCells(total, prefer, items, items);
  const left = total - once.reduce((a, b) => a + b, 0);
  if (left <= 0) return once;
  const more = fillCells(left, prefer, items, caps.map((cap, i) => cap - once[i]!));
  return once.map((n, i) => n + more[i]!);
}

/**
 * `total` units over cells: by `prefer` within `caps`, and what that cannot place by `fallback`
 * (e.g. the items each cell holds) within what the caps leave. Sums to min(total, sum of caps).
 */
export function fillCells(total: number, prefer: readonly number[], fallback: readonly number[], caps: readonly number[]): number[] {
  const out = caps.map(() => 0);
  if (total <= 0) return out;
  let left = total;
  for (const weights of [prefer, fallback]) {
    const room = caps.map((cap, i) => cap - out[i]!);
    const usable = weights.map((w, i) => (room[i]! > 0 && w > 0 ? w : 0));
    if (left <= 0 || !usable.some((w) => w > 0)) continue;
    const placed = apportionWithCapacity(usable, room, left);
    placed.counts.forEach((n, i) => (out[i]! += n));
    left = placed.shortfall;
  }
  return out;
}

/** Wanted rows per source: the target shares of `total`, largest remainder. */
export function wantedSourceRows(shares: readonly number[], total: number): number[] {
  if (total === 0 || !shares.some((s) => s > 0)) return shares.map(() => 0);
  return largestRemainder(shares, total);
}

/**
 * What kept each source from its target: bounds first (they are what the user asked to hold),
 * then a distance beyond rounding (`tolerance` rows, one per category drawn from). Most rows first.
 */
export function sourceMixLimits(
  specs: readonly SourceShareSpec[],
  wanted: readonly number[],
  planned: readonly number[],
  tolerance: number,
): SourceMixLimit[] {
  const total = planned.reduce((a, b) => a + b, 0);
  const limits: SourceMixLimit[] = [];
  const r2 = (v: number) => Math.round(v * 100) / 100;
  specs.forEach((spec, i) => {
    const got = planned[i] ?? 0;
    const want = wanted[i] ?? 0;
    const base = { source: spec.name, wanted: want, planned: got };
    if (total > 0 && spec.minShare !== undefined && got < spec.minShare * total - 1e-9) {
      limits.push({ ...base, kind: 'below-min', by: r2(spec.minShare * total - got) });
    } else if (total > 0 && spec.maxShare !== undefined && got > spec.maxShare * total + 1e-9) {
      limits.push({ ...base, kind: 'above-max', by: r2(got - spec.maxShare * total) });
    } else if (Math.abs(got - want) > tolerance) {
      limits.push({ ...base, kind: 'off-target', by: Math.abs(got - want) });
    }
  });
  return limits.sort((a, z) => z.by - a.by || (a.source < z.source ? -1 : a.source > z.source ? 1 : 0));
}

/** One line per limit, for status and logs. */
export function describeSourceMixLimit(l: SourceMixLimit): string {
  switch (l.kind) {
    case 'below-min':
      return `source ${l.source}: ${l.planned} rows, ${l.by} below its minShare (the categories it has items in could not take more)`;
    case 'above-max':
      return `source ${l.source}: ${l.planned} rows, ${l.by} above its maxShare (the other sources lack items in the categories it fills)`;
    case 'off-target':
      return `source ${l.source}: ${l.planned} rows of ${l.wanted} wanted, ${l.by} off (category quotas come first)`;
  }
}
