import type { Rng } from './rng';

export interface SelectionResult<T> {
  /** hard plus easyKept, in input order. */
  selected: T[];
  hard: T[];
  easyKept: T[];
  dropped: T[];
}

/**
 * Easy items to keep beside `hard` hard ones so that hard items make up `hardShare` of the
 * result: hard / (hard + easy) = h  =>  easy = hard * (1 - h) / h, rounded half up. The quotient
 * is first snapped to 9 decimals so that float noise cannot move an exact half (2 hard at h = 0.8
 * is exactly 0.5 easy, but computes as 0.4999999999999999).
 */
export function easyCountForHardShare(hard: number, hardShare: number): number {
  const exact = (hard * (1 - hardShare)) / hardShare;
  return Math.round(Math.round(exact * 1e9) / 1e9);
}

/**
 * Keeps every hard item and a seeded random sample of easy ones so that hard items make up
 * `hardShare` of the result where enough easy items exist (the round's schedule, see
 * hardShareForRound). With no hard items nothing is kept: easy items are only a supplement that
 * keeps the student from forgetting, never a curriculum on their own. All output lists keep the
 * input order so that downstream stages see a stable sequence.
 */
export function selectByHardShare<T extends { hard: boolean }>(
  items: readonly T[],
  hardShare: number,
  rng: Rng,
): SelectionResult<T> {
  if (!(hardShare > 0 && hardShare <= 1)) {
    throw new RangeError(`selectByHardShare: hardShare must be in (0, 1], got ${hardShare}`);
  }
  const hardIdx: number[] = [];
  const easyIdx: number[] = [];
  items.forEach((item, i) => (item.hard ? hardIdx : easyIdx).push(i));

  const easyTarget = hardIdx.length === 0 ? 0 : Math.min(easyIdx.length, easyCountForHardShare(hardIdx.length, hardShare));
  const keptEasy = new Set(rng.sample(easyIdx, easyTarget));

  const result: SelectionResult<T> = { selected: [], hard: [], easyKept: [], dropped: [] };
  items.forEach((item, i) => {
    if (item.hard) {
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
