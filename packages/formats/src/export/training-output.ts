/** Which answer a row trains on: the refined one, or the teacher's first when refinement failed for good. */
export type TrainingOutputSource = 'refined' | 'teacher';

export interface TrainingOutput {
  text: string;
  from: TrainingOutputSource;
}

/**
 * The training target of a plan row (docs/method.md, step 10). A row whose refinement failed
 * for good falls back to the teacher's first answer, and says so (`from: 'teacher'`) so that the
 * manifest counts it as a refine fallback and the lineage shows it. Null when neither exists,
 * which the export refuses.
 */
export function trainingOutput(refined: string | null, teacher: string | null): TrainingOutput | null {
  if (refined !== null) return { text: refined, from: 'refined' };
  if (teacher !== null) return { text: teacher, from: 'teacher' };
  return null;
}
