/**
 * A knob for tests of what a client does with an answer cut off at max_tokens: a prompt holding
 * `[llm-sim:answer-tokens=N]` gets an answer of at least N tokens (the simulator's count), so
 * the same prompt is cut at a small max_tokens and whole at a large one, as a real long answer
 * would be. With several markers the largest wins; the marker may sit in the instruction (every
 * answer to it is long) or in a refinement template (only refined answers are).
 */

const MARKER = /\[llm-sim:answer-tokens=(\d{1,7})\]/g;

/** The answer length a prompt asks for, or null when it holds no marker. */
export function requestedAnswerTokens(prompt: string): number | null {
  let largest: number | null = null;
  for (const match of prompt.matchAll(MARKER)) largest = Math.max(largest ?? 0, Number(match[1]));
  return largest;
}
