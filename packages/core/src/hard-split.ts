/**
 * Splitting each category's quota into hard and easy rows so that the curriculum keeps the
 * round's hard share (docs/method.md, step 7; issue 19). Pure: the rebalancer draws the rows.
 */

/** One category as the split sees it. */
export interface SplitCategory {
  name: string;
  /** Rows the category gets (its share of the target size, already within its repeat cap). */
  quota: number;
  /** Distinct hard and easy items the category holds. */
  hardItems: number;
  easyItems: number;
}

/**
 * Why a round's hard share could not be met, one entry per category that bound it:
 * - `hard-short`: too few hard items (with their repeat cap) for the category's hard part;
 * - `easy-short`: too few easy items (with their repeat cap) for the category's easy part;
 * - `hard-kept`: more hard items than the hard part, all kept because no hard item is dropped
 *   while an easy one of the same category is kept.
 * `by` is how many rows the category's bound is from its ideal hard part (quota * share):
 * hard rows missing for `hard-short`, hard rows too many for the other two.
 */
export interface HardShareLimit {
  category: string;
  kind: 'hard-short' | 'easy-short' | 'hard-kept';
  by: number;
  hardItems: number;
  easyItems: number;
}

export interface HardSplit {
  /** Per category name: hard and easy rows; hard + easy = quota. */
  rows: Record<string, { hard: number; easy: number }>;
  /** round_half_up(total quota * share): the hard rows the round asks for. */
  hardWanted: number;
  /** The hard rows the split gives (hardWanted unless limited). */
  hardPlanned: number;
  /** Empty when hardPlanned = hardWanted; else the categories that bound it, most binding first. */
  limits: HardShareLimit[];
}

/** round half up of x, snapped to 9 decimals so float noise cannot move an exact half. */
const roundHalfUp = (x: number): number => Math.round(Math.round(x * 1e9) / 1e9);

/**
 * The bounds of one category's hard rows:
 * - at most the quota and at most what its hard items can fill (hardItems * (1 + maxRepeats));
 * - at least what its easy items cannot fill (quota - easyItems * (1 + maxRepeats)), and at least
 *   every hard item once (or the whole quota, if smaller): a hard item is never dropped while an
 *   easy one of the same category is kept.
 */
function bounds(c: SplitCategory, maxRepeats: number | undefined): { lo: number; hi: number; easyFloor: number; keptFloor: number } {
  const capacity = (items: number) => (items === 0 ? 0 : maxRepeats === undefined ? Infinity : items * (1 + maxRepeats));
  const hi = Math.min(c.quota, capacity(c.hardItems));
  const easyFloor = Math.max(0, c.quota - capacity(c.easyItems));
  const keptFloor = Math.min(c.hardItems, c.quota);
  return { lo: Math.max(easyFloor, keptFloor), hi, easyFloor, keptFloor };
}

/**
 * Apportions the round's hard rows, round_half_up(sum of quotas * share), over the categories in
 * proportion to their quotas, each within its bounds (see `bounds`). A category that cannot take
 * its proportional part passes the difference to the others, so the round's total is kept
 * wherever the bounds allow; only when the bounds of all categories together cannot hold it does
 * the total move, and the categories that bound it are named with how far each is from its part.
 *
 * Units are handed out one at a time, from every category's lower bound, to the category furthest
 * below its proportional part (ties to the earlier category): without binding bounds this is
 * exactly largest-remainder apportionment.
 */
export function splitByHardShare(categories: readonly SplitCategory[], hardShare: number, maxRepeats?: number): HardSplit {
  if (!(hardShare >= 0 && hardShare <= 1)) throw new RangeError(`splitByHardShare: hardShare must be in [0, 1], got ${hardShare}`);
  for (const c of categories) {
    for (const [field, value] of [['quota', c.quota], ['hardItems', c.hardItems], ['easyItems', c.easyItems]] as const) {
      if (!Number.isInteger(value) || value < 0) throw new RangeError(`splitByHardShare: ${field} of "${c.name}" must be an integer >= 0, got ${value}`);
    }
  }
  const total = categories.reduce((s, c) => s + c.quota, 0);
  const hardWanted = roundHalfUp(total * hardShare);
  const b = categories.map((c) => bounds(c, maxRepeats));
  const sumLo = b.reduce((s, x) => s + x.lo, 0);
  const sumHi = b.reduce((s, x) => s + x.hi, 0);
  if (sumLo > sumHi || b.some((x) => x.lo > x.hi)) {
    throw new RangeError('splitByHardShare: a quota exceeds what its category can hold with the repeat cap');
  }
  const hardPlanned = Math.min(Math.max(hardWanted, sumLo), sumHi);
  // The part of each category if the bounds did not bind.
  const ideal = categories.map((c) => (total === 0 ? 0 : (c.quota * hardWanted) / total));

  const hard = b.map((x) => x.lo);
  let left = hardPlanned - sumLo;
  // At most one unit per category per sweep would be slow for large rounds; a sweep gives each
  // category what it still misses of its part, rounded down, then single units settle the rest.
  for (let i = 0; i < hard.length && left > 0; i++) {
    const bulk = Math.min(left, Math.max(0, Math.floor(ideal[i]! - hard[i]!)), b[i]!.hi - hard[i]!);
    hard[i]! += bulk;
    left -= bulk;
  }
  while (left > 0) {
    let best = -1;
    for (let i = 0; i < hard.length; i++) {
      if (hard[i]! >= b[i]!.hi) continue;
      if (best < 0 || ideal[i]! - hard[i]! > ideal[best]! - hard[best]!) best = i;
    }
    // Cannot happen: hardPlanned <= sumHi.
    if (best < 0) throw new Error('splitByHardShare: no room left below the upper bounds');
    hard[best]! += 1;
    left--;
  }

  const rows: Record<string, { hard: number; easy: number }> = {};
  categories.forEach((c, i) => (rows[c.name] = { hard: hard[i]!, easy: c.quota - hard[i]! }));

  const limits: HardShareLimit[] = [];
  const r2 = (x: number) => Math.round(x * 100) / 100;
  categories.forEach((c, i) => {
    const x = b[i]!;
    const part = ideal[i]!;
    const base = { category: c.name, hardItems: c.hardItems, easyItems: c.easyItems };
    // A bound a hundredth of a row from the part is rounding, not a limit worth naming.
    if (hardPlanned < hardWanted && r2(part - x.hi) > 0) limits.push({ ...base, kind: 'hard-short', by: r2(part - x.hi) });
    if (hardPlanned > hardWanted && r2(x.lo - part) > 0) {
      limits.push({ ...base, kind: x.easyFloor >= x.keptFloor ? 'easy-short' : 'hard-kept', by: r2(x.lo - part) });
    }
  });
  limits.sort((a, z) => z.by - a.by || (a.category < z.category ? -1 : a.category > z.category ? 1 : 0));
  return { rows, hardWanted, hardPlanned, limits };
}

/**
 * One line per limit, for status and logs: "Math: only 3 hard items, 4.5 hard rows short of its
 * share". The share is quota x target, a fraction of a row where the quota is odd, hence "4.5".
 */
export function describeHardShareLimit(l: HardShareLimit): string {
  switch (l.kind) {
    case 'hard-short':
      return `${l.category}: only ${l.hardItems} hard items, ${l.by} hard rows short of its share`;
    case 'easy-short':
      return `${l.category}: only ${l.easyItems} easy items, ${l.by} hard rows over its share`;
    case 'hard-kept':
      return `${l.category}: ${l.hardItems} hard items all kept, ${l.by} hard rows over its share`;
  }
}
