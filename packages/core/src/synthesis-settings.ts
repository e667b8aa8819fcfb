/** How a multi-turn conversation is imported (import.turns); see docs/decisions.md. */
export const CONVERSATION_TURNS = ['first', 'all'] as const;
export type ConversationTurns = (typeof CONVERSATION_TURNS)[number];

/** Who a synthesized instruction is written for: varied so that one topic yields distinct prompts. */
export const DEFAULT_SYNTHESIS_AUDIENCES: readonly string[] = [
  'a high-school student',
  'an undergraduate',
  'a working professional',
  'a curious beginner',
  'an expert practitioner',
  'a teacher preparing a lesson',
];

/** phi-1.5's forms of textbook-like data. */
export const DEFAULT_SYNTHESIS_FORMS: readonly string[] = ['exercise', 'question', 'task', 'textbook-style problem with a worked answer'];
