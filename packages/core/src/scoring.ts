import { round4 } from './round';

export interface PairScores {
  teacherScore: number;
  studentScore: number;
  /** Model Fitting Difficulty: how much better the teacher's answer is than the student's. */
  mfd: number;
}

/**
 * Lion judges each pair twice with the answer positions swapped and averages, because judges
 * favour one position. `forward` is [teacher, student] (teacher shown as Assistant 1);
 * `swapped` is [student, teacher] (student shown as Assistant 1).
 */
export function combineSwappedJudgements(
  forward: readonly [number, number],
  swapped: readonly [number, number],
): PairScores {
  for (const x of [...forward, ...swapped]) {
    if (!Number.isFinite(x)) throw new RangeError(`judge scores must be finite numbers, got ${x}`);
  }
  const teacherScore = round4((forward[0] + swapped[1]) / 2);
  const studentScore = round4((forward[1] + swapped[0]) / 2);
  return { teacherScore, studentScore, mfd: round4(teacherScore - studentScore) };
}
