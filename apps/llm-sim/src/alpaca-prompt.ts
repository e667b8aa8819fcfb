/**
 * The Alpaca prompt template, which Cherry LLM's IFD puts before an answer to score s(A|Q). The
 * simulator recognises it in /v1/completions prompts to know which instruction an answer follows.
 */

const HEADER = 'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n';
const HEADER_WITH_INPUT =
  'Below is an instruction that describes a task, paired with an input that provides further context. ' +
  'Write a response that appropriately completes the request.\n\n### Instruction:\n';
const INPUT_MARKER = '\n\n### Input:\n';
const RESPONSE_MARKER = '\n\n### Response:\n';

export interface AlpacaPrompt {
  instruction: string;
  input: string | null;
  /** Characters of template + instruction (+ input) up to and including "### Response:\n". */
  prefixLength: number;
  /** Whatever follows the prefix: the answer being scored (may be empty). */
  answer: string;
}

export function alpacaPrefix(instruction: string, input?: string | null): string {
  return input === undefined || input === null || input.length === 0
    ? `${HEADER}${instruction}${RESPONSE_MARKER}`
    : `${HEADER_WITH_INPUT}${instruction}${INPUT_MARKER}${input}${RESPONSE_MARKER}`;
}

/**
 * The instruction (and input) of a prompt that starts with the Alpaca template, or null. The first
 * "### Response:" marker ends the prefix: answers are longer and more varied than instructions,
 * so they are the likelier place for a stray marker.
 */
export function parseAlpacaPrompt(prompt: string): AlpacaPrompt | null {
  const withInput = prompt.startsWith(HEADER_WITH_INPUT);
  if (!withInput && !prompt.startsWith(HEADER)) return null;
  const bodyStart = (withInput ? HEADER_WITH_INPUT : HEADER).length;
  const responseAt = prompt.indexOf(RESPONSE_MARKER, bodyStart);
  if (responseAt < 0) return null;
  const body = prompt.slice(bodyStart, responseAt);
  let instruction = body;
  let input: string | null = null;
  if (withInput) {
    const inputAt = body.indexOf(INPUT_MARKER);
    if (inputAt < 0) return null;
    instruction = body.slice(0, inputAt);
    input = body.slice(inputAt + INPUT_MARKER.length);
  }
  const prefixLength = responseAt + RESPONSE_MARKER.length;
  return { instruction, input, prefixLength, answer: prompt.slice(prefixLength) };
}
