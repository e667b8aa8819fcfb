import { answerStudentStep } from './answer-student';
import { answerTeacherStep } from './answer-teacher';
import { classifyStep } from './classify';
import { cleanStep } from './clean';
import { expandStep } from './expand';
import { judgeStep } from './judge';
import { planStep } from './plan';
import { refineStep } from './refine';
import { scoreIfdStep } from './score-ifd';
import { StepRegistry } from './step-registry';
import { synthesizeStep } from './synthesize';

/** tapir's steps, in the order `tapir run` shows them. A new step is one line here. */
export const defaultStepRegistry = new StepRegistry([
  cleanStep,
  classifyStep,
  answerTeacherStep,
  answerStudentStep,
  judgeStep,
  scoreIfdStep,
  synthesizeStep,
  expandStep,
  planStep,
  refineStep,
]);
