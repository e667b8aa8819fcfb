import { createRng, stageCurriculum } from '@tapir/core';

interface Entry {
  category: string;
  mfd: number;
  itemId: number;
  repeatIndex: number;
}

const e = (category: string, mfd: number, itemId: number, repeatIndex = 0): Entry => ({ category, mfd, itemId, repeatIndex });

describe('stageCurriculum', () => {
  test('splits each category easy to hard into K stages', () => {
    const entries = [6, 1, 5, 2, 4, 3].map((mfd, i) => e('Math', mfd, i));
    const staged = stageCurriculum(entries, 3);
    const byStage = [1, 2, 3].map((s) => staged.filter((x) => x.stage === s).map((x) => x.mfd));
    expect(byStage).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  test('position orders a stage by mfd, then category, itemId, repeatIndex', () => {
    const entries = [e('B', 1, 2), e('A', 1, 3), e('A', 1, 1, 1), e('A', 1, 1, 0), e('A', 0.5, 9)];
    const staged = stageCurriculum(entries, 1);
    expect(staged.map((x) => [x.category, x.mfd, x.itemId, x.repeatIndex, x.position])).toEqual([
      ['A', 0.5, 9, 0, 0],
      ['A', 1, 1, 0, 1],
      ['A', 1, 1, 1, 2],
      ['A', 1, 3, 0, 3],
      ['B', 1, 2, 0, 4],
    ]);
  });

  test('a single item in a category lands in the middle stage', () => {
    const staged = stageCurriculum([e('Art', 2, 1)], 3);
    expect(staged[0]?.stage).toBe(2);
  });

  test('extras spread out instead of piling into stage 1', () => {
    const staged = stageCurriculum([e('X', 1, 1), e('X', 2, 2)], 3);
    expect(staged.map((x) => x.stage)).toEqual([1, 3]);
    const four = stageCurriculum([1, 2, 3, 4].map((m) => e('X', m, m)), 3);
    expect(four.map((x) => x.stage).sort()).toEqual([1, 2, 2, 3]);
  });

  test('empty input and validation', () => {
    expect(stageCurriculum([], 3)).toEqual([]);
    expect(() => stageCurriculum([e('A', 1, 1)], 0)).toThrow(RangeError);
    expect(() => stageCurriculum([e('A', 1, 1)], 1.5)).toThrow(RangeError);
    expect(() => stageCurriculum([e('A', NaN, 1)], 2)).toThrow(RangeError);
  });

  test('keeps extra fields of the entries', () => {
    const staged = stageCurriculum([{ ...e('A', 1, 1), text: 'hello' }], 2);
    expect(staged[0]?.text).toBe('hello');
  });

  test('property: partition, monotone per category, balanced, positions, deterministic', () => {
    const gen = createRng('staging-props');
    for (let t = 0; t < 300; t++) {
      const K = 1 + gen.int(6);
      const cats = Array.from({ length: 1 + gen.int(6) }, (_, i) => `cat${i}`);
      const entries: Entry[] = [];
      const n = gen.int(120);
      for (let i = 0; i < n; i++) {
        const itemId = gen.int(40);
        entries.push(e(cats[gen.int(cats.length)]!, Math.round(gen.next() * 36 - 18) / 2, itemId, gen.int(3)));
      }
      const staged = stageCurriculum(gen.shuffle(entries), K);

      expect(staged).toHaveLength(entries.length);
      const key = (x: Entry) => `${x.category}|${x.mfd}|${x.itemId}|${x.repeatIndex}`;
      expect(staged.map(key).sort()).toEqual(entries.map(key).sort());

      for (const cat of cats) {
        const inCat = staged.filter((x) => x.category === cat);
        for (let s = 1; s <= K; s++) {
          const count = inCat.filter((x) => x.stage === s).length;
          expect(Math.abs(count - inCat.length / K)).toBeLessThan(1);
          for (let later = s + 1; later <= K; later++) {
            const here = inCat.filter((x) => x.stage === s).map((x) => x.mfd);
            const next = inCat.filter((x) => x.stage === later).map((x) => x.mfd);
            if (here.length && next.length) expect(Math.max(...here)).toBeLessThanOrEqual(Math.min(...next));
          }
        }
      }

      for (let s = 1; s <= K; s++) {
        const stage = staged.filter((x) => x.stage === s);
        expect(stage.map((x) => x.position)).toEqual(stage.map((_, i) => i));
        for (let i = 1; i < stage.length; i++) expect(stage[i]!.mfd).toBeGreaterThanOrEqual(stage[i - 1]!.mfd);
      }
      expect(staged.every((x) => x.stage >= 1 && x.stage <= K)).toBe(true);
      expect(stageCurriculum(gen.shuffle(entries), K)).toEqual(staged);
    }
  });
});
