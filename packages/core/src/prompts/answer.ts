import type { ChatMessage } from '../chat';

export const ANSWER_PROMPT_VERSION = 'answer@1';

/** Instruction plus its optional input, the way Alpaca-style data joins them. */
export function instructionWithInput(instruction: string, input?: string): string {
  return input !== undefined && input.trim() !== '' ? `${instruction}\n\n${input}` : instruction;
}

/**
 * The prompt both teacher and student answer. No system prompt of tapir's own on purpose: the
 * student must be judged on what it will see at inference time, and the teacher's plain answer is
 * the baseline that refinement improves on. The item's own system prompt (from its conversation)
 * is part of what it sees, so it leads when there is one; items without one keep their messages,
 * and so their ledger keys, as before.
 */
export function buildAnswerMessages(instruction: string, input?: string, system?: string | null): ChatMessage[] {
  return withSystem(system, [{ role: 'user', content: instructionWithInput(instruction, input) }]);
}

/** The item's system prompt before the messages, when it has one. */
export function withSystem(system: string | null | undefined, messages: ChatMessage[]): ChatMessage[] {
  return system ? [{ role: 'system', content: system }, ...messages] : messages;
}
