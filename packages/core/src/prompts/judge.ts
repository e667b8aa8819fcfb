import type { ChatMessage } from '../chat';
import { answerForReferee, CUT_OFF_NOTE } from '../truncation';
import type { StructuredReplyMode } from '../structured-output';

export { parseJudgeScores, type JudgeScoresResult } from './judge-scores';
export { JUDGE_REPLY_DESCRIPTION, JUDGE_REPLY_NAME, JUDGE_REPLY_SCHEMA, readJudgeJson } from './judge-structured';

/** @2: an answer cut off at its token limit is shown with a note the instructions explain. */
export const JUDGE_PROMPT_VERSION = 'judge-pairwise@2';
/**
 * The structured variant's prompt and reply schema (judge-structured.ts). Bump it when either
 * changes: with the mode appended it is the ledger key's prompt version, so a changed schema must
 * not be served replies written for the old one.
 */
export const JUDGE_STRUCTURED_PROMPT_VERSION = 'judge-pairwise-structured@1';

/** The prompt version a judge request in this mode is stored under. */
export function judgePromptVersion(mode: StructuredReplyMode): string {
  return mode === 'text' ? JUDGE_PROMPT_VERSION : `${JUDGE_STRUCTURED_PROMPT_VERSION}+${mode}`;
}

/**
 * The question as the referee sees it. An item's system prompt is context both assistants had, so
 * the referee is told it after the question (the question stays first, as Lion shows it); items
 * without one read exactly as before.
 */
export function refereeQuestion(question: string, system?: string | null): string {
  return system ? `${question}\n\n(Both assistants were given this system prompt: ${system})` : question;
}

const JUDGE_SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.';

const JUDGE_TASK = [
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.',
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.',
];
const JUDGE_TEXT_REPLY =
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';
/** Lion's wording, with the reply's fields in place of its line layout. */
const JUDGE_STRUCTURED_REPLY =
  'Please reply with the score of Assistant 1 in assistant_1_score, the score of Assistant 2 in assistant_2_score, and a comprehensive explanation of your evaluation in explanation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';

/** Said only when an answer was cut off, so that every other prompt stays Lion's word for word. */
const CUT_OFF_INSTRUCTION = `An answer followed by ${CUT_OFF_NOTE} stopped at the length limit before it was finished: judge it as the incomplete answer it is.`;

/** Which of the two answers stopped at their token limit (see truncation.ts). */
export interface JudgeCutOff {
  answer1?: boolean;
  answer2?: boolean;
}

/**
 * Lion's pairwise referee prompt (from Vicuna's reviewer). The section markers are a contract
 * with the simulator, which parses them; change the version if the layout changes. A structured
 * reply (`json_schema`, `tool`) is asked for by its fields instead of Lion's first-line layout.
 */
export function buildJudgeMessages(
  question: string,
  answer1: string,
  answer2: string,
  mode: StructuredReplyMode = 'text',
  cutOff: JudgeCutOff = {},
): ChatMessage[] {
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
    ...JUDGE_TASK,
    mode === 'text' ? JUDGE_TEXT_REPLY : JUDGE_STRUCTURED_REPLY,
    ...(anyCutOff ? [CUT_OFF_INSTRUCTION] : []),
  ].join('\n');
  return [
    { role: 'system', content: JUDGE_SYSTEM },
    { role: 'user', content: user },
  ];
}
