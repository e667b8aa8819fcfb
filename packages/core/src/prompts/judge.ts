import type { ChatMessage } from '../chat';

export { parseJudgeScores, type JudgeScoresResult } from './judge-scores';
export { JUDGE_REPLY_DESCRIPTION, JUDGE_REPLY_NAME, JUDGE_REPLY_SCHEMA, readJudgeJson } from './judge-structured';

export const JUDGE_PROMPT_VERSION = 'judge-pairwise@1';

const JUDGE_SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.';

const JUDGE_INSTRUCTIONS = [
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.',
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.',
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.',
].join('\n');

/**
 * Lion's pairwise referee prompt (from Vicuna's reviewer). The section markers are a contract
 * with the simulator, which parses them; change the version if the layout changes.
 */
export function buildJudgeMessages(question: string, answer1: string, answer2: string): ChatMessage[] {
  const user = [
    '[Question]',
    question,
    '',
    "[The Start of Assistant 1's Answer]",
    answer1,
    '',
    "[The End of Assistant 1's Answer]",
    '',
    "[The Start of Assistant 2's Answer]",
    answer2,
    '',
    "[The End of Assistant 2's Answer]",
    '',
    '[System]',
    JUDGE_INSTRUCTIONS,
  ].join('\n');
  return [
    { role: 'system', content: JUDGE_SYSTEM },
    { role: 'user', content: user },
  ];
}
