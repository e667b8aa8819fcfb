export interface StageableEntry {
  category: string;
  /** The value the curriculum sorts by, easy to hard (see classifyDifficulty). */
  difficulty: number;
  /**
   * Whether the item counted as hard when it was selected. Hard and easy items are staged
   * separately so that every stage keeps the round's hard share; absent counts as easy.
   */
  hard?: boolean;
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
  return (
    a.difficulty - b.difficulty ||
    a.itemId - b.itemId ||
    a.repeatIndex - b.repeatIndex ||
    Number(a.hard === true) - Number(b.hard === true)
  );
}

/** Within a stage: easiest first, then a fixed order so that the output never depends on the input order. */
function withinStage(a: StageableEntry, b: StageableEntry): number {
  return (
    a.difficulty - b.difficulty ||
    compareCodeUnits(a.category, b.category) ||
    a.itemId - b.itemId ||
    a.repeatIndex - b.repeatIndex ||
    Number(a.hard === true) - Number(b.hard === true)
  );
}

/**
 * 0-based run for the i-th of n sorted items when cutting them into k contiguous runs. Runs are
 * cut at centred boundaries, floor((2i + 1) k / 2n), so their sizes are floor or ceil of n / k
 * and the larger runs are spread across the stages instead of piling up at the start: a
 * group with a single item lands in the middle stage, not always in stage 1.
 */
function runOf(i: number, n: number, k: number): number {
  return Math.floor(((2 * i + 1) * k) / (2 * n));
}

/**
 * Splits rebalanced entries into K curriculum stages, easy to hard (docs/method.md, step 9). Every
 * (category, hard) group is cut separately, so each stage keeps the target category mix and the
 * round's hard share (within one item per group) while the difficulty within every group rises
 * from stage to stage. Cutting per category alone would put the hard items, which have the
 * highest difficulty, almost all in the last stage.
 */
export function stageCurriculum<T extends StageableEntry>(entries: readonly T[], stages: number): StagedEntry<T>[] {
  return assignStages(entries, stages).map(({ entry, stage, position }) => ({ ...entry, stage, position }));
}

/** Where stageCurriculum puts one entry, without copying it. */
export interface StagePlacement<T> {
  entry: T;
  /** 1-based curriculum stage; stage 1 is the easiest. */
  stage: number;
  /** 0-based order within the stage, easiest first. */
  position: number;
}

/**
 * stageCurriculum's placements, in the same order, referring to the entries instead of copying
 * them: the planner stages 100,000 entries at a time, and a spread copy of each (with two more
 * properties) costs about three times the memory of the entry itself.
 */
export function assignStages<T extends StageableEntry>(entries: readonly T[], stages: number): StagePlacement<T>[] {
  const out: StagePlacement<T>[] = [];
  stageLists(entries, stages).forEach((list, s) => list.forEach((entry, position) => out.push({ entry, stage: s + 1, position })));
  return out;
}

/**
 * The curriculum as one list per stage (index 0 is stage 1), each in its within-stage order, so
 * an entry's position is its index: the same placements as assignStages with no object per
 * entry. The planner holds its whole round while it writes it, and every object per entry it
 * keeps is multiplied by the heap's growth factor in the worker's peak memory.
 */
export function stageLists<T extends StageableEntry>(entries: readonly T[], stages: number): T[][] {
  if (!Number.isInteger(stages) || stages < 1) {
    throw new RangeError(`stageCurriculum: stages must be an integer >= 1, got ${stages}`);
  }
  for (let i = 0; i < entries.length; i++) {
    const difficulty = entries[i]!.difficulty;
    if (!Number.isFinite(difficulty)) {
      throw new RangeError(`stageCurriculum: entry ${i} has a non-finite difficulty: ${difficulty}`);
    }
  }

  const groups = new Map<string, { easy: T[]; hard: T[] }>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let group = groups.get(e.category);
    if (!group) groups.set(e.category, (group = { easy: [], hard: [] }));
    (e.hard === true ? group.hard : group.easy).push(e);
  }

  const lists: T[][] = Array.from({ length: stages }, () => []);
  for (const { easy, hard } of groups.values()) {
    for (const list of [easy, hard]) {
      list.sort(byDifficulty);
      for (let i = 0; i < list.length; i++) lists[runOf(i, list.length, stages)]!.push(list[i]!);
    }
  }
  for (const list of lists) list.sort(withinStage);
  return lists;
}
