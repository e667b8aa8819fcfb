import type { Rng } from './rng';

export interface SelectionOptions {
  /** Items with mfd >= delta are hard (Lion: 1). */
  delta: number;
  /** Share of the selected pool that should be easy items, in [0, 1). */
  easyShare: number;
}

export interface SelectionResult<T> {
  /** hard plus easyKept, in input order. */
  selected: T[];
  hard: T[];
  easyKept: T[];
  dropped: T[];
}

/**
 * Keeps every hard item and a seeded random sample of easy ones so that easy items make up
 * `easyShare` of the result. With no hard items nothing is kept: easy items are only a
 * supplement that keeps the student from forgetting, never a curriculum on their own.
 * All output lists keep the input order so that downstream stages see a stable sequence.
 */
export function selectByDifficulty<T extends { mfd: number }>(
  items: readonly T[],
  opts: SelectionOptions,
  rng: Rng,
): SelectionResult<T> {
  const { delta, easyShare } = opts;
  if (!Number.isFinite(delta)) throw new RangeError(`selection delta must be a finite number, got ${delta}`);
  if (!(easyShare >= 0 && easyShare < 1)) {
    throw new RangeError(`selection easyShare must be in [0, 1), got ${easyShare}`);
  }
  items.forEach((item, i) => {
    if (!Number.isFinite(item.mfd)) throw new RangeError(`item ${i} has a non-finite mfd: ${item.mfd}`);
  });

  const hardIdx: number[] = [];
  const easyIdx: number[] = [];
  items.forEach((item, i) => (item.mfd >= delta ? hardIdx : easyIdx).push(i));

  // easy / (hard + easy) = easyShare  =>  easy = hard * easyShare / (1 - easyShare)
  const easyTarget =
    hardIdx.length === 0
      ? 0
      : Math.min(easyIdx.length, Math.round((hardIdx.length * easyShare) / (1 - easyShare)));
  const keptEasy = new Set(rng.sample(easyIdx, easyTarget));

  const result: SelectionResult<T> = { selected: [], hard: [], easyKept: [], dropped: [] };
  items.forEach((item, i) => {
    if (item.mfd >= delta) {
      result.hard.push(item);
      result.selected.push(item);
    } else if (keptEasy.has(i)) {
      result.easyKept.push(item);
      result.selected.push(item);
    } else {
      result.dropped.push(item);
    }
  });
  return result;
}
