import type { ChatMessage } from '../chat';
import { answerForReferee, CUT_OFF_NOTE } from '../truncation';

export { parseJudgeScores, type JudgeScoresResult } from './judge-scores';

/** @2: an answer cut off at its token limit is shown with a note the instructions explain. */
export const JUDGE_PROMPT_VERSION = 'judge-pairwise@2';

const JUDGE_SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.';

const JUDGE_INSTRUCTIONS = [
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.',
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.',
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.',
].join('\n');

/** Said only when an answer was cut off, so that every other prompt stays Lion's word for word. */
const CUT_OFF_INSTRUCTION = `An answer followed by ${CUT_OFF_NOTE} stopped at the length limit before it was finished: judge it as the incomplete answer it is.`;

/** Which of the two answers stopped at their token limit (see truncation.ts). */
export interface JudgeCutOff {
  answer1?: boolean;
  answer2?: boolean;
}

/**
 * Lion's pairwise referee prompt (from Vicuna's reviewer). The section markers are a contract
 * with the simulator, which parses them; change the version if the layout changes.
 */
export function buildJudgeMessages(question: string, answer1: string, answer2: string, cutOff: JudgeCutOff = {}): ChatMessage[] {
  const anyCutOff = cutOff.answer1 === true || cutOff.answer2 === true;
  const user = [
    '[Question]',
    question,
    '',
    "[The Start of Assistant 1's Answer]",
    answerForReferee(answer1, cutOff.answer1 === true),
    '',
    "[The End of Assistant 1's Answer]",
    '',
    "[The Start of Assistant 2's Answer]",
    answerForReferee(answer2, cutOff.answer2 === true),
    '',
    "[The End of Assistant 2's Answer]",
    '',
    '[System]',
    anyCutOff ? `${JUDGE_INSTRUCTIONS}\n${CUT_OFF_INSTRUCTION}` : JUDGE_INSTRUCTIONS,
  ].join('\n');
  return [
    { role: 'system', content: JUDGE_SYSTEM },
    { role: 'user', content: user },
  ];
}
