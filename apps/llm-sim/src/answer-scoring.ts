import { clamp, contentWords, wordCount } from './text-features';

/**
 * The marker every simulated answer carries; a judge that sees it knows the intended quality.
 * One decimal is required, so a real answer saying "quality 7/10" is still judged on its merits.
 */
const QUALITY_MARKER = /quality (\d{1,2}\.\d)\/10/;
const REFUSAL = /\b(?:i'?m sorry|i am sorry|as an ai(?: language model)?|i cannot|i can't|i can not|i'm unable|i am unable|i do not have (?:access|the ability)|unable to (?:help|assist|provide))\b/i;
const LIST_LINE = /^\s*(?:[-*•]|\d+[.)])\s+\S/m;
const CODE_BLOCK = /```/;

/**
 * How good an answer looks to the simulated judge, 1..10. Simulated answers are scored by their
 * own marker; real answers (e.g. GPT-4 vs alpaca-7b data) by cheap surface signals that correlate
 * with judge scores: length, structure, overlap with the question, and refusals.
 */
export function scoreAnswer(question: string, answer: string): number {
  const marker = QUALITY_MARKER.exec(answer);
  if (marker?.[1] !== undefined) return clamp(Number(marker[1]), 1, 10);
  return heuristicScore(question, answer);
}

export function heuristicScore(question: string, answer: string): number {
  const trimmed = answer.trim();
  if (trimmed.length === 0) return 1;
  const words = wordCount(trimmed);
  // Diminishing returns: 10 words ~ 1.2, 50 ~ 2.6, 150 ~ 3.5, capped at 4.
  const lengthScore = Math.min(4, Math.log2(1 + words / 8) * 0.85);
  let structure = 0;
  if (LIST_LINE.test(trimmed)) structure += 0.7;
  if (CODE_BLOCK.test(trimmed)) structure += 0.7;
  if (trimmed.includes('\n\n')) structure += 0.4;
  const relevance = 2 * overlap(question, trimmed);
  const refusal = REFUSAL.test(trimmed) ? 3 : 0;
  return clamp(2 + lengthScore + Math.min(1.5, structure) + relevance - refusal, 1, 10);
}

/** Share of the question's content words that the answer mentions, 0..1. */
function overlap(question: string, answer: string): number {
  const asked = contentWords(question, 32);
  if (asked.length === 0) return 0.5;
  const said = new Set(contentWords(answer, 2000));
  let hits = 0;
  for (const word of asked) if (said.has(word)) hits++;
  return hits / asked.length;
}
