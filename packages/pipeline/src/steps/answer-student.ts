import { answerStep } from './answer';

/** The round's student's answer to the plain instruction (MFD only). */
export const answerStudentStep = answerStep('student');
