import { assignStages, createRng, stageCurriculum, stageLists } from '@tapir/core';

interface Entry {
  category: string;
  difficulty: number;
  hard?: boolean;
  itemId: number;
  repeatIndex: number;
}

const e = (category: string, difficulty: number, itemId: number, repeatIndex = 0, hard?: boolean): Entry =>
  hard === undefined ? { category, difficulty, itemId, repeatIndex } : { category, difficulty, itemId, repeatIndex, hard };

const stagesOf = <T extends { stage: number }>(staged: T[], K: number): T[][] =>
  Array.from({ length: K }, (_, s) => staged.filter((x) => x.stage === s + 1));

describe('stageCurriculum', () => {
  test('splits each category easy to hard into K stages', () => {
    const entries = [6, 1, 5, 2, 4, 3].map((d, i) => e('Math', d, i));
    const staged = stageCurriculum(entries, 3);
    expect(stagesOf(staged, 3).map((s) => s.map((x) => x.difficulty))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  test('hard and easy items are cut separately, so every stage keeps the hard share', () => {
    // Easy difficulties 0..5, hard 10..12: cutting the category as one would put all hard items in stage 3.
    const easy = [0, 1, 2, 3, 4, 5].map((d) => e('Math', d, d, 0, false));
    const hard = [10, 11, 12].map((d) => e('Math', d, d, 0, true));
    const staged = stageCurriculum([...hard, ...easy], 3);
    expect(stagesOf(staged, 3).map((s) => s.map((x) => [x.difficulty, x.hard]))).toEqual([
      [
        [0, false],
        [1, false],
        [10, true],
      ],
      [
        [2, false],
        [3, false],
        [11, true],
      ],
      [
        [4, false],
        [5, false],
        [12, true],
      ],
    ]);
  });

  test('an absent hard flag counts as easy', () => {
    const staged = stageCurriculum([e('A', 1, 1), e('A', 2, 2, 0, false), e('A', 3, 3, 0, true)], 2);
    // The two easy entries share a group and split across the stages; the hard one is alone, in the middle (stage 2 of 2).
    expect(staged.map((x) => [x.itemId, x.stage])).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
  });

  test('position orders a stage by difficulty, then category, itemId, repeatIndex', () => {
    const entries = [e('B', 1, 2), e('A', 1, 3), e('A', 1, 1, 1), e('A', 1, 1, 0), e('A', 0.5, 9)];
    const staged = stageCurriculum(entries, 1);
    expect(staged.map((x) => [x.category, x.difficulty, x.itemId, x.repeatIndex, x.position])).toEqual([
      ['A', 0.5, 9, 0, 0],
      ['A', 1, 1, 0, 1],
      ['A', 1, 1, 1, 2],
      ['A', 1, 3, 0, 3],
      ['B', 1, 2, 0, 4],
    ]);
  });

  test('a single item in a group lands in the middle stage', () => {
    expect(stageCurriculum([e('Art', 2, 1)], 3)[0]?.stage).toBe(2);
    expect(stageCurriculum([e('Art', 2, 1, 0, true)], 3)[0]?.stage).toBe(2);
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
    expect(() => stageCurriculum([e('A', Infinity, 1, 0, true)], 2)).toThrow(/non-finite difficulty/);
  });

  test('keeps extra fields of the entries', () => {
    const staged = stageCurriculum([{ ...e('A', 1, 1, 0, true), text: 'hello' }], 2);
    expect(staged[0]?.text).toBe('hello');
    expect(staged[0]?.hard).toBe(true);
  });

  test('property: partition, balanced per group, hard share per stage, monotone per group, positions, deterministic', () => {
    const gen = createRng('staging-props');
    for (let t = 0; t < 300; t++) {
      const K = 1 + gen.int(6);
      const cats = Array.from({ length: 1 + gen.int(6) }, (_, i) => `cat${i}`);
      const hardProbability = gen.next();
      const entries: Entry[] = [];
      const n = gen.int(150);
      for (let i = 0; i < n; i++) {
        const hard = gen.next() < hardProbability;
        // Hard items have the higher difficulties, as when hard = difficulty >= delta.
        const difficulty = hard ? 1 + gen.int(9) : -gen.int(9) + Math.round(gen.next() * 2) / 2;
        entries.push(e(cats[gen.int(cats.length)]!, difficulty, gen.int(40), gen.int(3), hard));
      }
      const staged = stageCurriculum(gen.shuffle(entries), K);
      const stages = stagesOf(staged, K);

      // Sizes add up, and the entries are exactly the input.
      expect(staged).toHaveLength(entries.length);
      expect(stages.reduce((sum, s) => sum + s.length, 0)).toBe(entries.length);
      const key = (x: Entry) => `${x.category}|${x.difficulty}|${x.itemId}|${x.repeatIndex}|${x.hard}`;
      expect(staged.map(key).sort()).toEqual(entries.map(key).sort());
      expect(staged.every((x) => x.stage >= 1 && x.stage <= K)).toBe(true);

      for (const cat of cats) {
        for (const hard of [false, true]) {
          const group = staged.filter((x) => x.category === cat && x.hard === hard);
          for (let s = 1; s <= K; s++) {
            const here = group.filter((x) => x.stage === s);
            // Every (category, hard) group is spread evenly: floor or ceil of its size / K.
            expect(Math.abs(here.length - group.length / K)).toBeLessThan(1);
            // Difficulty never falls from a stage to a later one within a group.
            for (let later = s + 1; later <= K; later++) {
              const next = group.filter((x) => x.stage === later);
              if (here.length && next.length) {
                expect(Math.max(...here.map((x) => x.difficulty))).toBeLessThanOrEqual(Math.min(...next.map((x) => x.difficulty)));
              }
            }
          }
        }
      }

      // The hard share of every stage is within one item per category of the overall share.
      const overallShare = entries.length === 0 ? 0 : entries.filter((x) => x.hard).length / entries.length;
      const categoriesPresent = new Set(entries.map((x) => x.category)).size;
      for (const stage of stages) {
        const hardHere = stage.filter((x) => x.hard).length;
        expect(Math.abs(hardHere - overallShare * stage.length)).toBeLessThanOrEqual(categoriesPresent + 1e-9);
      }

      for (const stage of stages) {
        expect(stage.map((x) => x.position)).toEqual(stage.map((_, i) => i));
        for (let i = 1; i < stage.length; i++) expect(stage[i]!.difficulty).toBeGreaterThanOrEqual(stage[i - 1]!.difficulty);
      }
      expect(stageCurriculum(gen.shuffle(entries), K)).toEqual(staged);
    }
  });

  test('property: the hard share of the selection survives staging, stage by stage', () => {
    // Shares as selectByHardShare produces them: H hard, round(H (1 - h) / h) easy, per category.
    const gen = createRng('staging-share');
    for (let t = 0; t < 100; t++) {
      const K = 1 + gen.int(5);
      const h = (1 + gen.int(9)) / 10;
      const entries: Entry[] = [];
      let id = 0;
      const cats = 1 + gen.int(4);
      for (let c = 0; c < cats; c++) {
        const hard = 1 + gen.int(30);
        const easy = Math.round((hard * (1 - h)) / h);
        for (let i = 0; i < hard; i++) entries.push(e(`c${c}`, 1 + gen.int(9), id++, 0, true));
        for (let i = 0; i < easy; i++) entries.push(e(`c${c}`, -gen.int(9), id++, 0, false));
      }
      const share = entries.filter((x) => x.hard).length / entries.length;
      for (const stage of stagesOf(stageCurriculum(entries, K), K)) {
        const hardHere = stage.filter((x) => x.hard).length;
        expect(Math.abs(hardHere - share * stage.length)).toBeLessThanOrEqual(cats);
      }
    }
  });
});

describe('assignStages', () => {
  test('places the very entries (no copies), in stageCurriculum order, and leaves the input untouched (property)', () => {
    const gen = createRng(21);
    for (let run = 0; run < 200; run++) {
      const cats = ['A', 'B', 'C'].slice(0, 1 + gen.int(3));
      const entries = Array.from({ length: gen.int(60) }, (_, i) =>
        e(cats[gen.int(cats.length)]!, gen.int(10) - 3 + gen.next(), i % 40, Math.floor(i / 40), gen.int(3) === 0),
      );
      const before = entries.slice();
      const K = 1 + gen.int(5);
      const placements = assignStages(entries, K);
      expect(entries).toEqual(before);
      expect(entries.every((x, i) => x === before[i])).toBe(true);
      expect(new Set(placements.map((p) => p.entry)).size).toBe(entries.length);
      for (const p of placements) expect(entries).toContain(p.entry);
      expect(placements.map((p) => ({ ...p.entry, stage: p.stage, position: p.position }))).toEqual(stageCurriculum(entries, K));
    }
  });

  test('refuses a bad stage count or a non-finite difficulty like stageCurriculum', () => {
    expect(() => assignStages([e('A', 1, 1)], 0)).toThrow(RangeError);
    expect(() => assignStages([e('A', Number.NaN, 1)], 2)).toThrow(/non-finite/);
  });
});

describe('stageLists', () => {
  test('holds the very entries of assignStages, stage by stage, each at its position (property)', () => {
    const gen = createRng(22);
    for (let run = 0; run < 200; run++) {
      const cats = ['A', 'B', 'C', 'D'].slice(0, 1 + gen.int(4));
      const entries = Array.from({ length: gen.int(80) }, (_, i) =>
        e(cats[gen.int(cats.length)]!, gen.int(10) - 3 + gen.next(), i % 50, Math.floor(i / 50), gen.int(3) === 0),
      );
      const K = 1 + gen.int(5);
      const lists = stageLists(entries, K);
      expect(lists).toHaveLength(K);
      expect(lists.reduce((n, l) => n + l.length, 0)).toBe(entries.length);
      const placements = assignStages(entries, K);
      expect(lists.flatMap((list, s) => list.map((entry, position) => ({ entry, stage: s + 1, position })))).toEqual(placements);
      lists.flat().forEach((entry, k) => expect(entry).toBe(placements[k]!.entry));
    }
  });

  test('refuses a bad stage count or a non-finite difficulty', () => {
    expect(() => stageLists([e('A', 1, 1)], 1.5)).toThrow(RangeError);
    expect(() => stageLists([e('A', Number.POSITIVE_INFINITY, 1)], 2)).toThrow(/non-finite/);
  });
});
