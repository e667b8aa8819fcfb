import type { ChatMessage } from '../chat';
import type { StructuredReplyMode } from '../structured-output';

/**
 * Ziya2's model-based quality scoring of the pool: the judge rates an instruction (with its
 * input) for consistency (does it hang together and ask for one coherent thing) and readability
 * (is it fluent, well-formed text), each 1 to 10. The prompt version is part of every ledger key;
 * change it when the wording or the schema changes.
 */
export const QUALITY_RATING_PROMPT_VERSION = 'quality-rating@1';
export const QUALITY_RATING_STRUCTURED_PROMPT_VERSION = 'quality-rating-structured@1';

export function qualityRatingPromptVersion(mode: StructuredReplyMode): string {
  return mode === 'text' ? QUALITY_RATING_PROMPT_VERSION : `${QUALITY_RATING_STRUCTURED_PROMPT_VERSION}+${mode}`;
}

export const QUALITY_RATING_REPLY_NAME = 'record_quality';
export const QUALITY_RATING_REPLY_DESCRIPTION = 'Record the consistency and readability (1 to 10 each) of the instruction, and why.';

/** Strict-mode compatible: every property required, none extra, no numeric bounds. */
export const QUALITY_RATING_REPLY_SCHEMA = {
  type: 'object',
  properties: {
    consistency: { type: 'number', description: 'How coherent the instruction is, 1 to 10.' },
    readability: { type: 'number', description: 'How fluent and well-formed the text is, 1 to 10.' },
    explanation: { type: 'string', description: 'A short reason for the two ratings.' },
  },
  required: ['consistency', 'readability', 'explanation'],
  additionalProperties: false,
} as const;

const SYSTEM = 'You are a careful reviewer of instruction-tuning data. You rate the quality of instructions, not their answers.';

const TASK = [
  'Rate the instruction above as training data for an assistant model.',
  'Consistency (1-10): does it make sense as a whole and ask for one coherent task, without contradictions, garbled fragments or degenerate repetition?',
  'Readability (1-10): is it fluent, well-formed text a person could read, without keyboard noise, stray symbols or broken words?',
  'Do not rate difficulty or topic: a short, simple, well-written instruction deserves high marks.',
].join('\n');

const TEXT_FORMAT = 'Reply with exactly two lines, "Consistency: <1-10>" and "Readability: <1-10>", then one line of explanation.';
const STRUCTURED_FORMAT = 'Record the two ratings and a short explanation.';

export function buildQualityRatingMessages(instruction: string, input: string | undefined, mode: StructuredReplyMode): ChatMessage[] {
  const material = input !== undefined && input.trim() !== '' ? `${instruction}\n\n[Input]\n${input}` : instruction;
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: `[The Start of Instruction]\n${material}\n[The End of Instruction]\n\n${TASK}\n${mode === 'text' ? TEXT_FORMAT : STRUCTURED_FORMAT}`,
    },
  ];
}
