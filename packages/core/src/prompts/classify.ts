import type { ChatMessage } from '../chat';
import { OTHERS, matchCategory } from '../taxonomy';

export const CLASSIFY_PROMPT_VERSION = 'classify@1';

/**
 * Zero-shot task classification in the style of the EasyDistill follow-up. The layout is a
 * contract with the simulator, which parses it: categories as "- <name>" lines after
 * "Categories:", and the instruction alone between "<instruction>" and "</instruction>" lines.
 * The input goes in its own block so that the instruction block stays exactly the instruction.
 */
export function buildClassifyMessages(
  instruction: string,
  input: string | undefined,
  categories: readonly string[],
): ChatMessage[] {
  const lines = [
    'You are a data annotation expert. Your job is to assign the instruction below to exactly one task category.',
    'Choose the category that describes the kind of task the instruction asks for (the skill an answer needs), not just its topic. If no category fits, choose Others.',
    '',
    'Categories:',
    ...categories.map((c) => `- ${c}`),
    '',
    '<instruction>',
    instruction,
    '</instruction>',
  ];
  if (input !== undefined && input.trim() !== '') {
    lines.push('', 'The instruction comes with this input:', '<input>', input, '</input>');
  }
  lines.push(
    '',
    'Answer with exactly one category name from the list, written inside <answer></answer>, and nothing else.',
  );
  return [{ role: 'user', content: lines.join('\n') }];
}

const ANSWER_TAG = /<answer>([\s\S]*?)<\/answer>/gi;

/**
 * The category named in the reply's last <answer> block (models sometimes repeat the format
 * description before answering), mapped to its canonical name. Anything unparseable or unknown is
 * Others, as in the follow-up code.
 */
export function parseClassification(reply: string, categories: readonly string[]): string {
  const matches = [...reply.matchAll(ANSWER_TAG)];
  const last = matches[matches.length - 1]?.[1];
  if (last === undefined) return OTHERS;
  return matchCategory(last.trim(), categories) ?? OTHERS;
}
