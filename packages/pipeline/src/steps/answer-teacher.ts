import { answerStep } from './answer';

/** The teacher's answer to the plain instruction, bought once for every round. */
export const answerTeacherStep = answerStep('teacher');
