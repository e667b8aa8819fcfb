import type { ChatMessage } from '../chat';

export const EXPAND_PROMPT_VERSION = 'expand-v1';

export const GIVEN_INSTRUCTION_MARKER = '#Given Instruction#:';
export const CREATED_INSTRUCTION_MARKER = '#Created Instruction#:';

/**
 * Lion's instruction-creation prompt (docs/method.md, step 8): one seed per prompt, a new instruction
 * of the same domain and task type, similar length and difficulty, different content. The layout
 * is a contract with the simulator, which parses it: the seed sits between the
 * "#Given Instruction#:" line and a blank line before the "#Created Instruction#:" line, so the
 * seed and its input are trimmed to keep those lines where they belong.
 */
export function buildExpandMessages(seedInstruction: string, seedInput: string): ChatMessage[] {
  const given = seedInput.trim() === '' ? seedInstruction.trim() : `${seedInstruction.trim()}\n\n${seedInput.trim()}`;
  const lines = [
    'I want you to act as an Instruction Creator.',
    'Your goal is to draw inspiration from the #Given Instruction# to create a brand new instruction.',
    'This new instruction should belong to the same domain and the same task type as the #Given Instruction#.',
    'The LENGTH and difficulty level of the #Created Instruction# should be similar to that of the #Given Instruction#.',
    'The content of the #Created Instruction# should be different from that of the #Given Instruction#.',
    'The #Created Instruction# must be reasonable and must be understood and responded to by humans.',
    "'#Given Instruction#', '#Created Instruction#', 'given instruction' and 'created instruction' are not allowed to appear in #Created Instruction#.",
    '',
    GIVEN_INSTRUCTION_MARKER,
    given,
    '',
    CREATED_INSTRUCTION_MARKER,
    '',
  ];
  return [{ role: 'user', content: lines.join('\n') }];
}

// The marker with its hashes (colon optional), or the bare words followed by a colon.
const ECHOED_MARKER = /^(?:#\s*created instruction\s*#\s*:?|created instruction\s*:)/i;
const CODE_FENCE = /^```[^\n]*\n([\s\S]*?)\n?```$/;
const QUOTE_PAIRS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
  ['`', '`'],
];

/** One layer of wrapping removed (an echoed marker, a code fence or a pair of quotes), or the text as it was. */
function unwrapOnce(text: string): string {
  const marker = ECHOED_MARKER.exec(text);
  if (marker) return text.slice(marker[0].length).trim();
  const fence = CODE_FENCE.exec(text);
  if (fence) return (fence[1] ?? '').trim();
  for (const [open, close] of QUOTE_PAIRS) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return text.slice(open.length, -close.length).trim();
  }
  return text;
}

/**
 * The new instruction in a teacher's reply. Models often echo the "#Created Instruction#:" line
 * or wrap their answer in quotes or a markdown code fence; those layers are peeled off, in any
 * order and nesting, until none is left. Null when nothing remains.
 */
export function parseExpandReply(text: string): string | null {
  let current = text.trim();
  for (let next = unwrapOnce(current); next !== current; next = unwrapOnce(current)) current = next;
  return current === '' ? null : current;
}
