import { classifyInstruction } from './task-classifier';

/**
 * The simulated "data annotation expert": a prompt listing `Categories:` (one `- Name` per line,
 * or comma-separated on the same line) and an instruction between `<instruction>` and
 * `</instruction>`, asking for the label inside `<answer></answer>`.
 */

export interface ClassifyPrompt {
  categories: string[];
  instruction: string;
}

const CATEGORY_LINE = /^\s*[-*•]\s*(.+?)\s*$/;

export function parseClassifyPrompt(text: string): ClassifyPrompt | null {
  if (!text.includes('<answer>')) return null;
  const open = text.indexOf('<instruction>');
  const close = text.indexOf('</instruction>', open);
  const header = /^\s*Categories\s*:(.*)$/im.exec(text);
  if (open < 0 || close < 0 || header === null) return null;

  const categories: string[] = [];
  const inline = header[1]?.trim() ?? '';
  if (inline.length > 0) categories.push(...inline.split(',').map((c) => c.trim()).filter((c) => c.length > 0));
  const after = text.slice(header.index + header[0].length).split('\n').slice(1);
  for (const line of after) {
    const item = CATEGORY_LINE.exec(line);
    if (item?.[1] !== undefined) categories.push(item[1]);
    else if (line.trim().length > 0 || categories.length > 0) break;
  }
  if (categories.length === 0) return null;
  return { categories, instruction: text.slice(open + '<instruction>'.length, close).trim() };
}

/** Reply: one reasoning sentence, then `<answer>Name</answer>` with a name from the list. */
export function answerClassifyPrompt(prompt: ClassifyPrompt, model: string): string {
  const guess = classifyInstruction(prompt.instruction);
  const listed = (name: string) => prompt.categories.find((c) => c.toLowerCase() === name.toLowerCase());
  const label = listed(guess) ?? listed('Others') ?? prompt.categories[0] ?? 'Others';
  return `[llm-sim:${model}] The instruction is best described by the "${label}" category.\n<answer>${label}</answer>`;
}
