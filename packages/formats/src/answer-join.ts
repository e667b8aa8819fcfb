import { instructionKey } from '@tapir/core';
import type { ReadPoolOptions } from './pool-types';
import { readPool } from './read-pool';

export interface AnswerIndex {
  /** instructionKey(instruction, input) → the row's answer. */
  answers: Map<string, string>;
  errors: { line: number; message: string }[];
  /** Non-blank rows read, good or bad. */
  rows: number;
}

/**
 * Reads an answer file (`--teacher-answers F`, `--student-answers F`) in any pool format and
 * indexes its answers by instruction, so they can be joined to a pool whose rows come from a
 * different file. The answer is the row's `output` (alpaca) or first assistant turn (chat).
 *
 * When an instruction appears twice with different answers, the first answer is kept and the
 * later row is reported: silently picking one would make the join depend on file order unseen.
 */
export async function loadAnswerIndex(
  file: string,
  opts: Pick<ReadPoolOptions, 'format' | 'maxRowBytes'> = {},
): Promise<AnswerIndex> {
  const answers = new Map<string, string>();
  const firstLine = new Map<string, number>();
  const errors: AnswerIndex['errors'] = [];
  let rows = 0;
  for await (const event of readPool(file, opts)) {
    rows++;
    if (event.kind === 'error') {
      errors.push({ line: event.line, message: event.message });
      continue;
    }
    const { instruction, input, output } = event.record;
    if (output === undefined) {
      errors.push({ line: event.line, message: 'no answer in row' });
      continue;
    }
    const key = instructionKey(instruction, input);
    const existing = answers.get(key);
    if (existing === undefined) {
      answers.set(key, output);
      firstLine.set(key, event.line);
    } else if (existing !== output) {
      const message = `duplicate instruction with a different answer (first seen at line ${firstLine.get(key)}); this answer is ignored`;
      errors.push({ line: event.line, message });
    }
  }
  return { answers, errors, rows };
}
