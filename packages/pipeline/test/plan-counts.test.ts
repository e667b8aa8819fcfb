import { assignStages, createRng, rebalanceToTarget, stageLists } from '@tapir/core';
import { countByCategory, countStaged } from '../src/planner/plan-counts';
import { PlanEntry } from '../src/planner/plan-draw';
import type { RatedItem } from '../src/planner/plan-items';

const taxonomy = [
  { name: 'Math', weight: 3 },
  { name: 'Code', weight: 2 },
  { name: 'Others', weight: 1 },
];

describe("the planner's one-pass counts", () => {
  test('over rebalanced, staged plans they match the counts taken the long way, for every pool shape', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rng = createRng(`counts-${trial}`);
      const size = Math.floor(rng.next() * 400);
      const pool: RatedItem[] = Array.from({ length: size }, (_, k) => {
        const difficulty = Math.floor(rng.next() * 10) / 2;
        const origin = rng.next();
        return { itemId: 1000 + k * 3, category: taxonomy[Math.floor(rng.next() * 3)]!.name, source: rng.next() < 0.1 ? null : ['a', 'b'][k % 2]!, expanded: origin < 0.2, synthesized: origin >= 0.2 && origin < 0.35, mfd: difficulty, ifd: null, hard: difficulty >= 2, difficulty };
      });
      const target = Math.floor(rng.next() * 900);
      const stages = 1 + Math.floor(rng.next() * 4);
      const rebalanced = rebalanceToTarget(pool, taxonomy, target, rng.fork('r'), trial % 2 ? { maxRepeats: 2 } : {});
      const entries = rebalanced.entries.map((e) => new PlanEntry(e.item, e.category, e.repeatIndex));
      const staged = assignStages(entries, stages);

      const counts = countStaged(stageLists(entries, stages));
      expect(counts.planned).toBe(staged.length);
      expect(counts.plannedUnique).toBe(new Set(staged.map((p) => p.entry.itemId)).size);
      expect(counts.repeats).toBe(staged.filter((p) => p.entry.repeatIndex > 0).length);
      expect(counts.plannedUnique + counts.repeats).toBe(counts.planned);
      expect(counts.plannedHard).toBe(staged.filter((p) => p.entry.hard).length);
      expect(counts.plannedExpanded).toBe(staged.filter((p) => p.entry.item.expanded).length);
      expect(counts.plannedSynthesized).toBe(staged.filter((p) => p.entry.item.synthesized).length);
      // The fill of every category adds up to its rows, and of all categories to the plan.
      for (const [category, fill] of Object.entries(counts.fill)) {
        expect(fill.seeds + fill.expansion + fill.synthesis + fill.repeats).toBe(counts.mixAfter[category]);
        expect(fill.synthesis).toBe(staged.filter((p) => p.entry.category === category && p.entry.repeatIndex === 0 && p.entry.item.synthesized).length);
      }
      expect(Object.values(counts.fill).reduce((n, f) => n + f.repeats, 0)).toBe(counts.repeats);
      expect(counts.stageSizes).toEqual(Array.from({ length: stages }, (_, k) => staged.filter((p) => p.stage === k + 1).length));
      expect(counts.stageSizes.reduce((a, b) => a + b, 0)).toBe(counts.planned);
      const mix: Record<string, number> = {};
      for (const p of staged) mix[p.entry.category] = (mix[p.entry.category] ?? 0) + 1;
      expect(counts.mixAfter).toEqual(mix);
      const bySource: Record<string, { planned: number; plannedHard: number }> = {};
      for (const p of staged) {
        const s = (bySource[p.entry.item.source ?? '(unknown)'] ??= { planned: 0, plannedHard: 0 });
        s.planned++;
        if (p.entry.hard) s.plannedHard++;
      }
      expect(counts.bySource).toEqual(bySource);
      expect(countByCategory(pool)).toEqual(pool.reduce<Record<string, number>>((m, i) => ({ ...m, [i.category]: (m[i.category] ?? 0) + 1 }), {}));
    }
  });

  test('an empty plan counts zero in every stage', () => {
    expect(countStaged([[], [], []])).toEqual({ planned: 0, plannedUnique: 0, plannedHard: 0, plannedExpanded: 0, plannedSynthesized: 0, repeats: 0, fill: {}, mixAfter: {}, bySource: {}, stageSizes: [0, 0, 0] });
    expect(countByCategory([])).toEqual({});
  });
});
