import type { ChatMessage } from '../chat';

export const ANSWER_PROMPT_VERSION = 'answer@1';

/** Instruction plus its optional input, the way Alpaca-style data joins them. */
export function instructionWithInput(instruction: string, input?: string): string {
  return input !== undefined && input.trim() !== '' ? `${instruction}\n\n${input}` : instruction;
}

/**
 * The prompt both teacher and student answer. No system prompt on purpose: the student must be
 * judged on what it will see at inference time, and the teacher's plain answer is the baseline
 * that refinement improves on.
 */
export function buildAnswerMessages(instruction: string, input?: string): ChatMessage[] {
  return [{ role: 'user', content: instructionWithInput(instruction, input) }];
}
