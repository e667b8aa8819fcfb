import { tokensOfLength } from './tokens';

/**
 * A knob for tests of what a client does with a reply cut off at max_tokens: a prompt holding
 * `[llm-sim:answer-tokens=N]` gets an answer of at least N tokens (the simulator's count), so
 * the same prompt is cut at a small max_tokens and whole at a large one, as a real long answer
 * would be. With several markers the largest wins; the marker may sit in the instruction (every
 * answer to it is long) or in a refinement template (only refined answers are). A seed holding
 * `[llm-sim:instruction-tokens=N]` gets new instructions of at least N tokens from the
 * Instruction Creator, and answers of the usual length.
 */

const ANSWER_MARKER = /\[llm-sim:answer-tokens=(\d{1,7})\]/g;
const INSTRUCTION_MARKER = /\[llm-sim:instruction-tokens=(\d{1,7})\]/g;

/** The answer length a prompt asks for, or null when it holds no marker. */
export function requestedAnswerTokens(prompt: string): number | null {
  return largestMarker(prompt, ANSWER_MARKER);
}

/** The length of new instructions a seed asks for, or null when it holds no marker. */
export function requestedInstructionTokens(seed: string): number | null {
  return largestMarker(seed, INSTRUCTION_MARKER);
}

function largestMarker(text: string, marker: RegExp): number | null {
  let largest: number | null = null;
  for (const match of text.matchAll(marker)) largest = Math.max(largest ?? 0, Number(match[1]));
  return largest;
}

/** The text with `clauses` appended in turn until it holds at least `minTokens` tokens. */
export function lengthenTo(text: string, minTokens: number, clauses: readonly string[]): string {
  let out = text;
  for (let k = 0; tokensOfLength(out.length) < minTokens && clauses.length > 0; k++) out += ` ${clauses[k % clauses.length]}`;
  return out;
}
