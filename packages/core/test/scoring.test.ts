import { combineSwappedJudgements } from '@tapir/core';

describe('combineSwappedJudgements', () => {
  test('averages each model over both positions', () => {
    // forward: teacher 8, student 6; swapped: student 7, teacher 9
    expect(combineSwappedJudgements([8, 6], [7, 9])).toEqual({ teacherScore: 8.5, studentScore: 6.5, mfd: 2 });
  });

  test('position bias cancels out', () => {
    // A judge that always adds 1 to Assistant 1.
    expect(combineSwappedJudgements([8, 7], [8, 7])).toEqual({ teacherScore: 7.5, studentScore: 7.5, mfd: 0 });
  });

  test('negative MFD when the student wins', () => {
    expect(combineSwappedJudgements([5, 9], [9, 6])).toEqual({ teacherScore: 5.5, studentScore: 9, mfd: -3.5 });
  });

  test('rounds away float noise', () => {
    const r = combineSwappedJudgements([8.1, 7.2], [7.3, 8.2]);
    expect(r.teacherScore).toBe(8.15);
    expect(r.studentScore).toBe(7.25);
    expect(r.mfd).toBe(0.9);
    const z = combineSwappedJudgements([0.1 + 0.2, 0.3], [0.3, 0.3]);
    expect(z.mfd).toBe(0);
    expect(Object.is(z.mfd, -0)).toBe(false);
  });

  test('rejects non-finite scores', () => {
    expect(() => combineSwappedJudgements([NaN, 1], [1, 1])).toThrow(RangeError);
    expect(() => combineSwappedJudgements([1, 1], [1, Infinity])).toThrow(RangeError);
  });
});
