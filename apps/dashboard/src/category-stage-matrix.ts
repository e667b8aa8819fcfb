export interface CategoryStageCount {
  category: string;
  stage: number;
  count: number;
}

export interface CategoryStageMatrix {
  categories: string[];
  stages: number[];
  /** cells[c][s]: rows of categories[c] in stages[s]; every pair present, zero when empty. */
  cells: number[][];
  max: number;
}

/** The plan's rows as a full category x stage grid (for the heat map), categories largest first. */
export function categoryStageMatrix(rows: readonly CategoryStageCount[], stageCount: number): CategoryStageMatrix {
  const stages = Array.from({ length: Math.max(stageCount, ...rows.map((r) => r.stage), 0) }, (_, i) => i + 1);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.category, (totals.get(r.category) ?? 0) + r.count);
  const categories = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const index = new Map(categories.map((c, i) => [c, i]));
  const cells = categories.map(() => stages.map(() => 0));
  for (const r of rows) {
    if (r.stage < 1) continue;
    cells[index.get(r.category)!]![r.stage - 1]! += r.count;
  }
  return { categories, stages, cells, max: Math.max(0, ...cells.flat()) };
}
