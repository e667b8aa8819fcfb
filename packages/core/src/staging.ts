export interface StageableEntry {
  category: string;
  mfd: number;
  itemId: number;
  repeatIndex: number;
}

export type StagedEntry<T> = T & {
  /** 1-based curriculum stage; stage 1 is the easiest. */
  stage: number;
  /** 0-based order within the stage, easiest first. */
  position: number;
};

function compareCodeUnits(a: string, b: string): number {
  // Not localeCompare: the order must not depend on the machine's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

function byDifficulty(a: StageableEntry, b: StageableEntry): number {
  return a.mfd - b.mfd || a.itemId - b.itemId || a.repeatIndex - b.repeatIndex;
}

/**
 * 0-based run for the i-th of n sorted items when cutting them into k contiguous runs. Runs are
 * cut at centred boundaries, floor((2i + 1) k / 2n), so their sizes are floor or ceil of n / k
 * and the larger runs are spread across the stages instead of piling up at the start: a
 * category with a single item lands in the middle stage, not always in stage 1.
 */
function runOf(i: number, n: number, k: number): number {
  return Math.floor(((2 * i + 1) * k) / (2 * n));
}

/**
 * Splits rebalanced entries into K curriculum stages, easy to hard (method.md, step 9). Every
 * category is cut separately so each stage keeps the target category mix while the difficulty
 * within every category rises from stage to stage.
 */
export function stageCurriculum<T extends StageableEntry>(entries: readonly T[], stages: number): StagedEntry<T>[] {
  if (!Number.isInteger(stages) || stages < 1) {
    throw new RangeError(`stageCurriculum: stages must be an integer >= 1, got ${stages}`);
  }
  entries.forEach((e, i) => {
    if (!Number.isFinite(e.mfd)) throw new RangeError(`stageCurriculum: entry ${i} has a non-finite mfd: ${e.mfd}`);
  });

  const byCategory = new Map<string, T[]>();
  for (const e of entries) {
    const list = byCategory.get(e.category);
    if (list) list.push(e);
    else byCategory.set(e.category, [e]);
  }

  const stageLists: T[][] = Array.from({ length: stages }, () => []);
  for (const list of byCategory.values()) {
    const sorted = [...list].sort(byDifficulty);
    sorted.forEach((e, i) => stageLists[runOf(i, sorted.length, stages)]?.push(e));
  }

  const out: StagedEntry<T>[] = [];
  stageLists.forEach((list, s) => {
    list.sort((a, b) => a.mfd - b.mfd || compareCodeUnits(a.category, b.category) || a.itemId - b.itemId || a.repeatIndex - b.repeatIndex);
    list.forEach((e, position) => out.push({ ...e, stage: s + 1, position }));
  });
  return out;
}
