import type { ChatMessage } from '../chat';
import { instructionWithInput, withSystem } from './answer';

/** @1: the plain conversation so far, the next user turn last; no template of tapir's own. */
export const FOLLOW_UP_PROMPT_VERSION = 'follow-up@1';

export interface Exchange {
  user: string;
  assistant: string;
}

/**
 * The teacher's prompt for the reply to a follow-up turn of a multi-turn item (import.turns: all):
 * the item's system prompt, every earlier exchange as history (the first one's reply is the
 * refined answer, the later ones the teacher's own earlier follow-up replies) and the next user
 * turn. The first user turn is the plain instruction, as the exported row shows it, not the
 * refinement template that produced its reply.
 */
export function buildFollowUpMessages(
  item: { instruction: string; input: string; system?: string | null },
  history: readonly Exchange[],
  nextUser: string,
): ChatMessage[] {
  if (history.length === 0) throw new Error('buildFollowUpMessages: a follow-up needs the first exchange as history');
  const messages: ChatMessage[] = [];
  history.forEach((exchange, i) => {
    messages.push({ role: 'user', content: i === 0 ? instructionWithInput(item.instruction, item.input) : exchange.user });
    messages.push({ role: 'assistant', content: exchange.assistant });
  });
  messages.push({ role: 'user', content: nextUser });
  return withSystem(item.system, messages);
}
