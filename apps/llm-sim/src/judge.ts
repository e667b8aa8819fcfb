import { createPrng, hashParts, pick, signedUnitFromHash } from './hashing';
import { scoreAnswer } from './answer-scoring';
import { clamp } from './text-features';

/**
 * The simulated referee. Two prompt formats are recognised:
 * - Lion / Vicuna pairwise: "[The Start of Assistant 1's Answer]" ... "[The End of Assistant 2's
 *   Answer]" followed by a [System] block; reply "<s1> <s2>" on the first line, explanation after.
 * - MT-bench single-answer grading: the prompt mentions "[[rating]]"; reply ends "Rating: [[N]]".
 * - MT-bench pairwise ("pair-v2"): "[The Start of Assistant A's Answer]" ... B; reply ends "[[A]]",
 *   "[[B]]" or "[[C]]" (tie).
 */

const A1_START = "[The Start of Assistant 1's Answer]";
const A1_END = "[The End of Assistant 1's Answer]";
const A2_START = "[The Start of Assistant 2's Answer]";
const A2_END = "[The End of Assistant 2's Answer]";
const SINGLE_START = "[The Start of Assistant's Answer]";
const SINGLE_END = "[The End of Assistant's Answer]";
const A_START = "[The Start of Assistant A's Answer]";
const A_END = "[The End of Assistant A's Answer]";
const B_START = "[The Start of Assistant B's Answer]";
const B_END = "[The End of Assistant B's Answer]";
const QUESTION_HEADER = /\[(?:User )?Question\]/g;

/** A real judge is not perfectly consistent: up to +/-0.5 around the answer's merit. */
const JUDGE_NOISE = 0.5;
/**
 * A client may mark an answer that stopped at its token limit with a bracketed note at its end
 * (tapir: "[the answer was cut off at the length limit]"); a real referee told so marks it down.
 */
const CUT_OFF_NOTE = /\[[^\]\n]*\bcut off\b[^\]\n]*\]\s*$/i;
const CUT_OFF_PENALTY = 2;
/** LLM judges favour the first answer shown; callers cancel it by judging twice, swapped. */
const POSITION_BIAS = 0.3;

const MALFORMED_PAIRWISE = [
  'I think both are good.',
  'Score: N/A',
  'Both assistants did reasonably well, it is hard to pick one.',
  'As an impartial judge I would rather not assign numeric scores here.',
];
const MALFORMED_SINGLE = ['The answer is decent overall.', 'Rating: [[N/A]]', 'Rating: good'];
// Malformed verdicts reuse MALFORMED_PAIRWISE: none of them contains [[A]], [[B]] or [[C]].

export interface PairwisePrompt {
  question: string;
  answer1: string;
  answer2: string;
}

export interface JudgeContext {
  model: string;
  seed: number;
  /** Inject an unparseable reply (faults.malformedJudgeRate). */
  malformed: boolean;
}

/** Lion / Vicuna numbered pairwise prompt. */
export function parsePairwisePrompt(text: string): PairwisePrompt | null {
  return parseTwoAnswers(text, [A1_START, A1_END, A2_START, A2_END]);
}

/** MT-bench lettered pairwise prompt (a reference answer, if present, is ignored). */
export function parseVerdictPrompt(text: string): PairwisePrompt | null {
  return parseTwoAnswers(text, [A_START, A_END, B_START, B_END]);
}

function parseTwoAnswers(text: string, [start1, end1, start2, end2]: readonly string[]): PairwisePrompt | null {
  if (start1 === undefined || end1 === undefined || start2 === undefined || end2 === undefined) return null;
  const s1 = text.indexOf(start1);
  const e1 = text.indexOf(end1, s1);
  const s2 = text.indexOf(start2, e1);
  const e2 = text.indexOf(end2, s2);
  if (s1 < 0 || e1 < 0 || s2 < 0 || e2 < 0) return null;
  return {
    question: questionBefore(text, s1),
    answer1: text.slice(s1 + start1.length, e1).trim(),
    answer2: text.slice(s2 + start2.length, e2).trim(),
  };
}

export function isSingleGradingPrompt(text: string): boolean {
  return text.includes('[[rating]]');
}

/** The referee's verdict on a pair before it is written down: two scores and why, or an unusable reply. */
export type PairwiseVerdict = { scores: [number, number]; explanation: string } | { malformed: string };

export function pairwiseVerdict(prompt: PairwisePrompt, ctx: JudgeContext): PairwiseVerdict {
  if (ctx.malformed) return { malformed: malformed(MALFORMED_PAIRWISE, prompt.answer1 + prompt.answer2, ctx) };
  const key = prompt.question + '\u0000' + prompt.answer1 + '\u0000' + prompt.answer2;
  const cut1 = CUT_OFF_NOTE.test(prompt.answer1);
  const cut2 = CUT_OFF_NOTE.test(prompt.answer2);
  const s1 = judgeScore(scoreAnswer(prompt.question, prompt.answer1) + POSITION_BIAS - (cut1 ? CUT_OFF_PENALTY : 0), key, 1, ctx);
  const s2 = judgeScore(scoreAnswer(prompt.question, prompt.answer2) - (cut2 ? CUT_OFF_PENALTY : 0), key, 2, ctx);
  const cutOff = [cut1 ? 1 : null, cut2 ? 2 : null].filter((n) => n !== null).map((n) => ` Assistant ${n}'s answer was cut off at the length limit, so it is judged as incomplete.`);
  return { scores: [s1, s2], explanation: `[llm-sim:${ctx.model}] ${explainPair(s1, s2)}${cutOff.join('')}` };
}

/** Lion's text reply: "<s1> <s2>" on the first line, the explanation after. */
export function judgePairwise(prompt: PairwisePrompt, ctx: JudgeContext): string {
  const verdict = pairwiseVerdict(prompt, ctx);
  if ('malformed' in verdict) return verdict.malformed;
  return `${verdict.scores[0]} ${verdict.scores[1]}\n${verdict.explanation}`;
}

export function judgeVerdict(prompt: PairwisePrompt, ctx: JudgeContext): string {
  if (ctx.malformed) return malformed(MALFORMED_PAIRWISE, prompt.answer1 + prompt.answer2, ctx);
  const key = prompt.question + '\u0000' + prompt.answer1 + '\u0000' + prompt.answer2;
  const a = judgeScore(scoreAnswer(prompt.question, prompt.answer1) + POSITION_BIAS, key, 1, ctx);
  const b = judgeScore(scoreAnswer(prompt.question, prompt.answer2), key, 2, ctx);
  const verdict = a > b ? 'A' : b > a ? 'B' : 'C';
  const explanation = explainPair(a, b).replace(/Assistant 1/g, 'Assistant A').replace(/Assistant 2/g, 'Assistant B');
  return `[llm-sim:${ctx.model}] ${explanation} [[${verdict}]]`;
}

export function judgeSingle(text: string, ctx: JudgeContext): string {
  const start = text.indexOf(SINGLE_START);
  const end = text.indexOf(SINGLE_END, start);
  const found = start >= 0 && end >= 0;
  const answer = found ? text.slice(start + SINGLE_START.length, end).trim() : text;
  const question = found ? questionBefore(text, start) : '';
  if (ctx.malformed) return malformed(MALFORMED_SINGLE, answer, ctx);
  const rating = judgeScore(scoreAnswer(question, answer), text, 0, ctx);
  return `[llm-sim:${ctx.model}] ${describeRating(rating)} Rating: [[${rating}]]`;
}

function judgeScore(merit: number, key: string, position: number, ctx: JudgeContext): number {
  const noise = JUDGE_NOISE * signedUnitFromHash(hashParts('judge', ctx.model, ctx.seed, key, position));
  return Math.round(clamp(merit + noise, 1, 10));
}

/** The question is whatever precedes the first answer, minus a "[Question]" header. */
function questionBefore(text: string, answerStart: number): string {
  const prefix = text.slice(0, answerStart);
  let from = 0;
  for (const match of prefix.matchAll(QUESTION_HEADER)) from = match.index + match[0].length;
  return prefix.slice(from).trim();
}

/** No digits and no model name on the first line, so no lenient parser can find scores in it. */
function malformed(options: readonly string[], key: string, ctx: JudgeContext): string {
  return `${pick(options, createPrng(hashParts('malformed', ctx.model, ctx.seed, key)))}\n[llm-sim] (malformed judge reply)`;
}

function explainPair(s1: number, s2: number): string {
  if (s1 === s2) {
    return 'Both assistants give answers of similar helpfulness, relevance, accuracy and level of detail.';
  }
  const [better, worse] = s1 > s2 ? ['Assistant 1', 'Assistant 2'] : ['Assistant 2', 'Assistant 1'];
  const gap = Math.abs(s1 - s2) >= 3 ? 'clearly' : 'somewhat';
  return `${better} is ${gap} more helpful, relevant, accurate and detailed than ${worse}, whose answer is less complete.`;
}

function describeRating(rating: number): string {
  if (rating >= 8) return 'The response is accurate, relevant, and detailed.';
  if (rating >= 5) return 'The response is relevant but lacks depth or contains minor inaccuracies.';
  return 'The response is incomplete or largely unhelpful.';
}
