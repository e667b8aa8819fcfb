import type { ChatMessage } from '../chat';
import { parseExpandReply } from './expand';

export const SYNTHESIZE_PROMPT_VERSION = 'synthesize-v1';

export const SYNTHESIS_CATEGORY_MARKER = '#Category#:';
export const SYNTHESIS_TOPIC_MARKER = '#Topic#:';
export const SYNTHESIS_AUDIENCE_MARKER = '#Audience#:';
export const SYNTHESIS_FORM_MARKER = '#Form#:';
export const SYNTHESIZED_INSTRUCTION_MARKER = '#New Instruction#:';

export interface SynthesisSeed {
  category: string;
  topic: string;
  audience: string;
  form: string;
}

/** One line each: a marker line must not be split by a newline in the user's topic. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * phi-1.5's recipe as one prompt: a task category, a topic from the user's list, an audience and
 * a form; the teacher writes one self-contained instruction. The marker lines are a contract with
 * the simulator, which reads them; change the version if the layout changes.
 */
export function buildSynthesisMessages(seed: SynthesisSeed): ChatMessage[] {
  const lines = [
    'I want you to act as an Instruction Writer for a textbook-quality training set.',
    'Write one brand new instruction that a user could give to an AI assistant.',
    `It must be a task of the category given in ${SYNTHESIS_CATEGORY_MARKER.slice(0, -1)}, about the topic given in ${SYNTHESIS_TOPIC_MARKER.slice(0, -1)}, pitched at the reader in ${SYNTHESIS_AUDIENCE_MARKER.slice(0, -1)}, in the form given in ${SYNTHESIS_FORM_MARKER.slice(0, -1)}.`,
    'The instruction must be self-contained (include any data it needs), specific, and answerable in text.',
    'Write only the instruction itself: no answer, no preamble, and do not mention these directions.',
    '',
    `${SYNTHESIS_CATEGORY_MARKER} ${oneLine(seed.category)}`,
    `${SYNTHESIS_TOPIC_MARKER} ${oneLine(seed.topic)}`,
    `${SYNTHESIS_AUDIENCE_MARKER} ${oneLine(seed.audience)}`,
    `${SYNTHESIS_FORM_MARKER} ${oneLine(seed.form)}`,
    '',
    SYNTHESIZED_INSTRUCTION_MARKER,
    '',
  ];
  return [{ role: 'user', content: lines.join('\n') }];
}

const ECHOED_MARKER = /^#\s*new instruction\s*#\s*:?\s*/i;

/** The instruction in the teacher's reply: an echoed marker, quotes and code fences peeled off; null when empty. */
export function parseSynthesisReply(text: string): string | null {
  return parseExpandReply(text.trim().replace(ECHOED_MARKER, ''));
}
